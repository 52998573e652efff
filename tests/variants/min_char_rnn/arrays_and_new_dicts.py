"""Correct, written differently: numpy slices, new arrays stored in the dicts, np.minimum/np.maximum, ** 0.5."""
import numpy as np

from rnn_utils import *


def next_window(data_ix, pointer, seq_length):
    text = np.asarray(data_ix)
    fits = 0 < pointer <= len(text) - seq_length - 1
    start = pointer if fits else 0
    return text[start:start + seq_length], text[start + 1:start + 1 + seq_length], start + seq_length, not fits


def adagrad_update(parameters, gradients, memory, learning_rate=0.1, max_value=5.0):
    for key in parameters:
        if key not in PARAMETER_KEYS:
            continue
        g = np.minimum(np.maximum(gradients["d" + key], -max_value), max_value)
        memory["m" + key] = memory["m" + key] + g ** 2
        parameters[key] = parameters[key] - learning_rate * (g / (memory["m" + key] + 1e-8) ** 0.5)


def sample_primed(parameters, char_to_ix, prefix, seed, max_draws=50):
    unknown = [ch for ch in prefix if ch not in char_to_ix]
    if unknown:
        raise ValueError(f"{unknown[0]} is not in the vocabulary")
    newline = char_to_ix["\n"]
    a = np.zeros((parameters["Waa"].shape[0], 1))
    for ch in "\n" + prefix:
        a, p = rnn_step_forward(parameters, a, char_to_ix[ch])
    generator = np.random.RandomState(seed)
    drawn = []
    for _ in range(max_draws):
        drawn.append(int(generator.choice(parameters["by"].shape[0], p=p[:, 0])))
        if drawn[-1] == newline:
            break
        a, p = rnn_step_forward(parameters, a, drawn[-1])
    else:
        drawn.append(newline)
    return [char_to_ix[ch] for ch in prefix] + drawn


def train(data_ix, vocab_size, num_iterations, n_a=64, seq_length=25, learning_rate=0.1, print_every=0):
    parameters = initialize_parameters(n_a, vocab_size, vocab_size)
    memory = {f"m{key}": np.zeros_like(parameters[key]) for key in PARAMETER_KEYS}
    pointer = 0
    a_prev = None
    losses = []
    for j in range(num_iterations):
        inputs, targets, pointer, reset = next_window(data_ix, pointer, seq_length)
        a_prev = np.zeros((n_a, 1)) if reset or a_prev is None else a_prev
        loss, cache = rnn_forward(inputs, targets, a_prev, parameters)
        gradients, states = rnn_backward(inputs, targets, parameters, cache)
        adagrad_update(parameters, gradients, memory, learning_rate=learning_rate)
        a_prev = states[max(states)]
        losses.append(loss)
    return parameters, losses
