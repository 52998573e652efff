"""Hostile submissions to the second assignment (tests/adversarial/min_char_rnn/): contained by the same sandbox.

A representative subset of tests/adversarial, turned on min_char_rnn's functions: each file writes a
right `next_window` and attacks the function its name starts with. Graded with the same short limits
as the first assignment's cases, the attacked function scores what an honest reading gives, with a
message that says why; `next_window` keeps its points; nothing is left behind; and no report carries
the graders' hidden inputs or the reference's code.
"""
import os
import re
from pathlib import Path

import pytest

from graders.assignments.min_char_rnn import sample_primed as sample_primed_checks
from graders.course import notebook_text, secret_lines
from graders.grading import grade
from min_char_rnn_support import MCR, NOTEBOOK
from test_adversarial import ERROR, FAILED, FAILED_OR_PASSED, LIMITS, TIMEOUT, children_of

ADVERSARIAL = Path(__file__).with_name("adversarial") / MCR.name
HONEST = "next_window"  # every file's right function
# file: (the attacked function's points, statuses its checks may have, text every failing one mentions)
CASES = {
    "sample_primed_infinite_loop.py": (0, TIMEOUT, "did not finish within 2 s"),
    "adagrad_update_memory_bomb.py": (0, ERROR, "ran out of memory"),
    "adagrad_update_exit_in_function.py": (0, ERROR, "raised SystemExit"),
    "train_os_exit_in_function.py": (0, ERROR, "exited with code 3"),
    "train_fork_bomb.py": (0, ERROR, "os.fork"),
    "sample_primed_read_expected.py": (0, ERROR | FAILED, "does not allow: os.scandir"),
    "train_import_graders.py": (0, ERROR, "import graders"),
    "sample_primed_always_equal.py": (0, FAILED, "a subclass of list"),
    "adagrad_update_lying_ndarray.py": (0, FAILED, "must stay a float64 array"),
    "sample_primed_patch_numpy.py": (0, FAILED_OR_PASSED, ""),
    "train_fake_results.py": (0, ERROR, "does not allow: open 'results.json'"),
    "sample_primed_raises_with_arguments.py": (0, ERROR | FAILED, "raised ValueError: cannot sample"),
    "train_callback_flood.py": (0, ERROR, "larger than the grader accepts"),
    "train_steals_the_reference.py": (0, ERROR, "could not get source code"),
    "train_huge_return.py": (0, ERROR, "too large to send"),
}


def target(name):
    """The graded function a file attacks: the one its name starts with."""
    return next(function for function in MCR.function_names if name.startswith(function + "_"))


def test_every_file_has_a_case_and_every_attacked_function_is_covered():
    """Does every file in tests/adversarial/min_char_rnn have an expected outcome, with at least ten files and every
    graded function but the honest one attacked?"""
    files = sorted(path.name for path in ADVERSARIAL.iterdir() if path.suffix == ".py")
    assert files == sorted(CASES) and len(files) >= 10
    assert {target(name) for name in files} == set(MCR.function_names) - {HONEST}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_submission_gets_an_honest_score(name, tmp_path, monkeypatch):
    """Does the submission score what an honest reading gives, with a clear message, leaving nothing behind and no
    line of the reference's code in any message?"""
    points, statuses, message = CASES[name]
    attacked = target(name)
    monkeypatch.chdir(tmp_path)  # where a forged results file would land if writing outside the sandbox worked
    report = grade(ADVERSARIAL / name, assignment=MCR, functions=[HONEST, attacked], limits=LIMITS)
    totals = {function: got for function, (got, _) in report.by_function().items()}
    honest_points = sum(check.points for check in MCR.checks([HONEST]))
    assert totals == {HONEST: honest_points, attacked: points}, [(r.name, r.status, r.message) for r in report.results]
    results = [r for r in report.results if r.function == attacked]
    assert {r.status for r in results} <= statuses
    assert any(message in r.message for r in results), "the attack is named"
    for result in results:
        if result.status != "passed":
            assert result.message.strip() and len(result.message) < 10_000, result.message
    # a message may quote the learner's own lines and hints the released notebook gives, never the reference's code
    shown = (ADVERSARIAL / name).read_text() + notebook_text((MCR.release / MCR.notebook).read_text())
    solution = [line for line in secret_lines(NOTEBOOK) if line not in shown]
    assert len(solution) >= 10
    assert [line for r in report.results for line in solution if line in r.message] == []
    assert [path.name for path in tmp_path.iterdir() if path.name != ".hypothesis"] == []  # Hypothesis's own cache
    assert children_of(os.getpid()) == []


def test_exception_messages_do_not_carry_hidden_inputs():
    """When sample_primed raises with its arguments in the message, does the report keep the graders' hidden numbers
    and prefixes out?"""
    report = grade(ADVERSARIAL / "sample_primed_raises_with_arguments.py", assignment=MCR, functions=["sample_primed"],
                   limits=LIMITS)
    printed = set()
    hidden_cases = (sample_primed_checks.PRIMING + sample_primed_checks.READING + sample_primed_checks.SEEDING
                    + sample_primed_checks.MAX_DRAWS + sample_primed_checks.VOCABULARIES + sample_primed_checks.RESULT)
    for case in hidden_cases:
        parameters, _, _, _, _ = sample_primed_checks.arguments(case)
        printed |= set(re.findall(r"\d\.\d{5,}", f"{parameters} {list(parameters['by'].ravel())}"))
    shown = [r for r in report.results if r.status == "error"]
    assert printed and len([r for r in shown if not r.public]) >= 6
    assert all("cannot sample" in r.message for r in shown)
    assert [number for r in report.results for number in printed if number in r.message] == []
