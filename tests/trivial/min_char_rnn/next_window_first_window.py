"""Trivial next_window: always the first window."""
import numpy as np

from rnn_utils import *


def next_window(data_ix, pointer, seq_length):
    return data_ix[:seq_length], data_ix[1:seq_length + 1], seq_length, True
