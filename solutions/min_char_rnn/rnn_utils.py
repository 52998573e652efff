"""Provided helpers for the min_char_rnn assignment: complete, nothing to change here.

They hold the model itself: a vanilla RNN read one window of text at a time. You write the data
pointer, the Adagrad update, the primed sampler and the training loop in the notebook, on top of them.

Shapes (n_x = n_y = vocab_size symbols, n_a hidden units, T = number of steps in a window):
    Wax (n_a, n_x)   Waa (n_a, n_a)   Wya (n_y, n_a)   b (n_a, 1)   by (n_y, 1)
    a hidden state (n_a, 1); p probabilities of the next symbol (n_y, 1)

A window is given as two lists of T symbol indices: X, the inputs, and Y, the targets (Y[t] is the
symbol that follows X[t] in the text). A matrix times a one-hot column is one column of the matrix,
so the passes below pick columns (Wax[:, X]) instead of building one-hot vectors.
"""
import numpy as np

PARAMETER_KEYS = ("Wax", "Waa", "Wya", "b", "by")


def softmax(x):
    """Column-wise softmax of x (n, m). Subtracting each column's maximum first keeps exp() finite:
    exp(1000) overflows to inf (and inf / inf is nan), exp(1000 - 1000) is 1."""
    shifted = np.exp(x - x.max(axis=0, keepdims=True))  # (n, m), every entry in (0, 1]
    return shifted / shifted.sum(axis=0, keepdims=True)


def smooth(loss, cur_loss):
    """Exponential moving average of the loss: 0.999 of the old value plus 0.001 of the new one."""
    return 0.999 * loss + 0.001 * cur_loss


def get_initial_loss(vocab_size, seq_length):
    """Loss of a window of seq_length symbols for a model that gives every symbol 1 / vocab_size."""
    return seq_length * np.log(vocab_size)


def initialize_parameters(n_a, n_x, n_y):
    """Small random weights (standard normal times 0.01, drawn in the order Wax, Waa, Wya right after
    np.random.seed(1)) and zero biases.

    Returns:
    parameters -- dict with Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), b (n_a, 1), by (n_y, 1)
    """
    np.random.seed(1)
    weights = {"Wax": (n_a, n_x), "Waa": (n_a, n_a), "Wya": (n_y, n_a)}
    parameters = {key: np.random.randn(*shape) * 0.01 for key, shape in weights.items()}
    parameters["b"], parameters["by"] = np.zeros((n_a, 1)), np.zeros((n_y, 1))
    return parameters


def rnn_step_forward(parameters, a_prev, ix):
    """Read one symbol: the next hidden state (n_a, 1) and the probabilities of the symbol after it (n_y, 1).

    a_prev (n_a, 1) is the hidden state before the step; ix is the index of the symbol read.
    """
    a_next = np.tanh(parameters["Wax"][:, [ix]] + parameters["b"] + np.dot(parameters["Waa"], a_prev))
    return a_next, softmax(np.dot(parameters["Wya"], a_next) + parameters["by"])


def rnn_forward(X, Y, a0, parameters):
    """Read a window and add up the cross-entropy of every target.

    Arguments:
    X -- list of T input indices
    Y -- list of T target indices
    a0 -- hidden state before the first step, (n_a, 1)
    parameters -- dict of Wax, Waa, Wya, b, by

    Returns:
    loss -- -sum over t of log(probability given to Y[t] at step t), a float
    cache -- what rnn_backward needs: the probabilities of every step, the hidden states and X
    """
    T = len(X)
    drive = (parameters["Wax"][:, X] + parameters["b"]).T  # (T, n_a): row t is step t's input and bias
    states = np.empty((T + 1, a0.shape[0]))                 # (T + 1, n_a): row 0 is a0, row t + 1 is a[t]
    states[0] = a0[:, 0]
    for t in range(T):
        states[t + 1] = np.tanh(drive[t] + np.dot(parameters["Waa"], states[t]))
    p = softmax(np.dot(parameters["Wya"], states[1:].T) + parameters["by"])  # (n_y, T)
    loss = -np.sum(np.log(p[Y, np.arange(T)]))
    return float(loss), (p, states, list(X))


def rnn_backward(X, Y, parameters, cache):
    """Backpropagation through time over the window.

    Returns:
    gradients -- dict of dWax, dWaa, dWya, db, dby: the gradient of the loss for each parameter,
                 same shapes as the parameters
    a -- the hidden states (n_a, 1), a dict keyed by step: a[-1] is a0, a[len(X) - 1] the last state
    """
    p, states, X = cache
    T = len(X)
    dz = np.copy(p)                                 # (n_y, T) gradient of the loss for the output scores
    dz[Y, np.arange(T)] -= 1
    from_output = np.dot(dz.T, parameters["Wya"])   # (T, n_a): row t is Wya.T @ dz[:, t]
    slope = 1 - states[1:] ** 2                     # (T, n_a): derivative of tanh at every step
    draw = np.empty_like(slope)                     # (T, n_a): gradient before tanh, every step
    carried = np.zeros(states.shape[1])             # (n_a,): what the later steps send back
    for t in reversed(range(T)):
        draw[t] = slope[t] * (from_output[t] + carried)
        carried = np.dot(draw[t], parameters["Waa"])  # Waa.T @ draw[t]
    inputs = np.zeros((T, parameters["Wax"].shape[1]))  # (T, n_x): row t is the one-hot of X[t]
    inputs[np.arange(T), X] = 1
    gradients = {"dWax": np.dot(draw.T, inputs), "dWaa": np.dot(draw.T, states[:-1]), "dWya": np.dot(dz, states[1:]),
                 "db": draw.sum(axis=0)[:, None], "dby": dz.sum(axis=1, keepdims=True)}
    return gradients, {t - 1: states[t][:, None] for t in range(T + 1)}


def indices_to_text(indices, ix_to_char):
    """The text the indices stand for, as one string."""
    return "".join(ix_to_char[int(ix)] for ix in indices)
