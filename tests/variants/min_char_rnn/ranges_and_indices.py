"""Correct, written differently: index arithmetic with range(), a counter of draws, masks for the clipping."""
import numpy as np

from rnn_utils import *


def next_window(data_ix, pointer, seq_length):
    last_start = len(data_ix) - seq_length - 1
    start = pointer if 0 < pointer <= last_start else 0
    inputs = [data_ix[i] for i in range(start, start + seq_length)]
    targets = [data_ix[i + 1] for i in range(start, start + seq_length)]
    return inputs, targets, start + seq_length, start == 0


def adagrad_update(parameters, gradients, memory, learning_rate=0.1, max_value=5.0):
    for key in PARAMETER_KEYS:
        g = gradients["d" + key].copy()
        g[g > max_value] = max_value
        g[g < -max_value] = -max_value
        memory["m" + key] += g * g
        step = learning_rate * g / np.sqrt(memory["m" + key] + 1e-8)
        parameters[key] -= step


def sample_primed(parameters, char_to_ix, prefix, seed, max_draws=50):
    vocab_size = parameters["by"].shape[0]
    n_a = parameters["Waa"].shape[0]
    newline = char_to_ix["\n"]
    for ch in prefix:
        if ch not in char_to_ix.keys():
            raise ValueError("not in the vocabulary: %r" % ch)
    a = np.zeros((n_a, 1))
    symbols = [newline] + [char_to_ix[ch] for ch in prefix]
    for t in range(len(symbols)):
        a, p = rnn_step_forward(parameters, a, symbols[t])
    result = symbols[1:]
    np.random.seed(seed)
    counter = 0
    idx = -1
    while idx != newline and counter < max_draws:
        idx = int(np.random.choice(list(range(vocab_size)), p=p.ravel()))
        result.append(idx)
        counter += 1
        if idx != newline:
            a, p = rnn_step_forward(parameters, a, idx)
    if idx != newline:
        result.append(newline)
    return result


def train(data_ix, vocab_size, num_iterations, n_a=64, seq_length=25, learning_rate=0.1, print_every=0):
    parameters = initialize_parameters(n_a, vocab_size, vocab_size)
    memory = {"mWax": np.zeros_like(parameters["Wax"]), "mWaa": np.zeros_like(parameters["Waa"]),
              "mWya": np.zeros_like(parameters["Wya"]), "mb": np.zeros_like(parameters["b"]),
              "mby": np.zeros_like(parameters["by"])}
    pointer = 0
    a_prev = np.zeros((n_a, 1))
    losses = [0.0] * num_iterations
    for j in range(num_iterations):
        inputs, targets, pointer, reset = next_window(data_ix, pointer, seq_length)
        a0 = a_prev * 0 if reset else a_prev
        losses[j], cache = rnn_forward(inputs, targets, a0, parameters)
        gradients, a = rnn_backward(inputs, targets, parameters, cache)
        adagrad_update(parameters, gradients, memory, learning_rate)
        a_prev = a[seq_length - 1]
    return parameters, losses
