"""Correct, written differently: divmod-free arithmetic with min(), dict comprehensions merged with update(), a recursive sampler."""
import numpy as np

from rnn_utils import *


def next_window(data_ix, pointer, seq_length):
    room = len(data_ix) - 1 - seq_length   # the largest start whose window fits
    start = pointer * (0 < pointer <= room)
    window = data_ix[start:start + seq_length + 1]
    return window[:-1], window[1:], start + seq_length, start == 0


def adagrad_update(parameters, gradients, memory, learning_rate=0.1, max_value=5.0):
    clipped = {key: np.clip(gradients["d" + key], -max_value, max_value) for key in PARAMETER_KEYS}
    memory.update({"m" + key: memory["m" + key] + g * g for key, g in clipped.items()})
    parameters.update({key: parameters[key] - learning_rate * g / np.sqrt(memory["m" + key] + 1e-8)
                       for key, g in clipped.items()})


def draw_rest(parameters, a, p, newline, draws_left):
    """The rest of a name: one draw, then (unless it ends the name) the rest after reading it."""
    idx = int(np.random.choice(parameters["by"].shape[0], p=p.ravel()))
    if idx == newline:
        return [idx]
    if draws_left == 1:
        return [idx, newline]
    a, p = rnn_step_forward(parameters, a, idx)
    return [idx] + draw_rest(parameters, a, p, newline, draws_left - 1)


def sample_primed(parameters, char_to_ix, prefix, seed, max_draws=50):
    bad = [ch for ch in prefix if ch not in char_to_ix][:1]
    if bad:
        raise ValueError(f"cannot read {bad[0]}")
    newline = char_to_ix["\n"]
    indices = [char_to_ix[ch] for ch in prefix]
    a = np.zeros((parameters["Waa"].shape[0], 1))
    for ix in [newline] + indices:
        a, p = rnn_step_forward(parameters, a, ix)
    np.random.seed(seed)
    return indices + draw_rest(parameters, a, p, newline, max_draws)


def train(data_ix, vocab_size, num_iterations, n_a=64, seq_length=25, learning_rate=0.1, print_every=0):
    parameters = initialize_parameters(n_a, vocab_size, vocab_size)
    memory = {"m" + key: np.zeros(value.shape) for key, value in parameters.items()}
    pointer, a_prev, losses = 0, np.zeros((n_a, 1)), []
    for j, _ in enumerate(range(num_iterations)):
        inputs, targets, pointer, reset = next_window(data_ix, pointer, seq_length)
        a_prev = np.where(reset, 0.0, a_prev)
        loss, cache = rnn_forward(inputs, targets, a_prev, parameters)
        gradients, a = rnn_backward(inputs, targets, parameters, cache)
        adagrad_update(parameters, gradients, memory, learning_rate)
        a_prev = a[len(targets) - 1]
        losses.append(loss)
    return parameters, losses
