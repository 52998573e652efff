"""Stored expected values: up to date with the reference, robust, and drift is detected."""
import copy
import json
import subprocess
import sys

from conftest import DINO, KIT
from graders.expected_values import drift, load_all


def test_regenerate_check_passes():
    """Does `python -m graders regenerate --check` find the stored values current and none fragile?"""
    done = subprocess.run([sys.executable, "-m", "graders", "regenerate", "--check"], cwd=KIT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "up to date, none fragile" in done.stdout


def test_drift_is_reported_beyond_the_tolerance_only():
    """Is a float moved by 1e-5 reported, one moved by 1e-12 not, and any changed index reported?"""
    stored = load_all(DINO)
    nudged = copy.deepcopy(stored)
    nudged["optimize"]["cases"][0]["loss"] *= 1 + 1e-12
    assert drift(stored, nudged) == []
    nudged["optimize"]["cases"][0]["loss"] *= 1 + 1e-5
    assert any("optimize" in problem for problem in drift(stored, nudged))
    changed = copy.deepcopy(stored)
    changed["sample"]["seeded"][0][0] += 1
    assert drift(stored, changed) != []


def test_stored_files_record_how_they_were_computed():
    """Is there one expected-values file per graded function, naming it, its numpy version and tolerances?"""
    assert sorted(path.stem for path in DINO.expected.glob("*.json")) == sorted(DINO.function_names)
    for path in DINO.expected.glob("*.json"):
        document = json.loads(path.read_text())
        assert document["function"] == path.stem
        assert document["computed_with"]["numpy"]
        assert document["tolerances"]["float_rtol"] > 0
