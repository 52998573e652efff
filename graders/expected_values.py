"""Expected values: computed from the reference solution, stored under graders/expected/, checked for drift.

`python -m graders regenerate` writes one JSON file per graded function with the values, the numpy
version and BLAS set-up they were computed with, and the tolerances the checks apply.
`regenerate --check` recomputes everything and fails when a value moved beyond its tolerance, and
also fails when a stored value is fragile: every seeded sampling result must survive perturbing the
parameters by one part in 1e9 (and training runs nudged by 1e-12 at every step), far more than the
~1e-16 per operation that separates numpy versions and BLAS builds.
"""
import copy
import json
import platform
from pathlib import Path

import numpy as np

from graders.checks import check_modules
from graders.checks.expect import FLOAT_ATOL, FLOAT_RTOL

EXPECTED_DIR = Path(__file__).resolve().parent / "expected"
PERTURBATION = 1e-9        # relative nudge of the parameters before sampling
MODEL_PERTURBATION = 1e-12  # relative nudge after every training step (2001 steps compound it)


def compute_all(reference):
    """{function: document} for every check module, from the reference functions."""
    documents = {}
    for module in check_modules():
        documents[module.FUNCTION] = {
            "function": module.FUNCTION,
            "computed_with": {"numpy": np.__version__, "python": platform.python_version()},
            "tolerances": {"float_rtol": FLOAT_RTOL, "float_atol": FLOAT_ATOL,
                           "integers_and_strings": "exact", "clip": "bit for bit"},
            "values": module.compute_expected(reference),
        }
    return documents


def write_all(documents, directory=EXPECTED_DIR):
    """Store the documents, one pretty-printed JSON file per function."""
    directory.mkdir(parents=True, exist_ok=True)
    for function, document in documents.items():
        (directory / f"{function}.json").write_text(json.dumps(document, sort_keys=True) + "\n")


def load_all(directory=EXPECTED_DIR):
    """{function: stored values} as the checks read them."""
    return {path.stem: json.loads(path.read_text())["values"] for path in sorted(directory.glob("*.json"))}


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


def fragile_values(reference):
    """Stored sampling results that change when the parameters are perturbed by PERTURBATION."""
    from graders.checks import model, sample
    from graders.public_tests import CHAR_TO_IX, random_parameters
    rng = np.random.RandomState(12345)
    problems = []
    late_seed = sample.late_newline_seed(reference)
    cases = [(c, sample.case_inputs(c)) for c in sample.SEEDED + sample.OTHER_VOCABULARIES
             + [sample.NO_NEWLINE, sample.RESEED, sample.LATE_NEWLINE + (late_seed,)]]
    cases.append(("classic public check", (random_parameters(24, 100, 27), dict(CHAR_TO_IX), 0)))
    for label, (parameters, char_to_ix, seed) in cases:
        plain = [int(i) for i in reference["sample"](parameters, char_to_ix, seed)]
        for _ in range(3):
            nudged = {k: v * (1 + PERTURBATION * rng.randn(*v.shape)) for k, v in parameters.items()}
            if [int(i) for i in reference["sample"](nudged, char_to_ix, seed)] != plain:
                problems.append(f"sample case {label}: the indices change under a {PERTURBATION:g} perturbation")
                break
    for case in model.CASES:
        problems += _fragile_model(reference, case, rng)
    return problems


def _fragile_model(reference, case, rng):
    """Does training with every step's parameters nudged by PERTURBATION keep the stored outcome?"""
    from graders.checks import model
    args, kwargs = model.model_arguments(case)
    plain_parameters, plain_name = reference["model"](*copy.deepcopy(args), **kwargs)
    saved, model_globals = reference["optimize"], reference["model"].__globals__

    def nudging_optimize(X, Y, a_prev, parameters, learning_rate=0.01):
        result = saved(X, Y, a_prev, parameters, learning_rate=learning_rate)
        for value in parameters.values():
            value *= 1 + MODEL_PERTURBATION * rng.randn(*value.shape)
        return result

    model_globals["optimize"] = nudging_optimize
    try:
        parameters, name = reference["model"](*copy.deepcopy(args), **kwargs)
    finally:
        model_globals["optimize"] = saved
    if name != plain_name:
        return [f"model case {case}: the last name changes under a {MODEL_PERTURBATION:g} perturbation per step"]
    moved = max(float(np.max(np.abs(parameters[k] - plain_parameters[k]) / (np.abs(plain_parameters[k]) + 1e-6)))
                for k in parameters)
    if moved > FLOAT_RTOL:
        return [f"model case {case}: parameters move by {moved:.2g} (relative) under a {MODEL_PERTURBATION:g} "
                "perturbation per step"]
    return []
