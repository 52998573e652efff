"""Correct, written differently: while loops and element-by-element updates."""
import numpy as np

from rnn_utils import *


def next_window(data_ix, pointer, seq_length):
    start = pointer
    if start + seq_length >= len(data_ix):  # the last target would be past the end
        start = 0
    inputs, targets = [], []
    position = start
    while position < start + seq_length:
        inputs.append(data_ix[position])
        targets.append(data_ix[position + 1])
        position += 1
    return inputs, targets, start + seq_length, start == 0


def adagrad_update(parameters, gradients, memory, learning_rate=0.1, max_value=5.0):
    for key in ("Wax", "Waa", "Wya", "b", "by"):
        gradient, mem, parameter = gradients["d" + key], memory["m" + key], parameters[key]
        for position in np.ndindex(*parameter.shape):
            g = min(max(gradient[position], -max_value), max_value)
            mem[position] += g * g
            parameter[position] -= learning_rate * g / np.sqrt(mem[position] + 1e-8)


def sample_primed(parameters, char_to_ix, prefix, seed, max_draws=50):
    vocab_size = parameters["by"].shape[0]
    n_a = parameters["Waa"].shape[0]
    newline = char_to_ix["\n"]
    for ch in prefix:
        if ch not in char_to_ix:
            raise ValueError("unknown character: " + ch)
    a = np.zeros((n_a, 1))
    a, p = rnn_step_forward(parameters, a, newline)
    indices = []
    for ch in prefix:
        indices.append(char_to_ix[ch])
        a, p = rnn_step_forward(parameters, a, char_to_ix[ch])
    np.random.seed(seed)
    draws = 0
    while True:
        idx = np.random.choice(range(vocab_size), p=p.ravel())
        indices.append(idx)
        draws += 1
        if idx == newline or draws == max_draws:
            break
        a, p = rnn_step_forward(parameters, a, idx)
    if indices[-1] != newline:
        indices.append(newline)
    return indices


def train(data_ix, vocab_size, num_iterations, n_a=64, seq_length=25, learning_rate=0.1, print_every=0):
    parameters = initialize_parameters(n_a, vocab_size, vocab_size)
    memory = {}
    for key in PARAMETER_KEYS:
        memory["m" + key] = np.zeros(parameters[key].shape)
    pointer, a_prev = 0, np.zeros((n_a, 1))
    losses = []
    smooth_loss = get_initial_loss(vocab_size, seq_length)
    j = 0
    while j < num_iterations:
        inputs, targets, pointer, reset = next_window(data_ix, pointer, seq_length)
        if reset:
            a_prev = np.zeros((n_a, 1))
        loss, cache = rnn_forward(inputs, targets, a_prev, parameters)
        gradients, a = rnn_backward(inputs, targets, parameters, cache)
        adagrad_update(parameters, gradients, memory, learning_rate)
        a_prev = a[len(inputs) - 1]
        losses.append(loss)
        smooth_loss = smooth(smooth_loss, loss)
        if print_every and j % print_every == 0:
            print(f"iteration {j}: smoothed loss {smooth_loss:.3f}")
        j += 1
    return parameters, losses
