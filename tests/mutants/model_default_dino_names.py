"""Mistake in model: dino_names defaults to 10 instead of the stub's 7.

Every call that passes dino_names is right; the notebook's training cell, which leaves it out, samples
ten names each time instead of seven.

Caught by: model.defaults
"""
import copy

import numpy as np

from rnn_utils import *


# GRADED FUNCTION: model (the only one graded for this mutant)

def model(data_x, ix_to_char, char_to_ix, num_iterations=35000, n_a=50, dino_names=10, vocab_size=27, verbose=False):
    """
    Train the RNN on a list of names and sample new names along the way.

    Arguments:
    data_x -- list of names (strings), one training example each
    ix_to_char -- dict mapping an index to its character
    char_to_ix -- dict mapping a character to its index
    num_iterations -- number of training steps (one name per step)
    n_a -- number of hidden units
    dino_names -- number of names sampled every 2000 iterations
    vocab_size -- number of symbols in the vocabulary
    verbose -- print the first training example and the index at the wrap-around

    Returns:
    parameters -- the trained parameters (dict of Wax, Waa, Wya, b, by)
    last_dino_name -- the last name sampled, with its trailing newline
    """
    n_x, n_y = vocab_size, vocab_size

    ### START CODE HERE ###
    # Set-up: parameters, initial smoothed loss, stripped and shuffled examples, a_prev (about 6 lines)
    parameters = initialize_parameters(n_a, n_x, n_y)
    loss = get_initial_loss(vocab_size, dino_names)
    examples = [x.strip() for x in data_x]
    np.random.seed(0)
    np.random.shuffle(examples)
    a_prev = np.zeros((n_a, 1))
    ### END CODE HERE ###

    last_dino_name = "abc"

    for j in range(num_iterations):

        ### START CODE HERE ###
        # idx, X, Y for iteration j, then one optimize step that updates a_prev (about 6 lines)
        idx = j % len(examples)
        single_example_ix = [char_to_ix[ch] for ch in examples[idx]]
        X = [None] + single_example_ix
        ix_newline = char_to_ix['\n']
        Y = X[1:] + [ix_newline]
        curr_loss, gradients, a_prev = optimize(X, Y, a_prev, parameters, learning_rate=0.01)
        ### END CODE HERE ###

        if verbose and j in (0, len(examples) - 1, len(examples)):
            print("j =", j, "idx =", idx, "X =", X, "Y =", Y)

        loss = smooth(loss, curr_loss)

        if j % 2000 == 0:
            print('Iteration: %d, Loss: %f' % (j, loss) + '\n')
            seed = 0
            for name in range(dino_names):
                sampled_indices = sample(parameters, char_to_ix, seed)
                last_dino_name = get_sample(sampled_indices, ix_to_char)
                print(last_dino_name.replace('\n', ''))
                seed += 1
            print('\n')

    return parameters, last_dino_name
