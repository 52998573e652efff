"""Trivial adagrad_update: every parameter moves by learning_rate against the sign of its gradient, no memory."""
import numpy as np

from rnn_utils import *


def adagrad_update(parameters, gradients, memory, learning_rate=0.1, max_value=5.0):
    for key in PARAMETER_KEYS:
        parameters[key] -= learning_rate * np.sign(gradients['d' + key])
