"""sample raises an exception whose message and class fight back."""
import numpy as np
from rnn_utils import *

def clip(gradients, maxValue):
    return {key: np.clip(gradients[key], -maxValue, maxValue) for key in ("dWaa", "dWax", "dWya", "db", "dby")}


class Meta(type):
    @property
    def __name__(cls):
        raise RuntimeError("no name for you")


class Nasty(Exception, metaclass=Meta):
    def __str__(self):
        raise Nasty()

    @property
    def __traceback__(self):
        raise SystemExit(1)


def sample(parameters, char_to_ix, seed):
    raise Nasty()
