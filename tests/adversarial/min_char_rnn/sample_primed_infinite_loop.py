"""sample_primed never returns: a loop whose condition never changes."""
import numpy as np
from rnn_utils import *


def next_window(data_ix, pointer, seq_length):
    start = 0 if pointer == 0 or pointer + seq_length + 1 > len(data_ix) else pointer
    return data_ix[start:start + seq_length], data_ix[start + 1:start + seq_length + 1], start + seq_length, start == 0


def sample_primed(parameters, char_to_ix, prefix, seed, max_draws=50):
    draws = 0
    while draws != max_draws:
        seed += 1
    return [0]
