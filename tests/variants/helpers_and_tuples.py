"""Correct, written differently: module-level helpers, tuple unpacking, a seed that steps by 2, Python int indices."""
import numpy as np

from rnn_utils import *

KEYS = ("dWaa", "dWax", "dWya", "db", "dby")


def one_hot(index, size):
    """A (size, 1) column with a 1 at index."""
    column = np.zeros((size, 1))
    column[index] = 1
    return column


def encode(name, char_to_ix):
    """X and Y for one training name."""
    X = [None, *(char_to_ix[ch] for ch in name)]
    return X, [*X[1:], char_to_ix["\n"]]


def clip(gradients, maxValue):
    result = {key: np.copy(gradients[key]) for key in KEYS}
    for key in KEYS:
        np.clip(result[key], -maxValue, maxValue, out=result[key])
    return result


def sample(parameters, char_to_ix, seed):
    Wax, Waa, Wya, b, by = (parameters[k] for k in ("Wax", "Waa", "Wya", "b", "by"))
    (vocab_size, _), (n_a, _) = by.shape, b.shape
    x, a_prev = np.zeros((vocab_size, 1)), np.zeros((n_a, 1))
    newline = char_to_ix["\n"]
    indices = []
    draw_seed = seed  # counter + seed, with seed going up by one per draw as well: steps of 2
    while len(indices) < 50 and (not indices or indices[-1] != newline):
        a = np.tanh(np.dot(Wax, x) + np.dot(Waa, a_prev) + b)
        y = softmax(np.dot(Wya, a) + by)
        np.random.seed(draw_seed)
        idx = int(np.random.choice(range(vocab_size), p=y.ravel()))
        indices.append(idx)
        x, a_prev = one_hot(idx, vocab_size), a
        draw_seed += 2
    if len(indices) == 50:
        indices.append(newline)
    return indices


def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    loss, cache = rnn_forward(X, Y, a_prev, parameters)
    gradients, a = rnn_backward(X, Y, parameters, cache)
    gradients = clip(gradients, 5)
    update_parameters(parameters, gradients, learning_rate)
    return (loss, gradients, a[len(X) - 1])


def model(data_x, ix_to_char, char_to_ix, num_iterations=35000, n_a=50, dino_names=7, vocab_size=27, verbose=False):
    parameters = initialize_parameters(n_a, vocab_size, vocab_size)
    examples = list(map(str.strip, data_x))
    np.random.seed(0)
    np.random.shuffle(examples)
    a_prev = np.zeros((n_a, 1))
    last_dino_name = "abc"
    for j in range(num_iterations):
        X, Y = encode(examples[j % len(examples)], char_to_ix)
        _, _, a_prev = optimize(X, Y, a_prev, parameters, learning_rate=0.01)
        if not j % 2000:
            for seed in range(dino_names):
                last_dino_name = get_sample(sample(parameters, char_to_ix, seed), ix_to_char)
    return parameters, last_dino_name
