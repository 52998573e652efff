"""The second assignment's release: what nbgrader generate_assignment makes of solutions/min_char_rnn.

The graders' `release` command regenerates and checks it with the first (tests/test_release.py); these
tests look inside a fresh generation, made by nbgrader in a temporary copy of the course.
"""
import json
import re
import subprocess

import pytest

from conftest import KIT, nbgrader_bin
from graders.course import leaked_lines, make_course, nbgrader, secret_lines
from min_char_rnn_support import GRADED, NAME, NOTEBOOK, RELEASE, SOURCE


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A release generated now by `nbgrader generate_assignment min_char_rnn --no-db` in a course copy."""
    course = make_course(tmp_path_factory.mktemp("course"))
    nbgrader(course, "generate_assignment", NAME, "--force", "--no-db")
    return course / "assignment" / NAME


def files(folder):
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def graded_cells(notebook_path):
    cells = json.loads(notebook_path.read_text())["cells"]
    return {c["metadata"]["nbgrader"]["grade_id"]: c for c in cells if "nbgrader" in c["metadata"]}


def test_committed_release_matches_a_fresh_generation(fresh):
    """Is assignment/min_char_rnn exactly what nbgrader generates from solutions/min_char_rnn today?"""
    assert files(RELEASE) == files(fresh)


def test_release_holds_no_solution_or_hidden_test_line(fresh):
    """Is no line of a solution or of a hidden test found anywhere in the fresh or the committed release?"""
    assert leaked_lines(fresh, NOTEBOOK) == []
    assert leaked_lines(RELEASE, NOTEBOOK) == []


def test_every_solution_and_hidden_test_counts_as_secret():
    """Do the secret lines include each function's hidden-test call and a line of each solution?"""
    secrets = secret_lines(NOTEBOOK)
    for name in GRADED:
        assert f'score("{name}")' in secrets
    for line in ("targets = data_ix[start + 1:start + seq_length + 1]", 'memory["m" + key] += g * g',
                 "np.random.seed(seed)", "a_prev = a[len(inputs) - 1]"):
        assert line in secrets


def test_each_graded_function_is_released_as_a_stub_that_raises(fresh):
    """Does each released solution cell keep its signature and scaffold but hold a stub instead of the code?"""
    released, source = graded_cells(fresh / f"{NAME}.ipynb"), graded_cells(NOTEBOOK)
    for name in GRADED:
        text = "".join(released[name]["source"])
        assert text.startswith(f"# GRADED FUNCTION: {name}\n") and f"def {name}(" in text
        assert "raise NotImplementedError()" in text and "### BEGIN SOLUTION" not in text
        hidden = "".join(released[f"test_{name}_hidden"]["source"])
        assert f'check_runs("{name}", {name})' in hidden and "score(" not in hidden
        assert "".join(source[f"test_{name}_public"]["source"]) == "".join(released[f"test_{name}_public"]["source"])


def test_cells_carry_nbgrader_metadata_like_the_first_assignment():
    """Are the imports and data cells locked, the solution cells unlocked, and the test cells graded and locked?"""
    cells = graded_cells(NOTEBOOK)
    expected = ["imports", "data"] + [grade_id for name in GRADED
                                      for grade_id in (name, f"test_{name}_public", f"test_{name}_hidden")]
    assert list(cells) == expected
    for grade_id, cell in cells.items():
        meta = cell["metadata"]["nbgrader"]
        assert meta["solution"] is (grade_id in GRADED) and meta["locked"] is (grade_id not in GRADED)
        assert meta["grade"] is grade_id.startswith("test_") and ("points" in meta) is grade_id.startswith("test_")


def test_points_add_up_to_one_hundred_as_the_contract_s_rubric_says():
    """Do the test cells' points per function match docs/min_char_rnn.md's rubric and total 100?"""
    rubric = {}
    for row in re.findall(r"^\| `(\w+)` \| (\d+) \| (\d+): .* \| (\d+) \|$", (KIT / "docs" / "min_char_rnn.md").read_text(),
                          re.MULTILINE):
        name, public, hidden, total = row[0], *map(int, row[1:])
        assert public + hidden == total
        rubric[name] = (public, hidden)
    cells = graded_cells(NOTEBOOK)
    points = {name: (cells[f"test_{name}_public"]["metadata"]["nbgrader"]["points"],
                     cells[f"test_{name}_hidden"]["metadata"]["nbgrader"]["points"]) for name in GRADED}
    assert points == rubric and sum(map(sum, points.values())) == 100


def test_released_files_are_the_source_s_and_the_corpus_is_the_canonical_one(fresh):
    """Are the helpers, the public checks and the corpus released unchanged, the corpus linked from data/?"""
    for name in ("rnn_utils.py", "public_tests.py", "names_and_dinos.txt"):
        assert (fresh / name).read_bytes() == (SOURCE / name).read_bytes()
    assert (SOURCE / "names_and_dinos.txt").is_symlink()
    assert (fresh / "names_and_dinos.txt").read_bytes() == (KIT / "data" / "names_and_dinos.txt").read_bytes()


@pytest.mark.slow
def test_nbgrader_validate_invert_fails_every_graded_cell_of_the_stubs():
    """Does `nbgrader validate --invert` find that the released stubs pass no test cell at all?"""
    done = subprocess.run([nbgrader_bin(), "validate", "--invert", str(RELEASE / f"{NAME}.ipynb")], cwd=KIT,
                          capture_output=True, text=True, timeout=600)
    assert "Success! The notebook does not pass any tests." in done.stdout, done.stdout + done.stderr
