"""docs/instructor.md run as written: its bash blocks, in order, in a fresh course.

The guide names the assignment through `$ASSIGNMENT` and defaults it to the course's first assignment; the
same commands with the second assignment's name are what tests/test_nbgrader_e2e.py runs for every assignment.
"""
import csv
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from graders.assignment import KIT_ROOT, kit_assignments
from graders.course import make_course
from nbgrader_exchange import COURSE_ID

ASSIGNMENTS = kit_assignments()


def test_the_guide_names_every_assignment():
    """Does the guide's assignment line name every assignment of the kit, its default first?"""
    line = next(line for line in (KIT_ROOT / "docs" / "instructor.md").read_text().splitlines() if "${ASSIGNMENT:=" in line)
    assert f"${{ASSIGNMENT:={ASSIGNMENTS[0].name}}}" in line
    assert all(assignment.name in line for assignment in ASSIGNMENTS)


def guide_blocks(markdown):
    """The ```bash blocks of a markdown file, in order."""
    blocks, current = [], None
    for line in markdown.splitlines():
        if current is None and line.strip() == "```bash":
            current = []
        elif current is not None and line.strip() == "```":
            blocks.append("\n".join(current))
            current = None
        elif current is not None:
            current.append(line)
    return blocks


@pytest.mark.slow
def test_the_instructor_guide_runs_as_written(tmp_path):
    """Do the bash blocks of docs/instructor.md, run in order in a fresh course as a newcomer runs them (the
    assignment left to the guide's default), end with exported grades and feedback?"""
    assignment = ASSIGNMENTS[0]
    course = make_course(tmp_path / "course")
    (course / ".venv").symlink_to(Path(sys.executable).parent.parent)
    script = "set -euo pipefail\n" + "\n".join(guide_blocks((KIT_ROOT / "docs" / "instructor.md").read_text()))
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "EXCHANGE": str(tmp_path / "exchange")}
    env.pop("ASSIGNMENT", None)
    done = subprocess.run(["bash", "-c", script], cwd=course, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    # the learner (whoever runs the guide) handed in the untouched notebook: 0 points, on record everywhere
    with open(course / "grades.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1 and rows[0]["assignment"] == assignment.name
    learner = rows[0]["student_id"]
    assert (float(rows[0]["score"]), float(rows[0]["max_score"])) == (0, 100)
    assert rows[0]["duedate"].startswith("2026-12-01 23:59:00")
    assert (course / "feedback" / learner / assignment.name / f"{Path(assignment.notebook).stem}.html").exists()
    assert (tmp_path / "exchange" / COURSE_ID / "feedback").is_dir(), "feedback was released"
    with zipfile.ZipFile(course / f"autograder-{assignment.name}.zip") as bundle:
        assert f"{assignment.source.relative_to(KIT_ROOT).as_posix()}/{assignment.notebook}" in bundle.namelist()
    assert f"--assignment {assignment.name}" in (course / f"classroom-{assignment.name}.yml").read_text()
