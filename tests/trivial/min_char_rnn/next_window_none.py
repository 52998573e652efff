"""Trivial next_window: returns None."""
import numpy as np

from rnn_utils import *


def next_window(data_ix, pointer, seq_length):
    return None
