"""Trivial sample_primed: the prefix's characters and a newline, as text."""
import numpy as np

from rnn_utils import *


def sample_primed(parameters, char_to_ix, prefix, seed, max_draws=50):
    return list(prefix) + ['\n']
