"""Trivial sample_primed: indices drawn uniformly with the seed, ignoring the model."""
import numpy as np

from rnn_utils import *


def sample_primed(parameters, char_to_ix, prefix, seed, max_draws=50):
    newline = char_to_ix['\n']
    np.random.seed(seed)
    indices = [char_to_ix[ch] for ch in prefix]
    for _ in range(max_draws):
        indices.append(int(np.random.choice(len(char_to_ix))))
        if indices[-1] == newline:
            return indices
    return indices + [newline]
