"""Trivial next_window: the indices 0 to seq_length - 1 and 1 to seq_length."""
import numpy as np

from rnn_utils import *


def next_window(data_ix, pointer, seq_length):
    return list(range(seq_length)), list(range(1, seq_length + 1)), seq_length, True
