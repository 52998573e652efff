"""Correct, written differently: tuples instead of lists, the caller's gradients clipped in place, copies of the state."""
import numpy as np

from rnn_utils import *


def next_window(data_ix, pointer, seq_length):
    start = pointer
    if not pointer or len(data_ix) - pointer <= seq_length:
        start = 0
    inputs, targets = tuple(data_ix[start:start + seq_length]), tuple(data_ix[start + 1:start + seq_length + 1])
    return inputs, targets, start + seq_length, start == 0


def adagrad_update(parameters, gradients, memory, learning_rate=0.1, max_value=5.0):
    for key in PARAMETER_KEYS:
        g = gradients["d" + key]
        np.clip(g, -max_value, max_value, out=g)
        memory["m" + key] += g ** 2
        parameters[key] -= learning_rate * g / np.sqrt(memory["m" + key] + 1e-8)


def sample_primed(parameters, char_to_ix, prefix, seed, max_draws=50):
    for ch in prefix:
        if char_to_ix.get(ch) is None:
            raise ValueError(f"{ch} is not a character of the vocabulary")
    vocab_size = parameters["by"].shape[0]
    newline = char_to_ix["\n"]
    a = np.zeros((parameters["Waa"].shape[0], 1))
    a, p = rnn_step_forward(parameters, a.copy(), newline)
    for ch in prefix:
        a, p = rnn_step_forward(parameters, a.copy(), char_to_ix[ch])
    np.random.seed(seed)
    drawn = tuple()
    for _ in range(max_draws):
        idx = np.random.choice(vocab_size, p=p.ravel())
        drawn += (int(idx),)
        if idx == newline:
            break
        a, p = rnn_step_forward(parameters, a.copy(), int(idx))
    if drawn[-1] != newline:
        drawn += (newline,)
    return [char_to_ix[ch] for ch in prefix] + list(drawn)


def train(data_ix, vocab_size, num_iterations, n_a=64, seq_length=25, learning_rate=0.1, print_every=0):
    parameters = initialize_parameters(n_a, vocab_size, vocab_size)
    memory = {"m" + key: np.zeros(parameters[key].shape, dtype=np.float64) for key in PARAMETER_KEYS}
    pointer = 0
    carried = np.zeros((n_a, 1))
    losses = []
    for j in range(num_iterations):
        inputs, targets, pointer, reset = next_window(data_ix, pointer, seq_length)
        if reset:
            carried = np.zeros((n_a, 1))
        loss, cache = rnn_forward(list(inputs), list(targets), carried.copy(), parameters)
        gradients, a = rnn_backward(list(inputs), list(targets), parameters, cache)
        adagrad_update(parameters, gradients, memory, learning_rate)
        carried = a[len(inputs) - 1].copy()
        losses.append(loss)
        if print_every > 0 and j % print_every == 0:
            print("iteration", j, "loss", loss)
    return parameters, losses
