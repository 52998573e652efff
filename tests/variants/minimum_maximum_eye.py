"""Correct, written differently: np.minimum/np.maximum in clip, np.eye one-hots and `indices += [idx]` in sample."""
import copy

import numpy as np

from rnn_utils import *


def clip(gradients, maxValue):
    gradients = copy.deepcopy(gradients)
    for key in ("dWaa", "dWax", "dWya", "db", "dby"):
        gradients[key] = np.minimum(np.maximum(gradients[key], -maxValue), maxValue)
    return {key: gradients[key] for key in ("dWaa", "dWax", "dWya", "db", "dby")}


def sample(parameters, char_to_ix, seed):
    Waa, Wax, Wya, by, b = parameters['Waa'], parameters['Wax'], parameters['Wya'], parameters['by'], parameters['b']
    vocab_size, n_a = by.shape[0], Waa.shape[1]
    identity = np.eye(vocab_size)
    x, a_prev = np.zeros((vocab_size, 1)), np.zeros((n_a, 1))
    indices, idx, counter = [], -1, 0
    newline = char_to_ix['\n']
    while idx != newline and counter != 50:
        a = np.tanh(Wax @ x + Waa @ a_prev + b)
        y = softmax(Wya @ a + by)
        np.random.seed(counter + seed)
        idx = np.random.choice(np.arange(vocab_size), p=y.ravel())
        indices += [idx]
        x = identity[:, [idx]]
        a_prev = a
        seed += 1
        counter += 1
    if counter == 50:
        indices += [newline]
    return indices


def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    loss, cache = rnn_forward(X, Y, a_prev, parameters)
    gradients, a = rnn_backward(X, Y, parameters, cache)
    gradients = clip(gradients, 5)
    update_parameters(parameters, gradients, learning_rate)  # works in place
    return loss, gradients, a[len(X) - 1]


def model(data_x, ix_to_char, char_to_ix, num_iterations=35000, n_a=50, dino_names=7, vocab_size=27, verbose=False):
    parameters = initialize_parameters(n_a, vocab_size, vocab_size)
    loss = get_initial_loss(vocab_size, dino_names)
    examples = [x.strip() for x in data_x]
    np.random.seed(0)
    np.random.shuffle(examples)
    a_prev = np.zeros((n_a, 1))
    last_dino_name = "abc"
    for j in range(num_iterations):
        X = [None] + list(map(char_to_ix.get, examples[j % len(examples)]))
        Y = X[1:] + [char_to_ix['\n']]
        curr_loss, gradients, a_prev = optimize(X, Y, a_prev, parameters, learning_rate=0.01)
        loss = smooth(loss, curr_loss)
        if j % 2000 == 0:
            for seed in range(dino_names):
                last_dino_name = get_sample(sample(parameters, char_to_ix, seed), ix_to_char)
    return parameters, last_dino_name
