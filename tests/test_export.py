"""The Gradescope bundle and the GitHub Classroom workflow written by the export verbs, for every assignment."""
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import DINO, KIT
from graders.assignment import kit_assignments
from graders.cli import main
from graders.course import filled_in, secret_lines
from nbgrader_class import MISTAKES, buggy_notebook, grade_id_of


@pytest.fixture(scope="module", params=kit_assignments(), ids=lambda assignment: assignment.name)
def assignment(request):
    """Each of the kit's assignments in turn."""
    return request.param


@pytest.fixture(scope="module")
def bundle(tmp_path_factory, assignment):
    path = tmp_path_factory.mktemp("export") / f"autograder-{assignment.name}.zip"
    assert main(["export-gradescope", str(path), "--assignment", assignment.name]) == 0
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


def test_bundle_holds_the_kit_and_nothing_else(bundle, assignment):
    """Does the zip hold the graders, the assignment's expected values, reference notebook, provided files and data,
    and the pins, without caches, hidden folders, the maintainers' tools or another assignment's source?"""
    source = assignment.source.relative_to(KIT).as_posix()
    links = [path for path in assignment.source.iterdir() if path.is_symlink()]  # the data, linked from data/
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        pins = archive.read("pyproject.toml").decode()
        data = {path.name: archive.read(f"{source}/{path.name}") for path in links}
    expected = assignment.expected.relative_to(KIT).as_posix()
    assert {"pyproject.toml", "README.md", "graders/__init__.py", "graders/grading.py", "graders/sandbox/child.py",
            f"{source}/{assignment.notebook}", *(f"{source}/{name}" for name in assignment.provided),
            *(f"{expected}/{name}.json" for name in assignment.function_names)} <= names
    assert not any("__pycache__" in name or "/." in name or name.startswith(".") or name.endswith(".pyc")
                   for name in names)
    assert not any(name.startswith(("tools/", "tests/", "assignment/", "data/")) for name in names)
    assert {name.split("/")[1] for name in names if name.startswith("solutions/")} == {assignment.name}
    assert '"numpy==' in pins
    assert links and data == {path.name: path.resolve().read_bytes() for path in links}  # the link's content


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


def run_bundle(bundle, tmp_path, upload_name, notebook_text):
    """Unpack the bundle into a fake /autograder, upload one file, run run_autograder with the bundle's own graders;
    (results.json, the unpacked source folder)."""
    root = tmp_path / "autograder"
    source = unpack(bundle, root)
    (root / "submission").mkdir()
    (root / "submission" / upload_name).write_text(notebook_text)
    environment = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": bundle_only_python(tmp_path)}
    completed = subprocess.run([str(source / "run_autograder")], env=environment, capture_output=True, text=True,
                               timeout=600)
    assert completed.returncode == 0, completed.stderr
    return json.loads((root / "results" / "results.json").read_text()), source


def perfect_text(assignment):
    """The released notebook with the instructor's solutions, as a learner hands it in (JSON text)."""
    return json.dumps(filled_in(assignment.release / assignment.notebook, assignment.source / assignment.notebook))


def test_run_autograder_writes_gradescope_results(bundle, tmp_path, assignment):
    """Run against a fake /autograder holding a perfect notebook, does it write results.json in Gradescope's shape?"""
    results, source = run_bundle(bundle, tmp_path, assignment.notebook, perfect_text(assignment))
    assert results["score"] == 100
    assert [test["name"] for test in results["tests"]] == [check.name for check in assignment.checks()]
    for test in results["tests"]:
        assert {"name", "score", "max_score", "output"} <= set(test)
        assert test["score"] == test["max_score"]
    assert sum(test["max_score"] for test in results["tests"]) == 100
    assert (source / "graders").stat().st_mode & 0o077 == 0  # the kit is closed to other users while grading


def test_run_autograder_takes_points_off_a_wrong_submission_where_it_is_wrong(bundle, tmp_path, assignment):
    """Uploaded under another name, is a notebook with one realistic bug graded as this assignment, losing points only
    on the wrong function's checks (and the public checks of the functions that call it), with a message for each?"""
    wrong = buggy_notebook(assignment.release / assignment.notebook, assignment.source / assignment.notebook, assignment)
    results, _ = run_bundle(bundle, tmp_path, "my_work.ipynb", wrong)
    buggy = grade_id_of(assignment, MISTAKES[assignment.name].buggy)
    checks = {check.name: check for check in assignment.checks()}
    callers = {graded.name for graded in assignment.functions if buggy in graded.stand_ins}
    assert [test["name"] for test in results["tests"]] == list(checks)
    lost = [test for test in results["tests"] if test["score"] < test["max_score"]]
    assert 0 < results["score"] < 100
    assert results["score"] == 100 - sum(test["max_score"] - test["score"] for test in lost)
    assert any(checks[test["name"]].function == buggy and not checks[test["name"]].public for test in lost)
    for test in lost:
        check = checks[test["name"]]
        assert check.function == buggy or (check.function in callers and check.public), test["name"]
        assert test["output"].strip(), test["name"]


def test_run_autograder_refuses_a_link_to_the_solutions(bundle, tmp_path, assignment):
    """With the submission a link to the bundle's own solutions notebook, does run_autograder write 0 and a
    REFUSED note, and no solution line anywhere in results.json?"""
    root = tmp_path / "autograder"
    source = unpack(bundle, root)
    (root / "submission").mkdir()
    solutions = source / assignment.source.relative_to(KIT) / assignment.notebook
    (root / "submission" / assignment.notebook).symlink_to(solutions)
    environment = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    subprocess.run([str(source / "run_autograder")], env=environment, check=True, timeout=600)
    text = (root / "results" / "results.json").read_text()
    results = json.loads(text)
    assert results["score"] == 0 and results["output"].startswith("REFUSED: the submission is a symbolic link")
    assert all(test["score"] == 0 for test in results["tests"])
    assert [line for line in secret_lines(solutions) if line in text] == []


def test_run_autograder_without_a_notebook_still_writes_results(bundle, tmp_path, assignment):
    """With an empty submission folder, does run_autograder write a zero score and a message saying why?"""
    root = tmp_path / "autograder"
    source = unpack(bundle, root)
    (root / "submission").mkdir()
    environment = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    subprocess.run([str(source / "run_autograder")], env=environment, check=True, timeout=600)
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 0 and assignment.notebook in results["output"]


def test_bundle_is_reproducible(bundle, tmp_path, assignment):
    """Does exporting the same kit twice give the same bytes?"""
    again = tmp_path / "again.zip"
    assert main(["export-gradescope", str(again), "--assignment", assignment.name]) == 0
    assert again.read_bytes() == bundle.read_bytes()


def workflow(tmp_path, *options, assignment=DINO):
    path = tmp_path / "classroom.yml"
    assert main(["export-github-workflow", str(path), "--assignment", assignment.name, *options]) == 0
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


def test_workflow_installs_the_kit_and_grades_with_fail_under(tmp_path, assignment):
    """Does the workflow check out the kit, install it, and run `graders grade` on the assignment's notebook, as that
    assignment, with JSON and --fail-under?"""
    text, document = workflow(tmp_path, "--kit-repository", "teacher/dino-kit", "--fail-under", "70", assignment=assignment)
    steps = document["jobs"]["grade"]["steps"]
    kit = next(step for step in steps if step.get("with", {}).get("path") == "kit")
    assert kit["uses"].startswith("actions/checkout@") and kit["with"]["repository"] == "teacher/dino-kit"
    assert kit["with"]["token"] == "${{ secrets.DINO_KIT_TOKEN }}"
    runs = [step["run"] for step in steps if "run" in step]
    assert any("pip install -e ./kit" in run for run in runs)
    grading = next(run for run in runs if "graders grade" in run)
    assert f'"submission/{assignment.notebook}"' in grading and f"--assignment {assignment.name}" in grading
    assert "--format json" in grading and "--fail-under 70" in grading
    assert any(step.get("uses", "").startswith("actions/upload-artifact@") for step in steps)


def test_workflow_defaults_to_a_repository_variable(tmp_path):
    """Without --kit-repository, does the workflow read the kit's repository from a repository variable?"""
    _, document = workflow(tmp_path)
    kit = next(step for step in document["jobs"]["grade"]["steps"] if step.get("with", {}).get("path") == "kit")
    assert kit["with"]["repository"] == "${{ vars.DINO_KIT_REPOSITORY }}"


def test_workflow_refuses_a_malformed_repository(tmp_path, capsys):
    """Is --kit-repository without the OWNER/NAME shape a usage error (exit 2)?"""
    assert main(["export-github-workflow", str(tmp_path / "w.yml"), "--kit-repository", "nope", "--assignment", DINO.name]) == 2
    assert not (tmp_path / "w.yml").exists()


@pytest.mark.parametrize("verb", ["export-gradescope", "export-github-workflow"])
def test_an_export_without_assignment_names_the_kit_s_assignments(verb, tmp_path, capsys):
    """With several assignments in the kit, is an export without --assignment a usage error (exit 2) that names them
    and writes nothing?"""
    assert main([verb, str(tmp_path / "out")]) == 2
    message = capsys.readouterr().err
    assert all(assignment.name in message for assignment in kit_assignments()) and "--assignment" in message
    assert list(tmp_path.iterdir()) == []
