"""Hostile and broken submissions (tests/adversarial/): each gets the score an honest reading gives.

Every case is graded with short limits, so a runaway submission costs about two seconds. The
hostile function scores 0 with a message that says why; the other function, where it is right,
keeps its points; and the grader keeps working afterwards.
"""
import errno
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import DINO, KIT
from graders.assignments.dinosaur_island import sample as sample_checks
from graders.grading import grade
from graders.reference import released_files
from graders.sandbox.session import Limits, Sandbox

ADVERSARIAL = Path(__file__).with_name("adversarial")
LIMITS = Limits(call_seconds=2, load_seconds=5, memory_bytes=512 * 2**20, function_seconds=20)


@dataclass(frozen=True)
class Case:
    """What grading clip and sample (and the functions in `also`) in one adversarial file must give."""
    clip: float                 # clip's points
    sample: float               # sample's points
    statuses: frozenset         # statuses allowed for the checks of the function under attack
    message: str                # text a non-passing check of that function mentions ("": any message)
    target: str = "sample"      # the function under attack
    also: tuple = ()            # (function, points) of other functions graded too


ERROR, TIMEOUT, FAILED = frozenset({"error"}), frozenset({"timeout"}), frozenset({"failed"})
FAILED_OR_PASSED = frozenset({"failed", "passed"})  # a wrong result may pass checks of other aspects
CASES = {
    "infinite_loop.py": Case(20, 0, TIMEOUT, "did not finish within 2 s"),
    # the cell is stopped at load_seconds, as a notebook cell interrupted by hand: clip, defined before the
    # loop, keeps its 20 points; sample, never defined, loses its 30 with the cell's time limit as the reason
    "loop_at_import.py": Case(20, 0, ERROR, "did not finish within 5 s"),
    "memory_bomb.py": Case(20, 0, ERROR, "ran out of memory"),
    "exit_at_import.py": Case(20, 0, ERROR, "stopped with SystemExit"),
    "os_exit_at_import.py": Case(0, 0, ERROR, "stopped the grading process while loading"),
    "exit_in_function.py": Case(20, 0, ERROR, "raised SystemExit"),
    "os_exit_in_function.py": Case(0, 30, ERROR, "exited with code 3", target="clip"),
    "keyboard_interrupt.py": Case(20, 0, ERROR, "raised KeyboardInterrupt"),
    "patch_numpy.py": Case(20, 0, FAILED_OR_PASSED, ""),
    "patch_test_framework.py": Case(20, 0, FAILED_OR_PASSED, ""),
    "patch_builtins.py": Case(20, 0, FAILED_OR_PASSED, ""),
    "always_equal.py": Case(20, 0, FAILED, "Agreeable"),
    "lying_ndarray.py": Case(0, 30, FAILED_OR_PASSED, "subclass of ndarray", target="clip"),
    "lazy_result.py": Case(20, 0, FAILED, "got generator"),
    "read_expected.py": Case(20, 0, ERROR, "does not allow"),
    "import_graders.py": Case(20, 0, ERROR, "does not allow: import graders"),
    "fake_results.py": Case(20, 0, ERROR, "does not allow"),
    "fill_disk.py": Case(20, 0, ERROR, "does not allow: open 'filler-0.bin'"),
    "print_megabytes.py": Case(20, 30, frozenset({"passed"}), ""),
    "huge_return.py": Case(20, 0, ERROR, "too large to send"),
    "fork_bomb.py": Case(20, 0, ERROR, "does not allow: os.fork"),
    "kill_parent.py": Case(20, 0, ERROR, "does not allow: os.kill"),
    "nan_inf.py": Case(0, 0, FAILED_OR_PASSED, "contains NaN or inf", target="clip"),
    "wrong_types.py": Case(0, 0, FAILED, "got str"),
    "syntax_error.py": Case(0, 0, ERROR, "SyntaxError"),
    "deep_recursion.py": Case(20, 0, ERROR, "RecursionError"),
    "stack_overflow.py": Case(20, 0, ERROR, "SIGSEGV"),
    "hostile_exception.py": Case(20, 0, ERROR, "message could not be shown"),
    "channel_forgery.py": Case(20, 0, ERROR, "malformed data"),
    "escape_hook.py": Case(20, 0, FAILED_OR_PASSED, ""),
    "hostile_notebook.ipynb": Case(20, 0, ERROR, "exited with code 1"),
    "corrupt_notebook.ipynb": Case(0, 0, ERROR, "not valid JSON"),
    # no nbgrader metadata at all: a classic notebook, graded by its `# GRADED FUNCTION` and definition cells, so
    # its right clip earns 20 and its sample, which ends the process, 0 (no cell at all: test_classic_notebooks)
    "no_solution_cells.ipynb": Case(20, 0, ERROR, "exited with code 1"),
    "set_xattr.py": Case(20, 0, ERROR, "blocked from: os.setxattr"),
    "metadata_writes.py": Case(20, 0, ERROR, "blocked from: os.utime"),
    "sched_other_processes.py": Case(20, 0, ERROR, "Operation not permitted"),
    "kernel_interfaces.py": Case(20, 0, ERROR, "blocked from: ctypes.dlopen"),
    "privileges_probe.py": Case(20, 0, ERROR, "Operation not permitted"),
    "raises_with_arguments.py": Case(20, 0, ERROR, "raised ValueError: cannot sample with"),
    "optimize_reshapes_parameters.py": Case(20, 0, FAILED_OR_PASSED, "", target="optimize", also=(("optimize", 11),)),
    "model_huge_name.py": Case(20, 0, ERROR, "sent back about 12.0 MiB", target="model", also=(("model", 0),)),
    "model_callback_flood.py": Case(20, 0, ERROR, "optimize", target="model", also=(("model", 0),)),
}


def children_of(pid):
    """Process ids whose parent is pid (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and f"\nPPid:\t{pid}\n" in (entry / "status").read_text():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_every_adversarial_file_has_a_case():
    """Does every file in tests/adversarial have an expected outcome here, and are there at least 20?"""
    files = sorted(path.name for path in ADVERSARIAL.iterdir() if path.suffix in (".py", ".ipynb"))
    assert files == sorted(CASES)
    assert len(files) >= 20


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_submission_gets_an_honest_score(name, tmp_path, monkeypatch):
    """Does the submission score what an honest reading gives, with a clear message, leaving nothing behind?"""
    case = CASES[name]
    monkeypatch.chdir(tmp_path)  # where a forged results file would land if writing outside the sandbox worked
    report = grade(ADVERSARIAL / name, functions=["clip", "sample", *dict(case.also)], limits=LIMITS)
    totals = {function: got for function, (got, _) in report.by_function().items()}
    assert totals == {"clip": case.clip, "sample": case.sample, **dict(case.also)}, [
        (r.name, r.status, r.message) for r in report.results]
    attacked = [r for r in report.results if r.function == case.target]
    assert {r.status for r in attacked} <= case.statuses
    failing = [result for result in attacked if result.status != "passed"]
    for result in failing:
        assert result.message.strip() and len(result.message) < 10_000, result.message
    # the check that names the problem says it; the others may point to that check instead
    assert not failing or any(case.message in result.message for result in failing), [r.message for r in failing]
    assert [path.name for path in tmp_path.iterdir() if path.name != ".hypothesis"] == []  # Hypothesis's own cache
    assert children_of(os.getpid()) == []


def test_grader_still_grades_correctly_after_the_hostile_cases():
    """After a crash, a timeout and a memory bomb, does a right submission still get full marks?"""
    for name in ("os_exit_in_function.py", "infinite_loop.py", "memory_bomb.py"):
        grade(ADVERSARIAL / name, functions=["clip"], limits=LIMITS)
    report = grade(ADVERSARIAL / "print_megabytes.py", functions=["clip", "sample"], limits=LIMITS)
    assert (report.score, report.max_score) == (50, 50)


def test_forged_results_never_reach_the_graders_folder(tmp_path, monkeypatch):
    """Does a submission writing to the grader's working folder (via /proc/<ppid>/cwd) leave no file there?"""
    monkeypatch.chdir(tmp_path)
    grade(ADVERSARIAL / "fake_results.py", functions=["sample"], limits=LIMITS)
    assert not (tmp_path / "results.json").exists() and not (tmp_path / "results.csv").exists()


def test_kernel_layers_hold_when_the_audit_hook_is_disabled():
    """With the Python audit hook switched off from inside, do the kernel's layers still refuse every escape?"""
    cells = [{"id": "submission", "source": (ADVERSARIAL / "escape_hook.py").read_text()}]
    with Sandbox(cells, {"rnn_utils.py": (DINO.source / "rnn_utils.py").read_bytes()}, LIMITS) as box:
        layers = box.load().layers
        if not any(layer.startswith("landlock") for layer in layers) or "seccomp-allowlist" not in layers:
            pytest.skip(f"the kernel layers are not available here (layers: {layers})")
        assert box.call("disable_hook").value is True
        escapes = box.call("escape", (str(DINO.expected / "sample.json"),)).value
    assert set(escapes) >= {"fork", "read_expected", "write_file", "signal_parent", "exec", "raise_memory_limit"}
    assert [name for name, outcome in escapes.items() if outcome is True] == []


def test_layers_are_reported():
    """Does the sandbox say which confinement layers are in force (at least limits and the audit hook)?"""
    with Sandbox([{"id": "empty", "source": "x = 1\n"}], {}, LIMITS) as box:
        layers = box.load().layers
    assert "rlimits" in layers and "audit-hook" in layers


def hook_disabled_sandbox(name):
    """A sandbox with the adversarial file `name` loaded after escape_hook.py, whose disable_hook() and probe()
    it keeps."""
    cells = [{"id": "escape", "source": (ADVERSARIAL / "escape_hook.py").read_text()},
             {"id": "submission", "source": (ADVERSARIAL / name).read_text()}]
    return Sandbox(cells, released_files(DINO), LIMITS)


def switch_off_the_hook(box):
    """Skip unless the kernel layers are in force; then switch the audit hook off from inside."""
    layers = box.load().layers
    if not any(layer.startswith("landlock") for layer in layers) or "seccomp-allowlist" not in layers:
        pytest.skip(f"the kernel layers are not available here (layers: {layers})")
    assert box.call("disable_hook").value is True
    return layers


@pytest.fixture
def outside_file():
    """A file in a temporary folder made here, which any user can reach and read but only its owner change."""
    folder = tempfile.mkdtemp(prefix="dino-probe-")
    try:
        os.chmod(folder, 0o755)
        path = Path(folder, "target.txt")
        path.write_text("target")
        path.chmod(0o644)
        yield path
    finally:
        shutil.rmtree(folder)


def fingerprint(path):
    """What a metadata change would alter: mode, owner, group, modification time, extended attributes."""
    stat = os.stat(path)
    return stat.st_mode, stat.st_uid, stat.st_gid, stat.st_mtime_ns, os.listxattr(path)


def test_learner_process_is_never_root_with_capabilities():
    """Read from inside a graded function, are all five capability sets empty and no_new_privs set, is the uid
    not 0 when the process switched users, and is every way back to uid 0 refused with the audit hook off?"""
    with hook_disabled_sandbox("privileges_probe.py") as box:
        layers = box.load().layers
        status = box.call("identity").value
        switch_off_the_hook(box)
        back = box.call("probe", ("become_root",)).value
    assert "capabilities-dropped" in layers and {"unused-uid", "user-namespace"} & set(layers), layers
    assert {field: int(status[field], 16) for field in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")} == {
        "CapInh": 0, "CapPrm": 0, "CapEff": 0, "CapBnd": 0, "CapAmb": 0}, status
    assert status["NoNewPrivs"] == "1" and status["Seccomp"] == "2" and status["Threads"] == "1"
    if "unused-uid" in layers:
        assert "0" not in status["Uid"].split() + status["Gid"].split() and status["Groups"] == "", status
    assert [way for way, outcome in back.items() if outcome is True] == [], back


IDENTITY_WITHOUT_SETUID = """
import json
from pathlib import Path
from graders.assignment import load_assignment
from graders.reference import released_files
from graders.sandbox.session import Limits, Sandbox
probe = Path("tests/adversarial/privileges_probe.py").read_text()
with Sandbox([{"id": "probe", "source": probe}], released_files(load_assignment("dinosaur_island")), Limits()) as box:
    print(json.dumps({"layers": box.load().layers, "status": box.call("identity").value}))
"""


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("capsh") is None, reason="needs root and capsh")
def test_without_cap_setuid_the_process_drops_everything_in_a_user_namespace():
    """When the grader is root but may not switch users (no CAP_SETUID), does the learner's process still end
    with every capability set empty, inside a user namespace of its own?"""
    done = subprocess.run(["capsh", "--drop=cap_setuid", "--", "-c", f"exec {sys.executable} -c '{IDENTITY_WITHOUT_SETUID}'"],
                          cwd=KIT, capture_output=True, text=True, timeout=300, check=True)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert "user-namespace" in found["layers"] and "capabilities-dropped" in found["layers"], found
    assert "unused-uid" not in found["layers"]
    assert [field for field in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb") if int(found["status"][field], 16)] == []
    assert found["status"]["NoNewPrivs"] == "1"


def test_extended_attributes_are_refused_by_the_kernel(outside_file):
    """With the audit hook off, is setting file capabilities or user attributes refused, on a file of the
    process's own working folder and on one outside it, leaving both unchanged?"""
    before = fingerprint(outside_file)
    with hook_disabled_sandbox("set_xattr.py") as box:
        switch_off_the_hook(box)
        own = Path(box.workdir, "rnn_utils.py")
        own_before = fingerprint(own)
        outcomes = [box.call("attempt", (target,)) for target in ("rnn_utils.py", str(outside_file))]
        assert fingerprint(own) == own_before
    assert fingerprint(outside_file) == before
    for outcome in outcomes:
        assert (outcome.status, outcome.error_type) == ("raised", "PermissionError"), outcome


def test_metadata_changes_are_refused_by_the_kernel(outside_file):
    """With the audit hook off, are utime, chmod and chown refused on a file of the working folder and on one
    outside it, leaving both unchanged?"""
    before = fingerprint(outside_file)
    with hook_disabled_sandbox("metadata_writes.py") as box:
        switch_off_the_hook(box)
        own = Path(box.workdir, "rnn_utils.py")
        own_before = fingerprint(own)
        results = [box.call("probe", ("attempts", target)).value for target in ("rnn_utils.py", str(outside_file))]
        assert fingerprint(own) == own_before
    assert fingerprint(outside_file) == before
    for attempts in results:
        assert set(attempts) == {"utime", "chmod", "chown", "chown_root"}
        assert [name for name, outcome in attempts.items() if "PermissionError" not in str(outcome)] == [], attempts


def test_scheduling_other_processes_is_refused():
    """Can the learner's code neither pin the grader to a CPU, lower its priority, nor raise its own?"""
    affinity, policy = os.sched_getaffinity(0), os.sched_getscheduler(0)
    with hook_disabled_sandbox("sched_other_processes.py") as box:
        switch_off_the_hook(box)
        attempts = box.call("probe", ("attempts", os.getpid())).value
    assert (os.sched_getaffinity(0), os.sched_getscheduler(0)) == (affinity, policy)
    assert len(attempts) == 5
    assert [name for name, outcome in attempts.items() if "PermissionError" not in str(outcome)] == [], attempts


def test_kernel_interfaces_are_refused():
    """With the audit hook off, does every interface a grading run never needs (fanotify, reboot, perf events,
    userfaultfd, keyrings, mount, namespaces, BPF, io_uring, sockets, inotify) fail with EPERM?"""
    with hook_disabled_sandbox("kernel_interfaces.py") as box:
        switch_off_the_hook(box)
        failures = box.call("attempts").value
    assert len(failures) >= 10
    assert {name: code for name, code in failures.items() if code != errno.EPERM} == {}


def test_exception_messages_do_not_carry_hidden_inputs():
    """When sample raises with its arguments in the message, does the report keep the grader's numbers out?"""
    report = grade(ADVERSARIAL / "raises_with_arguments.py", functions=["sample"], limits=LIMITS)
    printed = set()
    for case in sample_checks.SEEDED + sample_checks.OTHER_VOCABULARIES:
        parameters, _, _ = sample_checks.case_inputs(case)
        printed |= set(re.findall(r"\d\.\d{5,}", f"{parameters} {list(parameters['by'].ravel())}"))
    hidden = [r for r in report.results if not r.public]
    assert hidden and all(r.status == "error" and "cannot sample with" in r.message for r in hidden)
    assert [number for r in hidden for number in printed if number in r.message] == []
