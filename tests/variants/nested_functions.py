"""Correct, written differently: inner helper functions, np.put for the one-hot, np.random.choice(range(len(p)))."""
import copy

import numpy as np

from rnn_utils import *


def clip(gradients, maxValue):
    def bounded(array):
        return np.clip(array, -maxValue, maxValue, out=array)
    gradients = copy.deepcopy(gradients)
    return {"dWaa": bounded(gradients["dWaa"]), "dWax": bounded(gradients["dWax"]), "dWya": bounded(gradients["dWya"]),
            "db": bounded(gradients["db"]), "dby": bounded(gradients["dby"])}


def sample(parameters, char_to_ix, seed):
    def step(x, a_prev):
        a = np.tanh(np.dot(parameters["Wax"], x) + np.dot(parameters["Waa"], a_prev) + parameters["b"])
        return a, softmax(np.dot(parameters["Wya"], a) + parameters["by"])

    vocab_size = parameters["by"].shape[0]
    x, a = np.zeros((vocab_size, 1)), np.zeros((parameters["Waa"].shape[0], 1))
    newline = char_to_ix["\n"]
    indices, idx, counter = [], -1, 0
    while idx != newline and counter != 50:
        a, y = step(x, a)
        p = y.ravel()
        np.random.seed(counter + seed)
        idx = np.random.choice(range(len(p)), p=p)
        indices.append(idx)
        x = np.zeros((vocab_size, 1))
        np.put(x, idx, 1.0)
        seed += 1
        counter += 1
    if counter == 50:
        indices.append(newline)
    return indices


def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    loss, cache = rnn_forward(X, Y, a_prev, parameters)
    gradients, a = rnn_backward(X, Y, parameters, cache)
    gradients = clip(gradients, 5)
    parameters = update_parameters(parameters, gradients, learning_rate)
    T_x = len(X)
    return loss, gradients, a[T_x - 1]


def model(data_x, ix_to_char, char_to_ix, num_iterations=35000, n_a=50, dino_names=7, vocab_size=27, verbose=False):
    def training_pair(name):
        X = [None] + [char_to_ix[ch] for ch in name]
        return X, X[1:] + [char_to_ix["\n"]]

    parameters = initialize_parameters(n_a, vocab_size, vocab_size)
    loss = get_initial_loss(vocab_size, dino_names)
    examples = [x.strip() for x in data_x]
    np.random.seed(0)
    np.random.shuffle(examples)
    a_prev = np.zeros((n_a, 1))
    last_dino_name = "abc"
    for j in range(num_iterations):
        X, Y = training_pair(examples[j % len(examples)])
        curr_loss, gradients, a_prev = optimize(X, Y, a_prev, parameters, learning_rate=0.01)
        loss = smooth(loss, curr_loss)
        if j % 2000 == 0:
            for seed in range(dino_names):
                last_dino_name = get_sample(sample(parameters, char_to_ix, seed), ix_to_char)
    return parameters, last_dino_name
