"""The released stubs match the code around them, and the public checks catch what the text warns about."""
import ast
import json
import re
from pathlib import Path

import pytest

from conftest import DINO, KIT, SOURCE_NOTEBOOK
from graders.course import COURSE_RELEASE, COURSE_SOURCE, without_markers
from graders.reference import load_reference, public_checks
from graders.submission import cell_source

START, END = "### START CODE HERE", "### END CODE HERE"
SOURCES = sorted((KIT / COURSE_SOURCE).glob("*/*.ipynb"))


def solution_cells(notebook):
    """{grade id: source} of a notebook's solution cells."""
    cells = json.loads(Path(notebook).read_text())["cells"]
    return {cell["metadata"]["nbgrader"]["grade_id"]: cell_source(cell) for cell in cells
            if cell.get("metadata", {}).get("nbgrader", {}).get("solution")}


def blocks(source):
    """[(first line, last line)] (1-based) of the learner blocks of a cell, START and END lines included."""
    lines = source.splitlines()
    starts = [i + 1 for i, line in enumerate(lines) if line.strip().startswith(START)]
    ends = [i + 1 for i, line in enumerate(lines) if line.strip().startswith(END)]
    assert len(starts) == len(ends) > 0
    return list(zip(starts, ends))


def names_read_after(source):
    """[names the given lines after each learner block read, of those the block assigns], block by block."""
    tree = ast.parse(source)
    regions = blocks(source)
    inside = lambda line: any(first <= line <= last for first, last in regions)  # noqa: E731
    needed = []
    for first, last in regions:
        stored = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)
                  and isinstance(node.ctx, ast.Store) and first <= node.lineno <= last}
        read = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)
                and isinstance(node.ctx, ast.Load) and node.lineno > last and not inside(node.lineno)}
        needed.append(sorted(stored & read))
    return needed


def stub_comments(source):
    """The comment text of each learner block of a released stub."""
    lines = source.splitlines()
    return [" ".join(line.strip() for line in lines[first - 1:last] if line.strip().startswith("#"))
            for first, last in blocks(source)]


@pytest.mark.parametrize("source", SOURCES, ids=[path.parent.name for path in SOURCES])
def test_every_name_the_scaffold_reads_is_named_in_the_stub(source):
    """In both assignments, does the comment of each learner block of the released notebook say which variables
    the given lines after it read ("The lines after this block read ...") and name every one of them that the
    block assigns (indices and counter, loss and a, curr_loss...)?"""
    released = solution_cells(KIT / COURSE_RELEASE / source.parent.name / source.name)
    unnamed, checked = [], 0
    for grade_id, solution in solution_cells(source).items():
        for block, (names, comment) in enumerate(zip(names_read_after(solution), stub_comments(released[grade_id]))):
            checked += len(names)
            said = re.search(r"\b(?:reads?|returns)\b(.*)", comment)  # "The lines after this block read ..."
            unnamed += [(grade_id, block, name) for name in names
                        if not (said and re.search(rf"\b{name}\b", said.group(1)))]
    assert unnamed == [] and checked >= 5


def test_the_names_dinosaur_island_s_scaffold_reads_are_the_ones_the_issue_lists():
    """Does the analysis find indices and counter for sample, loss, gradients and a for optimize, and the set-up's
    and the loop's names for model (so the test above has something to check)?"""
    needed = {grade_id: names_read_after(source) for grade_id, source in solution_cells(SOURCE_NOTEBOOK).items()}
    assert needed["sample"] == [["counter", "indices"]]
    assert needed["optimize"] == [["a", "gradients", "loss"]]
    assert needed["model"] == [["examples", "loss", "parameters"], ["X", "Y", "curr_loss", "idx"]]


def test_the_text_no_longer_asks_learners_to_append_the_newline():
    """Does the sample section say that the given lines append the newline, and nowhere to append it yourself?"""
    text = json.dumps(json.loads((DINO.release / DINO.notebook).read_text())["cells"])
    assert "append the newline index yourself" not in text
    assert "append the newline\\n" in text and "do not append it yourself" in text


def with_lines(function, old, new):
    """The reference function `function` with one of its lines replaced, defined beside the reference's helpers."""
    namespace = load_reference(DINO)
    source = without_markers(solution_cells(SOURCE_NOTEBOOK)[function])
    assert old in source
    exec(compile(source.replace(old, new), f"<{function} variant>", "exec"), namespace)
    return namespace[function]


SAMPLE_MISTAKES = {
    "appends the newline itself, as the old text said":
        ("        counter += 1\n", "        counter += 1\n    if counter == 50:\n        indices.append(newline_character)\n"),
    "deletes the given lines that append the newline":
        ("    if counter == 50:\n        indices.append(char_to_ix['\\n'])\n", ""),
}
MODEL_MISTAKES = {
    "resets a_prev at every step": ("        curr_loss, gradients, a_prev = optimize(",
                                    "        a_prev = np.zeros((n_a, 1))\n        curr_loss, gradients, a_prev = optimize("),
    "keeps the returned state under another name": ("        curr_loss, gradients, a_prev = optimize(",
                                                    "        curr_loss, gradients, a_last = optimize("),
}


@pytest.mark.parametrize("mistake", sorted(SAMPLE_MISTAKES))
def test_the_public_sample_check_catches_the_50_draw_cap(mistake, capsys):
    """Does the public sample check fail on a sample that ends a capped run with 52 or 50 indices, naming the cap?"""
    with pytest.raises(AssertionError, match="stop after 50 draws"):
        public_checks(DINO).sample_test(with_lines("sample", *SAMPLE_MISTAKES[mistake]))


@pytest.mark.parametrize("mistake", sorted(MODEL_MISTAKES))
def test_the_public_model_check_catches_a_hidden_state_that_is_not_carried(mistake, capsys):
    """Does the public model check fail on a model that does not carry its hidden state, saying so?"""
    with pytest.raises(AssertionError, match="hidden state must be carried"):
        public_checks(DINO).model_test(with_lines("model", *MODEL_MISTAKES[mistake]))
