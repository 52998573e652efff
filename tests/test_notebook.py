"""The instructor notebook runs from top to bottom in a real kernel, training included, and says what a run shows.

Every number the text states about a run (the loss at the start, its trend, the averages, how often each
name is seen) is read from the text and checked against this run's printed output.
"""
import math
import re
import time

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import DINO, SOURCE_NOTEBOOK

ITERATIONS = 22001  # the training cell's default


@pytest.fixture(scope="module")
def run():
    """The solution notebook after a kernel ran it in its folder."""
    notebook = nbformat.read(SOURCE_NOTEBOOK, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(SOURCE_NOTEBOOK.parent)}})
    started = time.perf_counter()
    client.execute()
    print(f"executed the solution notebook in {time.perf_counter() - started:.1f} s")  # reported, not asserted
    return notebook


def printed(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def prose(notebook):
    """The markdown text, one line (formulas kept as written)."""
    return " ".join(" ".join(cell.source.split()) for cell in notebook.cells if cell.cell_type == "markdown")


@pytest.fixture(scope="module")
def training(run):
    """(the training cell's printed text, {iteration: smoothed loss printed}, {iteration: [names sampled]})."""
    text = printed(run.cells[-2])
    losses, names, current = {}, {}, None
    for line in text.splitlines():
        found = re.match(r"Iteration: (\d+), Loss: ([\d.]+)", line)
        if found:
            current = int(found.group(1))
            losses[current], names[current] = float(found.group(2)), []
        elif current is not None and re.fullmatch(r"[A-Z][a-z]*", line.strip()):
            names[current].append(line.strip())
    return text, losses, names


@pytest.mark.slow
def test_whole_solution_notebook_executes_without_errors(run, training):
    """Does every cell of the solution notebook run without an error, ending with trained names and a plot?"""
    errors = [o for c in run.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    text, losses, _ = training
    assert max(losses) == 22000 and f"Trained for {ITERATIONS} iterations" in text
    assert any("image/png" in o.get("data", {}) for o in run.cells[-2].outputs)


@pytest.mark.slow
def test_the_loss_at_the_start_is_what_the_text_says(run, training):
    """Are the printed first smoothed loss, 7 ln 27 and 13 ln 27 (thirteen: a name's mean length with its newline)
    the numbers the text gives?"""
    text = prose(run)
    _, losses, _ = training
    assert f"printed at iteration 0 is {losses[0]:.2f}" in text
    assert f"$7 \\times \\ln 27 \\approx {7 * math.log(27):.2f}$" in text
    names = (DINO.source / "dinos.txt").read_text().splitlines()
    characters = round(sum(len(name) + 1 for name in names) / len(names))
    assert characters == 13 and "about thirteen characters with its newline" in text
    assert f"$13 \\times \\ln 27 \\approx {13 * math.log(27):.0f}$" in text


@pytest.mark.slow
def test_the_smoothed_loss_rises_then_falls_as_the_text_says(run, training):
    """Does the printed smoothed loss rise to the value the text gives, fall through the values it gives, and end
    where it says?"""
    text = prose(run)
    _, losses, _ = training
    rise = re.search(r"it \*rises\*, to about (\d+) at iteration (\d+)", text)
    assert rise and round(losses[int(rise.group(2))]) == int(rise.group(1)) > losses[0]
    fall = re.search(r"falls as the model learns, to about (\d+) at iteration (\d+) and (\d+) at iteration (\d+)", text)
    assert fall
    points = [(int(fall.group(2)), int(fall.group(1))), (int(fall.group(4)), int(fall.group(3)))]
    assert [round(losses[j]) for j, _ in points] == [value for _, value in points]
    assert losses[int(rise.group(2))] > losses[points[0][0]] > losses[points[1][0]]
    end = re.search(r"it ends near ([\d.]+) at iteration (\d+)", text)
    assert end and int(end.group(2)) == max(losses) and f"{losses[max(losses)]:.1f}" == end.group(1)


@pytest.mark.slow
def test_the_running_average_starts_and_ends_as_the_text_says(run, training):
    """Are the averages of the first and last 500 names, which the cell prints, the ones the text gives?"""
    printed_text, _, _ = training
    first, last = map(float, re.search(r"first 500 names: ([\d.]+); of the last 500: ([\d.]+)", printed_text).groups())
    found = re.search(r"average over 500 names shows the real curve: it starts near (\d+),.* then slowly, to about (\d+)\.",
                      prose(run))
    assert found and (round(first), round(last)) == (int(found.group(1)), int(found.group(2)))


@pytest.mark.slow
def test_names_and_passes_are_what_the_text_says(run, training):
    """Does training take the 22,001 steps the text gives, going through the names about fifteen times, print
    seven names every 2000 iterations and how long it took, and do its samples go from random letters to more and
    more names ending in -saurus and -don?"""
    text = prose(run)
    names = (DINO.source / "dinos.txt").read_text().splitlines()
    assert round(ITERATIONS / len(names)) == 15 and f"{ITERATIONS:,} steps, one name each" in text
    assert "about fifteen times" in text and "sees each name only about fifteen times" in text
    printed_text, _, sampled = training
    assert re.search(rf"Trained for {ITERATIONS} iterations in [\d.]+ s", printed_text)
    assert "seven sampled names every 2000 iterations" in text
    assert sorted(sampled) == list(range(0, ITERATIONS, 2000)) and {len(found) for found in sampled.values()} == {7}
    suffixed = [sum(name.endswith(("saurus", "don")) for name in sampled[j]) for j in sorted(sampled)]
    half = len(suffixed) // 2
    assert suffixed[0] == 0 and 0 < sum(suffixed[:half]) < sum(suffixed[half:]), suffixed
    later = [name for j, found in sampled.items() if j > 0 for name in found]
    assert any(name.endswith("saurus") for name in later) and any(name.endswith("don") for name in later)


def test_public_checks_pass_on_the_reference(reference, capsys):
    """Do the released public checks pass when run directly on the reference functions?"""
    from graders.reference import public_checks
    public_tests = public_checks(DINO)
    public_tests.clip_test(reference["clip"], 10)
    public_tests.clip_test(reference["clip"], 5)
    public_tests.sample_test(reference["sample"])
    public_tests.optimize_test(reference["optimize"])
    public_tests.model_test(reference["model"])
    assert capsys.readouterr().out.count("All tests passed") == 5
