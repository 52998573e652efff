"""Remembered answers of reference functions (graders/answers.py): the same results, fewer runs."""
from pathlib import Path

import numpy as np

from conftest import DINO
from graders import answers
from graders.grading import grade
from graders.reference import SOURCE_DIGEST, load_reference, stand_ins


def counting_step(calls):
    """An optimize-like function that counts its runs, writes into its parameters and returns new arrays."""
    def step(X, Y, a_prev, parameters, learning_rate=0.01):
        calls.append(1)
        for value in parameters.values():
            value -= learning_rate * len(X)
        return float(sum(Y)), {"d" + key: value * 2 for key, value in parameters.items()}, a_prev + 1
    return step


def step_arguments():
    return [None, 1, 2], [1, 2, 0], np.zeros((2, 1)), {"W": np.ones((2, 2)), "b": np.ones((2, 1))}


def test_an_answer_given_again_is_the_functions_own_with_its_in_place_changes():
    """On the same arguments a second time, does the remembered function skip the run yet give equal results, write
    the same values into the arguments' arrays, and hand out arrays its caller may change without harm?"""
    calls = []
    step = answers.remembering(counting_step(calls))
    first_args, again_args = step_arguments(), step_arguments()
    first = step(*first_args, learning_rate=0.5)
    first[1]["dW"][...] = 99  # the caller changes what it got: the memory must not change with it
    again = step(*again_args, learning_rate=0.5)
    assert len(calls) == 1
    plain_args = step_arguments()
    plain = counting_step([])(*plain_args, learning_rate=0.5)
    assert again[0] == plain[0] and all(np.array_equal(again[1][k], plain[1][k]) for k in plain[1])
    assert np.array_equal(again[2], plain[2])
    assert all(np.array_equal(again_args[3][k], plain_args[3][k]) for k in plain_args[3])


def test_arguments_that_differ_in_any_way_run_the_function():
    """Do another float, 0.0, -0.0 and 0 apart, another array byte, a keyword given by position or a read-only array
    each make the function run, and does forget() drop what was remembered?"""
    calls = []
    step = answers.remembering(counting_step(calls))
    step(*step_arguments(), learning_rate=0.5)
    X, Y, a_prev, parameters = step_arguments()
    variants = [dict(learning_rate=0.25), dict(learning_rate=0.0), dict(learning_rate=-0.0), dict(learning_rate=0),
                dict(a_prev=a_prev + 1e-300), dict(position=True)]
    for variant in variants:
        arguments = list(step_arguments())
        if "a_prev" in variant:
            arguments[2] = variant["a_prev"]
        if variant.get("position"):
            step(*arguments, 0.5)
        else:
            step(*arguments, learning_rate=variant.get("learning_rate", 0.5))
    before = len(calls)
    step(*step_arguments(), learning_rate=-0.0)
    answers.forget()
    step(*step_arguments(), learning_rate=0.5)
    assert (before, len(calls)) == (1 + len(variants), 2 + len(variants))
    read_only = step_arguments()
    read_only[3]["W"].flags.writeable = False
    assert answers.key_of(read_only) != answers.key_of(step_arguments())


def test_what_is_remembered_stays_within_its_memory_bound(monkeypatch):
    """Do calls on ever new arguments (a learner's code can make them) keep the remembered answers of a function
    within HELD_BYTES, the least recently used forgotten first, and still give right answers?"""
    monkeypatch.setattr(answers, "HELD_BYTES", 150_000)
    calls = []
    function = counting_step(calls)
    step, table = answers.remembering(function), answers._ANSWERS[function]
    big = {"W": np.ones((50, 50)), "b": np.ones((50, 1))}  # about 20 KB in the key, 20 KB after, 20 KB returned: 2 fit
    for n in range(20):
        step([None, 1], [1, 0], np.full((2, 1), float(n)), {k: v.copy() for k, v in big.items()})
    assert 0 < table.held <= 150_000 and 1 < len(table) < 20
    assert table.held == sum(size for _, _, size in table.values())
    loss, _, a_last = step([None, 1], [1, 0], np.full((2, 1), 19.0), {k: v.copy() for k, v in big.items()})
    assert len(calls) == 20 and loss == 1.0 and np.array_equal(a_last, np.full((2, 1), 20.0))  # the last one kept
    answers.forget()
    assert table.held == 0 and not table


def test_a_reference_loaded_again_from_the_same_code_finds_its_answers():
    """Does the reference optimize of a second load of the reference (same notebook, same helpers) answer from what
    the first load's optimize ran, without running its forward pass again?"""
    first, second = load_reference(DINO), load_reference(DINO)
    assert first[SOURCE_DIGEST] == second[SOURCE_DIGEST] and first["optimize"] is not second["optimize"]
    answers.forget()
    forward_passes, rnn_forward = [], second["rnn_forward"]
    second["rnn_forward"] = lambda *args: forward_passes.append(1) or rnn_forward(*args)
    parameters = first["initialize_parameters"](3, 5, 5)
    results = []
    for reference in (first, second):
        optimize = stand_ins(reference, ["optimize"], remembered=("optimize",))["optimize"]
        arguments = [None, 1, 2, 3], [1, 2, 3, 0], np.zeros((3, 1)), {k: v.copy() for k, v in parameters.items()}
        results.append((optimize(*arguments, learning_rate=0.01), arguments[3]))
    (loss, gradients, a_last), after = results[1]
    (want_loss, want_gradients, want_a_last), want_after = results[0]
    assert forward_passes == [] and loss == want_loss and np.array_equal(a_last, want_a_last)
    assert all(np.array_equal(gradients[k], want_gradients[k]) and np.array_equal(after[k[1:]], want_after[k[1:]])
               for k in want_gradients)


def test_grading_from_remembered_answers_gives_the_same_report(tmp_path):
    """Does grading model a second time in one process, its optimize steps answered from memory, give the same
    scores and messages as the first, on the reference and on a model that trains on unshuffled names?"""
    reference = Path(__file__).parent / "variants" / "reference.py"
    unshuffled = tmp_path / "unshuffled.py"
    unshuffled.write_text(reference.read_text().replace("np.random.shuffle(examples)", "pass"))
    answers.forget()
    def remembered():
        return sum(len(table) for table in answers._BY_SOURCE.values())

    def results(report):
        return [(result.name, result.score, result.status, result.message) for result in report.results]

    for path, full_marks in ((reference, True), (unshuffled, False)):
        first = grade(path, assignment=DINO, functions=["model"])
        known = remembered()
        again = grade(path, assignment=DINO, functions=["model"])
        assert remembered() == known  # every step of the second run was answered from memory
        assert results(again) == results(first) and (first.score == first.max_score) == full_marks
