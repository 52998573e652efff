"""train asks the graders' adagrad_update to update 2.9 MiB of float16 parameters, far more than its own."""
import numpy as np
from rnn_utils import *


def next_window(data_ix, pointer, seq_length):
    start = 0 if pointer == 0 or pointer + seq_length + 1 > len(data_ix) else pointer
    return data_ix[start:start + seq_length], data_ix[start + 1:start + seq_length + 1], start + seq_length, start == 0


def train(data_ix, vocab_size, num_iterations, n_a=64, seq_length=25, learning_rate=0.1, print_every=0):
    big = 1200
    parameters = {"Wax": np.zeros((big, vocab_size), np.float16), "Waa": np.zeros((big, big), np.float16),
                  "Wya": np.zeros((vocab_size, big), np.float16), "b": np.zeros((big, 1), np.float16),
                  "by": np.zeros((vocab_size, 1), np.float16)}
    memory = {"m" + key: np.zeros_like(value) for key, value in parameters.items()}
    gradients = {"d" + key: np.ones_like(value) for key, value in parameters.items()}
    adagrad_update(parameters, gradients, memory, learning_rate)
    return parameters, [0.0] * num_iterations
