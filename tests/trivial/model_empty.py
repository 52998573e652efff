"""Trivial model: an empty dict and an empty name."""
import numpy as np

from rnn_utils import *


def model(data_x, ix_to_char, char_to_ix, num_iterations=35000, n_a=50, dino_names=7, vocab_size=27, verbose=False):
    return {}, ''
