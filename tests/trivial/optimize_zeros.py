"""Trivial optimize: zero loss, zero gradients, zero state."""
import numpy as np

from rnn_utils import *


def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    gradients = {'d' + key: np.zeros_like(value) for key, value in parameters.items()}
    return 0.0, gradients, np.zeros_like(a_prev)
