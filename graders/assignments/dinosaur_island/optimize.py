"""Checks for `optimize(X, Y, a_prev, parameters, learning_rate)`: one clipped SGD step.

While `optimize` is graded, the learner's code calls the reference `clip` (run by the grader), so a
mistake in `clip` costs points only under `clip`.
"""
import copy

import hypothesis
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from graders.assignments.dinosaur_island.expect import expect_gradients
from graders.assignments.dinosaur_island.names import GRADIENT_KEYS, PARAMETER_KEYS
from graders.bounds import NUMBER, Array, accepting_wrap
from graders.checks import Check, CheckModule, nothing_fragile
from graders.checks.expect import (close, expect_array, expect_layout, expect_scalar, hinted, require, to_arrays,
                                   to_lists)
from graders.checks.gating import needs_a_value, passes
from graders.checks.properties import GRADING
from graders.checks.signature import check_defaults
from graders.context import CheckFailed, LearnerCodeError
from graders.reference import public_checks

# (seed, n_a, vocab_size, sequence length, learning rate, parameter scale, X starts with None)
CASES = [
    (301, 10, 27, 8, 0.01, 1.0, True),
    (302, 5, 5, 4, 0.05, 0.3, True),
    (303, 20, 40, 12, 0.003, 2.0, False),
    (304, 7, 27, 1, 0.1, 0.05, True),
    (305, 30, 27, 6, 0.01, 1.0, False),
]
CLASSIC = [i for i, case in enumerate(CASES) if case[2] == 27]       # the value checks' cases
OTHER_VOCABULARIES = [i for i, case in enumerate(CASES) if case[2] != 27]  # optimize.vocabularies's
LAST_STATE = ("a is a dict keyed by time step, 0 to len(X)-1 (and -1 for the state before the first step): "
              "return a[len(X)-1].")
GRADIENT_OF = dict(zip(PARAMETER_KEYS, ("dWax", "dWaa", "dWya", "db", "dby")))
IN_PLACE = ": update_parameters changes the caller's arrays in place; keep their shapes and dtypes."


def optimize_inputs(case):
    """(X, Y, a_prev, parameters, learning_rate) for a case."""
    seed, n_a, v, length, lr, scale, none_first = case
    rng = np.random.RandomState(seed)
    parameters = {"Wax": rng.randn(n_a, v) * scale, "Waa": rng.randn(n_a, n_a) * scale,
                  "Wya": rng.randn(v, n_a) * scale, "b": rng.randn(n_a, 1) * scale, "by": rng.randn(v, 1) * scale}
    a_prev = rng.randn(n_a, 1) * 0.5
    if none_first:
        X = [None] + rng.randint(1, v, length - 1).tolist()
        Y = X[1:] + [0]
    else:
        X, Y = rng.randint(0, v, length).tolist(), rng.randint(0, v, length).tolist()
    return X, Y, a_prev, parameters, lr


def compute_expected(reference):
    """Loss, clipped gradients, last state and updated parameters of the reference, per case."""
    cases = []
    for case in CASES:
        X, Y, a_prev, parameters, lr = optimize_inputs(case)
        loss, gradients, a_last = reference["optimize"](X, Y, a_prev, parameters, learning_rate=lr)
        cases.append({"loss": float(loss), "gradients": to_lists({k: gradients[k] for k in GRADIENT_KEYS}),
                      "a_last": np.asarray(a_last).tolist(), "parameters": to_lists(parameters)})
    return {"cases": cases}


def recording_bounds(clip_calls):
    """A wrap for the reference clip that appends each maxValue it is called with to clip_calls."""
    def wrap(reference_clip):
        def recording_clip(gradients, maxValue):
            clip_calls.append(maxValue)
            return reference_clip(gradients, maxValue)
        return recording_clip
    return wrap


def run_case(ctx, index):
    """The learner's optimize on one case, with the reference clip recording its maxValue."""
    def compute():
        X, Y, a_prev, parameters, lr = optimize_inputs(CASES[index])
        clip_calls = []
        try:
            result = ctx.call("optimize", X, Y, a_prev, parameters, learning_rate=lr,
                              recorders={"clip": accepting_wrap(clip_schemas(parameters), recording_bounds(clip_calls))})
        except LearnerCodeError as error:
            raise hinted(error, [(f"KeyError: {len(X)}", LAST_STATE)]) from None
        return {"inputs": (X, Y, a_prev, parameters, lr), "value": result.value,
                "parameters_after": result.args_after[3], "clip_calls": clip_calls}
    return ctx.cached(("optimize", index), compute)


def clip_schemas(parameters):
    """{parameter: schema} of the reference clip while optimize runs: gradients of these parameters' shapes, a number."""
    return {"gradients": {GRADIENT_OF[key]: Array(value.shape) for key, value in parameters.items()}, "maxValue": NUMBER}


def unpack(run):
    """(loss, gradients, a_last) after checking the returned structure."""
    value = run["value"]
    X, Y, a_prev, parameters, lr = run["inputs"]
    require(type(value) is tuple and len(value) == 3,
            f"optimize must return a tuple (loss, gradients, a[len(X)-1]); got {type(value).__name__}"
            + (f" of length {len(value)}" if type(value) in (tuple, list) else ""))
    loss, gradients, a_last = value
    require(type(a_last) is not dict, "the third value returned is the whole dict a; return only the last hidden "
                                      "state, a[len(X)-1], an (n_a, 1) array")
    loss = expect_scalar(loss, "the loss")
    expect_gradients(gradients, {GRADIENT_OF[k]: v for k, v in parameters.items()}, what="optimize")
    expect_array(a_last, a_prev.shape, "the returned hidden state")
    return loss, gradients, a_last


def each_case(ctx, indices=CLASSIC):
    """(case index, run, expected values) for the cases of a vocabulary of 27 (or of the indices given)."""
    for index in indices:
        yield index, run_case(ctx, index), ctx.expected["optimize"]["cases"][index]


def returned(run, position, what):
    """One of the three values optimize returned, read leniently (the whole result is optimize.returns's business)."""
    value = run["value"]
    require(type(value) in (tuple, list) and len(value) == 3,
            f"optimize did not return three values, so {what} cannot be checked (optimize.returns says more)")
    return value[position]


def check_public(ctx):
    """The released check: the classic example and its published values."""
    public_checks(ctx.assignment).optimize_test(ctx.target("optimize", own=False))  # the reference clip


def check_returns(ctx):
    """Returns (loss, gradients, a_last): a number, a dict of five float arrays, an (n_a, 1) array."""
    for _, run, _ in each_case(ctx, range(len(CASES))):
        unpack(run)


def check_loss(ctx):
    """The loss is rnn_forward's loss on the same inputs (before the update)."""
    for index, run, want in each_case(ctx):
        loss = expect_scalar(returned(run, 0, "the loss"), "the loss")
        require(abs(loss - want["loss"]) <= 1e-9 * max(1.0, abs(want["loss"])),
                f"case {index}: your loss is not the expected one. Return the loss from "
                "rnn_forward(X, Y, a_prev, parameters), computed before the parameters are updated.")


def check_gradients(ctx):
    """The returned gradients are rnn_backward's, clipped to [-5, 5]."""
    for index, run, want in each_case(ctx):
        gradients = returned(run, 1, "the gradients")
        expect_gradients(gradients, {GRADIENT_OF[k]: v for k, v in run["inputs"][3].items()}, what="optimize")
        expected = to_arrays(want["gradients"])
        if all(close(gradients[k], expected[k]) for k in GRADIENT_KEYS):
            continue
        wrong_bounds = [m for m in run["clip_calls"] if m != 5]
        if wrong_bounds:
            raise CheckFailed(f"optimize called clip(gradients, {wrong_bounds[0]!r}); the gradients must be clipped "
                              "to [-5, 5]: maxValue is 5.")
        unclipped = any(np.max(np.abs(gradients[k])) > 5 for k in GRADIENT_KEYS)
        if unclipped and not run["clip_calls"]:
            raise CheckFailed(f"case {index}: the returned gradients have entries outside [-5, 5] and clip was never "
                              "called: clip the gradients that rnn_backward returns, at 5, before the update.")
        if unclipped:
            raise CheckFailed(f"case {index}: clip was called but the returned gradients are not the clipped ones: "
                              "keep the dict clip returns and return that one.")
        raise CheckFailed(f"case {index}: the returned gradients differ from rnn_backward's (clipped to [-5, 5]): "
                          "call rnn_backward(X, Y, parameters, cache) with the cache from rnn_forward.")


def check_update(ctx):
    """The caller's parameters are updated in place by -learning_rate x the clipped gradients."""
    for index, run, want in each_case(ctx):
        X, Y, a_prev, before, lr = run["inputs"]
        after = run["parameters_after"]
        expected = to_arrays(want["parameters"])
        require(type(after) is dict, "optimize replaced the caller's parameters dict")
        expect_layout(after, before, "the caller's parameters", IN_PLACE)
        if all(close(after.get(k), expected[k], rtol=1e-9, atol=1e-12) for k in PARAMETER_KEYS):
            continue
        if moved_by_own_gradients(run):
            continue  # the step taken with the gradients returned: whether those are right is optimize.gradients's business
        if all(np.array_equal(after[k], before[k]) for k in PARAMETER_KEYS):
            raise CheckFailed(f"case {index}: the caller's parameters did not change. update_parameters works in place "
                              "on the dict it is given: pass it the `parameters` argument itself, not a copy.")
        step = {k: after[k] - before[k] for k in PARAMETER_KEYS}
        grads = to_arrays(want["gradients"])
        ratio = [float(np.sum(step[k] * grads[GRADIENT_OF[k]]) / max(np.sum(grads[GRADIENT_OF[k]] ** 2), 1e-300))
                 for k in PARAMETER_KEYS]
        rate = -float(np.median(ratio))
        if abs(rate + lr) < 1e-6 * lr:
            raise CheckFailed(f"case {index}: the parameters moved up the gradient (by +learning_rate x gradient): "
                              "gradient descent subtracts it; pass learning_rate itself to update_parameters.")
        if abs(rate - lr) > 1e-6 * lr and abs(rate - 0.01) < 1e-8:
            raise CheckFailed(f"case {index}: learning_rate was {lr} but the parameters moved by 0.01 x gradient: pass "
                              "the learning_rate argument to update_parameters instead of a fixed number.")
        _, cache = ctx.reference["rnn_forward"](X, Y, a_prev, before)
        raw, _ = ctx.reference["rnn_backward"](X, Y, before, cache)
        if all(close(after[k], before[k] - lr * raw[GRADIENT_OF[k]], rtol=1e-9, atol=1e-12) for k in PARAMETER_KEYS):
            raise CheckFailed(f"case {index}: the parameters were updated with the unclipped gradients: clip first "
                              "(at 5), then call update_parameters with the clipped gradients.")
        raise CheckFailed(f"case {index}: the parameters were not updated by -learning_rate x the clipped gradients. "
                          "Clip first, then call update_parameters(parameters, gradients, learning_rate) with the "
                          "clipped gradients.")


def moved_by_own_gradients(run):
    """Did the caller's parameters move by -learning_rate x the gradients optimize returned?"""
    X, Y, a_prev, before, lr = run["inputs"]
    value, after = run["value"], run["parameters_after"]
    gradients = value[1] if type(value) in (tuple, list) and len(value) == 3 else None
    return type(gradients) is dict and all(
        type(gradients.get(GRADIENT_OF[k])) is np.ndarray and
        close(after[k], before[k] - lr * gradients[GRADIENT_OF[k]], rtol=1e-9, atol=1e-12) for k in PARAMETER_KEYS)


def check_hidden_state(ctx):
    """The third returned value is the last hidden state, a[len(X)-1]."""
    for index, run, want in each_case(ctx):
        a_last = returned(run, 2, "the hidden state")
        require(type(a_last) is not dict, "the third value returned is the whole dict a; return only the last "
                                          "hidden state, a[len(X)-1], an (n_a, 1) array")
        expect_array(a_last, run["inputs"][2].shape, "the returned hidden state")
        if close(a_last, np.array(want["a_last"])):
            continue
        if np.array_equal(a_last, run["inputs"][2]):
            raise CheckFailed("optimize returned the hidden state it was given (a[-1] is the state before the first "
                              "step, not the last one). " + LAST_STATE)
        raise CheckFailed(f"case {index}: the returned hidden state is not the last one: return a[len(X)-1].")


def check_vocabularies(ctx):
    """On vocabularies of 5 and 40 symbols: the reference's loss, gradients, update and last state, whenever the
    classic vocabulary of 27 gets them (what goes wrong on it is the other checks' business)."""
    if not all(passes(check, ctx) for check in (check_loss, check_gradients, check_update, check_hidden_state)):
        return
    for index, run, want in each_case(ctx, OTHER_VOCABULARIES):
        v = CASES[index][2]
        loss, gradients, a_last = unpack(run)
        expected = to_arrays(want["gradients"])
        after = run["parameters_after"]
        right = (abs(loss - want["loss"]) <= 1e-9 * max(1.0, abs(want["loss"]))
                 and all(close(gradients[k], expected[k]) for k in GRADIENT_KEYS)
                 and close(a_last, np.array(want["a_last"]))
                 and all(close(after.get(k), value, rtol=1e-9, atol=1e-12)
                         for k, value in to_arrays(want["parameters"]).items()))
        require(right, f"with a vocabulary of {v} symbols optimize does not give the expected loss, gradients, update "
                       "and state, while it does with 27: take every size from the arrays it is given, not the number 27.")


@st.composite
def optimize_problems(draw):
    """Random small problems: n_a 1-6, vocabulary 2-9, sequences of 1-10 steps, learning rates."""
    n_a, v, length = draw(st.integers(1, 6)), draw(st.integers(2, 9)), draw(st.integers(1, 10))
    rng = np.random.RandomState(draw(st.integers(0, 2**31 - 1)))
    scale = draw(st.sampled_from([0.01, 0.5, 3.0]))
    parameters = {"Wax": rng.randn(n_a, v) * scale, "Waa": rng.randn(n_a, n_a) * scale, "Wya": rng.randn(v, n_a) * scale,
                  "b": rng.randn(n_a, 1) * scale, "by": rng.randn(v, 1) * scale}
    X = [None if t == 0 and draw(st.booleans()) else int(rng.randint(0, v)) for t in range(length)]
    Y = rng.randint(0, v, length).tolist()
    lr = draw(st.sampled_from([0.001, 0.01, 0.05, 0.2]))
    return X, Y, rng.randn(n_a, 1), parameters, lr


# The examples check_properties draws, the same in every grading run. Left to itself, Hypothesis would
# derive them from the property's source text (derandomize), so that editing it would change them.
EXAMPLES = 0xf8ccbefe8cff588aae13c5f1ce281cad498314d9a72f491ec0f35223e22edb93f4c70bf27733217e20478f660d613b01


def check_properties(ctx):
    """For random problems: the loss is rnn_forward's, the gradients are clip(rnn_backward(...), 5), the
    parameters move in place by -learning_rate x those gradients, the state returned is the last one."""
    @GRADING
    @hypothesis.seed(EXAMPLES)
    @given(problem=optimize_problems())
    def optimize_properties(problem):
        X, Y, a_prev, parameters, lr = problem
        mine = copy.deepcopy(parameters)
        want_loss, want_grads, want_a = ctx.reference["optimize"](X, Y, a_prev.copy(), mine, learning_rate=lr)
        result = ctx.call("optimize", X, Y, a_prev, parameters, learning_rate=lr,
                          recorders={"clip": accepting_wrap(clip_schemas(parameters))})
        loss, gradients, a_last = unpack({"value": result.value, "inputs": problem})
        expect_layout(result.args_after[3], parameters, "the caller's parameters", IN_PLACE)
        assert abs(loss - want_loss) <= 1e-9 * max(1.0, abs(want_loss)), "the loss is not rnn_forward's"
        for k in GRADIENT_KEYS:
            assert close(gradients[k], want_grads[k]), f"gradients['{k}'] != clip(rnn_backward(...), 5)['{k}']"
        for k in PARAMETER_KEYS:
            assert close(result.args_after[3][k], mine[k], rtol=1e-9, atol=1e-12), (
                f"parameters['{k}'] was not updated in place by -learning_rate x the clipped gradient")
        assert close(a_last, want_a), "the returned hidden state is not a[len(X)-1]"

    optimize_properties()


VALUES = (check_loss, check_gradients, check_hidden_state)  # an optimize that gets none of these right earns nothing
CHECKS = CheckModule(function="optimize", compute_expected=compute_expected, fragile=nothing_fragile, checks=[
    Check("optimize.public", 5, check_public, "the released check (classic example, published values)", public=True),
    Check("optimize.returns", 1, needs_a_value(check_returns, VALUES, "optimize"),
          "returns (loss, gradients, a_last) with the right types and shapes"),
    Check("optimize.defaults", 1, needs_a_value(check_defaults("optimize"), VALUES, "optimize"),
          "learning_rate defaults to 0.01, as in the stub's signature"),
    Check("optimize.loss", 2, check_loss, "the loss is rnn_forward's loss"),
    Check("optimize.gradients", 3, check_gradients, "the gradients are rnn_backward's, clipped at 5"),
    Check("optimize.update", 3, needs_a_value(check_update, VALUES, "optimize"),
          "parameters updated in place by -learning_rate x the (clipped) gradients"),
    Check("optimize.hidden_state", 2, check_hidden_state, "returns the last hidden state a[len(X)-1]"),
    Check("optimize.vocabularies", 2, needs_a_value(check_vocabularies, VALUES, "optimize"),
          "the same for vocabularies of 5 and 40 symbols"),
    Check("optimize.properties", 1, check_properties, "the reference's values for random shapes, sequences and rates"),
])
