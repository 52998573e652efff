"""Correct, written differently: dict(zip(...)) in clip, draws from np.random.RandomState(counter + seed) in sample."""
import numpy as np

from rnn_utils import *

GRADIENT_NAMES = ("dWaa", "dWax", "dWya", "db", "dby")


def clip(gradients, maxValue):
    return dict(zip(GRADIENT_NAMES, (np.clip(gradients[name], -maxValue, maxValue) for name in GRADIENT_NAMES)))


def sample(parameters, char_to_ix, seed):
    vocab_size, n_a = parameters["Wya"].shape
    x, a_prev = np.zeros((vocab_size, 1)), np.zeros((n_a, 1))
    newline = char_to_ix["\n"]
    indices = []
    for counter in range(50):
        a = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a_prev + parameters["b"])
        y = softmax(parameters["Wya"] @ a + parameters["by"])
        # the same draw as np.random.seed(counter + seed) then np.random.choice, with seed going up by one per draw
        idx = np.random.RandomState(2 * counter + seed).choice(vocab_size, p=y.ravel())
        indices.append(idx)
        if idx == newline and counter < 49:
            return indices
        x = np.zeros((vocab_size, 1))
        x[idx] = 1
        a_prev = a
    return indices + [newline]


def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    loss, cache = rnn_forward(X, Y, a_prev, parameters)
    gradients, a = rnn_backward(X, Y, parameters, cache)
    gradients = clip(gradients, 5)
    update_parameters(parameters, gradients, learning_rate)
    return loss, gradients, a[sorted(a)[-1]]


def sample_names(parameters, char_to_ix, ix_to_char, how_many):
    """The names sampled with seeds 0 .. how_many-1."""
    return [get_sample(sample(parameters, char_to_ix, seed), ix_to_char) for seed in range(how_many)]


def model(data_x, ix_to_char, char_to_ix, num_iterations=35000, n_a=50, dino_names=7, vocab_size=27, verbose=False):
    parameters = initialize_parameters(n_a, vocab_size, vocab_size)
    examples = [x.strip() for x in data_x]
    np.random.seed(0)
    np.random.shuffle(examples)
    a_prev = np.zeros((n_a, 1))
    last_dino_name = "abc"
    for j in range(num_iterations):
        X = [None] + [char_to_ix[c] for c in examples[j % len(examples)]]
        loss, _, a_prev = optimize(X, X[1:] + [char_to_ix["\n"]], a_prev, parameters, 0.01)
        if j % 2000 == 0:
            last_dino_name = sample_names(parameters, char_to_ix, ix_to_char, dino_names)[-1]
    return parameters, last_dino_name
