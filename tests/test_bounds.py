"""The grader's own bounds: reply sizes, layouts, argument schemas, its memory, report sizes, hidden inputs."""
import inspect
import itertools
import resource

import numpy as np
import pytest

from graders import bounds
from graders.checks.expect import expect_layout
from graders.context import CheckFailed
from graders.redaction import HIDDEN, redact


def test_replies_far_larger_than_their_inputs_are_refused():
    """Is a reply about the size of its inputs accepted, and one of 12 MB for 2 KB of inputs refused by name?"""
    inputs = [[np.zeros((10, 27))], {}]
    assert bounds.reply_problem("optimize", inputs, [np.zeros((10, 27)), inputs]) is None
    problem = bounds.reply_problem("model", [["a" * 2048], {}], ["x" * (12 * 2**20)])
    assert problem.startswith("model sent back about 12.0 MiB")


def test_layouts_name_the_first_difference():
    """Does a value with another shape, dtype, key or type fail with a message that names where?"""
    template = {"Wax": np.zeros((10, 27)), "b": np.zeros((10, 1))}
    expect_layout({"Wax": np.ones((10, 27)), "b": np.ones((10, 1))}, template, "parameters")
    cases = {"parameters['Wax'] has shape (40000, 1, 1), expected (10, 27)":
             {"Wax": np.zeros((40000, 1, 1), np.uint8), "b": np.zeros((10, 1))},
             "parameters['b'] has dtype float32, expected float64": {"Wax": np.zeros((10, 27)),
                                                                     "b": np.zeros((10, 1), np.float32)},
             "parameters has no key 'b'": {"Wax": np.zeros((10, 27))},
             "parameters must be a dict, got list": []}
    for message, value in cases.items():
        with pytest.raises(CheckFailed, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
            expect_layout(value, template, "parameters")


def test_functions_supplied_to_learner_code_check_their_arguments():
    """Does a function wrapped with schemas refuse wrong arity, long lists and non-numbers before it runs?"""
    ran = []
    function = bounds.accepting(lambda X, rate: ran.append(X), X=bounds.ListOf(bounds.INDEX, 3), rate=bounds.NUMBER)
    function([None, 1, 2], 0.1)
    for args, message in ((([0] * 4, 0.1), "X must be a list of at most 3 items, got 4 items"),
                          (([0], "0.1"), "rate must be number, got str"), (([0],), "missing a required argument")):
        with pytest.raises(ValueError, match=message):
            function(*args)
    assert ran == [[None, 1, 2]]


def test_plain_signatures_bind_as_inspect_binds_them():
    """For every mix of positional and keyword arguments (too many, unknown, repeated, missing), does the quick
    binding of a plain signature give inspect's arguments, in its order, or leave the case to inspect?"""
    def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
        return X
    signature = inspect.signature(optimize)
    names = list(signature.parameters)
    for count in range(7):
        for keywords in itertools.chain.from_iterable(itertools.combinations(names + ["rate"], r) for r in range(4)):
            args, kwargs = tuple(range(count)), {key: key for key in keywords}
            quick = bounds.bound_plainly(names, 4, args, kwargs)
            try:
                bound = list(signature.bind(*args, **kwargs).arguments.items())
            except TypeError:
                bound = None
            assert (list(quick.items()) if quick is not None else None) == bound, (args, kwargs)


def test_the_memory_ceiling_applies_while_grading_and_is_lifted_after():
    """Inside memory_ceiling, does an allocation beyond it raise MemoryError, and is the limit as before after?"""
    before = resource.getrlimit(resource.RLIMIT_AS)
    with bounds.memory_ceiling(256 * 2**20):
        with pytest.raises(MemoryError):
            np.ones(2**30)  # 8 GiB
    assert resource.getrlimit(resource.RLIMIT_AS) == before


def test_reports_are_capped_per_message_and_in_total():
    """Are long messages cut with a note, short ones kept whole, and the total held to the limit?"""
    texts = ["short", "y" * 50_000, "z" * 30_000]
    capped = bounds.capped_together(texts, 20_000)
    assert capped[0] == "short" and sum(map(len, capped)) <= 20_000
    assert all(text.endswith("more characters not shown]") for text in capped[1:])
    assert bounds.capped("x" * 10, 100) == "x" * 10 and len(bounds.capped("x" * 10_000, 100)) == 100


def test_hidden_inputs_are_redacted_from_learner_text():
    """Are the inputs' floats (at any printed precision) and names replaced, and integers and short numbers kept?"""
    parameters = {"W": np.array([[1.6243453636632417, -0.6117564136500754]]), "names": ["achillobator"]}
    text = (f"bad {parameters['W']} and {list(parameters['W'].ravel())} for achillobator; "
            "KeyError: 12, rate 0.01, shape (1, 2), 1.5")
    redacted = redact(text, [parameters])
    assert "1.62" not in redacted and "0.61" not in redacted and "achillobator" not in redacted
    assert redacted.count(HIDDEN) == 5 and "KeyError: 12, rate 0.01, shape (1, 2), 1.5" in redacted


def test_an_input_whose_exponent_was_cut_off_is_redacted():
    """Is a hidden float printed in scientific notation and cut after its `e` (a capped message) still replaced, while
    other numbers cut the same way are kept?"""
    parameters = {"W": np.array([[0.5379103951, -37.3449976112]])}
    text = f"{parameters['W'][0, 0]:.8e}"[:-3] + " and " + f"{parameters['W'][0, 1]:.8e}"[:-2] + " but 4.21876e"
    redacted = redact(text, [parameters])
    assert "5.379" not in redacted and "3.734" not in redacted and "4.21876e" in redacted
    assert redacted.count(HIDDEN) == 2
