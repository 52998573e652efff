"""Trivial next_window: windows of zeros, the pointer moved on."""
import numpy as np

from rnn_utils import *


def next_window(data_ix, pointer, seq_length):
    return [0] * seq_length, [0] * seq_length, pointer + seq_length, False
