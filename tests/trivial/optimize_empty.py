"""Trivial optimize: an empty tuple."""
import numpy as np

from rnn_utils import *


def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    return ()
