"""Trivial model: random parameters of the right shapes and a random name."""
import numpy as np

from rnn_utils import *


def model(data_x, ix_to_char, char_to_ix, num_iterations=35000, n_a=50, dino_names=7, vocab_size=27, verbose=False):
    shapes = {'Wax': (n_a, vocab_size), 'Waa': (n_a, n_a), 'Wya': (vocab_size, n_a), 'b': (n_a, 1), 'by': (vocab_size, 1)}
    name = ''.join(ix_to_char[int(i)] for i in np.random.randint(1, vocab_size, 5)) + '\n'
    return {key: np.random.randn(*shape) for key, shape in shapes.items()}, name
