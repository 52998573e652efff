"""Trivial adagrad_update: sets every parameter to zero."""
import numpy as np

from rnn_utils import *


def adagrad_update(parameters, gradients, memory, learning_rate=0.1, max_value=5.0):
    for key in PARAMETER_KEYS:
        parameters[key][...] = 0.0
