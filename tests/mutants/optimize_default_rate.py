"""Mistake in optimize: learning_rate defaults to 0.1 instead of the stub's 0.01.

Every call that passes the rate is right; a call that leaves it out takes ten times the step.

Caught by: optimize.defaults
"""
import copy

import numpy as np

from rnn_utils import *


# GRADED FUNCTION: optimize (the only one graded for this mutant)

def optimize(X, Y, a_prev, parameters, learning_rate=0.1):
    """
    One step of stochastic gradient descent on one example, with clipped gradients.

    Arguments:
    X -- list of input indices (X[0] may be None for the all-zero input)
    Y -- list of label indices, X shifted one to the left
    a_prev -- hidden state before the first step, (n_a, 1)
    parameters -- dict with Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), b (n_a, 1), by (n_y, 1);
                  updated in place
    learning_rate -- step size of gradient descent

    Returns:
    loss -- the cross-entropy loss of this example before the update
    gradients -- dict with dWax, dWaa, dWya, db, dby, clipped to [-5, 5]
    a[len(X)-1] -- the last hidden state, (n_a, 1)
    """
    ### START CODE HERE ###
    # Forward pass, backward pass, clip to [-5, 5], update (about 4 lines)
    loss, cache = rnn_forward(X, Y, a_prev, parameters)
    gradients, a = rnn_backward(X, Y, parameters, cache)
    gradients = clip(gradients, 5)
    parameters = update_parameters(parameters, gradients, learning_rate)
    ### END CODE HERE ###

    return loss, gradients, a[len(X) - 1]
