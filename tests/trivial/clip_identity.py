"""Trivial clip: returns the caller's dict itself."""
import numpy as np

from rnn_utils import *


def clip(gradients, maxValue):
    return gradients
