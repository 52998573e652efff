"""Trivial clip: returns None."""
import numpy as np

from rnn_utils import *


def clip(gradients, maxValue):
    return None
