"""Hostile and broken submissions (tests/adversarial/): each gets the score an honest reading gives.

Every case is graded with short limits, so a runaway submission costs about two seconds. The
hostile function scores 0 with a message that says why; the other function, where it is right,
keeps its points; and the grader keeps working afterwards.
"""
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import DINO
from graders.grading import grade
from graders.sandbox.session import Limits, Sandbox

ADVERSARIAL = Path(__file__).with_name("adversarial")
LIMITS = Limits(call_seconds=2, load_seconds=5, memory_bytes=512 * 2**20, function_seconds=20)


@dataclass(frozen=True)
class Case:
    """What grading clip and sample in one adversarial file must give."""
    clip: float                 # clip's points
    sample: float               # sample's points
    statuses: frozenset         # statuses allowed for the checks of the function under attack
    message: str                # text every non-passing check of that function mentions ("": any message)
    target: str = "sample"      # the function under attack


ERROR, TIMEOUT, FAILED = frozenset({"error"}), frozenset({"timeout"}), frozenset({"failed"})
FAILED_OR_PASSED = frozenset({"failed", "passed"})  # a wrong but well-formed result passes the type checks only
CASES = {
    "infinite_loop.py": Case(20, 0, TIMEOUT, "did not finish within 2 s"),
    "loop_at_import.py": Case(20, 0, ERROR, "did not finish within 5 s"),
    "memory_bomb.py": Case(20, 0, ERROR, "ran out of memory"),
    "exit_at_import.py": Case(20, 0, ERROR, "stopped with SystemExit"),
    "os_exit_at_import.py": Case(0, 0, ERROR, "stopped the grading process while loading"),
    "exit_in_function.py": Case(20, 0, ERROR, "raised SystemExit"),
    "os_exit_in_function.py": Case(0, 30, ERROR, "exited with code 3", target="clip"),
    "keyboard_interrupt.py": Case(20, 0, ERROR, "raised KeyboardInterrupt"),
    "patch_numpy.py": Case(20, 2, FAILED_OR_PASSED, ""),
    "patch_test_framework.py": Case(20, 2, FAILED_OR_PASSED, ""),
    "patch_builtins.py": Case(20, 2, FAILED_OR_PASSED, ""),
    "always_equal.py": Case(20, 0, FAILED, "Agreeable"),
    "lying_ndarray.py": Case(3, 30, FAILED_OR_PASSED, "subclass of ndarray", target="clip"),
    "lazy_result.py": Case(20, 0, FAILED, "got generator"),
    "read_expected.py": Case(20, 0, ERROR, "does not allow"),
    "import_graders.py": Case(20, 0, ERROR, "does not allow: import graders"),
    "fake_results.py": Case(20, 0, ERROR, "does not allow"),
    "fill_disk.py": Case(20, 0, ERROR, "does not allow: open 'filler-0.bin'"),
    "print_megabytes.py": Case(20, 30, frozenset({"passed"}), ""),
    "huge_return.py": Case(20, 0, ERROR, "too large to send"),
    "fork_bomb.py": Case(20, 0, ERROR, "does not allow: os.fork"),
    "kill_parent.py": Case(20, 0, ERROR, "does not allow: os.kill"),
    "nan_inf.py": Case(3, 0, FAILED_OR_PASSED, "contains NaN or inf", target="clip"),
    "wrong_types.py": Case(3, 0, FAILED, "got str"),
    "syntax_error.py": Case(0, 0, ERROR, "SyntaxError"),
    "deep_recursion.py": Case(20, 0, ERROR, "RecursionError"),
    "stack_overflow.py": Case(20, 0, ERROR, "SIGSEGV"),
    "hostile_exception.py": Case(20, 0, ERROR, "message could not be shown"),
    "channel_forgery.py": Case(20, 0, ERROR, "malformed data"),
    "escape_hook.py": Case(20, 2, FAILED_OR_PASSED, ""),
    "hostile_notebook.ipynb": Case(20, 0, ERROR, "exited with code 1"),
    "corrupt_notebook.ipynb": Case(0, 0, ERROR, "not valid JSON"),
    "no_solution_cells.ipynb": Case(20, 0, ERROR, "exited with code 1"),
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
    report = grade(ADVERSARIAL / name, functions=["clip", "sample"], limits=LIMITS)
    totals = {function: got for function, (got, _) in report.by_function().items()}
    assert totals == {"clip": case.clip, "sample": case.sample}, [(r.name, r.status, r.message) for r in report.results]
    attacked = [r for r in report.results if r.function == case.target]
    assert {r.status for r in attacked} <= case.statuses
    for result in attacked:
        if result.status != "passed":
            assert result.message.strip() and case.message in result.message, result.message
            assert len(result.message) < 10_000
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
        if not any(layer.startswith("landlock") for layer in layers) or "seccomp" not in layers:
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
