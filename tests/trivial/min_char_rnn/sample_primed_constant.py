"""Trivial sample_primed: the prefix, ten times the same index, the newline."""
import numpy as np

from rnn_utils import *


def sample_primed(parameters, char_to_ix, prefix, seed, max_draws=50):
    return [char_to_ix[ch] for ch in prefix] + [1] * 10 + [char_to_ix['\n']]
