"""Trivial model: untrained parameters and the placeholder name 'abc'."""
import numpy as np

from rnn_utils import *


def model(data_x, ix_to_char, char_to_ix, num_iterations=35000, n_a=50, dino_names=7, vocab_size=27, verbose=False):
    return initialize_parameters(n_a, vocab_size, vocab_size), 'abc'
