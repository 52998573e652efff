"""The second assignment's notebook runs from top to bottom in a real kernel, and says what a run shows.

A perfect learner's copy (the fresh release with the instructor's solution cells put back) is executed
with nbclient: public checks, training, loss curve, primed names. The instructor notebook itself is not
executed here: its hidden-test cells call the graders, which know only the first assignment so far.
Every number the notebook's text states about a run is checked against this run's printed output.
"""
import ast
import json
import math
import re

import nbformat
import pytest
from nbclient import NotebookClient

from graders.course import filled_in, make_course, nbgrader
from min_char_rnn_support import NAME, NOTEBOOK, SOURCE

PREFIXES = ["", "Tyranno", "Stego", "Velo", "Mar", "Juan ", "Isa", "sau"]  # as in the names cell


def execute(tmp_path_factory):
    """The filled-in release of a fresh course copy, executed in its folder (returns the notebook)."""
    course = make_course(tmp_path_factory.mktemp("course"))
    nbgrader(course, "generate_assignment", NAME, "--force", "--no-db")
    release = course / "assignment" / NAME
    notebook = nbformat.reads(json.dumps(filled_in(release / f"{NAME}.ipynb", NOTEBOOK)), as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(release)}}).execute()
    return notebook


def printed(cell):
    return "".join(output.get("text", "") for output in cell.outputs if output.output_type == "stream")


def code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def prose(notebook):
    return " ".join(" ".join(cell.source.split()) for cell in notebook.cells if cell.cell_type == "markdown")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return execute(tmp_path_factory)


@pytest.fixture(scope="module")
def trained(run):
    """(the training cell's printed lines, the smoothed losses it printed by iteration)."""
    text = printed(code_cells(run)[-2])
    smoothed = {int(j): float(value) for j, value in re.findall(r"iteration (\d+): smoothed loss ([\d.]+)", text)}
    return text, smoothed


@pytest.fixture(scope="module")
def names(run):
    """{prefix: [three names]} as the last cell printed them."""
    found = {}
    for line in printed(code_cells(run)[-1]).splitlines():
        prefix, _, rest = line.partition(" -> ")
        found[ast.literal_eval(prefix.strip())] = rest.split(" | ")  # the cell prints each prefix with !r
    return found


@pytest.mark.slow
def test_notebook_runs_top_to_bottom_and_prints_names(run, names):
    """Does every cell run without an error, the public checks pass, a plot appear, and names get printed?"""
    errors = [output for cell in code_cells(run) for output in cell.outputs if output.output_type == "error"]
    assert errors == []
    assert sum(printed(cell).count("All tests passed!") for cell in code_cells(run)) == 4
    assert any("image/png" in output.get("data", {}) for output in code_cells(run)[-2].outputs)
    assert sorted(names) == sorted(PREFIXES)
    for prefix, continuations in names.items():
        assert len(continuations) == 3 and all(name.startswith(prefix) for name in continuations)


@pytest.mark.slow
def test_the_first_window_costs_what_the_text_says(run, trained):
    """Is the first window's loss within 0.1 of 25 ln(vocab_size), the value the text gives as 99.7?"""
    vocabulary = len(set((SOURCE / "names_and_dinos.txt").read_text(encoding="utf-8")))
    uniform = 25 * math.log(vocabulary)
    assert f"$25 \\ln {vocabulary} \\approx {uniform:.1f}$" in prose(run)
    first = float(re.search(r"loss of the first window: ([\d.]+)", trained[0]).group(1))
    assert abs(first - uniform) < 0.1


@pytest.mark.slow
def test_the_smoothed_loss_falls_as_the_text_says(run, trained):
    """Is the smoothed loss below 65 at iteration 2,000 and between 42 and 50 at the last line, as stated?"""
    text, smoothed = trained
    assert "below 65 by iteration 2,000" in prose(run) and "it ends between 42 and 50" in prose(run)
    assert smoothed[2000] < 65
    assert 42 <= smoothed[max(smoothed)] <= 50 and max(smoothed) == 18000
    assert "trained on 20000 windows" in text


@pytest.mark.slow
def test_about_twenty_passes_over_the_text(run):
    """Do 20,000 windows of 25 characters read the text about twenty times, as the text says twice?"""
    length = len((SOURCE / "names_and_dinos.txt").read_text(encoding="utf-8"))
    assert round(20000 * 25 / length) == 20
    assert "about twenty passes over the list" in prose(run) and "only about twenty times" in prose(run)
    assert "num_iterations=20000, print_every=2000" in code_cells(run)[-2].source


@pytest.mark.slow
def test_the_names_show_what_the_text_says(names):
    """Capital first letters without a prefix, a capital after "Juan ", lower case after "sau", and some -saurus?"""
    def first_drawn(prefix):
        return [name[len(prefix):len(prefix) + 1] for name in names[prefix]]  # "" if a newline came first

    assert all(letter.isupper() for letter in first_drawn(""))
    assert all(letter.isupper() for letter in first_drawn("Juan "))
    assert all(letter.islower() for letter in first_drawn("sau"))
    assert any(name.endswith("saurus") for prefix in ("Tyranno", "Stego", "Velo") for name in names[prefix])


@pytest.mark.slow
def test_training_and_sampling_are_skipped_under_autograde(tmp_path_factory, monkeypatch):
    """With NBGRADER_EXECUTION=autograde, do the training and names cells print that they are skipped?"""
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    notebook = execute(tmp_path_factory)
    training, sampling = code_cells(notebook)[-2:]
    assert printed(training) == "Training is skipped while the notebook is autograded.\n"
    assert printed(sampling) == "Sampling is skipped while the notebook is autograded.\n"
