"""The class of learners the end-to-end nbgrader tests grade: one notebook per kind of submission.

Every notebook starts from the released one. `EXPECTED` says what each learner should score out of
100 and why; the buggy learner's exact score is whatever the graders give its clip (checked
against the command line), so it is left open here.
"""
import json
from pathlib import Path

from graders.course import filled_in

FIXTURES = Path(__file__).parent / "fixtures"
ON_TIME = ("reference", "stubs", "buggy", "deleted_cell", "endless", "invalid_json", "tamperer")
LATE = ("late",)
EXPECTED = {
    "reference": 100,     # the instructor's solutions
    "stubs": 0,           # the released notebook, untouched
    "buggy": None,        # a clip that only caps from above: partial credit, clip's points only
    "late": 100,          # the reference, handed in after the due date (before the penalty)
    "deleted_cell": 100,  # the reference without one hidden-test cell, which nbgrader puts back
    "endless": 70,        # the reference, but model never returns: model's 30 points lost
    "invalid_json": 0,    # the reference cut in half, as an interrupted save leaves it
    "tamperer": 0,        # the stubs, plus code that tries to fake the hidden cells' scores
}
DELETED_CELL = "test_sample_hidden"


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


def class_notebooks(release_notebook, source_notebook):
    """{learner: notebook file text} for every learner in EXPECTED."""
    def perfect():  # a fresh copy of the perfect learner's notebook
        return filled_in(release_notebook, source_notebook)

    reference = json.dumps(perfect(), indent=1)
    return {
        "reference": reference,
        "stubs": Path(release_notebook).read_text(),
        "buggy": json.dumps(with_cell(perfect(), "clip", (FIXTURES / "clip_upper_bound_only.py").read_text()), indent=1),
        "late": reference,
        "deleted_cell": json.dumps(without_cell(perfect(), DELETED_CELL), indent=1),
        "endless": json.dumps(with_cell(perfect(), "model", (FIXTURES / "model_never_ends.py").read_text()), indent=1),
        "invalid_json": reference[: len(reference) // 2],
        "tamperer": json.dumps(with_cell(json.loads(Path(release_notebook).read_text()), "clip",
                                         (FIXTURES / "clip_fakes_hidden_scores.py").read_text()), indent=1),
    }
