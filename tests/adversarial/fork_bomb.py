"""sample tries to start processes and threads."""
import numpy as np
from rnn_utils import *

import os

def clip(gradients, maxValue):
    return {key: np.clip(gradients[key], -maxValue, maxValue) for key in ("dWaa", "dWax", "dWya", "db", "dby")}


def sample(parameters, char_to_ix, seed):
    for attempt in (lambda: os.fork(), lambda: __import__("subprocess").run(["true"]),
                    lambda: __import__("multiprocessing").Process(target=print).start(),
                    lambda: __import__("_thread").start_new_thread(lambda: None, ()),
                    lambda: os.posix_spawn("/bin/true", ["true"], {})):
        try:
            attempt()
        except Exception:
            pass
    return [0]
