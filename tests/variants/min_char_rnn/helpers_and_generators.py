"""Correct, written differently: small helper functions, zip over shifted slices, np.where, state in a dict."""
import numpy as np

from rnn_utils import *


def window_start(length, pointer, seq_length):
    return pointer if pointer and pointer + seq_length < length else 0


def next_window(data_ix, pointer, seq_length):
    start = window_start(len(data_ix), pointer, seq_length)
    pairs = list(zip(data_ix[start:], data_ix[start + 1:]))[:seq_length]
    inputs = [x for x, _ in pairs]
    targets = [y for _, y in pairs]
    return inputs, targets, start + seq_length, start == 0


def clipped(gradient, bound):
    return np.where(gradient > bound, bound, np.where(gradient < -bound, -bound, gradient))


def adagrad_update(parameters, gradients, memory, learning_rate=0.1, max_value=5.0):
    for key, g_key, m_key in zip(PARAMETER_KEYS, ("dWax", "dWaa", "dWya", "db", "dby"),
                                 ("mWax", "mWaa", "mWya", "mb", "mby")):
        g = clipped(gradients[g_key], max_value)
        memory[m_key] += np.multiply(g, g)
        parameters[key] += -learning_rate * g / np.sqrt(memory[m_key] + 1e-8)


def read(parameters, a, symbols):
    p = None
    for ix in symbols:
        a, p = rnn_step_forward(parameters, a, ix)
    return a, p


def sample_primed(parameters, char_to_ix, prefix, seed, max_draws=50):
    vocab_size = parameters["by"].shape[0]
    newline = char_to_ix["\n"]
    missing = next((ch for ch in prefix if ch not in char_to_ix), None)
    if missing is not None:
        raise ValueError(f"prefix character {missing!r} is unknown")
    indices = [char_to_ix[ch] for ch in prefix]
    a, p = read(parameters, np.zeros((parameters["Waa"].shape[0], 1)), [newline, *indices])
    np.random.seed(seed)
    for _ in range(max_draws):
        idx = np.random.choice(vocab_size, p=p.ravel())
        indices.append(idx)
        if idx == newline:
            break
        a, p = read(parameters, a, [idx])
    if indices[-1] != newline:
        indices.append(newline)
    return indices


def train(data_ix, vocab_size, num_iterations, n_a=64, seq_length=25, learning_rate=0.1, print_every=0):
    parameters = initialize_parameters(n_a, vocab_size, vocab_size)
    memory = dict(("m" + key, 0 * value) for key, value in parameters.items())
    state = {"pointer": 0, "a": np.zeros((n_a, 1))}
    losses = []
    for _ in range(num_iterations):
        inputs, targets, state["pointer"], reset = next_window(data_ix, state["pointer"], seq_length)
        start_state = np.zeros((n_a, 1)) if reset else state["a"]
        loss, cache = rnn_forward(inputs, targets, start_state, parameters)
        gradients, a = rnn_backward(inputs, targets, parameters, cache)
        adagrad_update(parameters, gradients, memory, learning_rate)
        state["a"] = a[len(inputs) - 1]
        losses.append(loss)
    return parameters, losses
