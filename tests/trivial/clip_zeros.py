"""Trivial clip: zeros of the gradients' shapes."""
import numpy as np

from rnn_utils import *


def clip(gradients, maxValue):
    return {key: np.zeros_like(value) for key, value in gradients.items()}
