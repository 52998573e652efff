"""Correct, written differently: itertools.cycle over the examples, keyword arguments everywhere, np.clip(a_min=...)."""
import itertools

import numpy as np

from rnn_utils import *


def clip(gradients, maxValue):
    return {key: np.clip(gradients[key], a_min=-maxValue, a_max=maxValue) for key in ["dWaa", "dWax", "dWya", "db", "dby"]}


def sample(parameters, char_to_ix, seed):
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    b, by = parameters["b"], parameters["by"]
    vocab_size, n_a = Wya.shape
    x = np.zeros(shape=(vocab_size, 1))
    a_prev = np.zeros(shape=(n_a, 1))
    indices, idx, counter = [], -1, 0
    while idx != char_to_ix["\n"] and counter != 50:
        a = np.tanh(np.matmul(Wax, x) + np.matmul(Waa, a_prev) + b)
        y = softmax(np.matmul(Wya, a) + by)
        np.random.seed(seed=seed + counter)
        idx = np.random.choice(a=vocab_size, p=np.squeeze(y, axis=1))
        indices.append(idx)
        a_prev = a
        x = np.zeros(shape=(vocab_size, 1))
        x[idx][0] = 1
        counter += 1
        seed += 1
    if counter == 50:
        indices.append(char_to_ix["\n"])
    return indices


def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    loss, cache = rnn_forward(X=X, Y=Y, a0=a_prev, parameters=parameters)
    gradients, a = rnn_backward(X=X, Y=Y, parameters=parameters, cache=cache)
    gradients = clip(gradients=gradients, maxValue=5)
    parameters = update_parameters(parameters=parameters, gradients=gradients, lr=learning_rate)
    return loss, gradients, a[len(Y) - 1]


def model(data_x, ix_to_char, char_to_ix, num_iterations=35000, n_a=50, dino_names=7, vocab_size=27, verbose=False):
    parameters = initialize_parameters(n_a=n_a, n_x=vocab_size, n_y=vocab_size)
    loss = get_initial_loss(vocab_size=vocab_size, seq_length=dino_names)
    examples = [x.strip() for x in data_x]
    np.random.seed(seed=0)
    np.random.shuffle(examples)
    a_prev = np.zeros(shape=(n_a, 1))
    last_dino_name = "abc"
    for j, example in zip(range(num_iterations), itertools.cycle(examples)):
        X = [None] + [char_to_ix[ch] for ch in example]
        Y = X[1:] + [char_to_ix["\n"]]
        curr_loss, gradients, a_prev = optimize(X, Y, a_prev, parameters, learning_rate=0.01)
        loss = smooth(loss=loss, cur_loss=curr_loss)
        if j % 2000 == 0:
            for seed in range(dino_names):
                last_dino_name = get_sample(sample_ix=sample(parameters, char_to_ix, seed), ix_to_char=ix_to_char)
    return parameters, last_dino_name
