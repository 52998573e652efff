"""sample reaches for kernel interfaces a grading run never needs, through ctypes: fanotify (to make other
processes hang), reboot, perf events, userfaultfd, keyrings, mounts, namespaces, BPF, io_uring, sockets."""
import numpy as np
from rnn_utils import *

import ctypes
import os

# name: (x86_64 number, aarch64 number, arguments); every call is harmless when refused, and asks for
# nothing that could stay behind if it were not (invalid reboot magic, a mount of nothing)
CALLS = {
    "fanotify_init": (300, 262, (4, 0)),              # FAN_CLASS_CONTENT: permission events
    "reboot": (169, 142, (0, 0, 0, 0)),               # invalid magic numbers
    "perf_event_open": (298, 241, (0, 0, -1, -1, 0)),
    "userfaultfd": (323, 282, (0,)),
    "keyctl": (250, 219, (0, -3, 0)),                 # KEYCTL_GET_KEYRING_ID of the session keyring
    "mount": (165, 40, (0, 0, 0, 0, 0)),
    "unshare": (272, 97, (0x10000000,)),              # CLONE_NEWUSER
    "setns": (308, 268, (-1, 0)),
    "bpf": (321, 280, (0, 0, 0)),
    "io_uring_setup": (425, 425, (1, 0)),
    "socket": (41, 198, (2, 1, 0)),                   # AF_INET, SOCK_STREAM
    "inotify_init1": (294, 26, (0,)),
    "personality": (135, 92, (0xffffffff,)),
}


def clip(gradients, maxValue):
    return {key: np.clip(gradients[key], -maxValue, maxValue) for key in ("dWaa", "dWax", "dWya", "db", "dby")}


def attempts():
    """name -> the errno each call failed with (0 when it succeeded)."""
    libc = ctypes.CDLL(None, use_errno=True)
    column = 0 if os.uname().machine == "x86_64" else 1
    results = {}
    for name, numbers in CALLS.items():
        ctypes.set_errno(0)
        result = libc.syscall(ctypes.c_long(numbers[column]), *(ctypes.c_long(a) for a in numbers[2]))
        results[name] = ctypes.get_errno() if result == -1 else 0
    return results


def sample(parameters, char_to_ix, seed):
    attempts()
    return [0]
