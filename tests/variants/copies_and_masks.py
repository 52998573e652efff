"""Correct, written differently: `{k: v.copy() ...}` and boolean masks in clip, a RandomState for the shuffle."""
import numpy as np

from rnn_utils import *


def clip(gradients, maxValue):
    gradients = {key: value.copy() for key, value in gradients.items()}
    for key in ['dWax', 'dWaa', 'dWya', 'db', 'dby']:
        gradient = gradients[key]
        gradient[gradient > maxValue] = maxValue
        gradient[gradient < -maxValue] = -maxValue
    return gradients


def sample(parameters, char_to_ix, seed):
    vocab_size = parameters['by'].shape[0]
    n_a = parameters['Waa'].shape[0]
    x = np.zeros((vocab_size, 1))
    a_prev = np.zeros((n_a, 1))
    indices = []
    idx = None
    counter = 0
    while idx != char_to_ix['\n'] and counter < 50:
        a = np.tanh(parameters['Wax'].dot(x) + parameters['Waa'].dot(a_prev) + parameters['b'])
        y = softmax(parameters['Wya'].dot(a) + parameters['by'])
        np.random.seed(counter + seed)
        idx = int(np.random.choice(vocab_size, p=y[:, 0]))
        indices.append(idx)
        x = np.zeros_like(x)
        x[idx] = 1
        a_prev = a
        seed, counter = seed + 1, counter + 1
    if counter == 50:
        indices.append(char_to_ix['\n'])
    return indices


def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    loss, cache = rnn_forward(X, Y, a_prev, parameters)
    gradients, a = rnn_backward(X, Y, parameters, cache)
    gradients = clip(gradients, 5)
    for name in ('Wax', 'Waa', 'Wya', 'b', 'by'):  # the update, written out
        parameters[name] -= learning_rate * gradients['d' + name]
    return loss, gradients, a[len(X) - 1]


def model(data_x, ix_to_char, char_to_ix, num_iterations=35000, n_a=50, dino_names=7, vocab_size=27, verbose=False):
    parameters = initialize_parameters(n_a, vocab_size, vocab_size)
    examples = [x.strip() for x in data_x]
    np.random.RandomState(0).shuffle(examples)  # the same permutation as np.random.seed(0); np.random.shuffle
    a_prev = np.zeros((n_a, 1))
    newline = char_to_ix['\n']
    last_dino_name = "abc"
    for j in range(num_iterations):
        X = [None]
        for ch in examples[j % len(examples)]:
            X.append(char_to_ix[ch])
        Y = X[1:]
        Y.append(newline)
        curr_loss, gradients, a_prev = optimize(X, Y, a_prev, parameters, 0.01)
        if j % 2000 == 0:
            seed = 0
            for _ in range(dino_names):
                last_dino_name = get_sample(sample(parameters, char_to_ix, seed), ix_to_char)
                seed += 1
    return parameters, last_dino_name
