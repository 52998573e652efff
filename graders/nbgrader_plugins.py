"""nbgrader plugins of the course, named in nbgrader_config.py.

- `LatePenaltyPerDay`: the late policy.
- `GraderVerdicts`: after autograde has run a notebook (see graders/nbgrader_execute.py), the graded
  cells' outputs are replaced by the verdicts of `graders.grading.grade`, computed here, in nbgrader's
  own process, with the learner's code in the sandbox. The learner's cells ran in the same process as
  the test cells and could have faked their outputs; the gradebook therefore records what the graders
  say, the same score as `python -m graders grade`.
- `HideGraderDetails`: feedback without hidden tests and without grader paths in tracebacks.
- `LabelTestCells`: feedback that names what each test cell checks (graders/feedback_page.py).
"""
import math
import re
import tempfile
from pathlib import Path

import nbformat
from nbformat.v4 import new_output
from nbgrader.plugins import LateSubmissionPlugin
from nbgrader.preprocessors import ClearHiddenTests, GetGrades, NbGraderPreprocessor
from nbgrader.utils import is_grade
from traitlets import Float, List

from graders.nbgrader_cell import hidden_verdict


class LatePenaltyPerDay(LateSubmissionPlugin):
    """Late policy: a submission loses `points_per_day` for every day or part of a day it is late.

    nbgrader never takes away more than the submission scored. The due date is the assignment's,
    in the gradebook: `nbgrader db assignment add ASSIGNMENT --duedate="2026-12-01 23:59 UTC"`.
    """

    points_per_day = Float(10.0, help="points taken off per started day of lateness").tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        days_late = math.ceil(total_seconds_late / 86400)
        return min(score, days_late * self.points_per_day)


class GraderVerdicts(NbGraderPreprocessor):
    """Set every graded test cell's outputs from the graders' report on this notebook."""

    def preprocess(self, nb, resources):
        from graders.assignment import load_assignment
        from graders.grading import grade
        assignment = load_assignment(resources["nbgrader"]["assignment"])  # nbgrader's id is the declared name
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / assignment.notebook
            nbformat.write(nb, str(path))
            report = grade(path, assignment=assignment)
        test_cells = assignment.test_cells()
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "") if is_grade(cell) else None
            if grade_id in test_cells and cell.cell_type == "code":
                function, public = test_cells[grade_id]
                results = [r for r in report.results if r.function == function and r.public == public]
                cell.outputs = verdict_outputs(cell.outputs, results, function, public)
        return nb, resources


def verdict_outputs(run_outputs, results, function, public):
    """The outputs a test cell gets: its verdicts, an error when a public check failed, a score for hidden cells."""
    if public:
        printed = [o for o in run_outputs if o.output_type == "stream" and o.name == "stdout"]
        failed = [r for r in results if r.status != "passed"]
        if not failed:
            return printed
        lines = failed[0].message.splitlines() or [failed[0].status]
        return printed + [new_output("error", ename="CheckFailed", evalue=lines[0],
                                     traceback=[f"CheckFailed: {lines[0]}", *lines[1:]])]
    text, total = hidden_verdict(results, function)
    return [new_output("stream", name="stdout", text=text),
            new_output("execute_result", data={"text/plain": repr(float(total))}, execution_count=None)]


class HideGraderDetails(ClearHiddenTests):
    """For feedback: remove the hidden tests from test cells, and cut tracebacks down to the learner's own code.

    Learners see what a hidden test cell printed (one verdict per check) and its score, never its
    code; should such a cell fail, only its error's last line. Other tracebacks keep the frames in the
    learner's notebook cells ("Cell In[7], line 3") and the error; frames in files (the provided
    helpers, numpy, the graders) are left out, and with them every path on the grading machine.
    """

    # GenerateFeedback hands this setting to every preprocessor; declared here only to accept it.
    display_data_priority = List(GetGrades.display_data_priority.default_value).tag(config=True)

    def preprocess_cell(self, cell, resources, cell_index):
        # only test cells (restored from the gradebook by autograde) hold hidden tests; a learner's own
        # cell that happens to contain the marker is the learner's code and stays as it is
        had_hidden_tests = cell.cell_type == "code" and is_grade(cell) and self.begin_test_delimeter in cell.source
        if had_hidden_tests:
            cell, resources = super().preprocess_cell(cell, resources, cell_index)
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                output.traceback = short_traceback(output, had_hidden_tests)
        return cell, resources


def short_traceback(error, last_line_only):
    """The lines of an error output that a learner gets to see."""
    last = f"{error.ename}: {error.evalue}" if error.evalue else error.ename
    if last_line_only or not error.traceback:
        return [last]
    plain = [re.sub(r"\x1b\[[0-9;]*m", "", entry).lstrip() for entry in error.traceback]
    kept = [entry for entry, text in zip(error.traceback[:-1], plain) if not text.startswith("File ")]
    if len(kept) == len(plain) - 1:  # no frame in a file: nothing to leave out
        return list(error.traceback)
    return kept + ["(frames outside your notebook are not shown)", error.traceback[-1]]


class LabelTestCells(NbGraderPreprocessor):
    """For feedback: name each of the declared test cells by what it checks ("clip: hidden checks"), for the list
    of graded cells at the top of the page (an assignment the graders do not know keeps its grade ids)."""

    def preprocess(self, nb, resources):
        from graders.assignment import DeclarationError, load_assignment
        try:
            test_cells = load_assignment(resources["nbgrader"]["assignment"]).test_cells()
        except DeclarationError:
            return nb, resources
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in test_cells:
                function, public = test_cells[grade_id]
                cell.metadata["graders_label"] = f"{function}: {'public' if public else 'hidden'} checks"
        return nb, resources
