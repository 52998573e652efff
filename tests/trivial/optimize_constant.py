"""Trivial optimize: constant loss, gradients of 5, a state of ones."""
import numpy as np

from rnn_utils import *


def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    gradients = {'d' + key: np.full(value.shape, 5.0) for key, value in parameters.items()}
    return 23.0, gradients, np.ones_like(a_prev)
