"""Shared fixtures for the kit's own tests."""
import shutil
from pathlib import Path

import pytest

KIT = Path(__file__).resolve().parents[1]
SOURCE_NOTEBOOK = KIT / "solutions" / "dinosaur_island" / "dinosaur_island.ipynb"
RELEASED_NOTEBOOK = KIT / "assignment" / "dinosaur_island" / "dinosaur_island.ipynb"


@pytest.fixture(scope="session")
def reference():
    """The reference functions from the instructor notebook."""
    from graders.reference import load_reference
    return load_reference()


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
