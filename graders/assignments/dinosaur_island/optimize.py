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
from graders.checks.properties import GRADING
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


def each_case(ctx):
    """(case index, run, expected values) for every case."""
    for index in range(len(CASES)):
        yield index, run_case(ctx, index), ctx.expected["optimize"]["cases"][index]


def check_public(ctx):
    """The released check: the classic example and its published values."""
    public_checks(ctx.assignment).optimize_test(ctx.target("optimize"))  # the learner's own clip, as in the notebook


def check_returns(ctx):
    """Returns (loss, gradients, a_last): a number, a dict of five float arrays, an (n_a, 1) array."""
    for _, run, _ in each_case(ctx):
        unpack(run)


def check_loss(ctx):
    """The loss is rnn_forward's loss on the same inputs (before the update)."""
    for index, run, want in each_case(ctx):
        loss, _, _ = unpack(run)
        require(abs(loss - want["loss"]) <= 1e-9 * max(1.0, abs(want["loss"])),
                f"case {index}: your loss {loss!r} is not the expected one. Return the loss from "
                "rnn_forward(X, Y, a_prev, parameters), computed before the parameters are updated.")


def check_gradients(ctx):
    """The returned gradients are rnn_backward's, clipped to [-5, 5]."""
    for index, run, want in each_case(ctx):
        _, gradients, _ = unpack(run)
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


def check_hidden_state(ctx):
    """The third returned value is the last hidden state, a[len(X)-1]."""
    for index, run, want in each_case(ctx):
        _, _, a_last = unpack(run)
        if close(a_last, np.array(want["a_last"])):
            continue
        if np.array_equal(a_last, run["inputs"][2]):
            raise CheckFailed("optimize returned the hidden state it was given (a[-1] is the state before the first "
                              "step, not the last one). " + LAST_STATE)
        raise CheckFailed(f"case {index}: the returned hidden state is not the last one: return a[len(X)-1].")


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
        assert abs(loss - want_loss) <= 1e-9 * max(1.0, abs(want_loss)), f"loss {loss} != rnn_forward's {want_loss}"
        for k in GRADIENT_KEYS:
            assert close(gradients[k], want_grads[k]), f"gradients['{k}'] != clip(rnn_backward(...), 5)['{k}']"
        for k in PARAMETER_KEYS:
            assert close(result.args_after[3][k], mine[k], rtol=1e-9, atol=1e-12), (
                f"parameters['{k}'] was not updated in place by -learning_rate x the clipped gradient")
        assert close(a_last, want_a), "the returned hidden state is not a[len(X)-1]"

    optimize_properties()


CHECKS = CheckModule(function="optimize", compute_expected=compute_expected, fragile=nothing_fragile, checks=[
    Check("optimize.public", 5, check_public, "the released check (classic example, published values)", public=True),
    Check("optimize.returns", 2, check_returns, "returns (loss, gradients, a_last) with the right types and shapes"),
    Check("optimize.loss", 2, check_loss, "the loss is rnn_forward's loss"),
    Check("optimize.gradients", 4, check_gradients, "the gradients are rnn_backward's, clipped at 5"),
    Check("optimize.update", 4, check_update, "parameters updated in place by -learning_rate x clipped gradients"),
    Check("optimize.hidden_state", 2, check_hidden_state, "returns the last hidden state a[len(X)-1]"),
    Check("optimize.properties", 1, check_properties, "properties hold for random shapes, sequences and rates"),
])
