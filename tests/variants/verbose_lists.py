"""Correct, written differently: clip over gradients.items() into a new dict, names kept in a list, printing."""
import copy

import numpy as np

from rnn_utils import *


def clip(gradients, maxValue):
    clipped = {}
    for name, gradient in copy.deepcopy(gradients).items():
        np.clip(gradient, -maxValue, maxValue, out=gradient)
        clipped[name] = gradient
    return clipped


def sample(parameters, char_to_ix, seed):
    Waa, Wax, Wya, by, b = parameters['Waa'], parameters['Wax'], parameters['Wya'], parameters['by'], parameters['b']
    vocab_size = by.shape[0]
    n_a = Waa.shape[1]
    x = np.zeros((vocab_size, 1))
    a_prev = np.zeros((n_a, 1))
    indices = []
    idx = -1
    counter = 0
    newline_character = char_to_ix['\n']
    while idx != newline_character and counter != 50:
        z_a = np.dot(Wax, x) + np.dot(Waa, a_prev) + b
        a = np.tanh(z_a)
        y = softmax(np.dot(Wya, a) + by)
        np.random.seed(counter + seed)
        idx = np.random.choice(range(len(y)), p=y.ravel())
        indices.append(idx)
        x = np.zeros((vocab_size, 1))
        x[idx] = 1
        a_prev = a
        seed += 1
        counter += 1
    if counter == 50:
        indices.append(newline_character)
    return indices


def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    loss, cache = rnn_forward(X, Y, a_prev, parameters)
    gradients, a = rnn_backward(X, Y, parameters, cache)
    gradients = clip(gradients, 5)
    parameters = update_parameters(parameters, gradients, learning_rate)
    return loss, gradients, a[len(X) - 1]


def model(data_x, ix_to_char, char_to_ix, num_iterations=35000, n_a=50, dino_names=7, vocab_size=27, verbose=False):
    parameters = initialize_parameters(n_a, vocab_size, vocab_size)
    loss = get_initial_loss(vocab_size, dino_names)
    examples = [x.strip() for x in data_x]
    np.random.seed(0)
    np.random.shuffle(examples)
    a_prev = np.zeros((n_a, 1))
    last_dino_name = "abc"
    history = []
    for j in range(num_iterations):
        idx = j % len(examples)
        X = [None] + [char_to_ix[ch] for ch in examples[idx]]
        Y = X[1:] + [char_to_ix['\n']]
        if verbose:
            print("j =", j, "idx =", idx, "X =", X, "Y =", Y)
        curr_loss, gradients, a_prev = optimize(X, Y, a_prev, parameters, learning_rate=0.01)
        loss = smooth(loss, curr_loss)
        history.append(loss)
        if j % 2000 == 0:
            print(f"Iteration: {j}, Loss: {loss:f}")
            names = []
            for seed in range(dino_names):
                names.append(get_sample(sample(parameters, char_to_ix, seed), ix_to_char))
            print("".join(name.capitalize() for name in names))
            last_dino_name = names[-1]
    return parameters, last_dino_name
