"""Correct, written differently: early returns, the steps computed before any update, np.random.RandomState for the draws."""
import numpy as np

from rnn_utils import *


def next_window(data_ix, pointer, seq_length):
    if pointer == 0 or pointer + seq_length + 1 > len(data_ix):
        return data_ix[:seq_length], data_ix[1:seq_length + 1], seq_length, True
    return data_ix[pointer:pointer + seq_length], data_ix[pointer + 1:pointer + seq_length + 1], pointer + seq_length, False


def adagrad_update(parameters, gradients, memory, learning_rate=0.1, max_value=5.0):
    steps = {}
    for key in PARAMETER_KEYS:
        g = np.clip(gradients[f"d{key}"], -max_value, max_value)
        memory[f"m{key}"] += g * g
        steps[key] = g / np.sqrt(memory[f"m{key}"] + 1e-8)
    for key, step in steps.items():
        parameters[key] -= learning_rate * step


def sample_primed(parameters, char_to_ix, prefix, seed, max_draws=50):
    for ch in prefix:
        if ch not in char_to_ix:
            raise ValueError(repr(ch))
    newline = char_to_ix["\n"]
    a = np.zeros((parameters["Waa"].shape[0], 1))
    for ix in [newline] + [char_to_ix[ch] for ch in prefix]:
        a, p = rnn_step_forward(parameters, a, ix)
    random = np.random.RandomState(seed)
    indices = [char_to_ix[ch] for ch in prefix]
    for _ in range(max_draws):
        idx = int(random.choice(range(parameters["by"].shape[0]), p=p.ravel()))
        indices.append(idx)
        if idx == newline:
            return indices
        a, p = rnn_step_forward(parameters, a, idx)
    indices.append(newline)
    return indices


def train(data_ix, vocab_size, num_iterations, n_a=64, seq_length=25, learning_rate=0.1, print_every=0):
    parameters = initialize_parameters(n_a, vocab_size, vocab_size)
    memory = {"m" + key: np.zeros_like(value) for key, value in parameters.items()}
    pointer, losses = 0, []
    a_prev = np.zeros((n_a, 1))
    for _ in range(num_iterations):
        inputs, targets, pointer, reset = next_window(data_ix, pointer, seq_length)
        if reset:
            a_prev = np.zeros((n_a, 1))
        loss, cache = rnn_forward(inputs, targets, a_prev, parameters)
        gradients, a = rnn_backward(inputs, targets, parameters, cache)
        adagrad_update(parameters, gradients, memory, learning_rate)
        a_prev = np.array(a[len(inputs) - 1])
        losses.append(loss)
    return parameters, losses
