"""sample allocates memory until none is left."""
import numpy as np
from rnn_utils import *

def clip(gradients, maxValue):
    return {key: np.clip(gradients[key], -maxValue, maxValue) for key in ("dWaa", "dWax", "dWya", "db", "dby")}


def sample(parameters, char_to_ix, seed):
    hoard = []
    while True:
        hoard.append(bytearray(16 * 2**20))
