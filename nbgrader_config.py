"""nbgrader settings for the Dinosaur Island course; the folder holding this file is the course root.

Instructors run every nbgrader command from this folder (see the README). The settings below also
defuse nbgrader's known traps, each explained where it is set.
"""
import os
import sys

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

# Trap 3: a cell that never returns (an infinite loop in a learner's function) would stall the whole
# class. Each cell gets a time limit, after which the kernel is interrupted and the cell fails.
c.Execute.timeout = 300
c.Execute.interrupt_on_timeout = True

# Trap 4: a learner who deletes a test cell must not escape its checks: deleted graded cells are put
# back from the gradebook before autograding.
c.OverwriteCells.add_missing_cells = True

# Feedback shows at most this much of a traceback (the graders keep their own messages short).
c.LimitOutput.max_traceback = 20
