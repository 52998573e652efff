"""Trivial optimize: random values of the right shapes, nothing updated."""
import numpy as np

from rnn_utils import *


def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    gradients = {'d' + key: np.random.uniform(-5, 5, value.shape) for key, value in parameters.items()}
    return float(np.random.rand()), gradients, np.random.randn(*a_prev.shape)
