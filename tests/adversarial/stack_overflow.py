"""sample lifts the recursion limit and recurses through C code until the C stack overflows (a segfault)."""
import sys

import numpy as np
from rnn_utils import *


def clip(gradients, maxValue):
    return {key: np.clip(gradients[key], -maxValue, maxValue) for key in ("dWaa", "dWax", "dWya", "db", "dby")}


def sample(parameters, char_to_ix, seed):
    sys.setrecursionlimit(10**8)

    def deeper(n):
        return max([n], key=lambda m: deeper(m + 1))

    return deeper(0)
