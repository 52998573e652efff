"""Small assertion helpers any check module can use (strict types first, then values)."""
import numpy as np

from graders.bounds import conform, layout_of
from graders.context import CheckFailed, LearnerCodeError

FLOAT_RTOL = 1e-7   # relative tolerance for floats computed by the learner's code
FLOAT_ATOL = 1e-10  # absolute tolerance near zero


def require(condition, message):
    """Raise CheckFailed(message) unless condition holds."""
    if not condition:
        raise CheckFailed(message)


def hinted(error, hints):
    """The LearnerCodeError with the first matching hint appended to its first line.

    hints: (text found in the error message, hint) pairs, tried in order; no match leaves it as it was.
    """
    message = str(error)
    hint = next((hint for found, hint in hints if found in message), None)
    if hint is None:
        return error
    first, _, rest = message.partition("\n")
    return LearnerCodeError(f"{first.rstrip('.')}. Hint: {hint}" + (f"\n{rest}" if rest else ""), error.status)


def close(got, want, rtol=FLOAT_RTOL, atol=FLOAT_ATOL):
    """Are two real arrays of the same shape equal within the stated tolerance?"""
    got, want = np.asarray(got), np.asarray(want)
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=rtol, atol=atol))


def expect_array(value, shape, what):
    """A real float64 numpy array of the given shape, without NaN or inf."""
    require(type(value) is np.ndarray, f"{what} must be a numpy array, got {type(value).__name__}")
    require(value.shape == tuple(shape), f"{what} has shape {value.shape}, expected {tuple(shape)}")
    require(value.dtype == np.float64, f"{what} has dtype {value.dtype}, expected float64")
    require(bool(np.all(np.isfinite(value))), f"{what} contains NaN or inf")


def expect_scalar(value, what):
    """A real number: a Python float or int, or a numpy floating scalar / 0-d float array."""
    if type(value) is np.ndarray and value.shape in ((), (1,), (1, 1)) and value.dtype.kind == "f":
        return float(value.reshape(()))
    require(type(value) in (float, int) or isinstance(value, np.floating),
            f"{what} must be a number, got {type(value).__name__}")
    require(bool(np.isfinite(value)), f"{what} is {value}")
    return float(value)


def first_difference(got, want):
    """Index of the first position where two sequences differ (or where the shorter ends), else None."""
    for position, (a, b) in enumerate(zip(got, want)):
        if a != b:
            return position
    return None if len(got) == len(want) else min(len(got), len(want))


def to_arrays(tree):
    """Nested lists from the expected-values JSON back to float arrays (dict values only)."""
    return {key: np.array(value, dtype=np.float64) for key, value in tree.items()}


def to_lists(arrays):
    """Arrays to nested lists of floats for JSON (exact: repr of a float round-trips)."""
    return {key: np.asarray(value, dtype=np.float64).tolist() for key, value in arrays.items()}


def expect_layout(value, template, what, hint=""):
    """CheckFailed (the difference, then hint) unless value has the keys, lengths, shapes and dtypes of template."""
    try:
        conform(value, layout_of(template), what)
    except ValueError as problem:
        raise CheckFailed(f"{problem}{hint}") from None
