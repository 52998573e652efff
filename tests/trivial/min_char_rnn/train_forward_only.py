"""Trivial train: the initial parameters and the losses of the first window, no update at all."""
import numpy as np

from rnn_utils import *


def train(data_ix, vocab_size, num_iterations, n_a=64, seq_length=25, learning_rate=0.1, print_every=0):
    parameters = initialize_parameters(n_a, vocab_size, vocab_size)
    loss, _ = rnn_forward(data_ix[:seq_length], data_ix[1:seq_length + 1], np.zeros((n_a, 1)), parameters)
    return parameters, [loss] * num_iterations
