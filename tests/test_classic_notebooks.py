"""Notebooks in the classic course's layout (no nbgrader metadata) are graded as they are."""
import pytest

from classic_notebook import classic_notebook, reference_functions
from conftest import DINO
from graders.formats import as_text
from graders.grading import grade
from graders.submission import cells_to_run, graded_function, only_definitions

NO_CELL = "none of its cells is marked `# GRADED FUNCTION: <name>`"


def written(tmp_path, text, name="Dinosaurus_Island_Character_level_language_model.ipynb"):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def classic_report(tmp_path_factory):
    """The report on the classic notebook holding the reference's functions."""
    return grade(written(tmp_path_factory.mktemp("classic"), classic_notebook()), assignment=DINO)


def test_a_classic_notebook_with_right_functions_gets_full_marks(classic_report):
    """Does the classic notebook (utils imported as `from utils import *`) score 100/100, every check passing?"""
    failing = [(r.name, r.message) for r in classic_report.results if r.status != "passed"]
    assert failing == [] and (classic_report.score, classic_report.max_score) == (100, 100)


def test_the_report_says_once_which_cells_it_recognised(classic_report):
    """Is there exactly one note, naming the four graded cells and the imports cell, saying the data, test and
    training cells did not run (the training would have been stopped at the cell limit, and noted)?"""
    (note,) = classic_report.notes
    assert "graded as a classic notebook" in note and "GRADED FUNCTION (clip, sample, optimize, model)" in note
    assert "1 cell(s) of definitions only (#2)" in note and "(data, tests, training) did not run" in note
    assert as_text(classic_report).count("classic notebook") == 1


def test_a_graded_function_without_its_header_is_graded_from_its_def_cell(tmp_path):
    """Are graded cells without the UNQ_C / GRADED FUNCTION lines, only defining the functions, graded all the same?"""
    report = grade(written(tmp_path, classic_notebook(headed=False)), assignment=DINO, functions=["clip", "sample"])
    assert (report.score, report.max_score) == (50, 50)
    assert "5 cell(s) of definitions only" in report.notes[0]


def test_a_notebook_with_nothing_recognisable_says_so_once_with_what_to_do(tmp_path):
    """When every function's cell also calls code, is the score 0 with one note saying no cell was recognised and
    what to do, and each check saying the function is not defined?"""
    functions = {name: source + f"\nprint({name})\n" for name, source in reference_functions().items()}
    report = grade(written(tmp_path, classic_notebook(functions, headed=False)), assignment=DINO)
    assert report.score == 0
    (note,) = report.notes
    assert NO_CELL in note and "start from the released notebook" in note
    assert as_text(report).count(NO_CELL) == 1
    assert all("is not defined in your submission" in r.message for r in report.results)


@pytest.mark.parametrize("line", ["# GRADED FUNCTION: clip", "### GRADED FUNCTION: clip", "#GRADED FUNCTION:clip",
                                  "# UNQ_C1 (UNIQUE CELL IDENTIFIER, DO NOT EDIT)\n# GRADED FUNCTION: clip"])
def test_graded_function_lines_are_recognised_however_they_are_spelled(line):
    """Is the name read from every spelling of the classic header line found in the wild?"""
    assert graded_function(line + "\n\ndef clip(gradients, maxValue):\n    pass\n") == "clip"


@pytest.mark.parametrize("source, defines", [
    ("import numpy as np\nfrom utils import *\n", True),
    ('"""Helpers."""\nSEED = 3\nKEYS: tuple = ("a", "b")\n\ndef f():\n    return SEED\n\nclass C:\n    pass\n', True),
    ("x = np.zeros(3)\n", False), ("print(1)\n", False), ("KEYS[0] = 1\n", False), ("", False),
    ("def f(:\n", False)])
def test_cells_of_definitions_only(source, defines):
    """Are imports, functions, classes, docstrings and literal constants definitions, and calls, subscripted
    assignments, empty cells and syntax errors not?"""
    assert only_definitions(source) is defines


def test_a_classic_notebook_runs_nothing_else_on_the_notebook_route_either():
    """Does the notebook route (test cells included) run the same cells of a classic notebook as grading?"""
    import json
    cells = json.loads(classic_notebook())["cells"]
    assert [r.position for r in cells_to_run(cells) if r.runs] == [r.position for r in cells_to_run(cells, tests=True)
                                                                   if r.runs] == [1, 6, 9, 12, 15]
