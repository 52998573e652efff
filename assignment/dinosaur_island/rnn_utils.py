"""Provided helpers for the Dinosaur Island assignment.

Everything in this file is given to you complete: the softmax, the loss bookkeeping, parameter
initialisation, the forward and backward passes of a vanilla RNN, and the gradient-descent update.
You implement `clip`, `sample`, `optimize` and `model` in the notebook, on top of these.

Shapes used throughout (one training example at a time):
    n_x = n_y = vocab_size   size of the vocabulary (27 for newline + a-z)
    n_a                      number of hidden units
    x  (n_x, 1)  one-hot input column (all zeros for the first step)
    a  (n_a, 1)  hidden state
    y  (n_y, 1)  probabilities of the next character

A sequence is given as a list of character indices. `X[0]` is `None`, which stands for the
all-zero input vector. The passes below never build one-hot vectors: multiplying a matrix by a
one-hot column only selects one of its columns, so they select the column directly. That gives
exactly the same numbers as the matrix product, only faster.
"""
import numpy as np


def softmax(x):
    """Column-wise softmax of x (n, m): every column becomes a probability vector."""
    e_x = np.exp(x - np.max(x, axis=0, keepdims=True))  # shift by the column max: no overflow
    return e_x / e_x.sum(axis=0)


def smooth(loss, cur_loss):
    """Exponential moving average of the loss, used to print a less noisy training curve."""
    return loss * 0.999 + cur_loss * 0.001


def get_initial_loss(vocab_size, seq_length):
    """Loss of a model that guesses uniformly, for seq_length characters."""
    return -np.log(1.0 / vocab_size) * seq_length


def get_sample(sample_ix, ix_to_char):
    """Turn sampled indices into a name: characters joined, first one capitalised.

    The trailing newline (the end-of-name symbol) is kept.
    """
    txt = ''.join(ix_to_char[ix] for ix in sample_ix)
    return txt[0].upper() + txt[1:]


def initialize_parameters(n_a, n_x, n_y):
    """Small random weights and zero biases. Seeds numpy with 1, so every run starts the same.

    Returns:
    parameters -- dict with Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), b (n_a, 1), by (n_y, 1)
    """
    np.random.seed(1)
    Wax = np.random.randn(n_a, n_x) * 0.01  # (n_a, n_x) input to hidden
    Waa = np.random.randn(n_a, n_a) * 0.01  # (n_a, n_a) hidden to hidden
    Wya = np.random.randn(n_y, n_a) * 0.01  # (n_y, n_a) hidden to output
    b = np.zeros((n_a, 1))                  # (n_a, 1)   hidden bias
    by = np.zeros((n_y, 1))                 # (n_y, 1)   output bias
    return {"Wax": Wax, "Waa": Waa, "Wya": Wya, "b": b, "by": by}


def rnn_step_forward(parameters, a_prev, x):
    """One time step: the next hidden state and the next-character probabilities.

    a_prev (n_a, 1) is the previous hidden state. x is the input: an index into the vocabulary,
    None for the all-zero input, or a one-hot column (n_x, 1).
    Returns a_next (n_a, 1) and p_t (n_y, 1).
    """
    Waa, Wax, Wya, by, b = parameters['Waa'], parameters['Wax'], parameters['Wya'], parameters['by'], parameters['b']
    pre = np.dot(Waa, a_prev)                      # (n_a, 1)
    if x is not None:
        pre = _input_term(Wax, x) + pre            # (n_a, 1) adds Wax @ x
    a_next = np.tanh(pre + b)                      # (n_a, 1)
    p_t = softmax(np.dot(Wya, a_next) + by)        # (n_y, 1)
    return a_next, p_t


def rnn_step_backward(dy, gradients, parameters, x, a, a_prev):
    """Add one time step's contribution to the gradients (in place) and pass da_next back.

    dy (n_y, 1) is y_hat - one_hot(label); x is that step's input (index, None or one-hot
    column); a and a_prev (n_a, 1) are that step's hidden state and the one before it.
    """
    gradients['dWya'] += np.dot(dy, a.T)                          # (n_y, n_a)
    gradients['dby'] += dy                                        # (n_y, 1)
    da = np.dot(parameters['Wya'].T, dy) + gradients['da_next']  # (n_a, 1) from output and future
    daraw = (1 - a * a) * da                                      # (n_a, 1) back through tanh
    gradients['db'] += daraw                                      # (n_a, 1)
    if x is None:
        pass                                                      # zero input: no dWax term
    elif isinstance(x, np.ndarray):
        gradients['dWax'] += np.dot(daraw, x.T)                   # (n_a, n_x)
    else:
        gradients['dWax'][:, [x]] += daraw                        # daraw @ one_hot(x).T: one column
    gradients['dWaa'] += np.dot(daraw, a_prev.T)                  # (n_a, n_a)
    gradients['da_next'] = np.dot(parameters['Waa'].T, daraw)     # (n_a, 1) to the previous step
    return gradients


def _input_term(Wax, x):
    """Wax @ x for an input given as an index (select one column) or as a column vector."""
    if isinstance(x, np.ndarray):
        return np.dot(Wax, x)  # (n_a, 1)
    return Wax[:, [x]]         # (n_a, 1): the product with a one-hot vector selects this column


def rnn_forward(X, Y, a0, parameters, vocab_size=None):
    """Run the RNN over one sequence and add up the cross-entropy loss.

    Arguments:
    X -- list of input indices; X[t] is None for the all-zero input
    Y -- list of label indices, same length as X
    a0 -- initial hidden state (n_a, 1)
    parameters -- dict of Wax, Waa, Wya, b, by
    vocab_size -- size of the vocabulary; taken from the shape of `by` when omitted (the passes
                  index the vocabulary directly, so it only has to agree with `by`)

    Returns:
    loss -- summed cross-entropy over the sequence (a float)
    cache -- (y_hat, a, x) for rnn_backward: dicts keyed by time step (a[-1] is a0); x holds
             the inputs as indices
    """
    if vocab_size is None:
        vocab_size = parameters['by'].shape[0]
    assert vocab_size == parameters['by'].shape[0], "vocab_size must match the shape of by"
    x, a, y_hat = {}, {}, {}
    a[-1] = np.copy(a0)  # (n_a, 1)
    loss = 0
    for t in range(len(X)):
        x[t] = X[t]
        a[t], y_hat[t] = rnn_step_forward(parameters, a[t - 1], x[t])  # (n_a, 1), (n_y, 1)
        loss -= np.log(y_hat[t][Y[t], 0])  # cross-entropy of the true next character
    return loss, (y_hat, a, x)


def rnn_backward(X, Y, parameters, cache):
    """Backpropagation through time over one sequence.

    Returns:
    gradients -- dict of dWax, dWaa, dWya, db, dby (same shapes as the parameters) and da_next
    a -- the hidden states from the cache, keyed by time step (a[len(X) - 1] is the last one)
    """
    y_hat, a, x = cache
    gradients = {'dWax': np.zeros_like(parameters['Wax']), 'dWaa': np.zeros_like(parameters['Waa']),
                 'dWya': np.zeros_like(parameters['Wya']), 'db': np.zeros_like(parameters['b']),
                 'dby': np.zeros_like(parameters['by']), 'da_next': np.zeros_like(a[0])}
    for t in reversed(range(len(X))):
        dy = np.copy(y_hat[t])  # (n_y, 1)
        dy[Y[t]] -= 1           # gradient of the loss with respect to the output scores
        gradients = rnn_step_backward(dy, gradients, parameters, x[t], a[t], a[t - 1])
    return gradients, a


def update_parameters(parameters, gradients, lr):
    """One step of gradient descent, in place: every parameter moves by -lr times its gradient."""
    parameters['Wax'] += -lr * gradients['dWax']
    parameters['Waa'] += -lr * gradients['dWaa']
    parameters['Wya'] += -lr * gradients['dWya']
    parameters['b'] += -lr * gradients['db']
    parameters['by'] += -lr * gradients['dby']
    return parameters
