"""Mistake in train: carries a[-1], the state before the window.

a[-1] is the state the window started from, so the state never moves on.

Caught by: train.hidden_state
"""
import numpy as np

from rnn_utils import *


# GRADED FUNCTION: train (the only one graded for this mutant)

def train(data_ix, vocab_size, num_iterations, n_a=64, seq_length=25, learning_rate=0.1, print_every=0):
    """
    Train the RNN on consecutive windows of the text with Adagrad.

    Arguments:
    data_ix -- the whole text as a list of symbol indices
    vocab_size -- number of symbols in the vocabulary
    num_iterations -- number of windows to train on (one Adagrad step each)
    n_a -- number of hidden units
    seq_length -- number of inputs in a window
    learning_rate -- the Adagrad learning rate
    print_every -- print the smoothed loss every print_every iterations (0: never)

    Returns:
    parameters -- the trained parameters (dict of Wax, Waa, Wya, b, by)
    losses -- list of num_iterations floats: the loss of every window, before its update
    """
    ### START CODE HERE ###
    # Set-up: parameters, memory (zeros under the keys "m" + key), pointer and a_prev (about 4 lines).
    # The last line of train returns parameters.
    parameters = initialize_parameters(n_a, vocab_size, vocab_size)
    memory = {"m" + key: np.zeros_like(value) for key, value in parameters.items()}
    pointer = 0
    a_prev = np.zeros((n_a, 1))
    ### END CODE HERE ###

    losses = []
    smooth_loss = get_initial_loss(vocab_size, seq_length)
    for j in range(num_iterations):
        ### START CODE HERE ###
        # The next window (a_prev back to zeros on a reset), forward, backward, adagrad_update, then
        # carry the last hidden state in a_prev (about 7 lines). The lines below read loss.
        inputs, targets, pointer, reset = next_window(data_ix, pointer, seq_length)
        if reset:
            a_prev = np.zeros((n_a, 1))
        loss, cache = rnn_forward(inputs, targets, a_prev, parameters)
        gradients, a = rnn_backward(inputs, targets, parameters, cache)
        adagrad_update(parameters, gradients, memory, learning_rate)
        a_prev = a[-1]
        ### END CODE HERE ###

        losses.append(loss)
        smooth_loss = smooth(smooth_loss, loss)
        if print_every and j % print_every == 0:
            print(f"iteration {j}: smoothed loss {smooth_loss:.3f}")

    return parameters, losses
