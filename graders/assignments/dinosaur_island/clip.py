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
from graders.checks.gating import needs_a_value
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
    (108, 5, 27, 10.0, 5),
]
# clip.seeded's cases: the notebook's set-up (27 symbols, maxValue 10 and 5)
CLASSIC = [i for i, case in enumerate(CASES) if case[2] == 27 and case[4] in (10, 5)]
# Ranges a clip may wrongly use, as functions of maxValue (the bounds' mistakes, which clip.bounds and
# clip.inside_unchanged name); the first is the right one
RANGES = (
    lambda m: (-m, m),
    lambda m: (-10, 10), lambda m: (-5, 5), lambda m: (-1, 1),   # a fixed number
    lambda m: (-int(m), int(m)),                                   # maxValue rounded
    lambda m: (0, m),                                              # the lower bound 0
    lambda m: (-np.inf, m), lambda m: (-m, np.inf),                # one side only
)


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


def clipped_results(ctx, indices=None):
    """(inputs, maxValue, learner's result, arguments after the call) for every case (or the cases of indices)."""
    runs = []
    for case in (CASES if indices is None else [CASES[i] for i in indices]):
        gradients, max_value = clip_inputs(case)
        result = ctx.call("clip", gradients, max_value)
        runs.append((gradients, max_value, result.value, result.args_after[0]))
    return runs


def learner_rule(ctx):
    """(rule, comparison) of RULES that the learner's clip follows on every case, or None when it follows none of
    them (its results are not its inputs under one of those rules)."""
    def find():
        runs = clipped_results(ctx)
        for rule, agree in RULES:
            if all(type(result) is dict and all(type(result.get(key)) is np.ndarray
                                                and agree(result[key], rule(gradients[key], m))
                                                for key in GRADIENT_KEYS)
                   for gradients, m, result, _ in runs):
                return rule, agree
        return None
    return ctx.cached(("clip", "rule"), find)


def readable(result):
    """{key: array} of the gradient arrays a result holds (the checks other than `returns` read results leniently);
    CheckFailed when it holds none."""
    arrays = {key: result[key] for key in GRADIENT_KEYS
              if type(result) is dict and type(result.get(key)) is np.ndarray} if type(result) is dict else {}
    require(arrays, "clip did not return a dict of gradient arrays, so its values cannot be checked "
                    "(clip.returns says more)")
    return arrays


def clipped_interval(result, gradients):
    """The interval [lo, hi] the learner's arrays are np.clip of the inputs to, when there is one, else None."""
    keys = list(result)
    lo = min(float(result[key].min()) for key in keys)
    hi = max(float(result[key].max()) for key in keys)
    if all(same(result[key], gradients[key]) for key in keys):
        return None  # nothing was clipped: not an interval at all
    widest = max(-lo, hi)
    for low, high in ((-widest, widest), (0.0, hi), (-np.inf, hi), (lo, np.inf)):  # symmetric, from 0, one-sided
        if all(same(result[key], np.clip(gradients[key], low, high)) for key in keys):
            return low, high
    return None


def same(got, want):
    """Are two arrays equal, shapes included?"""
    return got.shape == want.shape and bool(np.array_equal(got, want))


def near(got, want):
    """Are two arrays equal up to rounding (relative 1e-12), shapes included?"""
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=1e-12, atol=0.0))


def clipping(bounds):
    """The rule that clips an array element-wise to bounds(maxValue)."""
    return lambda gradient, m: np.clip(gradient, *bounds(m))


def rescaled(gradient, m):
    """Norm clipping (a known mistake): the whole array scaled down to norm m when its norm is larger."""
    norm = np.linalg.norm(gradient)
    return gradient * (m / norm) if norm > m else gradient


# What a clip may do to each gradient array, with how exactly a result must follow it: clipping to one of RANGES
# (clip.bounds and clip.inside_unchanged name the wrong ones), or rescaling by the norm (clip.inside_unchanged
# names it); the first is the right one
RULES = [(clipping(bounds), same) for bounds in RANGES] + [(rescaled, near)]


def wrong_interval(result, gradients, m):
    """A sentence when the result is the inputs clipped to some interval other than [-maxValue, maxValue]."""
    found = clipped_interval(result, gradients)
    if found is None or found == (-m, m):
        return None
    lo, hi = found
    if hi == 0 and lo == 0:
        return "every entry of your gradients became 0: entries inside [-maxValue, maxValue] keep their values."
    if lo == -hi and hi == int(m) and hi != m:
        seen = "clipped to an integer bound" if hi else "all set to 0"
        return f"with a maxValue that is not a whole number, your gradients were {seen}: maxValue was rounded to an integer; use it as it is."
    if lo == -hi:
        hint = "use the maxValue argument, not a fixed number." if hi in (1, 5, 10) else "use exactly maxValue."
        return f"with maxValue={m:g}, your gradients were clipped to [-{hi:g}, {hi:g}]: {hint}"
    if np.isinf(lo) or np.isinf(hi):
        side, other = ("below -maxValue", "from above") if np.isinf(lo) else ("above maxValue", "from below")
        return (f"entries {side} were left as they are: your code clips only {other}. Clip both "
                "sides: -maxValue is the lower bound of np.clip and maxValue the upper one.")
    if lo == 0:
        return ("every negative entry of your gradients became 0: the lower bound is -maxValue, "
                "not 0: the lower bound of np.clip is -maxValue.")
    return None


def unclipped(result, gradients, m):
    """A sentence when the result has entries outside the range and equals the input (the clip was lost)."""
    if not all(same(result[key], gradients[key]) for key in result):
        return None
    for key in result:
        if np.any(np.abs(gradients[key]) > m):
            return (f"gradients['{key}'] came back unclipped. np.clip returns "
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
    """Entries outside [-maxValue, maxValue] become exactly -maxValue or maxValue, whatever maxValue is."""
    for gradients, m, result, _ in clipped_results(ctx):
        arrays = readable(result)
        for key, got in arrays.items():
            before = gradients[key]
            outside = np.abs(before) > m
            if got.shape == before.shape and np.array_equal(got[outside], np.sign(before[outside]) * m):
                continue
            mistake = known_mistake(arrays, gradients, m)
            if mistake:
                raise CheckFailed(mistake)
            if got.shape != before.shape:
                continue  # the shape is clip.returns's business
            raise CheckFailed(f"with maxValue={m:g}, entries of gradients['{key}'] outside the range did not become "
                              "exactly maxValue (above) or -maxValue (below). Clip both sides: entries below -maxValue "
                              "become -maxValue, entries above maxValue become maxValue.")


def check_inside_unchanged(ctx):
    """Entries already inside the range come back bit for bit unchanged (maxValue up to 5: what larger
    thresholds do is clip.bounds's business)."""
    for gradients, m, result, _ in clipped_results(ctx):
        if m > 5:
            continue
        arrays = readable(result)
        for key, got in arrays.items():
            before = gradients[key]
            inside = np.abs(before) <= m
            if got.shape == before.shape and np.array_equal(got[inside], before[inside]):
                continue
            interval = known_mistake(arrays, gradients, m)
            if interval:
                raise CheckFailed(interval + " Entries inside [-maxValue, maxValue] must stay exactly as they were.")
            scaled = got.shape == before.shape and np.linalg.norm(before) > m and np.allclose(
                got, before * m / np.linalg.norm(before))
            raise CheckFailed(
                f"with maxValue={m:g}, entries of gradients['{key}'] that were already inside [-maxValue, maxValue] "
                "changed. " + ("It looks like you rescaled the whole gradient by its norm: this exercise clips "
                               "each entry on its own (np.clip)." if scaled else "Only entries outside the range may change."))


def check_caller_untouched(ctx):
    """The caller's dict and arrays are unchanged after the call."""
    for gradients, m, _, after in clipped_results(ctx):
        require(type(after) is dict and sorted(after) == sorted(gradients),
                "clip changed the keys of the caller's dict: build and return a new dict")
        for key in GRADIENT_KEYS:
            require(np.array_equal(after[key], gradients[key]),
                    f"clip changed the caller's gradients['{key}'] in place. Keep "
                    "`gradients = copy.deepcopy(gradients)` at the start, and clip the copies.")


def check_seeded(ctx):
    """Exactly the reference's values in the notebook's set-up (27 symbols, maxValue 10 and 5): other thresholds
    are clip.bounds's and clip.inside_unchanged's business."""
    for (gradients, m, result, _), index in zip(clipped_results(ctx, CLASSIC), CLASSIC):
        want = ctx.expected["clip"]["cases"][index]
        arrays = readable(result)
        for key, expected in to_arrays(want).items():
            got = arrays.get(key)
            if got is None or same(got, expected):
                continue  # a missing key is clip.returns's business
            require(got.shape == expected.shape, f"gradients['{key}'] has shape {got.shape}, not the shape of the "
                                                 "input gradient (clip.returns says more)")
            mistake = known_mistake(arrays, gradients, m)
            require(mistake is None, mistake)
            raise CheckFailed(f"with maxValue={m:g}, gradients['{key}'] differs from the expected clipped values at "
                              f"{int(np.sum(got != expected))} entries")


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
    """For any finite gradients and any positive maxValue (random shapes): the reference's clipped values; or, when
    the learner's clip follows another of RULES on every fixed case (a wrong range, norm clipping: clip.bounds and
    clip.inside_unchanged name those mistakes), the inputs under that rule."""
    found = learner_rule(ctx)
    wrong_rule = found is not None and found[0] is not RULES[0][0]
    rule, agree = found if wrong_rule else (None, same)
    where = ("what your clip does on the other checks' cases" if wrong_rule
             else "the input clipped element-wise to [-maxValue, maxValue]")

    @GRADING
    @hypothesis.seed(EXAMPLES)
    @given(gradients=gradient_dicts(),
           max_value=st.one_of(st.floats(1e-6, 1e6, allow_nan=False), st.integers(1, 1000)))
    def clip_properties(gradients, max_value):
        want = ({key: rule(value, max_value) for key, value in gradients.items()} if wrong_rule
                else ctx.reference["clip"](copy.deepcopy(gradients), max_value))
        arrays = readable(ctx.call("clip", gradients, max_value).value)
        n_a, n_x = gradients["dWax"].shape
        for key, got in arrays.items():
            assert agree(got, want[key]), (f"on a random case (n_a={n_a}, {n_x} symbols), gradients['{key}'] is not "
                                           f"{where}")

    clip_properties()


def check_one_side(ctx):
    """On some case, one side is clipped right: entries above maxValue became maxValue and the positive entries
    inside stayed, or the same below -maxValue (neither the input, nor zeros, nor constants do this)."""
    for gradients, m, result, _ in clipped_results(ctx):
        arrays = readable(result)
        for sign in (1, -1):
            if any(np.any(sign * gradients[key] > m) for key in arrays) and all(got.shape == gradients[key].shape and np.array_equal(
                    got[sign * gradients[key] > 0], np.minimum(sign * gradients[key], m)[sign * gradients[key] > 0] * sign)
                   for key, got in arrays.items()):
                return
    raise CheckFailed("no case has even one side of the range clipped right")


VALUES = (check_one_side,)  # the value a clip must get right somewhere for its other checks to count
CHECKS = CheckModule(function="clip", compute_expected=compute_expected, fragile=nothing_fragile, checks=[
    Check("clip.public", 5, check_public, "the released checks (classic values, maxValue 10 and 5)", public=True),
    Check("clip.returns", 2, needs_a_value(check_returns, VALUES, "clip"), "returns a dict with dWaa, dWax, dWya, db, dby of the input shapes"),
    Check("clip.bounds", 3, needs_a_value(check_bounds, VALUES, "clip"),
          "entries outside [-maxValue, maxValue] become exactly -maxValue or maxValue, for any maxValue"),
    Check("clip.inside_unchanged", 3, needs_a_value(check_inside_unchanged, VALUES, "clip"), "entries inside the range are unchanged, bit for bit"),
    Check("clip.caller_untouched", 3, needs_a_value(check_caller_untouched, VALUES, "clip"), "the caller's gradients are not modified"),
    Check("clip.seeded", 2, check_seeded, "matches the reference exactly in the notebook's set-up (maxValue 10 and 5)"),
    Check("clip.properties", 2, check_properties, "the reference's values for random shapes, values and thresholds"),
])
