"""Trivial next_window: empty windows, the pointer unchanged."""
import numpy as np

from rnn_utils import *


def next_window(data_ix, pointer, seq_length):
    return [], [], pointer, pointer == 0
