"""clip returns NaN and inf instead of clipped values."""
import numpy as np
from rnn_utils import *

def clip(gradients, maxValue):
    result = {key: np.full_like(gradients[key], np.nan) for key in ("dWaa", "dWax", "dWya", "db")}
    result["dby"] = np.full_like(gradients["dby"], np.inf)
    return result
