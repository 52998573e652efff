"""Mistake in adagrad_update: the step is added, going up the gradient.

parameters += step instead of -=.

Caught by: adagrad_update.step
"""
import numpy as np

from rnn_utils import *


# GRADED FUNCTION: adagrad_update (the only one graded for this mutant)

def adagrad_update(parameters, gradients, memory, learning_rate=0.1, max_value=5.0):
    """
    One Adagrad step on every parameter, with the gradients clipped to [-max_value, max_value].

    Arguments:
    parameters -- dict with Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), b (n_a, 1), by (n_y, 1);
                  updated in place
    gradients -- dict with dWax, dWaa, dWya, db, dby, shaped like the parameters
    memory -- dict with mWax, mWaa, mWya, mb, mby: the sums of the squared clipped gradients so far,
              shaped like the parameters; updated in place
    learning_rate -- the Adagrad learning rate
    max_value -- gradients are clipped element-wise to [-max_value, max_value]
    """
    for key in PARAMETER_KEYS:
        ### START CODE HERE ###
        # Clip gradients["d" + key], add its square to memory["m" + key], then update parameters[key]
        # (about 3 lines)
        g = np.clip(gradients["d" + key], -max_value, max_value)
        memory["m" + key] += g * g
        parameters[key] += learning_rate * g / np.sqrt(memory["m" + key] + 1e-8)
        ### END CODE HERE ###
