"""Prints megabytes at load time and on every call; otherwise right."""
import numpy as np
from rnn_utils import *

print("loading " * 2**20)

def clip(gradients, maxValue):
    return {key: np.clip(gradients[key], -maxValue, maxValue) for key in ("dWaa", "dWax", "dWya", "db", "dby")}


def sample(parameters, char_to_ix, seed):
    Waa, Wax, Wya, by, b = (parameters[key] for key in ("Waa", "Wax", "Wya", "by", "b"))
    vocab_size, n_a = by.shape[0], Waa.shape[1]
    x, a_prev = np.zeros((vocab_size, 1)), np.zeros((n_a, 1))
    indices, idx, counter, newline = [], -1, 0, char_to_ix["\n"]
    while idx != newline and counter != 50:
        a = np.tanh(np.dot(Wax, x) + np.dot(Waa, a_prev) + b)
        y = softmax(np.dot(Wya, a) + by)
        np.random.seed(counter + seed)
        idx = np.random.choice(range(vocab_size), p=y.ravel())
        indices.append(idx)
        x = np.zeros((vocab_size, 1))
        x[idx] = 1
        a_prev, seed, counter = a, seed + 1, counter + 1
    if counter == 50:
        indices.append(newline)
    return indices


_original_sample = sample


def sample(parameters, char_to_ix, seed):
    print("#" * (4 * 2**20))
    return _original_sample(parameters, char_to_ix, seed)
