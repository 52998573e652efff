"""The straightforward one-hot RNN passes: the baseline the provided helpers are measured against.

The same algorithm as `rnn_utils.rnn_forward` and `rnn_backward`, written as the classic course
writes it: one time step at a time, every input a full one-hot vector multiplied by `Wax`, every
gradient accumulated step by step. benchmarks/bench_model.py times both on the same training loop;
tests/test_rnn_utils.py shows they compute the same numbers (up to rounding in the last digits).
"""
import numpy as np


def softmax(x):
    e_x = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e_x / e_x.sum(axis=0)


def rnn_forward(X, Y, a0, parameters, vocab_size=None):
    """Forward pass with one-hot input vectors; returns (loss, cache) like rnn_utils.rnn_forward."""
    Waa, Wax, Wya, by, b = parameters['Waa'], parameters['Wax'], parameters['Wya'], parameters['by'], parameters['b']
    vocab_size = by.shape[0] if vocab_size is None else vocab_size
    x, a, y_hat = {}, {}, {}
    a[-1] = np.copy(a0)
    loss = 0
    for t in range(len(X)):
        x[t] = np.zeros((vocab_size, 1))                             # (n_x, 1)
        if X[t] is not None:
            x[t][X[t]] = 1
        a[t] = np.tanh(np.dot(Wax, x[t]) + np.dot(Waa, a[t - 1]) + b)  # (n_a, 1)
        y_hat[t] = softmax(np.dot(Wya, a[t]) + by)                   # (n_y, 1)
        loss -= np.log(y_hat[t][Y[t], 0])
    return loss, (y_hat, a, x)


def rnn_backward(X, Y, parameters, cache):
    """Backward pass with one-hot input vectors; returns (gradients, a) like rnn_utils.rnn_backward."""
    y_hat, a, x = cache
    Waa, Wax, Wya, by, b = parameters['Waa'], parameters['Wax'], parameters['Wya'], parameters['by'], parameters['b']
    gradients = {'dWax': np.zeros_like(Wax), 'dWaa': np.zeros_like(Waa), 'dWya': np.zeros_like(Wya),
                 'db': np.zeros_like(b), 'dby': np.zeros_like(by), 'da_next': np.zeros_like(a[0])}
    for t in reversed(range(len(X))):
        dy = np.copy(y_hat[t])
        dy[Y[t]] -= 1
        gradients['dWya'] += np.dot(dy, a[t].T)
        gradients['dby'] += dy
        da = np.dot(Wya.T, dy) + gradients['da_next']
        daraw = (1 - a[t] * a[t]) * da
        gradients['db'] += daraw
        gradients['dWax'] += np.dot(daraw, x[t].T)                   # (n_a, n_x) outer product with one-hot
        gradients['dWaa'] += np.dot(daraw, a[t - 1].T)
        gradients['da_next'] = np.dot(Waa.T, daraw)
    return gradients, a
