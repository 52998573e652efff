"""SandboxExecute: a notebook's cells run in the graders' sandbox, with the outputs a kernel would record."""
import os

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from conftest import DINO, KIT, SOURCE_NOTEBOOK
from graders.nbgrader_execute import notebook_assignment, run_cells, sources_to_run
from graders.reference import released_files
from test_adversarial import children_of

SECONDS = 3.0
AUTOGRADE = {"NBGRADER_EXECUTION": "autograde"}
SOLUTION = {"nbgrader": {"grade": False, "solution": True}}


def ran(*sources, seconds=SECONDS, environ=AUTOGRADE):
    """A notebook of solution cells (as a learner writes them in the released notebook) after run_cells, and the
    refused attempts it reported."""
    notebook = new_notebook(cells=[new_code_cell(source, metadata=SOLUTION) for source in sources])
    refused = run_cells(notebook, DINO, seconds, environ)
    return notebook, refused


def texts(cell, kind="stdout"):
    return "".join(output.get("text", "") for output in cell.outputs if output.get("name") == kind)


def test_cells_share_a_namespace_and_record_what_a_kernel_would():
    """Do printed text (stdout and stderr apart), the last expression's value and errors land in the right cells?"""
    notebook, refused = ran("import sys\nx = 20\nprint('out')\nprint('err', file=sys.stderr)",
                            "x + 1", "x;", "def f():\n    raise ValueError('bad value')\nf()", "print(x)")
    first, value, silent, error, after = notebook.cells
    assert (texts(first), texts(first, "stderr")) == ("out\n", "err\n")
    assert value.outputs == [nbformat.v4.new_output("execute_result", data={"text/plain": "21"}, execution_count=2)]
    assert silent.outputs == [] and [c.execution_count for c in notebook.cells] == [1, 2, 3, 4, 5]
    (failure,) = error.outputs
    assert (failure.ename, failure.evalue) == ("ValueError", "bad value")
    assert failure.traceback[-1] == "ValueError: bad value"
    assert all(line.lstrip().startswith("cell In[4], line") for line in failure.traceback[:-1])
    assert texts(after) == "20\n" and refused == []


def test_only_code_cells_run_and_never_their_hidden_tests():
    """Are markdown cells and cells tagged skip-grading left out, and are hidden tests (even an unclosed region)
    cut out of a test cell before it is sent?"""
    test_cell = new_code_cell("check_runs('clip', clip)\n### BEGIN HIDDEN TESTS\nscore('clip')\n### END HIDDEN TESTS\n"
                              "x = 1\n### BEGIN HIDDEN TESTS\nsecret = 2\n",
                              metadata={"nbgrader": {"grade": True, "grade_id": "t", "points": 1, "solution": False}})
    cells = [new_markdown_cell("# title"), new_code_cell("train()", metadata={"tags": ["skip-grading"]}), test_cell,
             new_code_cell("%matplotlib inline\n!ls\ny = 2"),
             new_code_cell("z = 3", metadata=SOLUTION)]
    planned = [(source, why_not) for _, source, why_not in sources_to_run(cells)]
    assert planned == [(None, "the instructor tagged it skip-grading"), ("check_runs('clip', clip)\nx = 1\n", ""),
                       ("# %matplotlib inline\n# !ls\ny = 2", ""), ("z = 3", "")]


def test_a_skipped_cell_says_so_and_takes_no_execution_count():
    """Does a cell tagged skip-grading get no execution count and an output saying it was not run, the others
    running in order?"""
    notebook = new_notebook(cells=[new_code_cell("x = 1", metadata=SOLUTION),
                                   new_code_cell("x = 2", metadata={"tags": ["skip-grading"]}), new_code_cell("print(x)")])
    run_cells(notebook, DINO, SECONDS, AUTOGRADE)
    first, skipped, last = notebook.cells
    assert (first.execution_count, skipped.execution_count, last.execution_count) == (1, None, 2)
    assert texts(skipped) == "This cell is not run while grading: the instructor tagged it skip-grading.\n"
    assert texts(last) == "1\n"


def test_the_sandbox_holds_the_released_files_and_nothing_else():
    """Are the files put beside the learner's cells exactly the release's, byte for byte (no learner file), and a
    `utils` module that re-exports the helpers?"""
    files = released_files(DINO)
    assert files.pop("utils.py") == b"from rnn_utils import *  # noqa: F401,F403\n"
    assert files == {path.name: path.read_bytes() for path in DINO.release.iterdir() if path.suffix != ".ipynb"}


def test_the_assignment_comes_from_nbgrader_or_from_the_notebook(tmp_path, monkeypatch):
    """Is the assignment nbgrader's id when autograding, and when validating (no id) the one whose test cells the
    notebook carries, else the one named like the notebook's folder, and a usage error when nothing tells?"""
    from graders.assignment import DeclarationError, load_assignment
    assert notebook_assignment({"nbgrader": {"assignment": DINO.name}}) is DINO
    for assignment in (DINO, load_assignment("min_char_rnn")):
        monkeypatch.chdir(tmp_path)
        assert notebook_assignment({}, nbformat.read(assignment.release / assignment.notebook, 4)) is assignment
        monkeypatch.chdir(assignment.release)
        assert notebook_assignment({}) is assignment
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DeclarationError, match="pass --assignment"):
        notebook_assignment({}, new_notebook(cells=[new_code_cell("x = 1")]))


def test_the_learner_sees_the_released_files_and_autograde_but_not_the_course(tmp_path):
    """Does a cell read the released data and helpers and see NBGRADER_EXECUTION, but fail to read the instructor
    notebook, the expected values or the gradebook, or to write anywhere?"""
    gradebook = tmp_path / "gradebook.db"
    gradebook.write_bytes(b"SQLite format 3\x00")
    notebook, refused = ran(
        "import os\nfrom rnn_utils import softmax\nprint(len(open('dinos.txt').read()) > 1000, os.environ['NBGRADER_EXECUTION'])",
        "import matplotlib.pyplot as plt\nprint('plt' in dir())",
        f"open({str(SOURCE_NOTEBOOK)!r}).read()",
        f"open({str(DINO.expected / 'clip.json')!r}).read()",
        f"open({str(gradebook)!r}, 'rb').read()",
        f"open({str(tmp_path / 'planted.txt')!r}, 'w').write('x')")
    assert texts(notebook.cells[0]) == "True autograde\n" and texts(notebook.cells[1]) == "True\n"
    for cell in notebook.cells[2:]:
        (error,) = cell.outputs
        assert error.ename == "PermissionError", error
    assert not (tmp_path / "planted.txt").exists() and len(refused) == 4


def test_a_cell_past_its_time_limit_is_stopped_and_the_next_cells_run():
    """Is an endless cell stopped at the limit with CellTimeoutError, the notebook going on with its state?"""
    notebook, _ = ran("x = 5", "while True:\n    pass", "print(x)", seconds=1.0)
    assert notebook.cells[1].outputs[0].ename == "CellTimeoutError"
    assert texts(notebook.cells[2]) == "5\n"


def test_a_cell_that_silences_its_time_limit_ends_the_process_and_nothing_outlives_it():
    """When a cell switches the alarm off and loops, is its process ended, are later cells marked not run, and is
    no process of the notebook left, a forked one included?"""
    notebook, refused = ran("import os\ntry:\n    os.fork()\nexcept OSError as error:\n    print(type(error).__name__)",
                            "import signal\nsignal.setitimer(signal.ITIMER_REAL, 0)\nsignal.setitimer(signal.ITIMER_PROF, 0)\nwhile True:\n    pass",
                            "print('after')", seconds=1.0)
    assert texts(notebook.cells[0]) == "PermissionError\n" and refused == [("In[1]", ["os.fork"])]
    assert notebook.cells[1].outputs[-1].ename == "CellTimeoutError"
    assert notebook.cells[2].outputs[0].ename == "CellNotRun"
    assert children_of(os.getpid()) == []


@pytest.mark.parametrize("source, name, then", [("raise SystemExit(2)", "SystemExit", "stream"),
                                                ("import os\nos._exit(3)", "ProcessEnded", "error")])
def test_a_cell_that_exits_is_an_error_of_that_cell(source, name, then):
    """Does a cell that exits get an error output naming it (sys.exit: the next cell runs; os._exit ends the
    process: the next cell is marked not run), instead of stopping the grading?"""
    notebook, _ = ran(source, "print('next')")
    assert notebook.cells[0].outputs[-1].ename == name
    assert notebook.cells[1].outputs[0].output_type == then


def test_autograde_validate_and_the_demo_run_notebooks_in_the_sandbox(tmp_path):
    """With the course's settings (which the demo's course copies as they are), do autograde and validate both
    run notebooks with SandboxExecute, never nbgrader's kernel-based Execute?"""
    from nbgrader.preprocessors import Execute
    from nbgrader.validator import Validator
    from traitlets.config.loader import PyFileConfigLoader

    from graders.course import make_course
    from graders.nbgrader_execute import SandboxExecute
    course = make_course(tmp_path / "course")
    assert (course / "nbgrader_config.py").read_bytes() == (KIT / "nbgrader_config.py").read_bytes()
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    steps = config.Autograde.autograde_preprocessors
    assert steps[0] is SandboxExecute and Execute not in steps
    validation = Validator(config=config).preprocessors
    assert SandboxExecute in validation and Execute not in validation
