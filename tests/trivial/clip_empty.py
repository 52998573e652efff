"""Trivial clip: an empty dict."""
import numpy as np

from rnn_utils import *


def clip(gradients, maxValue):
    return {}
