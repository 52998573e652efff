"""Checks for `adagrad_update(parameters, gradients, memory, learning_rate=0.1, max_value=5.0)`.

One Adagrad step, in place. On the standard step (gradients inside [-5, 5], some memory entries
still zero, tiny and zero gradients among the others) `memory` compares the memory with the
reference's and `step` compares the parameters with the step the memory calls for: the reference's
memory or, when it is wrong, the learner's own, so that a wrong memory costs points only under
`memory`. `clipping` and `learning_rate` compare two calls of the learner's own function that must
agree when the function clips and uses its learning rate, whatever else it does.
"""
import copy

import hypothesis
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from graders.assignments.min_char_rnn.names import GRADIENT_KEYS, MEMORY_KEYS, PARAMETER_KEYS
from graders.checks import Check, CheckModule, nothing_fragile
from graders.checks.expect import close, expect_array, require, to_arrays, to_lists
from graders.checks.gating import needs_a_value
from graders.checks.properties import GRADING
from graders.checks.signature import check_defaults
from graders.context import CheckFailed
from graders.reference import public_checks

EPSILON = 1e-8
STANDARD_RATE = 0.1
RTOL, ATOL = 1e-9, 1e-13  # learning_rate * g / sqrt(...) and learning_rate * (g / sqrt(...)) differ in the last bit


def shapes(n_a, vocab_size):
    """{parameter key: shape}."""
    return {"Wax": (n_a, vocab_size), "Waa": (n_a, n_a), "Wya": (vocab_size, n_a), "b": (n_a, 1), "by": (vocab_size, 1)}


def standard_problem():
    """(parameters, gradients, memory): gradients of 0.5 to 4.5 in size inside [-5, 5]; a memory of 0.5 to 3
    except where it is still zero (all of mby, some entries of the others), where some gradients are tiny or zero."""
    rng = np.random.RandomState(501)
    parameters = {key: rng.randn(*shape) for key, shape in shapes(5, 7).items()}
    gradients, memory = {}, {}
    for key, value in parameters.items():
        g = rng.uniform(0.5, 4.5, value.shape) * rng.choice([-1.0, 1.0], value.shape)
        m = rng.uniform(0.5, 3.0, value.shape)
        first = rng.rand(*value.shape) < 0.3 if key != "by" else np.ones(value.shape, dtype=bool)
        m[first] = 0.0  # a first step for these entries
        tiny = first & (rng.rand(*value.shape) < 0.6)
        g[tiny] = rng.choice([1e-4, -1e-4, 3e-5, -2e-4, 0.0], int(tiny.sum()))
        gradients["d" + key], memory["m" + key] = g, m
    gradients["dby"][0, 0], gradients["dby"][1, 0] = 0.0, 1e-4  # zero and tiny from zero memory, always there
    return parameters, gradients, memory


def clipping_problem(seed):
    """(parameters, gradients, memory): gradients up to about 15 in size, none zero; memory of 0.5 to 3."""
    rng = np.random.RandomState(seed)
    parameters = {key: rng.randn(*shape) for key, shape in shapes(4, 6).items()}
    gradients = {"d" + key: rng.randn(*v.shape) * 6 + np.sign(rng.randn(*v.shape)) * 0.2 for key, v in parameters.items()}
    memory = {"m" + key: rng.uniform(0.5, 3.0, v.shape) for key, v in parameters.items()}
    return parameters, gradients, memory


CLIPPING = [(511, None), (512, 2.0), (513, 0.5)]  # (seed, max_value); None: the default, 5
RATES = (0.03, 0.5)                               # compared with the same step at STANDARD_RATE


def compute_expected(reference):
    """The reference's memory and parameters after the standard step."""
    parameters, gradients, memory = standard_problem()
    reference["adagrad_update"](parameters, gradients, memory, STANDARD_RATE)
    return {"standard": {"memory": to_lists(memory), "parameters": to_lists(parameters)}}


def run(ctx, problem, key, *args, **kwargs):
    """(parameters, memory) after the learner's call on a problem, from the caller's side (cached by key)."""
    def compute():
        parameters, gradients, memory = problem
        result = ctx.call("adagrad_update", parameters, gradients, memory, *args, **kwargs)
        parameters_after, memory_after = result.args_after[0], result.args_after[2]
        expect_dicts(parameters_after, memory_after, parameters)
        return parameters_after, memory_after
    return ctx.cached(("adagrad_update", key), compute)


def expect_dicts(parameters, memory, shaped_like):
    """The caller's dicts still hold float64 arrays of the parameters' shapes under their keys."""
    for what, value, keys in (("parameters", parameters, PARAMETER_KEYS), ("memory", memory, MEMORY_KEYS)):
        require(type(value) is dict, f"the caller's {what} is no longer a dict")
        for key, parameter in zip(keys, PARAMETER_KEYS):
            require(key in value, f"the caller's {what} has lost its key '{key}': update the arrays under the same keys")
            array = value[key]
            require(type(array) is np.ndarray and array.shape == shaped_like[parameter].shape
                    and array.dtype == np.float64,
                    f"the caller's {what}['{key}'] must stay a float64 array of shape {shaped_like[parameter].shape}")


def standard_run(ctx):
    return run(ctx, standard_problem(), "standard", STANDARD_RATE)


def check_public(ctx):
    """The released checks: two steps and a smaller max_value."""
    public_checks(ctx.assignment).adagrad_update_test(ctx.target("adagrad_update"))


def check_memory(ctx):
    """After the standard step each memory holds what it held plus the square of the clipped gradient."""
    _, gradients, before = standard_problem()
    _, memory = standard_run(ctx)
    want = to_arrays(ctx.expected["adagrad_update"]["standard"]["memory"])
    for key, g in zip(MEMORY_KEYS, gradients.values()):
        got = memory[key]
        if close(got, want[key], RTOL, ATOL):
            continue
        if np.array_equal(got, before[key]):
            raise CheckFailed(f"memory['{key}'] did not change: add the squared clipped gradient to it in the memory dict "
                              "you were given (+=, or store the new array under the same key)")
        if close(got, g * g, RTOL, ATOL):
            raise CheckFailed(f"memory['{key}'] holds only this step's squared gradient: add it to what the memory held "
                              "(+=); the memory is the sum over every step so far")
        if close(got, before[key] + np.abs(g), RTOL, ATOL):
            raise CheckFailed(f"memory['{key}'] grew by the size of the gradient: add its square, g * g")
        raise CheckFailed(f"memory['{key}'] is not the memory before the step plus the square of the clipped gradient")


def step_with(before, gradients, memory, rate, key):
    """The parameter after a step of rate * g / sqrt(memory + EPSILON), for one key."""
    return before[key] - rate * gradients["d" + key] / np.sqrt(memory["m" + key] + EPSILON)


def plausible(memory, before):
    """Is the learner's memory one a step could have left (finite, non-negative, grown by at most 5 ** 2)?"""
    return all(bool(np.all(np.isfinite(memory[k])) and np.all(memory[k] >= 0) and np.all(memory[k] <= before[k] + 25.0))
               for k in MEMORY_KEYS)


def check_step(ctx):
    """The standard step moves each parameter by -learning_rate * g / sqrt(memory + 1e-8), with the memory
    that already holds this step's g and the 1e-8 inside the root (tiny and zero gradients included)."""
    before, gradients, memory_before = standard_problem()
    parameters, memory = standard_run(ctx)
    want_memory = to_arrays(ctx.expected["adagrad_update"]["standard"]["memory"])
    memories = [want_memory] + ([memory] if plausible(memory, memory_before) else [])
    for key in PARAMETER_KEYS:
        got, g, m_key = parameters[key], gradients["d" + key], "m" + key
        if any(close(got, step_with(before, gradients, m, STANDARD_RATE, key), RTOL, ATOL) for m in memories):
            continue
        m = want_memory[m_key]
        if np.array_equal(got, before[key]):
            raise CheckFailed(f"parameters['{key}'] did not change: update the parameters dict you were given (-=, or "
                              "store the new array under the same key)")
        if close(got, step_with(before, gradients, memory_before, STANDARD_RATE, key), RTOL, ATOL):
            raise CheckFailed(f"parameters['{key}'] moved by a step computed with the memory from before this step: add "
                              "g * g to the memory first, then divide by the square root of the updated memory")
        with np.errstate(divide="ignore", invalid="ignore"):
            unprotected = before[key] - STANDARD_RATE * g / np.sqrt(m)
        if np.allclose(got, unprotected, RTOL, ATOL, equal_nan=True):
            raise CheckFailed(f"parameters['{key}'] moved by -learning_rate * g / sqrt(memory): without the 1e-8 inside the "
                              "square root a zero gradient on a zero memory gives 0 / 0, and tiny gradients move by the "
                              "whole learning rate; divide by sqrt(memory + 1e-8)")
        if close(got, before[key] - STANDARD_RATE * g / (np.sqrt(m) + EPSILON), RTOL, ATOL):
            raise CheckFailed(f"parameters['{key}'] moved by -learning_rate * g / (sqrt(memory) + 1e-8): the 1e-8 goes "
                              "inside the square root, sqrt(memory + 1e-8); for tiny gradients the two differ by 30%")
        if close(got, before[key] + STANDARD_RATE * g / np.sqrt(m + EPSILON), RTOL, ATOL):
            raise CheckFailed(f"parameters['{key}'] moved up the gradient: subtract the step, as in gradient descent")
        if close(got, before[key] - STANDARD_RATE * g / (m + EPSILON), RTOL, ATOL):
            raise CheckFailed(f"parameters['{key}'] moved by -learning_rate * g / (memory + 1e-8): divide by the square "
                              "root of the memory plus 1e-8")
        require(bool(np.all(np.isfinite(got))), f"parameters['{key}'] holds NaN or inf: divide by np.sqrt(memory + 1e-8)")
        raise CheckFailed(f"parameters['{key}'] did not move by -learning_rate * g / sqrt(memory + 1e-8), with g the "
                          "clipped gradient and memory the updated memory")


def check_clipping(ctx):
    """Gradients beyond [-max_value, max_value] act exactly as if they were max_value or -max_value
    (the default 5, and other values of max_value)."""
    for seed, max_value in CLIPPING:
        parameters, gradients, memory = clipping_problem(seed)
        limit = 5.0 if max_value is None else max_value
        clipped = {key: np.clip(g, -limit, limit) for key, g in gradients.items()}
        options = {} if max_value is None else {"max_value": max_value}
        raw = run(ctx, (parameters, gradients, memory), ("raw", seed), STANDARD_RATE, **options)
        fair = run(ctx, (parameters, clipped, memory), ("clipped", seed), STANDARD_RATE, **options)
        for what, got, want, keys in (("memory", raw[1], fair[1], MEMORY_KEYS), ("parameters", raw[0], fair[0], PARAMETER_KEYS)):
            for key, g in zip(keys, gradients.values()):
                differ = ~np.isclose(got[key], want[key], rtol=RTOL, atol=ATOL)
                if not differ.any():
                    continue
                sides = {"above max_value" if x > 0 else "below -max_value" for x in g[differ]}
                fixed = " (clip with the max_value argument, not with 5)" if limit != 5.0 else ""
                raise CheckFailed(f"with max_value={limit:g}, gradient entries {' and '.join(sorted(sides))} changed "
                                  f"{what}['{key}'] differently from gradients clipped to [-{limit:g}, {limit:g}]: clip each "
                                  f"gradient to [-max_value, max_value] before using it, for the memory and for the "
                                  f"step alike{fixed}")


def check_learning_rate(ctx):
    """The step is proportional to learning_rate (0.03 and 0.5 against 0.1), and the memory does not depend on it."""
    problem = clipping_problem(521)
    before = problem[0]
    base_parameters, base_memory = run(ctx, problem, ("rate", STANDARD_RATE), STANDARD_RATE)
    for rate in RATES:
        parameters, memory = run(ctx, clipping_problem(521), ("rate", rate), rate)
        for key in MEMORY_KEYS:
            require(close(memory[key], base_memory[key], RTOL, ATOL),
                    f"memory['{key}'] depends on the learning rate: it adds the squared gradient, nothing else")
        for key in PARAMETER_KEYS:
            step, base = parameters[key] - before[key], base_parameters[key] - before[key]
            if close(step, base * (rate / STANDARD_RATE), 1e-7, 1e-13):
                continue
            fixed = " as with learning_rate=0.1: use the learning_rate argument, not a number" if close(step, base) else ""
            raise CheckFailed(f"with learning_rate={rate} parameters['{key}'] moved{fixed or ' by a step that is not'}"
                              + ("" if fixed else f" {rate / STANDARD_RATE:g} times the step with learning_rate=0.1"))


def adagrad_problem(n_a, vocab_size, seed, scale):
    """(parameters, gradients, memory): random parameters, memories (some zero), gradients (some zero)."""
    rng = np.random.RandomState(seed)
    parameters, gradients, memory = {}, {}, {}
    for key, shape in shapes(n_a, vocab_size).items():
        parameters[key] = rng.randn(*shape)
        g = rng.randn(*shape) * scale
        g[rng.rand(*shape) < 0.15] = 0.0
        m = rng.uniform(0, 4, shape)
        m[rng.rand(*shape) < 0.4] = 0.0
        gradients["d" + key], memory["m" + key] = g, m
    return parameters, gradients, memory


problems = st.tuples(st.integers(1, 5), st.integers(1, 6), st.integers(0, 999), st.sampled_from([1e-3, 0.3, 3.0, 30.0]),
                     st.sampled_from([0.01, 0.1, 0.5]), st.sampled_from([0.5, 1.0, 5.0]))
# (n_a, vocab_size, seed, gradient scale, learning_rate, max_value)


EXAMPLES = 0x616461677261645f7570646174655f70726f70657274696573  # the pinned examples of check_properties


def check_properties(ctx):
    """For random problems: the memory grows by exactly min(g ** 2, max_value ** 2); a zero gradient changes
    nothing; each parameter moves by at most learning_rate, against its gradient; from zero memory, a
    gradient of at least 0.01 moves its parameter by learning_rate, to within 5e-5."""
    @GRADING
    @hypothesis.seed(EXAMPLES)
    @given(problem=problems)
    def adagrad_properties(problem):
        n_a, vocab_size, seed, scale, rate, max_value = problem
        before, gradients, memory = adagrad_problem(n_a, vocab_size, seed, scale)
        result = ctx.call("adagrad_update", *copy.deepcopy((before, gradients, memory)), rate, max_value=max_value)
        parameters, grown = result.args_after[0], result.args_after[2]
        expect_dicts(parameters, grown, before)
        for key in PARAMETER_KEYS:
            g, m, moved = gradients["d" + key], memory["m" + key], parameters[key] - before[key]
            expect_array(moved, g.shape, f"parameters['{key}']")
            assert close(grown["m" + key] - m, np.minimum(g * g, max_value ** 2), 1e-9, 1e-12), (
                f"memory['m{key}'] did not grow by exactly min(g ** 2, max_value ** 2)")
            assert np.all(moved[g == 0] == 0), f"parameters['{key}'] moved where its gradient is zero"
            assert np.all(np.abs(moved) <= rate * (1 + 1e-9)), f"parameters['{key}'] moved by more than learning_rate"
            assert np.all(moved * g <= 0), f"parameters['{key}'] moved along its gradient instead of against it"
            first = (m == 0) & (np.abs(g) >= 0.01)
            assert np.allclose(np.abs(moved[first]), rate, rtol=5e-5, atol=0), (
                f"from zero memory, parameters['{key}'] did not move by learning_rate where |gradient| >= 0.01")

    adagrad_properties()


VALUES = (check_memory, check_step)
CHECKS = CheckModule(function="adagrad_update", compute_expected=compute_expected, fragile=nothing_fragile, checks=[
    Check("adagrad_update.public", 5, check_public, "the released checks (two steps, a smaller max_value)", public=True),
    Check("adagrad_update.memory", 3, check_memory, "each memory grows by the square of the clipped gradient, in place"),
    Check("adagrad_update.step", 4, check_step,
          "parameters move by -learning_rate * g / sqrt(memory + 1e-8), memory updated first, in place"),
    Check("adagrad_update.clipping", 3, needs_a_value(check_clipping, VALUES, "adagrad_update"),
          "gradients are clipped to [-max_value, max_value] before the memory and the step"),
    Check("adagrad_update.learning_rate", 2, needs_a_value(check_learning_rate, VALUES, "adagrad_update"),
          "the step is proportional to the learning_rate argument"),
    Check("adagrad_update.defaults", 1, needs_a_value(check_defaults("adagrad_update"), VALUES, "adagrad_update"),
          "learning_rate and max_value default to the stub's 0.1 and 5.0"),
    Check("adagrad_update.properties", 2, needs_a_value(check_properties, VALUES, "adagrad_update"),
          "the contract's properties hold on random problems"),
])
