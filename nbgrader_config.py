"""nbgrader settings for the Dinosaur Island course; the folder holding this file is the course root.

Instructors run every nbgrader command from this folder (see docs/instructor.md). The settings below
also defuse nbgrader's known traps, each explained where it is set, and hold the course's policies:
late penalties, and what feedback may show.
"""
import math
import os
import re
import sys

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.plugins import LateSubmissionPlugin
from nbgrader.preprocessors import ClearHiddenTests, GetGrades
from nbgrader.utils import is_grade
from traitlets import Float, List

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "dinosaur-island"
c.CourseDirectory.source_directory = "solutions"    # instructor notebooks, with solutions and hidden tests
c.CourseDirectory.release_directory = "assignment"  # what learners get (generated, committed)
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".hypothesis"]

# Trap 1: creating a new gradebook runs the `alembic` command, found on PATH. Make sure the
# environment nbgrader itself runs from is searched first, even when it is not activated.
_bin = os.path.dirname(sys.executable)
if _bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _bin + os.pathsep + os.environ.get("PATH", "")

# Trap 2: any stderr output (a numpy RuntimeWarning, a deprecation notice) gives a passing test cell
# zero points. Grades come from exceptions and partial-credit values only, so stderr is dropped.
c.IgnorePattern.pattern = r"[\s\S]"

# Trap 3: a cell that never returns (an infinite loop in a learner's function, run by a public test
# cell in the kernel) would stall the whole class. Each cell gets a time limit, after which the
# kernel is interrupted and the cell fails. The longest legitimate cell takes a few seconds; the
# hidden test cells run the learner's code in the graders' sandbox, which stops each call after
# 10 seconds, so they stay well inside this limit even for a learner whose code never returns.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True

# Trap 4: a learner who deletes a test cell must not escape its checks: deleted graded cells are put
# back from the gradebook before autograding.
c.OverwriteCells.add_missing_cells = True

# Feedback shows at most this much of a traceback (the graders keep their own messages short).
c.LimitOutput.max_traceback = 20


class LatePenaltyPerDay(LateSubmissionPlugin):
    """Late policy: a submission loses `points_per_day` for every day or part of a day it is late.

    nbgrader never takes away more than the submission scored. The due date is the assignment's,
    in the gradebook: `nbgrader db assignment add dinosaur_island --duedate="2026-12-01 23:59 UTC"`.
    """

    points_per_day = Float(10.0, help="points taken off per started day of lateness").tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        days_late = math.ceil(total_seconds_late / 86400)
        return min(score, days_late * self.points_per_day)


c.AssignLatePenalties.plugin_class = LatePenaltyPerDay
c.LatePenaltyPerDay.points_per_day = 10.0


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


# Feedback: the grades, then the hidden tests cleared, then the page's styles.
c.GenerateFeedback.preprocessors = [GetGrades, HideGraderDetails, CSSHTMLHeaderPreprocessor]
