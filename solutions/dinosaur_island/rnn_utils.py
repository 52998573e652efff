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
all-zero input vector. `rnn_forward` and `rnn_backward` keep the time steps of one sequence in
stacks: an array (T, n, 1) holds one (n, 1) column per time step, so `y_hat[t]` is step t's column.
Only the recurrence itself (a<t> needs a<t-1>) goes one step at a time; everything else is one
matrix product for all steps at once, which gives the same numbers as step by step (up to rounding
in the last digit) in far fewer numpy calls.
"""
import numpy as np


def softmax(x):
    """Column-wise softmax of x (n, m), or of every matrix in a stack (T, n, m): each column sums to 1."""
    e_x = np.exp(x - np.max(x, axis=-2, keepdims=True))  # shift by the column max: no overflow
    return e_x / e_x.sum(axis=-2, keepdims=True)


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


def _one_hot(X, n_x):
    """The inputs of a sequence as a stack of one-hot columns (T, n_x, 1); None gives a column of zeros."""
    x = np.zeros((len(X), n_x, 1))  # (T, n_x, 1)
    for t, ix in enumerate(X):
        if ix is not None:
            x[t, ix, 0] = 1
    return x


def _sum_over_steps(u, v):
    """The sum over time steps of u[t] @ v[t].T, for stacks u (T, n, 1) and v (T, m, 1): one product (n, m)."""
    return np.dot(u[:, :, 0].T, v[:, :, 0])  # (n, T) @ (T, m)


def rnn_forward(X, Y, a0, parameters, vocab_size=None):
    """Run the RNN over one sequence and add up the cross-entropy loss.

    Arguments:
    X -- list of input indices; X[t] is None for the all-zero input
    Y -- list of label indices, same length as X
    a0 -- initial hidden state (n_a, 1)
    parameters -- dict of Wax, Waa, Wya, b, by
    vocab_size -- size of the vocabulary; taken from the shape of `by` when omitted (it only has
                  to agree with `by`)

    Returns:
    loss -- summed cross-entropy over the sequence (a float)
    cache -- (y_hat, a, x) for rnn_backward: y_hat (T, n_y, 1) and x (T, n_x, 1) are stacks (y_hat[t]
             is step t's column), a is a dict of hidden states (n_a, 1) keyed by time step (a[-1] is a0)
    """
    if vocab_size is None:
        vocab_size = parameters['by'].shape[0]
    assert vocab_size == parameters['by'].shape[0], "vocab_size must match the shape of by"
    Waa, Wax, Wya, by, b = parameters['Waa'], parameters['Wax'], parameters['Wya'], parameters['by'], parameters['b']
    x = _one_hot(X, vocab_size)                             # (T, n_x, 1)
    inputs = np.matmul(Wax, x) + b                          # (T, n_a, 1) Wax x<t> + b, every step at once
    states = np.zeros((len(X), a0.shape[0], 1))             # (T, n_a, 1)
    a_prev = a0
    for t in range(len(X)):                                 # the recurrence: a<t> needs a<t-1>
        states[t] = np.tanh(inputs[t] + np.dot(Waa, a_prev))  # (n_a, 1)
        a_prev = states[t]
    y_hat = softmax(np.matmul(Wya, states) + by)            # (T, n_y, 1) every step at once
    loss = -np.sum(np.log(y_hat[np.arange(len(X)), Y, 0]))  # cross-entropy of the true next characters
    a = dict(enumerate(states))                             # a[t] (n_a, 1) for t = 0 .. T-1
    a[-1] = np.copy(a0)                                     # (n_a, 1)
    return loss, (y_hat, a, x)


def rnn_backward(X, Y, parameters, cache):
    """Backpropagation through time over one sequence.

    Returns:
    gradients -- dict of dWax, dWaa, dWya, db, dby (same shapes as the parameters) and da_next
    a -- the hidden states from the cache, keyed by time step (a[len(X) - 1] is the last one)
    """
    y_hat, a, x = cache
    Waa, Wya = parameters['Waa'], parameters['Wya']
    history = np.stack([a[t] for t in range(-1, len(X))])  # (T+1, n_a, 1) a0, a<0>, ..., a<T-1>
    before, states = history[:-1], history[1:]             # (T, n_a, 1) a<t-1> and a<t>
    dy = np.copy(y_hat)                                    # (T, n_y, 1)
    dy[np.arange(len(X)), Y, 0] -= 1                       # (T, n_y, 1) y_hat - one_hot(Y): d loss / d scores
    da_out = np.matmul(Wya.T, dy)                          # (T, n_a, 1) from each output, every step at once
    dtanh = 1 - states * states                            # (T, n_a, 1) derivative of tanh
    daraw = np.zeros_like(states)                          # (T, n_a, 1)
    da_next = np.zeros_like(a[-1])                         # (n_a, 1)
    for t in reversed(range(len(X))):                      # back through time: step t needs step t+1
        daraw[t] = dtanh[t] * (da_out[t] + da_next)        # (n_a, 1)
        da_next = np.dot(Waa.T, daraw[t])                  # (n_a, 1) to the previous step
    gradients = {'dWax': _sum_over_steps(daraw, x),       # (n_a, n_x)
                 'dWaa': _sum_over_steps(daraw, before),  # (n_a, n_a)
                 'dWya': _sum_over_steps(dy, states),     # (n_y, n_a)
                 'db': daraw.sum(axis=0),                 # (n_a, 1)
                 'dby': dy.sum(axis=0),                   # (n_y, 1)
                 'da_next': da_next}                      # (n_a, 1)
    return gradients, a


def update_parameters(parameters, gradients, lr):
    """One step of gradient descent, in place: every parameter moves by -lr times its gradient."""
    parameters['Wax'] += -lr * gradients['dWax']
    parameters['Waa'] += -lr * gradients['dWaa']
    parameters['Wya'] += -lr * gradients['dWya']
    parameters['b'] += -lr * gradients['db']
    parameters['by'] += -lr * gradients['dby']
    return parameters
