"""Trivial model: zero parameters and the newline as the name."""
import numpy as np

from rnn_utils import *


def model(data_x, ix_to_char, char_to_ix, num_iterations=35000, n_a=50, dino_names=7, vocab_size=27, verbose=False):
    shapes = {'Wax': (n_a, vocab_size), 'Waa': (n_a, n_a), 'Wya': (vocab_size, n_a), 'b': (n_a, 1), 'by': (vocab_size, 1)}
    return {key: np.zeros(shape) for key, shape in shapes.items()}, '\n'
