"""nbgrader settings for the Dinosaur Island course; the folder holding this file is the course root.

Instructors run every nbgrader command from this folder (see docs/instructor.md). The settings below
also defuse nbgrader's known traps, each explained where it is set, and hold the course's policies:
late penalties, and what feedback may show.
"""
import os
import sys

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearOutput, DeduplicateIds, GetGrades,
                                    IgnorePattern, LimitOutput, OverwriteCells, OverwriteKernelspec, SaveAutoGrades)
from nbgrader.validator import Validator

from graders.feedback_page import TEMPLATE, TEMPLATE_FILE, mathjax_url, offline_head, template_basedirs
from graders.nbgrader_execute import SandboxExecute, validate_in_sandbox
from graders.nbgrader_intake import CollectWithoutLinks, RefuseNonSubmissions, refuse_links
from graders.nbgrader_plugins import GraderVerdicts, HideGraderDetails, LabelTestCells, LatePenaltyPerDay

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

# Trap 3: learner code in a notebook runs with the rights of whoever runs nbgrader. Autograde and
# validate therefore run notebooks with SandboxExecute (graders/nbgrader_execute.py) instead of a
# Jupyter kernel: the cells run in the graders' sandbox and their outputs are written back as a
# kernel's would be. A cell that never returns (an infinite loop in a learner's function, run by a
# public test cell) would stall the whole class: each cell gets a time limit, after which it is
# stopped and fails. The longest legitimate cell takes a few seconds.
c.Execute.timeout = 120
validate_in_sandbox(Validator)

# Trap 4: a learner who deletes a test cell must not escape its checks: deleted graded cells are put
# back from the gradebook before autograding.
c.OverwriteCells.add_missing_cells = True

# Trap 5: the exchange's inbound folder is writable by every learner, and nbgrader's collect (and
# autograde, for files put in submitted/ by hand) would follow a link there with the instructor's
# rights: to the solutions, the gradebook, a classmate's notebook. Links are never followed; a
# submission that is one, or that holds instructor-only content, is replaced by a refusal notebook
# and scores 0, with a warning in the log (graders/nbgrader_intake.py).
c.ExchangeFactory.collect = CollectWithoutLinks
c.Autograde.pre_convert_hook = refuse_links
c.Autograde.sanitize_preprocessors = [RefuseNonSubmissions, ClearOutput, DeduplicateIds, OverwriteKernelspec,
                                      OverwriteCells, CheckCellMetadata]

# Feedback shows at most this much of a traceback (the graders keep their own messages short).
c.LimitOutput.max_traceback = 20


c.AssignLatePenalties.plugin_class = LatePenaltyPerDay
c.LatePenaltyPerDay.points_per_day = 10.0

# Scores come from the graders, not from what the learner's code printed: after the notebook has run,
# the test cells' outputs are replaced by the graders' verdicts (see graders/nbgrader_plugins.py).
c.Autograde.autograde_preprocessors = [SandboxExecute, GraderVerdicts, IgnorePattern, ClearMetadataPreprocessor,
                                       LimitOutput, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]

# Feedback: the grades, then the hidden tests cleared and the test cells named, then the page's styles. The page
# is nbgrader's, made readable (graders/feedback_page.py): MathJax embedded from an installed package, so that
# it renders math offline, and lines that wrap.
c.GenerateFeedback.preprocessors = [GetGrades, HideGraderDetails, LabelTestCells, CSSHTMLHeaderPreprocessor]
c.HTMLExporter.template_name = TEMPLATE
c.HTMLExporter.template_file = TEMPLATE_FILE
c.HTMLExporter.extra_template_basedirs = template_basedirs()
c.HTMLExporter.mathjax_url = mathjax_url()
c.HTMLExporter.filters = {"offline_head": offline_head}
