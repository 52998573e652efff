"""Grade one submission: load it, run every check through pytest, and collect a scored report.

`grade(path)` is the verb; the command line, nbgrader's hidden cells and the batch grader all call it.
The report carries the checks' results, notes on cells that failed to run, and the sandbox's load
report (the confinement layers in force, what the learner's code was refused while it loaded).
pytest runs in this process with a plugin that hands each test its check and the shared context;
plugins that reseed numpy (pytest-randomly) and pytest's cache are switched off.
"""
import contextlib
import io
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from graders.assignment import kit_assignment_for
from graders.bounds import MESSAGE_CHARS, capped, capped_together, memory_ceiling
from graders.context import Context, LearnerCodeError
from graders.expected_values import load_all
from graders.intake import REASONS, file_refusal, refusal
from graders.reference import imports_cell, load_reference, released_files
from graders.sandbox.session import Limits, Sandbox, modules_to_preload
from graders.submission import SKIP_TAG, load_submission

PYTEST_ARGS = ["-q", "--tb=no", "-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:cov", "-p", "no:xdist",
               "-p", "no:unraisableexception",  # its clean-up runs a full garbage collection (about 0.1 s) twice
               "--capture=sys", "--no-header", "-c", str(Path(__file__).with_name("grading.ini")),
               "--rootdir", str(Path(__file__).parent)]
MAX_NOTES = 20  # notes kept in a report (one per cell that failed to run, at most)


@dataclass
class CheckResult:
    """The outcome of one check, as every output format reports it."""
    name: str
    function: str
    score: float
    max_score: float
    status: str        # passed | failed | error | timeout
    message: str
    summary: str
    seconds: float = 0.0
    public: bool = False


@dataclass
class Report:
    """Everything about one graded submission."""
    assignment: str
    submission: str
    results: list
    notes: list = field(default_factory=list)
    seconds: float = 0.0
    load: object = None  # the sandbox's LoadReport (layers, refusals while loading); None when no code ran
    refused: str = ""  # why the file is not a submission at all (then every check scores 0), for the instructor

    @property
    def score(self):
        return round(sum(r.score for r in self.results), 6)

    @property
    def max_score(self):
        return round(sum(r.max_score for r in self.results), 6)

    def by_function(self):
        """{function: (score, max_score)} in rubric order."""
        totals = {}
        for r in self.results:
            got, out_of = totals.get(r.function, (0.0, 0.0))
            totals[r.function] = (got + r.score, out_of + r.max_score)
        return totals


class GradingPlugin:
    """Gives pytest the checks to parametrise over, and records what each one found."""

    def __init__(self, checks, ctx):
        self.checks, self.ctx, self.results = checks, ctx, {}

    def pytest_generate_tests(self, metafunc):
        if "check" in metafunc.fixturenames:
            metafunc.parametrize("check", self.checks, ids=[check.name for check in self.checks])

    @pytest.fixture
    def grading(self):
        return self

    def run(self, check):
        started = time.monotonic()
        try:
            if self.ctx.submission.problem:  # nothing to run: say why at once
                raise LearnerCodeError(f"your submission could not be graded: {self.ctx.submission.problem}")
            if check.function in self.ctx.broken:  # missing, not implemented, timed out: say so at once
                raise self.ctx.broken[check.function]
            check.run(self.ctx)
        except LearnerCodeError as error:
            self.record(check, error.status, describe(error), started)
        except AssertionError as error:
            self.record(check, "failed", describe(error) or "the check failed", started)
        except MemoryError:
            self.record(check, "error", f"checking what {check.function} returned needed more memory than the grader "
                                        "allows: does it return values far larger than its inputs?", started)
        except Exception as error:  # noqa: BLE001 - e.g. a learner's value the check could not even inspect
            self.record(check, "error", f"{type(error).__name__}: {describe(error)}", started)
        else:
            self.record(check, "passed", "", started)
            return
        # pytest sees a plain failure; the recorded message is what the reports use
        pytest.fail(f"{check.name}: {self.results[check.name].status}", pytrace=False)

    def record(self, check, status, message, started):
        self.results[check.name] = CheckResult(
            check.name, check.function, check.points if status == "passed" else 0.0, check.points, status,
            capped(message, MESSAGE_CHARS), check.summary, time.monotonic() - started, check.public)


def describe(error):
    """An exception's message, without the example Hypothesis adds to it: that shows the grader's generated
    inputs, which stay hidden (a property's own message says which sizes it failed on)."""
    return str(error).strip()


def grade(path, *, assignment=None, functions=None, limits=Limits(), reference=None, expected=None, folder=None):
    """Grade the submission at path; never raises for a bad submission (it scores 0 with a message).

    assignment: an Assignment (default: the kit's assignment the file is for, see graders.assignment.kit_assignment_for;
    DeclarationError when that cannot be told); functions: names of graded functions (default: all);
    folder: the submission folder the file must lie in (default: its own; see graders.intake).
    """
    started = time.monotonic()
    if assignment is None:  # a refused file is never opened, not even to tell its assignment
        read = not file_refusal(Path(path), Path(folder) if folder is not None else Path(path).parent)
        assignment = kit_assignment_for(path, functions, read)
    checks = assignment.checks(functions)
    refused = refusal(path, assignment, folder)
    if refused:
        return refused_report(assignment, path, checks, REASONS[refused], time.monotonic() - started)
    submission = load_submission(path, imports_cell(assignment))
    reference = reference if reference is not None else load_reference(assignment)
    expected = expected if expected is not None else load_all(assignment)
    # Hypothesis keeps a few caches in its home folder even without an example database; keep them
    # out of the folder grading runs in (a learner's, possibly read-only)
    set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "graders-hypothesis"))
    preload = modules_to_preload([cell["source"] for cell in submission.cells])
    with memory_ceiling(), Sandbox(submission.cells, released_files(assignment), limits, preload=preload) as sandbox:
        if not submission.problem:
            sandbox.start_early()  # its modules load while pytest starts
        ctx = Context(assignment, sandbox, submission, reference, expected)
        plugin = GradingPlugin(checks, ctx)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            pytest.main([str(Path(__file__).with_name("pytest_checks.py")), *PYTEST_ARGS], plugins=[plugin])
        # the last load report: loading again would restart a process that a check may have ended
        load = None if submission.problem else sandbox.load_report or sandbox.load()
    results = [plugin.results.get(c.name) or CheckResult(c.name, c.function, 0.0, c.points, "error",
                                                          "the check did not run", c.summary, 0.0, c.public)
               for c in checks]
    notes = list(submission.notes) + load_notes(load, submission)
    texts = capped_together([r.message for r in results] + notes[:MAX_NOTES])
    for result, text in zip(results, texts):
        result.message = text
    return Report(assignment.name, str(path), results, texts[len(results):], time.monotonic() - started, load)


def refused_report(assignment, path, checks, reason, seconds):
    """The report of a file that is not a submission: 0 on every check, the reason on each and in the notes."""
    message = f"your submission was not graded: {reason}"
    results = [CheckResult(c.name, c.function, 0.0, c.points, "error", message, c.summary, 0.0, c.public)
               for c in checks]
    return Report(assignment.name, str(path), results, [f"REFUSED: {reason}"], seconds, refused=reason)


def load_notes(report, submission):
    """Learner-facing notes about cells that failed to run, each naming the cell (a cell known by its place
    in the notebook, by its first line of code too)."""
    if submission.problem:
        return [submission.problem]
    notes = [report.problem] if report.problem else []
    sources = {cell["id"]: cell["source"] for cell in submission.cells}
    for cell in report.cells:
        if not cell.get("ok"):
            where = first_line(sources.get(cell["id"], "")) if cell["id"].startswith("#") else ""
            if cell.get("type") == "CellTimeoutError":  # the message says how long
                notes.append(f"cell '{cell['id']}'{where}: {cell.get('message')}; grading runs every cell, each "
                             "within the time limit of one call, so leave long work such as training out of your "
                             f"cells (the cells the instructor tagged {SKIP_TAG}, such as the training cell, do not run)")
            else:
                notes.append(f"cell '{cell['id']}'{where} stopped with {cell.get('type')}: {cell.get('message')}")
    return notes


def first_line(source):
    """' (`the first line of code`)' of a cell, to help find it ("" for an empty cell)."""
    lines = [line.strip() for line in source.splitlines() if line.strip() and not line.strip().startswith("#")]
    return f" (`{lines[0][:60]}`)" if lines else ""
