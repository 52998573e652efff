"""train ends the learner's process at once, with os._exit."""
import numpy as np
from rnn_utils import *
import os


def next_window(data_ix, pointer, seq_length):
    start = 0 if pointer == 0 or pointer + seq_length + 1 > len(data_ix) else pointer
    return data_ix[start:start + seq_length], data_ix[start + 1:start + seq_length + 1], start + seq_length, start == 0


def train(data_ix, vocab_size, num_iterations, n_a=64, seq_length=25, learning_rate=0.1, print_every=0):
    os._exit(3)
