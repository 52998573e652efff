"""sample recurses without end (Python's recursion limit stops it)."""
import numpy as np
from rnn_utils import *

def clip(gradients, maxValue):
    return {key: np.clip(gradients[key], -maxValue, maxValue) for key in ("dWaa", "dWax", "dWya", "db", "dby")}


def sample(parameters, char_to_ix, seed):
    return sample(parameters, char_to_ix, seed + 1)
