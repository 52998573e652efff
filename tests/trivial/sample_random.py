"""Trivial sample: random indices of the vocabulary, ending with the newline."""
import numpy as np

from rnn_utils import *


def sample(parameters, char_to_ix, seed):
    vocab_size = parameters['by'].shape[0]
    return [int(i) for i in np.random.randint(0, vocab_size, np.random.randint(1, 50))] + [char_to_ix['\n']]
