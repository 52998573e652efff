"""Grading the reference and the untouched stubs, and submissions that cannot be loaded."""
import json

from graders.grading import grade


def test_reference_scores_full_marks(reference_report):
    """Does the instructor notebook get 100/100 with every check passing?"""
    failing = [(r.name, r.message) for r in reference_report.results if r.status != "passed"]
    assert failing == [] and reference_report.score == 100 and reference_report.max_score == 100


def test_stubs_score_zero_and_say_not_implemented(stubs_report):
    """Do the untouched stubs get 0/100, every check saying the function is not implemented?"""
    assert stubs_report.score == 0 and stubs_report.max_score == 100
    for result in stubs_report.results:
        assert result.status == "error"
        assert result.message.startswith(f"{result.function} is not implemented yet"), result.message
        assert "Traceback" not in result.message and "graders/" not in result.message


def test_rubric_is_split_over_the_four_functions(reference_report):
    """Is the maximum split 20/30/20/30 over clip, sample, optimize and model?"""
    assert reference_report.by_function() == {"clip": (20, 20), "sample": (30, 30), "optimize": (20, 20),
                                              "model": (30, 30)}


def test_python_file_submission_is_graded(tmp_path):
    """Is a .py file that imports rnn_utils graded like a notebook (here: the reference, 100)?"""
    from conftest import SOURCE_NOTEBOOK
    from graders.course import without_markers
    from graders.submission import load_submission
    source = "\n\n".join(without_markers(cell["source"]) for cell in load_submission(SOURCE_NOTEBOOK).cells)
    path = tmp_path / "solution.py"
    path.write_text(source)
    assert grade(path).score == 100


def test_corrupt_notebook_scores_zero_with_a_message(tmp_path):
    """Does a notebook that is not valid JSON get 0 with a message saying so, without crashing?"""
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [')
    report = grade(path, functions=["clip"])
    assert report.score == 0
    assert all("not valid JSON" in r.message for r in report.results)


def test_syntax_error_in_one_cell_costs_only_that_function(tmp_path):
    """Does a syntax error in the clip cell leave sample, optimize and model gradable?"""
    from conftest import perfect_submission
    notebook = json.loads(perfect_submission())
    for cell in notebook["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "clip":
            cell["source"] = "def clip(gradients, maxValue)\n    return gradients\n"
    path = tmp_path / "syntax.ipynb"
    path.write_text(json.dumps(notebook))
    report = grade(path, functions=["clip", "sample"])
    totals = report.by_function()
    assert totals["clip"][0] == 0 and totals["sample"] == (30, 30)
    assert "SyntaxError" in report.results[0].message and "cell 'clip'" in report.results[0].message


def test_unknown_file_type_is_reported(tmp_path):
    """Is a submission that is neither .ipynb nor .py given 0 with a clear message?"""
    path = tmp_path / "answer.txt"
    path.write_text("def clip(): pass")
    report = grade(path, functions=["clip"])
    assert report.score == 0 and "must be a .ipynb notebook or a .py file" in report.results[0].message
