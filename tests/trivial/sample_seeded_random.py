"""Trivial sample: indices drawn uniformly after seeding with seed, ending with the newline."""
import numpy as np

from rnn_utils import *


def sample(parameters, char_to_ix, seed):
    vocab_size = parameters['by'].shape[0]
    rng = np.random.RandomState(seed)
    return [int(i) for i in rng.randint(0, vocab_size, 10)] + [char_to_ix['\n']]
