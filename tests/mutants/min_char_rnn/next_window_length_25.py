"""Mistake in next_window: the slices take 25 symbols, the notebook's window length.

seq_length is written as the number 25 in the slices, which only works for the notebook's windows.

Caught by: next_window.other_texts
"""
import numpy as np

from rnn_utils import *


# GRADED FUNCTION: next_window (the only one graded for this mutant)

def next_window(data_ix, pointer, seq_length):
    """
    The next window of the text, and where the window after it starts.

    Arguments:
    data_ix -- the whole text as a list of symbol indices (at least seq_length + 1 of them)
    pointer -- where this window should start (0 for the first window)
    seq_length -- number of inputs in a window

    Returns:
    inputs -- list of seq_length indices: data_ix from position start on
    targets -- list of seq_length indices: the symbol after each input
    pointer -- where the next window starts: start + seq_length
    reset -- True when this window starts at 0 (the first window, or the text was used up)
    """
    ### START CODE HERE ###
    # Step 1: start = pointer, or 0 when pointer is 0 or the window would not fit (about 3 lines)
    # Step 2: slice inputs and targets out of data_ix (2 lines)
    # The lines after this block read start, inputs and targets.
    start = pointer
    if pointer == 0 or pointer + seq_length + 1 > len(data_ix):
        start = 0
    inputs = data_ix[start:start + 25]
    targets = data_ix[start + 1:start + 25 + 1]
    ### END CODE HERE ###

    return inputs, targets, start + seq_length, start == 0
