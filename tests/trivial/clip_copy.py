"""Trivial clip: returns an unclipped copy."""
import copy

import numpy as np

from rnn_utils import *


def clip(gradients, maxValue):
    return copy.deepcopy(gradients)
