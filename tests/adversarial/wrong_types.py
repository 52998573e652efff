"""clip returns a list, sample returns characters as one string."""
import numpy as np
from rnn_utils import *

def clip(gradients, maxValue):
    return [np.clip(gradients[key], -maxValue, maxValue) for key in ("dWaa", "dWax", "dWya", "db", "dby")]


def sample(parameters, char_to_ix, seed):
    return "Trex\n"
