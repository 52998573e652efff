"""The class of learners the end-to-end nbgrader tests grade: one notebook per kind of submission.

Eight learners hand in the first assignment, one per kind of submission. The second assignment's class
is the five whose case depends on the assignment's own functions (`CLASSES`): handing in late, deleting
a hidden-test cell and saving broken JSON go through nbgrader the same way whatever the assignment, so
they are proved once. Every notebook starts from the released one. `EXPECTED` says what each learner should score out of 100 and why; the buggy learner's exact
score is whatever the graders give its one wrong function (checked against the command line), so it
is left open here. `MISTAKES` says, per assignment, which function the buggy, endless and tampering
learners get wrong, and which hidden-test cell the deleted-cell learner deletes.
"""
import json
from dataclasses import dataclass
from pathlib import Path

from graders.course import filled_in

FIXTURES = Path(__file__).parent / "fixtures"
ON_TIME = ("reference", "stubs", "buggy", "deleted_cell", "endless", "invalid_json", "tamperer")
LATE = ("late",)
CLASSES = {"dinosaur_island": ON_TIME + LATE,  # who hands in each assignment
           "min_char_rnn": ("reference", "stubs", "buggy", "endless", "tamperer")}


@dataclass(frozen=True)
class Mistakes:
    """Where an assignment's buggy, endless and tampering learners go wrong (fixture files in tests/fixtures)."""
    buggy: str         # one realistic bug in one function: partial credit, that function's points only
    endless: str       # a function that never returns
    tamperer: str      # the stubs, plus a solution cell that tries to fake the hidden cells' scores
    deleted_cell: str = ""  # the hidden-test cell the deleted-cell learner removes (when the class has one)


MISTAKES = {
    "dinosaur_island": Mistakes(buggy="clip_upper_bound_only.py", endless="model_never_ends.py",
                                tamperer="clip_fakes_hidden_scores.py", deleted_cell="test_sample_hidden"),
    "min_char_rnn": Mistakes(buggy="adagrad_update_clips_from_above.py", endless="train_never_ends.py",
                             tamperer="next_window_fakes_hidden_scores.py"),
}


def expected_scores(assignment):
    """{learner: raw score out of 100, None when left open} for the learners of an assignment's class."""
    endless_points = sum(check.points for check in assignment.checks([grade_id_of(assignment, MISTAKES[assignment.name].endless)]))
    scores = {
        "reference": 100,                 # the instructor's solutions
        "stubs": 0,                       # the released notebook, untouched
        "buggy": None,                    # one realistic bug: partial credit, that function's points only
        "late": 100,                      # the reference, handed in after the due date (before the penalty)
        "deleted_cell": 100,              # the reference without one hidden-test cell, which nbgrader puts back
        "endless": 100 - endless_points,  # the reference, but one function never returns: its points lost
        "invalid_json": 0,                # the reference cut in half, as an interrupted save leaves it
        "tamperer": 0,                    # the stubs, plus code that tries to fake the hidden cells' scores
    }
    return {learner: scores[learner] for learner in CLASSES[assignment.name]}


def grade_id_of(assignment, fixture):
    """The solution cell a fixture replaces: the graded function its name starts with."""
    return next(name for name in assignment.function_names if fixture.startswith(name + "_"))


def with_cell(notebook, grade_id, source):
    """The notebook with the source of the cell `grade_id` replaced."""
    cells = [c for c in notebook["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id]
    assert len(cells) == 1, f"the notebook has no single cell {grade_id!r}"
    cells[0]["source"] = source
    return notebook


def without_cell(notebook, grade_id):
    """The notebook without the cell `grade_id`."""
    kept = [c for c in notebook["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") != grade_id]
    assert len(kept) == len(notebook["cells"]) - 1, f"the notebook has no single cell {grade_id!r}"
    return {**notebook, "cells": kept}


def with_fixture(notebook, assignment, fixture):
    """The notebook with the solution cell of the fixture's function replaced by the fixture's code."""
    return json.dumps(with_cell(notebook, grade_id_of(assignment, fixture), (FIXTURES / fixture).read_text()), indent=1)


def buggy_notebook(release_notebook, source_notebook, assignment):
    """The perfect learner's notebook with the buggy learner's one wrong function (JSON text)."""
    return with_fixture(filled_in(release_notebook, source_notebook), assignment, MISTAKES[assignment.name].buggy)


def class_notebooks(release_notebook, source_notebook, assignment):
    """{learner: notebook file text} for every learner of the assignment's class."""
    def perfect():  # a fresh copy of the perfect learner's notebook
        return filled_in(release_notebook, source_notebook)

    mistakes = MISTAKES[assignment.name]
    reference = json.dumps(perfect(), indent=1)
    notebooks = {  # each made only for a learner of the class
        "reference": lambda: reference,
        "stubs": lambda: Path(release_notebook).read_text(),
        "buggy": lambda: buggy_notebook(release_notebook, source_notebook, assignment),
        "late": lambda: reference,
        "deleted_cell": lambda: json.dumps(without_cell(perfect(), mistakes.deleted_cell), indent=1),
        "endless": lambda: with_fixture(perfect(), assignment, mistakes.endless),
        "invalid_json": lambda: reference[: len(reference) // 2],
        "tamperer": lambda: with_fixture(json.loads(Path(release_notebook).read_text()), assignment, mistakes.tamperer),
    }
    return {learner: notebooks[learner]() for learner in CLASSES[assignment.name]}
