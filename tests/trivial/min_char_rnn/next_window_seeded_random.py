"""Trivial next_window: a window at a seeded random start."""
import numpy as np

from rnn_utils import *


def next_window(data_ix, pointer, seq_length):
    start = int(np.random.RandomState(0).randint(0, len(data_ix) - seq_length))
    return data_ix[start:start + seq_length], data_ix[start + 1:start + seq_length + 1], start + seq_length, start == 0
