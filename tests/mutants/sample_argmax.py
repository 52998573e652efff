"""Mistake in sample: the most likely index (argmax) instead of a random draw.

Every name becomes the single most probable one; the draws do not follow the model's probabilities.

Caught by: sample.distribution sample.seeded
"""
import copy

import numpy as np

from rnn_utils import *


# GRADED FUNCTION: sample (the only one graded for this mutant)

def sample(parameters, char_to_ix, seed):
    """
    Generate one name from the RNN, one character index at a time.

    Arguments:
    parameters -- dict with Waa (n_a, n_a), Wax (n_a, n_x), Wya (n_y, n_a), by (n_y, 1), b (n_a, 1)
    char_to_ix -- dict mapping each character of the vocabulary to its index
    seed -- integer that fixes the random draws, so the result can be checked

    Returns:
    indices -- list of the sampled indices (at most 51), always ending with the newline index
    """
    Waa, Wax, Wya, by, b = parameters['Waa'], parameters['Wax'], parameters['Wya'], parameters['by'], parameters['b']
    vocab_size = by.shape[0]
    n_a = Waa.shape[1]

    ### START CODE HERE ###
    # Step 1: the first input x is a zero column (vocab_size, 1); a_prev is a zero column (n_a, 1)
    # Then loop until the newline index is drawn or 50 indices have been drawn:
    #   Step 2: forward one step (a, z, y)
    #   Step 3: np.random.seed(counter + seed), then draw idx with np.random.choice and append it
    #   Step 4: x becomes the one-hot column of idx; a_prev becomes a; seed and counter go up by 1
    x = np.zeros((vocab_size, 1))   # (vocab_size, 1)
    a_prev = np.zeros((n_a, 1))     # (n_a, 1)
    indices = []
    idx = -1
    counter = 0
    newline_character = char_to_ix['\n']

    while idx != newline_character and counter != 50:
        a = np.tanh(np.dot(Wax, x) + np.dot(Waa, a_prev) + b)  # (n_a, 1)
        z = np.dot(Wya, a) + by                                # (vocab_size, 1)
        y = softmax(z)                                         # (vocab_size, 1)

        np.random.seed(counter + seed)
        idx = int(np.argmax(y))
        indices.append(idx)

        x = np.zeros((vocab_size, 1))
        x[idx] = 1
        a_prev = a

        seed += 1
        counter += 1
    ### END CODE HERE ###

    if counter == 50:
        indices.append(char_to_ix['\n'])

    return indices
