"""Mistake in optimize: returns a[len(X)] (off by one).

The last time step is len(X) - 1; a[len(X)] does not exist.

Caught by: optimize.returns optimize.defaults optimize.loss optimize.gradients optimize.update optimize.hidden_state optimize.vocabularies
"""
import copy

import numpy as np

from rnn_utils import *


# GRADED FUNCTION: optimize (the only one graded for this mutant)

def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
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

    return loss, gradients, a[len(X)]
