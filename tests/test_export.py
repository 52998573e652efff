"""The Gradescope bundle and the GitHub Classroom workflow written by the export verbs."""
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import DINO, KIT
from graders.cli import main
from graders.course import secret_lines


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "autograder.zip"
    assert main(["export-gradescope", str(path)]) == 0
    return path


def unpack(bundle, root):
    """Unzip the bundle as Gradescope does (into ROOT/source), keeping the permission bits."""
    source = root / "source"
    with zipfile.ZipFile(bundle) as archive:
        for info in archive.infolist():
            target = source / info.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(info))
            os.chmod(target, (info.external_attr >> 16) & 0o777)
    return source


def test_bundle_has_the_scripts_at_its_root_executable(bundle):
    """Are setup.sh and run_autograder at the zip's root with executable bits, and other files not executable?"""
    with zipfile.ZipFile(bundle) as archive:
        modes = {info.filename: (info.external_attr >> 16) & 0o777 for info in archive.infolist()}
    assert modes["setup.sh"] == 0o755 and modes["run_autograder"] == 0o755
    assert all(mode == 0o644 for name, mode in modes.items() if name not in ("setup.sh", "run_autograder"))


def test_bundle_holds_the_kit_and_nothing_else(bundle):
    """Does the zip hold the graders, expected values, reference notebook and pins, without caches, hidden folders
    or the maintainers' tools?"""
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        pins = archive.read("pyproject.toml").decode()
        data = archive.read("solutions/dinosaur_island/dinos.txt")
    assert {"pyproject.toml", "README.md", "graders/__init__.py", "graders/grading.py", "graders/sandbox/child.py",
            "graders/assignments/dinosaur_island/expected/clip.json", "solutions/dinosaur_island/dinosaur_island.ipynb",
            "solutions/dinosaur_island/rnn_utils.py", "solutions/dinosaur_island/public_tests.py",
            "solutions/dinosaur_island/dinos.txt"} <= names
    assert not any("__pycache__" in name or "/." in name or name.startswith(".") or name.endswith(".pyc")
                   for name in names)
    assert not any(name.startswith(("tools/", "tests/")) for name in names)
    assert '"numpy==' in pins
    assert data == (KIT / "data" / "dinos.txt").read_bytes()  # the link's content, not the link


def test_setup_installs_the_pinned_kit(bundle):
    """Does setup.sh install the bundled kit (whose pyproject pins every version) into a virtual environment?"""
    with zipfile.ZipFile(bundle) as archive:
        setup = archive.read("setup.sh").decode()
    assert setup.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in setup
    assert "pip install -e /autograder/source" in setup


def bundle_only_python(tmp_path):
    """A stand-in for the bundle's Python that can import the graders only from the bundle (cwd), not this checkout."""
    wrapper = tmp_path / "python"
    wrapper.write_text(f"""#!/bin/sh
exec {sys.executable} -c '
import os, runpy, sys
sys.meta_path[:] = [finder for finder in sys.meta_path if "editable" not in repr(finder).lower()]
sys.path[:] = [os.getcwd()] + [entry for entry in sys.path[1:] if entry.rstrip("/") != "{KIT}"]
import graders
assert graders.__file__.startswith(os.getcwd()), graders.__file__
assert sys.argv[1:3] == ["-m", "graders"], sys.argv
sys.argv[:] = ["graders"] + sys.argv[3:]
runpy.run_module("graders", run_name="__main__", alter_sys=True)
' "$@"
""")
    wrapper.chmod(0o755)
    return str(wrapper)


def test_run_autograder_writes_gradescope_results(bundle, tmp_path, perfect_notebook):
    """Run against a fake /autograder holding a perfect notebook, does it write results.json in Gradescope's shape?"""
    root = tmp_path / "autograder"
    source = unpack(bundle, root)
    (root / "submission").mkdir()
    shutil.copy(perfect_notebook, root / "submission" / "dinosaur_island.ipynb")
    environment = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": bundle_only_python(tmp_path)}
    completed = subprocess.run([str(source / "run_autograder")], env=environment, capture_output=True, text=True,
                               timeout=600)
    assert completed.returncode == 0, completed.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 100
    assert [test["name"] for test in results["tests"]] == [check.name for check in DINO.checks()]
    for test in results["tests"]:
        assert {"name", "score", "max_score", "output"} <= set(test)
        assert test["score"] == test["max_score"]
    assert sum(test["max_score"] for test in results["tests"]) == 100
    assert (source / "graders").stat().st_mode & 0o077 == 0  # the kit is closed to other users while grading


def test_run_autograder_refuses_a_link_to_the_solutions(bundle, tmp_path):
    """With the submission a link to the bundle's own solutions notebook, does run_autograder write 0 and a
    REFUSED note, and no solution line anywhere in results.json?"""
    root = tmp_path / "autograder"
    source = unpack(bundle, root)
    (root / "submission").mkdir()
    solutions = source / "solutions" / "dinosaur_island" / "dinosaur_island.ipynb"
    (root / "submission" / "dinosaur_island.ipynb").symlink_to(solutions)
    environment = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    subprocess.run([str(source / "run_autograder")], env=environment, check=True, timeout=600)
    text = (root / "results" / "results.json").read_text()
    results = json.loads(text)
    assert results["score"] == 0 and results["output"].startswith("REFUSED: the submission is a symbolic link")
    assert all(test["score"] == 0 for test in results["tests"])
    assert [line for line in secret_lines(solutions) if line in text] == []


def test_run_autograder_without_a_notebook_still_writes_results(bundle, tmp_path):
    """With an empty submission folder, does run_autograder write a zero score and a message saying why?"""
    root = tmp_path / "autograder"
    source = unpack(bundle, root)
    (root / "submission").mkdir()
    environment = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    subprocess.run([str(source / "run_autograder")], env=environment, check=True, timeout=600)
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 0 and "dinosaur_island.ipynb" in results["output"]


def test_bundle_is_reproducible(bundle, tmp_path):
    """Does exporting the same kit twice give the same bytes?"""
    again = tmp_path / "again.zip"
    assert main(["export-gradescope", str(again)]) == 0
    assert again.read_bytes() == bundle.read_bytes()


def workflow(tmp_path, *options):
    path = tmp_path / "classroom.yml"
    assert main(["export-github-workflow", str(path), *options]) == 0
    text = path.read_text()
    return text, yaml.safe_load(text)


def test_workflow_is_valid_yaml_with_a_grading_job(tmp_path):
    """Does the workflow parse as YAML with push/workflow_dispatch triggers and one job of named steps?"""
    _, document = workflow(tmp_path)
    triggers = document.get("on", document.get(True))  # YAML 1.1 reads a bare `on` key as true
    assert set(triggers) == {"push", "workflow_dispatch"}
    job = document["jobs"]["grade"]
    assert job["runs-on"] == "ubuntu-latest" and job["timeout-minutes"] > 0
    assert all(("uses" in step) != ("run" in step) and step.get("name") for step in job["steps"])
    assert document["permissions"] == {"contents": "read"}


def test_workflow_installs_the_kit_and_grades_with_fail_under(tmp_path):
    """Does the workflow check out the kit, install it, and run `graders grade` on the notebook with JSON and --fail-under?"""
    text, document = workflow(tmp_path, "--kit-repository", "teacher/dino-kit", "--fail-under", "70")
    steps = document["jobs"]["grade"]["steps"]
    kit = next(step for step in steps if step.get("with", {}).get("path") == "kit")
    assert kit["uses"].startswith("actions/checkout@") and kit["with"]["repository"] == "teacher/dino-kit"
    assert kit["with"]["token"] == "${{ secrets.DINO_KIT_TOKEN }}"
    runs = [step["run"] for step in steps if "run" in step]
    assert any("pip install -e ./kit" in run for run in runs)
    grading = next(run for run in runs if "graders grade" in run)
    assert "submission/dinosaur_island.ipynb" in grading and "--format json" in grading and "--fail-under 70" in grading
    assert any(step.get("uses", "").startswith("actions/upload-artifact@") for step in steps)


def test_workflow_defaults_to_a_repository_variable(tmp_path):
    """Without --kit-repository, does the workflow read the kit's repository from a repository variable?"""
    _, document = workflow(tmp_path)
    kit = next(step for step in document["jobs"]["grade"]["steps"] if step.get("with", {}).get("path") == "kit")
    assert kit["with"]["repository"] == "${{ vars.DINO_KIT_REPOSITORY }}"


def test_workflow_refuses_a_malformed_repository(tmp_path, capsys):
    """Is --kit-repository without the OWNER/NAME shape a usage error (exit 2)?"""
    assert main(["export-github-workflow", str(tmp_path / "w.yml"), "--kit-repository", "nope"]) == 2
    assert not (tmp_path / "w.yml").exists()
