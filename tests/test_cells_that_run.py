"""Grading runs what the learner wrote: every code cell of the notebook, in order, but those tagged skip-grading."""
import itertools
import json

import pytest

from conftest import DINO, RELEASED_NOTEBOOK, perfect_submission
from graders.formats import as_text
from graders.grading import grade
from graders.nbgrader_execute import run_cells
from graders.sandbox.session import Limits
from graders.submission import SKIP_TAG, cells_to_run

SHORT = Limits(call_seconds=10, load_seconds=2, function_seconds=60)
MAKE_XY = ("NEWLINE = '\\n'\n\n\ndef make_xy(name, char_to_ix):\n"
           "    X = [None] + [char_to_ix[ch] for ch in name]\n    return X, X[1:] + [char_to_ix[NEWLINE]]\n")
MODEL_LINES = ("        single_example_ix = [char_to_ix[ch] for ch in examples[idx]]\n"
               "        X = [None] + single_example_ix\n"
               "        ix_newline = char_to_ix['\\n']\n"
               "        Y = X[1:] + [ix_newline]\n")


CELL_IDS = (f"extra-{n}" for n in itertools.count())


def code(source, **metadata):
    """A code cell a learner adds."""
    return {"cell_type": "code", "id": next(CELL_IDS), "metadata": metadata, "execution_count": None, "outputs": [],
            "source": source}


def markdown(source):
    """A markdown cell a learner adds."""
    return {"cell_type": "markdown", "id": next(CELL_IDS), "metadata": {}, "source": source}


def position(notebook, grade_id):
    """Index of the cell with that nbgrader grade id."""
    return next(i for i, cell in enumerate(notebook["cells"])
                if cell["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


def model_with_helper():
    """The perfect notebook whose model builds X and Y with make_xy, a function it does not define."""
    notebook = json.loads(perfect_submission())
    cell = notebook["cells"][position(notebook, "model")]
    source = "".join(cell["source"])
    assert MODEL_LINES in source
    cell["source"] = source.replace(MODEL_LINES, "        X, Y = make_xy(examples[idx], char_to_ix)\n")
    return notebook


def written(tmp_path, notebook, name=DINO.notebook):
    path = tmp_path / name
    path.write_text(json.dumps(notebook))
    return path


@pytest.mark.parametrize("where", ["before", "after"])
def test_a_helper_in_a_cell_of_its_own_is_there_when_model_runs(where, tmp_path):
    """Does model, calling a helper defined in an extra cell before its own cell, or after every check of it (with a
    markdown cell of the learner's above the helper), score full marks with nothing noted?"""
    notebook = model_with_helper()
    at = position(notebook, "model") if where == "before" else len(notebook["cells"])
    notebook["cells"][at:at] = [markdown("My helper for the training pairs:"), code(MAKE_XY)]
    report = grade(written(tmp_path, notebook), functions=["model"])
    assert (report.score, report.max_score) == (30, 30), [(r.name, r.message) for r in report.results]
    assert report.notes == []


def test_without_its_helper_model_says_which_name_is_missing(tmp_path):
    """Without the helper's cell, does model lose its points with a NameError naming make_xy (the test above can fail)?"""
    report = grade(written(tmp_path, model_with_helper()), functions=["model"])
    assert report.score == 0
    assert any("make_xy" in r.message for r in report.results)


def test_imports_and_constants_in_extra_cells_work(tmp_path):
    """Do imports (numpy under another name, math, matplotlib) and a constant in extra cells serve clip?"""
    notebook = json.loads(perfect_submission())
    at = position(notebook, "clip")
    notebook["cells"][at]["source"] = ("# GRADED FUNCTION: clip\n\ndef clip(gradients, maxValue):\n"
                                       "    return {key: numeric.clip(gradients[key], -maxValue, maxValue) for key in KEYS}\n")
    notebook["cells"][at:at] = [code("import math\nimport numpy as numeric\nimport matplotlib.pyplot as plt\n"),
                                code("KEYS = ('dWaa', 'dWax', 'dWya', 'db', 'dby')\nHALF = math.sqrt(0.25)\n"
                                     "plt.plot([HALF, 1.0])\nplt.title('constants')\nplt.show()\nplt.close('all')\n")]
    report = grade(written(tmp_path, notebook), functions=["clip"])
    assert (report.score, report.max_score) == (20, 20), [(r.name, r.message) for r in report.results]
    assert report.notes == [] and report.load.violations == []


@pytest.mark.parametrize("source, stopped", [
    ("import numpy as np\nnp.random.seed(1)\nwhile True:\n    pass\n", "did not finish within 2 s and was stopped"),
    ("import signal\nsignal.setitimer(signal.ITIMER_REAL, 0)\nsignal.setitimer(signal.ITIMER_PROF, 0)\nwhile True:\n    pass\n",
     "did not stop at its time limit of 2 s, which ended the process, and was left out"),
    ("import os\nos._exit(4)\n", "it stopped the grading process while loading"),
])
def test_a_long_running_or_crashing_extra_cell_costs_no_points_and_is_named(source, stopped, tmp_path):
    """Does an extra cell that runs for ever (with or without its alarm) or ends its process get stopped at the cell
    limit, with one note naming the cell and its first line, while every function keeps its points?"""
    notebook = json.loads(perfect_submission())
    at = position(notebook, "sample") + 1
    notebook["cells"].insert(at, code(source))
    report = grade(written(tmp_path, notebook), functions=["clip", "sample"], limits=SHORT)
    assert (report.score, report.max_score) == (50, 50), [(r.name, r.message) for r in report.results]
    (note,) = report.notes
    assert note.startswith(f"cell '#{at + 1}' (`{source.splitlines()[0]}`)") and stopped in note, note
    assert as_text(report).count(stopped) == 1


def test_cells_tagged_skip_grading_never_run(tmp_path):
    """Is a cell the instructor tagged skip-grading (here one that would replace clip by a wrong one) left out?"""
    notebook = json.loads(perfect_submission())
    notebook["cells"].insert(position(notebook, "clip") + 1,
                             code("def clip(gradients, maxValue):\n    return gradients\n", tags=[SKIP_TAG]))
    report = grade(written(tmp_path, notebook), functions=["clip"])
    assert (report.score, report.notes) == (20, [])


def test_the_released_training_cells_carry_the_tag():
    """Is the training cell of each released notebook tagged skip-grading, and is it the only code cell that is not
    a test cell and does not run while grading?"""
    cells = json.loads(RELEASED_NOTEBOOK.read_text())["cells"]
    skipped = [rule for rule in cells_to_run(cells) if not rule.runs and not rule.id.startswith("test_")]
    assert [rule.why_not for rule in skipped] == [f"the instructor tagged it {SKIP_TAG}"]
    assert "train_and_plot()" in "".join(cells[skipped[0].position]["source"])


def test_grading_and_nbgrader_run_the_same_cells_but_the_test_cells():
    """Do the command line and nbgrader's SandboxExecute run the same cells of the released notebook, but for the test
    cells (the graders' checks on one route, their public part in the notebook on the other)?"""
    cells = json.loads(RELEASED_NOTEBOOK.read_text())["cells"]
    grading = {rule.position for rule in cells_to_run(cells) if rule.runs}
    nbgrader = {rule.position for rule in cells_to_run(cells, tests=True) if rule.runs}
    tests = {i for i, cell in enumerate(cells) if cell["metadata"].get("nbgrader", {}).get("grade")}
    assert grading == nbgrader - tests and len(tests) == 2 * len(DINO.function_names)


def test_the_notebook_route_runs_a_helper_cell_and_skips_the_training(tmp_path):
    """Under SandboxExecute, does the public model check pass with the helper from an extra cell, and is the training
    cell left with an output that says it was not run?"""
    import nbformat
    notebook = model_with_helper()
    notebook["cells"].insert(position(notebook, "model"), code(MAKE_XY))
    nb = nbformat.reads(json.dumps(notebook), as_version=4)
    run_cells(nb, DINO, 60.0, {})
    public = nb.cells[position(notebook, "test_model_public")]
    assert "All tests passed!" in "".join(output.get("text", "") for output in public.outputs)
    training = [cell for cell in nb.cells if SKIP_TAG in cell.metadata.get("tags", [])]
    assert len(training) == 1 and training[0].execution_count is None
    assert training[0].outputs[0].text.startswith("This cell is not run while grading")
