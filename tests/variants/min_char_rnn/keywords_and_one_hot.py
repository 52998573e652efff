"""Correct, written differently: keyword arguments everywhere; the sampler steps by hand with one-hot columns and its own softmax."""
import numpy as np

from rnn_utils import *


def next_window(data_ix, pointer, seq_length):
    start = 0 if pointer == 0 or pointer > len(data_ix) - (seq_length + 1) else pointer
    end = start + seq_length
    return list(data_ix[start:end]), list(data_ix[start + 1:end + 1]), end, start == 0


def adagrad_update(parameters, gradients, memory, learning_rate=0.1, max_value=5.0):
    for key in PARAMETER_KEYS:
        g = np.clip(a=gradients["d" + key], a_min=-max_value, a_max=max_value)
        np.add(memory["m" + key], np.square(g), out=memory["m" + key])
        np.subtract(parameters[key], learning_rate * g / np.sqrt(memory["m" + key] + 1e-8), out=parameters[key])


def own_softmax(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


def sample_primed(parameters, char_to_ix, prefix, seed, max_draws=50):
    Wax, Waa, Wya, b, by = (parameters[k] for k in ("Wax", "Waa", "Wya", "b", "by"))
    vocab_size, n_a = by.shape[0], Waa.shape[0]
    for position, ch in enumerate(prefix):
        if ch not in char_to_ix:
            raise ValueError(f"character {position} of the prefix, {ch!r}, is not in char_to_ix")

    def step(a_prev, ix):
        x = np.zeros((vocab_size, 1))
        x[ix] = 1
        a_next = np.tanh(np.dot(Wax, x) + np.dot(Waa, a_prev) + b)
        return a_next, own_softmax(np.dot(Wya, a_next) + by)

    newline = char_to_ix["\n"]
    a = np.zeros((n_a, 1))
    a, p = step(a_prev=a, ix=newline)
    indices = []
    for ch in prefix:
        indices.append(char_to_ix[ch])
        a, p = step(a_prev=a, ix=char_to_ix[ch])
    np.random.seed(seed=seed)
    for _ in range(max_draws):
        idx = np.random.choice(a=vocab_size, p=p.ravel())
        indices.append(int(idx))
        if idx == newline:
            return indices
        a, p = step(a_prev=a, ix=idx)
    return indices + [newline]


def train(data_ix, vocab_size, num_iterations, n_a=64, seq_length=25, learning_rate=0.1, print_every=0):
    parameters = initialize_parameters(n_a=n_a, n_x=vocab_size, n_y=vocab_size)
    memory = {"m" + key: np.zeros(shape=value.shape) for key, value in parameters.items()}
    pointer, a_prev, losses = 0, np.zeros((n_a, 1)), []
    for _ in range(num_iterations):
        inputs, targets, pointer, reset = next_window(data_ix=data_ix, pointer=pointer, seq_length=seq_length)
        if reset:
            a_prev = np.zeros(shape=(n_a, 1))
        loss, cache = rnn_forward(X=inputs, Y=targets, a0=a_prev, parameters=parameters)
        gradients, a = rnn_backward(X=inputs, Y=targets, parameters=parameters, cache=cache)
        adagrad_update(parameters=parameters, gradients=gradients, memory=memory, learning_rate=learning_rate,
                       max_value=5.0)
        a_prev = a[len(inputs) - 1]
        losses.append(float(loss))
    return parameters, losses
