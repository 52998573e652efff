"""Correct, written differently: a dict comprehension with np.where in clip, a `for` loop with break in sample."""
import numpy as np

from rnn_utils import *


def clip(gradients, maxValue):
    return {key: np.where(value > maxValue, maxValue, np.where(value < -maxValue, -maxValue, value))
            for key, value in gradients.items() if key in ("dWaa", "dWax", "dWya", "db", "dby")}


def sample(parameters, char_to_ix, seed):
    Waa, Wax, Wya, by, b = parameters['Waa'], parameters['Wax'], parameters['Wya'], parameters['by'], parameters['b']
    vocab_size, n_a = by.shape[0], Waa.shape[1]
    newline = char_to_ix['\n']
    x, a_prev = np.zeros((vocab_size, 1)), np.zeros((n_a, 1))
    indices = []
    for counter in range(50):
        a = np.tanh(np.dot(Wax, x) + np.dot(Waa, a_prev) + b)
        y = softmax(np.dot(Wya, a) + by)
        np.random.seed(seed + 2 * counter)  # seed and counter both go up by one per draw
        idx = np.random.choice(list(range(vocab_size)), p=y.ravel())
        indices.append(idx)
        if idx == newline:
            break
        x = np.zeros((vocab_size, 1))
        x[idx, 0] = 1.0
        a_prev = a
    if len(indices) == 50:
        indices.append(newline)  # the cap was reached (even if the 50th draw was the newline)
    return indices


def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    loss, cache = rnn_forward(X, Y, a_prev, parameters)
    gradients, a = rnn_backward(X, Y, parameters, cache)
    clipped = clip(gradients, maxValue=5)
    parameters = update_parameters(parameters, clipped, learning_rate)
    last = max(t for t in a)  # the keys are -1, 0, ..., len(X)-1
    return loss, clipped, a[last]


def model(data_x, ix_to_char, char_to_ix, num_iterations=35000, n_a=50, dino_names=7, vocab_size=27, verbose=False):
    parameters = initialize_parameters(n_a, vocab_size, vocab_size)
    examples = [name.strip() for name in data_x]
    np.random.seed(0)
    np.random.shuffle(examples)
    a_prev = np.zeros([n_a, 1])
    last_dino_name = "abc"
    for j in range(num_iterations):
        example = examples[j % len(examples)]
        X = [None] + [char_to_ix[ch] for ch in example]
        Y = X[1:] + [char_to_ix['\n']]
        _, _, a_prev = optimize(X, Y, a_prev, parameters)  # the default learning rate is 0.01
        if j % 2000 == 0:
            names = [get_sample(sample(parameters, char_to_ix, seed), ix_to_char) for seed in range(dino_names)]
            last_dino_name = names[-1]
    return parameters, last_dino_name
