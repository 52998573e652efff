"""model returns a 12 MB name (of a symbol some cases do not have): a reply far larger than anything it was given."""
import numpy as np
from rnn_utils import *


def clip(gradients, maxValue):
    return {key: np.clip(gradients[key], -maxValue, maxValue) for key in ("dWaa", "dWax", "dWya", "db", "dby")}


def model(data_x, ix_to_char, char_to_ix, num_iterations=35000, n_a=50, dino_names=7, vocab_size=27, verbose=False):
    parameters = initialize_parameters(n_a, vocab_size, vocab_size)
    return parameters, "z" * (12 * 2**20)  # a symbol outside the small test vocabulary, too
