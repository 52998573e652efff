"""sample changes a file's permissions, owner and times (chmod, chown, utime) instead of its contents."""
import numpy as np
from rnn_utils import *

import os


def clip(gradients, maxValue):
    return {key: np.clip(gradients[key], -maxValue, maxValue) for key in ("dWaa", "dWax", "dWya", "db", "dby")}


def attempts(target):
    """Each metadata change, to try on target: name -> a function that makes it."""
    return {"utime": lambda: os.utime(target, (0, 0)), "chmod": lambda: os.chmod(target, 0o777),
            "chown": lambda: os.chown(target, os.getuid(), os.getgid()), "chown_root": lambda: os.chown(target, 0, 0)}


def sample(parameters, char_to_ix, seed):
    os.utime(os.path.abspath("rnn_utils.py"), (0, 0))  # a file of its own working folder
    return [0]
