"""Mistake in sample_primed: the ValueError does not name the character.

The message says the prefix is wrong, not which character.

Caught by: sample_primed.unknown_characters
"""
import numpy as np

from rnn_utils import *


# GRADED FUNCTION: sample_primed (the only one graded for this mutant)

def sample_primed(parameters, char_to_ix, prefix, seed, max_draws=50):
    """
    Read a prefix, then draw the rest of a name one character at a time.

    Arguments:
    parameters -- dict with Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), b (n_a, 1), by (n_y, 1)
    char_to_ix -- dict mapping each character of the vocabulary to its index
    prefix -- the start of the name (a string, possibly empty)
    seed -- seeds numpy's random generator once, before the first draw
    max_draws -- the largest number of characters drawn (at least 1)

    Returns:
    indices -- list of indices: the prefix's, then the drawn ones, ending with the newline index
    """
    vocab_size = parameters["by"].shape[0]
    n_a = parameters["Waa"].shape[0]
    newline = char_to_ix["\n"]

    ### START CODE HERE ###
    # Step 1: raise ValueError if a character of prefix is not in char_to_ix (about 3 lines)
    # Step 2: from a zero hidden state (n_a, 1), read the newline, then every prefix character,
    #         with rnn_step_forward; keep its last a and p (about 4 lines)
    # Step 3: indices = the prefix's indices; np.random.seed(seed) (2 lines)
    # Step 4: draw at most max_draws indices, appending each one; stop after a newline, otherwise
    #         read the drawn index to get the next a and p (about 6 lines)
    # The lines after this block read indices.
    for ch in prefix:
        if ch not in char_to_ix:
            raise ValueError("the prefix holds a character that is not in the vocabulary")
    indices = [char_to_ix[ch] for ch in prefix]
    a = np.zeros((n_a, 1))
    for ix in [newline] + indices:
        a, p = rnn_step_forward(parameters, a, ix)
    np.random.seed(seed)
    for _ in range(max_draws):
        idx = int(np.random.choice(vocab_size, p=p.ravel()))
        indices.append(idx)
        if idx == newline:
            break
        a, p = rnn_step_forward(parameters, a, idx)
    ### END CODE HERE ###

    if indices[-1] != newline:  # max_draws draws and no newline among them
        indices.append(newline)
    return indices
