"""Trivial sample_primed: random indices of the vocabulary, then the newline."""
import numpy as np

from rnn_utils import *


def sample_primed(parameters, char_to_ix, prefix, seed, max_draws=50):
    newline = char_to_ix['\n']
    drawn = [i for i in np.random.randint(0, len(char_to_ix), 8).tolist() if i != newline]
    return [char_to_ix[ch] for ch in prefix] + drawn + [newline]
