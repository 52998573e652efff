"""Correct, written differently: element-by-element loops in clip, `while True` with break in sample."""
import numpy as np

from rnn_utils import *


def clip(gradients, maxValue):
    clipped = {}
    for key in ("dWaa", "dWax", "dWya", "db", "dby"):
        array = np.array(gradients[key], dtype=np.float64)  # a copy
        for position in np.ndindex(*array.shape):
            if array[position] > maxValue:
                array[position] = maxValue
            elif array[position] < -maxValue:
                array[position] = -maxValue
        clipped[key] = array
    return clipped


def sample(parameters, char_to_ix, seed):
    Waa, Wax, Wya, by, b = parameters['Waa'], parameters['Wax'], parameters['Wya'], parameters['by'], parameters['b']
    vocab_size, n_a = by.shape[0], Waa.shape[1]
    newline = char_to_ix['\n']
    x, a_prev = np.zeros((vocab_size, 1)), np.zeros((n_a, 1))
    indices, counter = [], 0
    while True:
        a = np.tanh(np.dot(Wax, x) + np.dot(Waa, a_prev) + b)
        y = softmax(np.dot(Wya, a) + by)
        np.random.seed(counter + seed)
        idx = np.random.choice(range(vocab_size), p=y.ravel())
        indices.append(idx)
        seed += 1
        counter += 1
        if counter == 50:
            return indices + [newline]
        if idx == newline:
            return indices
        x = np.zeros((vocab_size, 1))
        x[idx] = 1
        a_prev = a


def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    forward = rnn_forward(X, Y, a_prev, parameters)
    loss, cache = forward[0], forward[1]
    backward = rnn_backward(X, Y, parameters, cache)
    gradients = clip(backward[0], 5)
    update_parameters(parameters, gradients, learning_rate)
    return loss, gradients, backward[1][len(X) - 1]


def model(data_x, ix_to_char, char_to_ix, num_iterations=35000, n_a=50, dino_names=7, vocab_size=27, verbose=False):
    n_x = n_y = vocab_size
    parameters = initialize_parameters(n_a, n_x, n_y)
    loss = get_initial_loss(vocab_size, dino_names)
    examples = []
    for line in data_x:
        examples.append(line.strip())
    np.random.seed(0)
    np.random.shuffle(examples)
    a_prev = np.zeros((n_a, 1))
    last_dino_name = "abc"
    j = 0
    while j < num_iterations:
        idx = j % len(examples)
        X = [None] + [char_to_ix[ch] for ch in examples[idx]]
        Y = X[1:] + [char_to_ix['\n']]
        curr_loss, gradients, a_prev = optimize(X, Y, a_prev, parameters, learning_rate=0.01)
        loss = smooth(loss, curr_loss)
        if j % 2000 == 0:
            print('Iteration: %d, Loss: %f' % (j, loss))
            for seed in range(dino_names):
                last_dino_name = get_sample(sample(parameters, char_to_ix, seed), ix_to_char)
                print(last_dino_name, end="")
        j += 1
    return parameters, last_dino_name
