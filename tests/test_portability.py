"""The expected values hold on numpy 1.26 as on numpy 2.x, and with 1 or 2 BLAS threads.

A second virtual environment with the legacy numpy pinned in pyproject.toml ([tool.kit] legacy_numpy)
grades the reference and rechecks the stored values; the main environment does the same with
OPENBLAS_NUM_THREADS=1 and =2.
"""
import json
import os
import subprocess
import sys
import tomllib
import venv

import pytest

from conftest import KIT, SOURCE_NOTEBOOK


def pins():
    """The exact versions pyproject.toml pins, by package name, and the legacy numpy version."""
    project = tomllib.loads((KIT / "pyproject.toml").read_text())
    pinned = dict(requirement.split("==") for requirement in project["project"]["dependencies"])
    return pinned, project["tool"]["kit"]["legacy_numpy"]


def grade_with(python, env=None):
    done = subprocess.run([python, "-m", "graders", "grade", str(SOURCE_NOTEBOOK), "--format", "json"], cwd=KIT,
                          capture_output=True, text=True, timeout=900, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("threads", ["1", "2"])
def test_reference_scores_full_marks_with_one_and_two_blas_threads(threads):
    """Does the reference score 100 whatever the BLAS thread count of the grader?"""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": threads, "OMP_NUM_THREADS": threads, "MKL_NUM_THREADS": threads}
    report = grade_with(sys.executable, env)
    assert report["score"] == 100, [t for t in report["tests"] if t["status"] != "passed"]


@pytest.mark.slow
def test_expected_values_hold_on_legacy_numpy(tmp_path):
    """With numpy 1.26, does the reference score 100 and do the stored values pass regenerate --check?"""
    pinned, legacy = pins()
    home = tmp_path / "legacy-venv"
    venv.create(home, with_pip=True)
    python = str(home / "bin" / "python")
    wanted = [f"numpy=={legacy}", f"pytest=={pinned['pytest']}", f"hypothesis=={pinned['hypothesis']}"]
    subprocess.run([python, "-m", "pip", "install", "--quiet", *wanted], check=True, timeout=900)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(KIT)], check=True, timeout=900)
    version = subprocess.run([python, "-c", "import numpy; print(numpy.__version__)"], capture_output=True,
                             text=True, check=True).stdout.strip()
    assert version == legacy
    report = grade_with(python)
    assert report["score"] == 100, [t for t in report["tests"] if t["status"] != "passed"]
    check = subprocess.run([python, "-m", "graders", "regenerate", "--check"], cwd=KIT, capture_output=True,
                           text=True, timeout=900)
    assert check.returncode == 0, check.stdout + check.stderr
