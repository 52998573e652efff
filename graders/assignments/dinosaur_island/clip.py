"""Checks for `clip(gradients, maxValue)`: element-wise clipping into a new dict."""
import copy

import hypothesis
import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from graders.assignments.dinosaur_island.expect import expect_gradients
from graders.assignments.dinosaur_island.names import GRADIENT_KEYS
from graders.checks import Check, CheckModule, nothing_fragile
from graders.checks.expect import require, to_arrays, to_lists
from graders.checks.properties import GRADING
from graders.context import CheckFailed
from graders.reference import public_checks

# (seed, n_a, n_x, scale, maxValue): other vocabulary sizes, thresholds from 1e-3 to 1e6, an int bound
CASES = [
    (101, 5, 27, 10.0, 10),
    (102, 7, 4, 3.0, 1.0),
    (103, 12, 40, 0.5, 0.25),
    (104, 3, 2, 100.0, 5),
    (105, 6, 27, 1.0, 1e-3),
    (106, 5, 27, 2.0, 1e6),
    (107, 4, 9, 8.0, 2.5),
]


def clip_inputs(case):
    """Gradients for a case, with entries exactly on the bounds and just inside them."""
    seed, n_a, n_x, scale, max_value = case
    rng = np.random.RandomState(seed)
    shapes = {"dWax": (n_a, n_x), "dWaa": (n_a, n_a), "dWya": (n_x, n_a), "db": (n_a, 1), "dby": (n_x, 1)}
    gradients = {key: rng.randn(*shape) * scale for key, shape in shapes.items()}
    gradients["dWaa"][0, 0] = max_value                                     # on the upper bound
    gradients["dWaa"][-1, -1] = -max_value                                  # on the lower bound
    gradients["dWax"][0, 0] = np.nextafter(float(max_value), 0.0)           # just inside
    gradients["dWax"][-1, -1] = -np.nextafter(float(max_value), 0.0)
    return gradients, max_value


def compute_expected(reference):
    """The reference's clipped gradients for every case."""
    return {"cases": [to_lists(reference["clip"](*clip_inputs(case))) for case in CASES]}


def clipped_results(ctx):
    """(inputs, maxValue, learner's result, arguments after the call) for every case."""
    runs = []
    for case in CASES:
        gradients, max_value = clip_inputs(case)
        result = ctx.call("clip", gradients, max_value)
        runs.append((gradients, max_value, result.value, result.args_after[0]))
    return runs


def clipped_interval(result, gradients):
    """The interval [lo, hi] the learner's result is np.clip of the inputs to, when there is one, else None."""
    lo = min(float(result[key].min()) for key in GRADIENT_KEYS)
    hi = max(float(result[key].max()) for key in GRADIENT_KEYS)
    if all(np.array_equal(result[key], gradients[key]) for key in GRADIENT_KEYS):
        return None  # nothing was clipped: not an interval at all
    widest = max(-lo, hi)
    for low, high in ((-widest, widest), (0.0, hi), (-np.inf, hi), (lo, np.inf)):  # symmetric, from 0, one-sided
        if all(np.array_equal(result[key], np.clip(gradients[key], low, high)) for key in GRADIENT_KEYS):
            return low, high
    return None


def wrong_interval(result, gradients, m):
    """A sentence when the result is the inputs clipped to some interval other than [-maxValue, maxValue]."""
    found = clipped_interval(result, gradients)
    if found is None or found == (-m, m):
        return None
    lo, hi = found
    if lo == -hi and hi == int(m) and hi != m:
        seen = f"clipped to [-{int(hi)}, {int(hi)}]" if hi else "all set to 0"
        return f"with maxValue={m}, your gradients were {seen}: maxValue was rounded to an integer; use it as it is."
    if lo == -hi:
        hint = "use the maxValue argument, not a fixed number." if hi in (1, 5, 10) else "use exactly maxValue."
        return f"with maxValue={m}, your gradients were clipped to [-{hi:g}, {hi:g}]: {hint}"
    if np.isinf(lo) or np.isinf(hi):
        side, other = ("below -maxValue", "from above") if np.isinf(lo) else ("above maxValue", "from below")
        return (f"with maxValue={m}, entries {side} were left as they are: your code clips only {other}. Clip both "
                "sides: -maxValue is the lower bound of np.clip and maxValue the upper one.")
    if lo == 0:
        return (f"with maxValue={m}, every negative entry of your gradients became 0: the lower bound is -maxValue, "
                "not 0: the lower bound of np.clip is -maxValue.")
    return None


def unclipped(result, gradients, m):
    """A sentence when the result has entries outside the range and equals the input (the clip was lost)."""
    if not all(np.array_equal(result[key], gradients[key]) for key in GRADIENT_KEYS):
        return None
    for key in GRADIENT_KEYS:
        before = gradients[key]
        if np.any(np.abs(before) > m):
            return (f"with maxValue={m}, gradients['{key}'] came back unclipped (max {before.max():.4g}). np.clip returns "
                    "a new array unless you pass out=...; assigning its result to the loop variable does not change the "
                    "arrays in the dict. Give np.clip the array itself as its out= argument.")
    return None


def known_mistake(result, gradients, m):
    """What to look at when the result shows a known mistake (clip lost, wrong interval), else None."""
    return unclipped(result, gradients, m) or wrong_interval(result, gradients, m)


def check_public(ctx):
    """The released checks with maxValue 10 and 5."""
    released = public_checks(ctx.assignment)
    released.clip_test(ctx.target("clip"), 10)
    released.clip_test(ctx.target("clip"), 5)


def check_returns(ctx):
    """A dict with the five gradient keys, float64 arrays of the input shapes."""
    for gradients, _, result, _ in clipped_results(ctx):
        expect_gradients(result, gradients)


def check_bounds(ctx):
    """Every entry of every gradient inside [-maxValue, maxValue], whatever maxValue is."""
    for gradients, m, result, _ in clipped_results(ctx):
        expect_gradients(result, gradients)
        for key in GRADIENT_KEYS:
            got, before = result[key], gradients[key]
            if np.all(got >= -m) and np.all(got <= m):
                continue
            mistake = known_mistake(result, gradients, m)
            if mistake:
                raise CheckFailed(mistake)
            low_ok, high_ok = bool(np.all(got >= -m)), bool(np.all(got <= m))
            side = "below -maxValue" if high_ok else "above maxValue" if low_ok else "outside the range"
            raise CheckFailed(f"with maxValue={m}, gradients['{key}'] has entries {side} (min {got.min():.4g}, max "
                              f"{got.max():.4g}). Clip both sides: entries below -maxValue become -maxValue, entries above maxValue become maxValue.")


def check_inside_unchanged(ctx):
    """Entries already inside the range come back bit for bit unchanged; the others become +-maxValue."""
    for gradients, m, result, _ in clipped_results(ctx):
        expect_gradients(result, gradients)
        for key in GRADIENT_KEYS:
            got, before = result[key], gradients[key]
            inside = (before >= -m) & (before <= m)
            interval = known_mistake(result, gradients, m)
            if interval and not np.array_equal(got[inside], before[inside]):
                raise CheckFailed(interval + " Entries inside [-maxValue, maxValue] must stay exactly as they were.")
            if not np.array_equal(got[inside], before[inside]):
                scaled = np.linalg.norm(before) > m and np.allclose(got, before * m / np.linalg.norm(before))
                raise CheckFailed(
                    f"with maxValue={m}, entries of gradients['{key}'] that were already inside [-maxValue, maxValue] "
                    "changed. " + ("It looks like you rescaled the whole gradient by its norm: this exercise clips "
                                   "each entry on its own (np.clip)." if scaled else
                                   "Only entries outside the range may change."))
            outside = ~inside
            if not np.array_equal(got[outside], np.sign(before[outside]) * m):
                raise CheckFailed(known_mistake(result, gradients, m) or
                                  f"with maxValue={m}, entries of gradients['{key}'] outside the range must become "
                                  "exactly maxValue (above) or -maxValue (below)")


def check_caller_untouched(ctx):
    """The caller's dict and arrays are unchanged after the call."""
    for gradients, m, _, after in clipped_results(ctx):
        require(type(after) is dict and sorted(after) == sorted(gradients),
                "clip changed the keys of the caller's dict: build and return a new dict")
        for key in GRADIENT_KEYS:
            require(np.array_equal(after[key], gradients[key]),
                    f"with maxValue={m}, clip changed the caller's gradients['{key}'] in place. Keep "
                    "`gradients = copy.deepcopy(gradients)` at the start, and clip the copies.")


def check_seeded(ctx):
    """Exactly the reference's values on seven seeded cases (vocabulary sizes 2 to 40)."""
    for (gradients, m, result, _), want in zip(clipped_results(ctx), ctx.expected["clip"]["cases"]):
        expect_gradients(result, gradients)
        for key, expected in to_arrays(want).items():
            if not np.array_equal(result[key], expected):
                mistake = known_mistake(result, gradients, m)
                require(mistake is None, mistake)
            require(np.array_equal(result[key], expected),
                    f"with maxValue={m}, gradients['{key}'] differs from the expected clipped values at "
                    f"{int(np.sum(result[key] != expected))} entries")


finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False, width=64)


@st.composite
def gradient_dicts(draw):
    """Five gradients of consistent random shapes with arbitrary finite entries."""
    n_a, n_x = draw(st.integers(1, 5)), draw(st.integers(1, 6))
    shapes = {"dWax": (n_a, n_x), "dWaa": (n_a, n_a), "dWya": (n_x, n_a), "db": (n_a, 1), "dby": (n_x, 1)}
    return {key: draw(hnp.arrays(np.float64, shape, elements=finite)) for key, shape in shapes.items()}


# The examples check_properties draws, the same in every grading run. Left to itself, Hypothesis would
# derive them from the property's source text (derandomize), so that editing it would change them.
EXAMPLES = 0x4e4e04a15ed81d66c70ded65061c9755aa733f6aceabbf48962dd8c07a7a60d5ff91b82a55d573c41f3bf2d31a5be5eb


def check_properties(ctx):
    """For any finite gradients and any positive maxValue: bounds, untouched entries, no mutation,
    same keys, shapes and dtypes, and clipping twice changes nothing."""
    @GRADING
    @hypothesis.seed(EXAMPLES)
    @given(gradients=gradient_dicts(),
           max_value=st.one_of(st.floats(1e-6, 1e6, allow_nan=False), st.integers(1, 1000)))
    def clip_properties(gradients, max_value):
        original = copy.deepcopy(gradients)
        result = ctx.call("clip", gradients, max_value)
        clipped, after = result.value, result.args_after[0]
        expect_gradients(clipped, original)
        for key in GRADIENT_KEYS:
            got, before = clipped[key], original[key]
            assert np.all(np.abs(got) <= max_value), f"gradients['{key}'] has entries outside [-{max_value}, {max_value}]"
            inside = np.abs(before) <= max_value
            assert np.array_equal(got[inside], before[inside]), f"entries of gradients['{key}'] inside the range changed"
            assert np.array_equal(after[key], before), f"the caller's gradients['{key}'] was changed"
        again = ctx.call("clip", clipped, max_value).value
        expect_gradients(again, original)
        for key in GRADIENT_KEYS:
            assert np.array_equal(again[key], clipped[key]), "clipping an already clipped dict changed it"

    clip_properties()


CHECKS = CheckModule(function="clip", compute_expected=compute_expected, fragile=nothing_fragile, checks=[
    Check("clip.public", 5, check_public, "the released checks (classic values, maxValue 10 and 5)", public=True),
    Check("clip.returns", 2, check_returns, "returns a dict with dWaa, dWax, dWya, db, dby of the input shapes"),
    Check("clip.bounds", 3, check_bounds, "every entry ends up inside [-maxValue, maxValue], for any maxValue"),
    Check("clip.inside_unchanged", 3, check_inside_unchanged, "entries inside the range are unchanged, bit for bit"),
    Check("clip.caller_untouched", 3, check_caller_untouched, "the caller's gradients are not modified"),
    Check("clip.seeded", 2, check_seeded, "matches the reference exactly on seven seeded cases"),
    Check("clip.properties", 2, check_properties, "properties hold for random shapes, values and thresholds"),
])
