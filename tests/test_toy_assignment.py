"""A new graded function is cheap: a toy assignment declared in a folder of its own is graded by the same command line.

tests/fixtures/toy_assignment/ holds everything: declaration.py, its check module double.py, the
instructor notebook and the provided files in source/, the expected values in expected/, and a right
and a wrong submission. No other file of the kit knows about it.
"""
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DINO, KIT
from graders.assignment import DeclarationError, choose_assignment, load_assignment
from graders.rubric import points_problems

FIXTURE = Path(__file__).with_name("fixtures") / "toy_assignment"
KIT_PARTS = ("graders", "solutions", "assignment", "tools", "README.md", "pyproject.toml", "nbgrader_config.py")


def kit_fingerprint():
    """{path: sha256} of the kit's own files (caches left out)."""
    files = [path for part in KIT_PARTS for path in ([KIT / part] if (KIT / part).is_file() else (KIT / part).rglob("*"))
             if path.is_file() and "__pycache__" not in path.parts]
    return {str(path.relative_to(KIT)): hashlib.sha256(path.read_bytes()).hexdigest() for path in files}


@pytest.fixture
def toy(tmp_path):
    """A copy of the toy assignment's folder."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "toy_assignment"))


def graders(*args, cwd):
    return subprocess.run([sys.executable, "-m", "graders", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env={"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"})


def test_a_toy_assignment_is_graded_by_the_same_command_line_without_touching_the_kit(toy):
    """Do a right and a wrong submission get full marks and a failed values check through `grade --assignment`,
    with the toy's stored values up to date, and no file of the kit changed?"""
    before = kit_fingerprint()
    right = graders("grade", "submissions/right.py", "--assignment", str(toy), "--format", "json", cwd=toy)
    wrong = graders("grade", "submissions/wrong.py", "--assignment", str(toy), "--format", "json", cwd=toy)
    check = graders("regenerate", "--check", "--assignment", str(toy), cwd=toy)
    assert (right.returncode, wrong.returncode, check.returncode) == (0, 0, 0), right.stderr + wrong.stderr + check.stderr
    right, wrong = json.loads(right.stdout), json.loads(wrong.stdout)
    assert [(t["name"], t["status"]) for t in right["tests"]] == [
        ("double.public", "passed"), ("double.returns", "passed"), ("double.values", "passed")]
    assert right["score"] == right["max_score"] == 4
    statuses = {t["name"]: t["status"] for t in wrong["tests"]}
    assert statuses == {"double.public": "failed", "double.returns": "passed", "double.values": "failed"}
    assert wrong["score"] == 1 and "multiply every value by 2" in wrong["tests"][2]["message"]
    assert kit_fingerprint() == before


def test_the_toy_notebook_carries_the_points_of_its_checks():
    """Do the toy notebook's test cells carry exactly its declared checks' points?"""
    toy = load_assignment(FIXTURE)
    assert toy.cell_points() == {"test_double_public": 1, "test_double_hidden": 3}
    assert points_problems(toy) == []


def test_grade_picks_the_assignment_a_submission_is_for(tmp_path):
    """Among two assignments, is a file picked by its notebook name, else by the graded functions it defines,
    and is an undecidable one refused?"""
    toy, candidates = load_assignment(FIXTURE), [DINO, load_assignment(FIXTURE)]
    named = tmp_path / "toy.ipynb"
    named.write_text("{")
    assert choose_assignment(named, candidates) is toy
    assert choose_assignment(FIXTURE / "submissions" / "right.py", candidates) is toy
    clip = tmp_path / "mine.py"
    clip.write_text("def clip(gradients, maxValue):\n    return gradients\n")
    assert choose_assignment(clip, candidates) is DINO
    neither = tmp_path / "neither.py"
    neither.write_text("x = 1\n")
    with pytest.raises(DeclarationError, match="cannot tell which assignment neither.py is for"):
        choose_assignment(neither, candidates)
    assert choose_assignment(neither, [DINO]) is DINO


def test_unknown_assignments_and_functions_are_usage_errors():
    """Do an unknown --assignment and an --only the assignment does not grade exit with 2 and one line?"""
    for args in (["--assignment", "no_such_assignment"], ["--only", "double"]):
        done = graders("grade", str(FIXTURE / "submissions" / "right.py"), *args, cwd=KIT)
        assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr


def broken_copy(tmp_path, old, new):
    """A copy of the toy assignment whose check module has `old` replaced by `new`."""
    folder = Path(shutil.copytree(FIXTURE, tmp_path / "broken"))
    module = folder / "double.py"
    module.write_text(module.read_text().replace(old, new))
    return folder


def test_a_check_module_without_its_fragility_rule_fails_at_import(tmp_path):
    """Does a check module that leaves out `fragile` fail as it is imported, naming the missing piece?"""
    folder = broken_copy(tmp_path, "fragile=nothing_fragile, ", "")
    with pytest.raises(TypeError, match="fragile"):
        load_assignment(folder)


def test_a_check_module_without_checks_fails_at_import(tmp_path):
    """Does a check module that exports no CHECKS fail as its declaration is imported, naming module and piece?"""
    folder = broken_copy(tmp_path, "CHECKS = CheckModule(", "ALL = CheckModule(")
    with pytest.raises(AttributeError, match=r"double.*CHECKS"):
        load_assignment(folder)


def test_a_stand_in_that_is_not_a_graded_function_is_refused():
    """Does a declaration whose function names an unknown stand-in fail with a message naming both?"""
    from dataclasses import replace

    from graders.assignment import GradedFunction
    toy = load_assignment(FIXTURE)
    with pytest.raises(DeclarationError, match="double's stand-in 'clip'"):
        replace(toy, functions=(GradedFunction(toy.functions[0].checks, stand_ins=("clip",)),))
