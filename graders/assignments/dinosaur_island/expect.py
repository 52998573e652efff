"""Expectations on the dicts and lists Dinosaur Island's functions return (strict types first, then values)."""
import numpy as np

from graders.assignments.dinosaur_island.names import GRADIENT_KEYS, PARAMETER_KEYS
from graders.checks.expect import expect_array, require
from graders.context import CheckFailed


def expect_gradients(result, shapes_from, what="clip"):
    """A dict of the five gradients, real finite float64 arrays of the shapes of shapes_from's arrays."""
    require(type(result) is dict, f"{what} must return a dict of gradients, got {type(result).__name__}"
            + (": did you forget the `return` statement?" if result is None else ""))
    missing = [key for key in GRADIENT_KEYS if key not in result]
    require(not missing, f"{what} returned a dict without the key(s) {missing}; keep the names dWaa, dWax, dWya, db, dby")
    for key in GRADIENT_KEYS:
        expect_array(result[key], shapes_from[key].shape, f"{what}: gradients['{key}']")


def expect_parameters(value, shapes, what="parameters"):
    """A dict holding Wax, Waa, Wya, b, by as real float arrays of the given shapes."""
    require(type(value) is dict, f"{what} must be a dict, got {type(value).__name__}")
    for key in PARAMETER_KEYS:
        require(key in value, f"{what} has no key '{key}'")
        expect_array(value[key], shapes[key], f"{what}['{key}']")


def expect_indices(value, vocab_size):
    """A list of integer indices (Python or numpy ints) within the vocabulary, as Python ints."""
    if type(value) is list and value and all(type(item) is str for item in value):
        raise CheckFailed(f"sample returned characters ({value[:5]}...): return the indices, not ix_to_char[idx]")
    require(type(value) is list, f"sample must return a list of indices, got {type(value).__name__}"
            + (": did you forget `return indices`?" if value is None else ""))
    for item in value:
        require(isinstance(item, (int, np.integer)) and not isinstance(item, (bool, np.bool_)),
                f"sample must return integer indices; found {item!r} of type {type(item).__name__}")
    indices = [int(item) for item in value]
    bad = [i for i in indices if not 0 <= i < vocab_size]
    require(not bad, f"sample returned indices outside 0..{vocab_size - 1}: {bad[:5]}")
    return indices
