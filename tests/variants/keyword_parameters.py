"""Correct, written differently: model passes the parameters to optimize as a keyword argument (parameters=...).

While model is graded, optimize is the grader's: its in-place update must reach the dict the learner passed, whether
the dict was passed by position or by keyword.
"""
import copy

import numpy as np

from rnn_utils import *



# GRADED FUNCTION: clip

def clip(gradients, maxValue):
    """
    Clip every gradient element-wise to the interval [-maxValue, maxValue].

    Arguments:
    gradients -- dict with the gradients "dWaa" (n_a, n_a), "dWax" (n_a, n_x), "dWya" (n_y, n_a),
                 "db" (n_a, 1) and "dby" (n_y, 1)
    maxValue -- positive number: entries above it become maxValue, entries below -maxValue become -maxValue

    Returns:
    gradients -- a new dict with the same five keys and the clipped arrays
    """
    gradients = copy.deepcopy(gradients)  # work on a copy: the caller's gradients stay as they were

    dWaa, dWax, dWya, db, dby = gradients['dWaa'], gradients['dWax'], gradients['dWya'], gradients['db'], gradients['dby']

    ### START CODE HERE ###
    # Clip each of dWax, dWaa, dWya, db, dby in place (about 2 lines)
    for gradient in (dWax, dWaa, dWya, db, dby):
        np.clip(gradient, -maxValue, maxValue, out=gradient)
    ### END CODE HERE ###

    gradients = {"dWaa": dWaa, "dWax": dWax, "dWya": dWya, "db": db, "dby": dby}
    return gradients


# GRADED FUNCTION: sample

def sample(parameters, char_to_ix, seed):
    """
    Generate one name from the RNN, one character index at a time.

    Arguments:
    parameters -- dict with Waa (n_a, n_a), Wax (n_a, n_x), Wya (n_y, n_a), by (n_y, 1), b (n_a, 1)
    char_to_ix -- dict mapping each character of the vocabulary to its index
    seed -- integer that fixes the random draws, so the result can be checked

    Returns:
    indices -- list of the sampled indices (at most 51), always ending with the newline index
    """
    Waa, Wax, Wya, by, b = parameters['Waa'], parameters['Wax'], parameters['Wya'], parameters['by'], parameters['b']
    vocab_size = by.shape[0]
    n_a = Waa.shape[1]

    ### START CODE HERE ###
    # Step 1: the first input x is a zero column (vocab_size, 1); a_prev is a zero column (n_a, 1)
    # Then loop until the newline index is drawn or 50 indices have been drawn:
    #   Step 2: forward one step (a, z, y)
    #   Step 3: np.random.seed(counter + seed), then draw idx with np.random.choice and append it
    #   Step 4: x becomes the one-hot column of idx; a_prev becomes a; seed and counter go up by 1
    x = np.zeros((vocab_size, 1))   # (vocab_size, 1)
    a_prev = np.zeros((n_a, 1))     # (n_a, 1)
    indices = []
    idx = -1
    counter = 0
    newline_character = char_to_ix['\n']

    while idx != newline_character and counter != 50:
        a = np.tanh(np.dot(Wax, x) + np.dot(Waa, a_prev) + b)  # (n_a, 1)
        z = np.dot(Wya, a) + by                                # (vocab_size, 1)
        y = softmax(z)                                         # (vocab_size, 1)

        np.random.seed(counter + seed)
        idx = np.random.choice(range(vocab_size), p=y.ravel())
        indices.append(idx)

        x = np.zeros((vocab_size, 1))
        x[idx] = 1
        a_prev = a

        seed += 1
        counter += 1
    ### END CODE HERE ###

    if counter == 50:
        indices.append(char_to_ix['\n'])

    return indices


# GRADED FUNCTION: optimize

def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    """
    One step of stochastic gradient descent on one example, with clipped gradients.

    Arguments:
    X -- list of input indices (X[0] may be None for the all-zero input)
    Y -- list of label indices, X shifted one to the left
    a_prev -- hidden state before the first step, (n_a, 1)
    parameters -- dict with Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), b (n_a, 1), by (n_y, 1);
                  updated in place
    learning_rate -- step size of gradient descent

    Returns:
    loss -- the cross-entropy loss of this example before the update
    gradients -- dict with dWax, dWaa, dWya, db, dby, clipped to [-5, 5]
    a[len(X)-1] -- the last hidden state, (n_a, 1)
    """
    ### START CODE HERE ###
    # Forward pass, backward pass, clip to [-5, 5], update (about 4 lines)
    loss, cache = rnn_forward(X, Y, a_prev, parameters)
    gradients, a = rnn_backward(X, Y, parameters, cache)
    gradients = clip(gradients, 5)
    parameters = update_parameters(parameters, gradients, learning_rate)
    ### END CODE HERE ###

    return loss, gradients, a[len(X) - 1]


# GRADED FUNCTION: model

def model(data_x, ix_to_char, char_to_ix, num_iterations=35000, n_a=50, dino_names=7, vocab_size=27, verbose=False):
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
        curr_loss, gradients, a_prev = optimize(X, Y, a_prev, parameters=parameters, learning_rate=0.01)
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
