"""Expected values: computed from the reference solution, stored with the assignment, checked for drift.

`python -m graders regenerate` writes one JSON file per graded function into the assignment's
expected/ folder, with the values, the numpy version they were computed with, and the tolerances the
checks apply. `regenerate --check` recomputes everything and fails when a value moved beyond its
tolerance, and also when a stored value is fragile: each check module's own rule (CheckModule.fragile)
nudges the inputs far more than the ~1e-16 per operation that separates numpy versions and BLAS
builds, and reports the values that change.
"""
import json
import platform

import numpy as np

from graders.checks.expect import FLOAT_ATOL, FLOAT_RTOL


def compute_all(assignment, reference):
    """{function: document} for every graded function, from the reference functions."""
    return {graded.name: {
        "function": graded.name,
        "computed_with": {"numpy": np.__version__, "python": platform.python_version()},
        "tolerances": {"float_rtol": FLOAT_RTOL, "float_atol": FLOAT_ATOL, "integers_and_strings": "exact"},
        "values": graded.checks.compute_expected(reference),
    } for graded in assignment.functions}


def write_all(assignment, documents):
    """Store the documents, one JSON file per function."""
    assignment.expected.mkdir(parents=True, exist_ok=True)
    for function, document in documents.items():
        (assignment.expected / f"{function}.json").write_text(json.dumps(document, sort_keys=True) + "\n")


def load_all(assignment):
    """{function: stored values} as the checks read them."""
    return {path.stem: json.loads(path.read_text())["values"] for path in sorted(assignment.expected.glob("*.json"))}


def drift(stored, fresh, where="values"):
    """Descriptions of every place where fresh differs from stored beyond the tolerances."""
    if type(stored) is dict and type(fresh) is dict:
        if sorted(stored) != sorted(fresh):
            return [f"{where}: keys {sorted(stored)} != {sorted(fresh)}"]
        return [problem for key in stored for problem in drift(stored[key], fresh[key], f"{where}.{key}")]
    if type(stored) is list and type(fresh) is list:
        if len(stored) != len(fresh):
            return [f"{where}: length {len(stored)} != {len(fresh)}"]
        if stored and all(type(x) is float or type(x) is list for x in stored) and _numeric(stored):
            a, b = np.array(stored, dtype=float), np.array(fresh, dtype=float)
            if a.shape != b.shape or not np.allclose(a, b, rtol=FLOAT_RTOL, atol=FLOAT_ATOL):
                return [f"{where}: floats moved by up to {np.max(np.abs(a - b)):.3g}"]
            return []
        return [problem for i, (x, y) in enumerate(zip(stored, fresh)) for problem in drift(x, y, f"{where}[{i}]")]
    if type(stored) is float and type(fresh) is float:
        return [] if np.isclose(stored, fresh, rtol=FLOAT_RTOL, atol=FLOAT_ATOL) else [f"{where}: {stored} != {fresh}"]
    return [] if stored == fresh else [f"{where}: {stored!r} != {fresh!r}"]


def _numeric(value):
    try:
        return np.asarray(value, dtype=float).dtype.kind == "f"
    except (TypeError, ValueError):
        return False


def fragile_values(assignment, reference):
    """Every graded function's stored values that its own fragility rule finds too fragile to grade on."""
    return [problem for graded in assignment.functions for problem in graded.checks.fragile(reference)]
