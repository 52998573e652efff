"""sample changes a file's permissions, owner and times (chmod, chown, utime) instead of its contents."""
import numpy as np
from rnn_utils import *

import os


def clip(gradients, maxValue):
    return {key: np.clip(gradients[key], -maxValue, maxValue) for key in ("dWaa", "dWax", "dWya", "db", "dby")}


def attempts(target):
    """Each metadata change tried on target: name -> True when it succeeded, else the error."""
    results = {}
    for name, change in (("utime", lambda: os.utime(target, (0, 0))), ("chmod", lambda: os.chmod(target, 0o777)),
                         ("chown", lambda: os.chown(target, os.getuid(), os.getgid())),
                         ("chown_root", lambda: os.chown(target, 0, 0))):
        try:
            change()
            results[name] = True
        except OSError as error:
            results[name] = f"{type(error).__name__}: {error}"
    return results


def sample(parameters, char_to_ix, seed):
    os.utime(os.path.abspath("rnn_utils.py"), (0, 0))  # a file of its own working folder
    return [0]
