"""Trivial adagrad_update: random parameters and memory of the right shapes."""
import numpy as np

from rnn_utils import *


def adagrad_update(parameters, gradients, memory, learning_rate=0.1, max_value=5.0):
    for key in PARAMETER_KEYS:
        parameters[key][...] = np.random.randn(*parameters[key].shape)
        memory['m' + key][...] = np.random.rand(*parameters[key].shape)
