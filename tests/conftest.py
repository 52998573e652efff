"""Shared fixtures for the kit's own tests."""
import json
import shutil
from pathlib import Path

import pytest

from graders.assignment import KIT_ROOT as KIT
from graders.assignment import load_assignment

DINO = load_assignment("dinosaur_island")
SOURCE_NOTEBOOK = DINO.source / DINO.notebook
RELEASED_NOTEBOOK = DINO.release / DINO.notebook


@pytest.fixture(scope="session")
def reference():
    """The reference functions from the instructor notebook."""
    from graders.reference import load_reference
    return load_reference(DINO)


def perfect_submission():
    """The released notebook with the instructor's solutions, as a learner who wrote them hands it in (JSON text)."""
    from graders.course import filled_in
    return json.dumps(filled_in(RELEASED_NOTEBOOK, SOURCE_NOTEBOOK), indent=1)


@pytest.fixture(scope="session")
def perfect_notebook(tmp_path_factory):
    """A file holding perfect_submission(), named as learners name theirs."""
    path = tmp_path_factory.mktemp("perfect") / "dinosaur_island.ipynb"
    path.write_text(perfect_submission())
    return path


@pytest.fixture(scope="session")
def reference_report():
    """The full grading report of the instructor notebook."""
    from graders.grading import grade
    return grade(SOURCE_NOTEBOOK)


@pytest.fixture(scope="session")
def stubs_report():
    """The full grading report of the untouched released notebook."""
    from graders.grading import grade
    return grade(RELEASED_NOTEBOOK)


@pytest.fixture
def course(tmp_path):
    """A temporary nbgrader course folder made from the kit (config and source)."""
    from graders.course import make_course
    return make_course(tmp_path / "course")


def nbgrader_bin():
    """Path of the nbgrader command of the environment running the tests."""
    import sys
    return shutil.which("nbgrader", path=str(Path(sys.executable).parent))


def pytest_terminal_summary(terminalreporter):
    """Print the mutation report of each assignment from the verdicts the mutant, variant and trivial tests
    attached (no regrading)."""
    from tools.mutation_judge import verdict_from_json
    from tools.mutation_report import report_text
    verdicts = [verdict_from_json(value)
                for reports in terminalreporter.stats.values() for report in reports
                if getattr(report, "when", None) == "call"
                for name, value in getattr(report, "user_properties", ()) if name == "mutation_verdict"]
    for name in sorted({verdict.assignment for verdict in verdicts}):
        own = sorted((v for v in verdicts if v.assignment == name), key=lambda v: (v.kind, v.path.name))
        terminalreporter.write_sep("=", f"mutation report: {name}")
        terminalreporter.write_line(report_text(own, load_assignment(name).function_names, f"Mutation report for {name}"))
