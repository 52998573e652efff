"""sample returns a lazy object (a generator) instead of a list."""
import numpy as np
from rnn_utils import *

def clip(gradients, maxValue):
    return {key: np.clip(gradients[key], -maxValue, maxValue) for key in ("dWaa", "dWax", "dWya", "db", "dby")}


def sample(parameters, char_to_ix, seed):
    return (index for index in [char_to_ix["a"], char_to_ix["\n"]])
