"""Trivial next_window: the whole text as inputs and targets (identity)."""
import numpy as np

from rnn_utils import *


def next_window(data_ix, pointer, seq_length):
    return data_ix, data_ix, pointer, False
