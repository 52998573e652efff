"""Keep the grader's inputs out of text the learner's code wrote (an exception's message, say).

A learner's function that raises `ValueError(parameters)` would otherwise carry a hidden case's
numbers into the report. `redact(text, inputs)` replaces every number in text that equals one of
the inputs' floats at the precision it is printed with (3 significant digits or more), and every
string of the inputs at least 4 characters long, by HIDDEN. Integers (sizes, indices, seeds) and
short numbers such as 0.5 or 1e-3 are left alone: they say little, and messages need them. A number
whose exponent was cut off (the learner's process caps a message's length, so `5.379e-01` can
arrive as `5.379e`) is replaced when its digits are those of an input at any power of ten.
"""
import math
import re

import numpy as np

HIDDEN = "…"
_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d*)?|[-+]?(?:inf|nan)")
_MIN_DIGITS, _MIN_TEXT = 3, 4


def redact(text, inputs):
    """text with the inputs' floats and longer strings replaced by HIDDEN."""
    floats, strings = _leaves(inputs)
    for string in sorted(strings, key=len, reverse=True):
        text = text.replace(string, HIDDEN)
    if floats.size == 0:
        return text
    return _NUMBER.sub(lambda match: HIDDEN if _is_input(match.group(), floats) else match.group(), text)


def _leaves(value):
    """(sorted float array, set of strings) found anywhere in value."""
    numbers, strings, pending = [], set(), [value]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is np.ndarray and item.dtype.kind == "f":
            numbers.append(item.ravel().astype(np.float64))
        elif kind is float or isinstance(item, np.floating):
            numbers.append(np.array([item], dtype=np.float64))
        elif kind is str and len(item) >= _MIN_TEXT:
            strings.add(item)
        elif kind in (list, tuple):
            pending.extend(item)
        elif kind is dict:
            pending.extend(item.values())  # keys are names the learner was told (dWax, a, b...)
    floats = np.sort(np.concatenate(numbers)) if numbers else np.empty(0)
    return floats[np.isfinite(floats)], strings


def _is_input(token, floats):
    """Does the printed number token stand for one of floats (sorted), at the precision it shows?"""
    mantissa, marked, power = token.lower().lstrip("+-").partition("e")
    if "." not in mantissa and not marked:
        return False  # an integer
    digits = len(mantissa.replace(".", "").lstrip("0"))
    if digits < _MIN_DIGITS:
        return False
    try:
        value = float(token.rstrip("eE+-"))
    except ValueError:
        return False
    if not math.isfinite(value) or value == 0:
        return False
    if marked and not power.lstrip("+-"):  # the exponent was cut off: compare the digits alone
        floats = _significands(floats)
        value = _significands(np.array([value]))[0]
    exponent = math.floor(math.log10(abs(value)))
    half_step = 0.5 * 10.0 ** (exponent - digits + 1) * (1 + 1e-9)
    position = np.searchsorted(floats, value - half_step)
    return bool(position < floats.size and floats[position] <= value + half_step)


def _significands(values):
    """The values scaled by powers of ten into [1, 10) (signs kept, zeros left out), sorted."""
    values = values[values != 0]
    return np.sort(values / 10.0 ** np.floor(np.log10(np.abs(values))))
