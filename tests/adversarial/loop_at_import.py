"""Training left at the top level of the file: the cell is stopped at its time limit, what it defined before stays."""
import numpy as np
from rnn_utils import *

def clip(gradients, maxValue):
    return {key: np.clip(gradients[key], -maxValue, maxValue) for key in ("dWaa", "dWax", "dWya", "db", "dby")}


while True:
    pass
