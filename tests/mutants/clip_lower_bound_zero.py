"""Mistake in clip: clipping to [0, maxValue] instead of [-maxValue, maxValue].

Every negative entry becomes 0; entries inside the range change.

Caught by: clip.inside_unchanged, clip.bounds
"""
import copy

import numpy as np

from rnn_utils import *


# GRADED FUNCTION: clip (the only one graded for this mutant)

def clip(gradients, maxValue):
    """
    Clip every gradient element-wise to the interval [-maxValue, maxValue].

    Arguments:
    gradients -- dict with the gradients "dWaa" (n_a, n_a), "dWax" (n_a, n_x), "dWya" (n_y, n_a),
                 "db" (n_a, 1) and "dby" (n_y, 1)
    maxValue -- positive number: entries above it become maxValue, entries below -maxValue become -maxValue

    Returns:
    gradients -- a new dict with the same five keys and the clipped arrays
    """
    gradients = copy.deepcopy(gradients)  # work on a copy: the caller's gradients stay as they were

    dWaa, dWax, dWya, db, dby = gradients['dWaa'], gradients['dWax'], gradients['dWya'], gradients['db'], gradients['dby']

    ### START CODE HERE ###
    # Clip each of dWax, dWaa, dWya, db, dby in place (about 2 lines)
    for gradient in (dWax, dWaa, dWya, db, dby):
        np.clip(gradient, 0, maxValue, out=gradient)
    ### END CODE HERE ###

    gradients = {"dWaa": dWaa, "dWax": dWax, "dWya": dWya, "db": db, "dby": dby}
    return gradients
