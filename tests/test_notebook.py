"""The instructor notebook runs from top to bottom in a real kernel, training included."""
import time

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import DINO, SOURCE_NOTEBOOK


@pytest.mark.slow
def test_whole_solution_notebook_executes_without_errors():
    """Does every cell of the solution notebook run without an error, ending with trained names and a plot?"""
    notebook = nbformat.read(SOURCE_NOTEBOOK, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(SOURCE_NOTEBOOK.parent)}})
    started = time.perf_counter()
    client.execute()
    print(f"executed the solution notebook in {time.perf_counter() - started:.1f} s")  # reported, not asserted
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    training = notebook.cells[-2]
    text = "".join(o.get("text", "") for o in training.outputs if o.output_type == "stream")
    assert "Iteration: 22000" in text and "Trained for 22001 iterations" in text
    assert any("image/png" in o.get("data", {}) for o in training.outputs)


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
