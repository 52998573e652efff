"""sample raises KeyboardInterrupt, as if someone pressed Ctrl-C."""
import numpy as np
from rnn_utils import *

def clip(gradients, maxValue):
    return {key: np.clip(gradients[key], -maxValue, maxValue) for key in ("dWaa", "dWax", "dWya", "db", "dby")}


def sample(parameters, char_to_ix, seed):
    raise KeyboardInterrupt
