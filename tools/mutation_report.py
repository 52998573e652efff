"""Mutation report: do the graders catch known-wrong submissions and give known-right ones full marks?

`tests/mutants/` holds realistic wrong submissions, each the reference solution with one mistake that
learners make (a mutant file holds only the function it gets wrong; the reference supplies the rest
when it is graded); its module docstring names the mistake and says, on a line `Caught by: <check> ...`,
which checks must fail. `tests/variants/` holds correct submissions written differently, which must
score full marks. `python -m graders mutation-report` grades them all and prints, for every mutant,
the first line of what each failing check tells the learner, so a reviewer can judge the messages.
The tests (tests/test_mutants.py, tests/test_variants.py) call the same functions.
"""
import ast
import functools
import json
import re
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from graders.checks import all_checks

KIT_ROOT = Path(__file__).resolve().parents[1]
MUTANTS_DIR = KIT_ROOT / "tests" / "mutants"
VARIANTS_DIR = KIT_ROOT / "tests" / "variants"
FUNCTIONS = ("clip", "sample", "optimize", "model")
LEAKS = ("graders/", "/expected/")   # grader internals a learner-facing message must not show
CAUGHT_BY = re.compile(r"^Caught by:\s*(.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Mutant:
    """A wrong submission and what its docstring promises about it."""
    path: Path
    mistake: str          # the docstring's first line
    caught_by: tuple      # names of the checks that must not pass

    @property
    def function(self):
        return self.caught_by[0].split(".")[0] if self.caught_by else "?"


@dataclass
class Verdict:
    """One graded mutant or variant, and what is wrong with how the graders treated it."""
    path: Path
    kind: str             # "mutant" | "variant"
    function: str         # the graded function ("all" for a variant)
    mistake: str
    caught_by: tuple
    results: list         # CheckResult of every graded check
    score: float
    max_score: float
    problems: list        # empty when the graders did their job

    @property
    def ok(self):
        return not self.problems


def list_submissions(folder):
    """The .py submissions in a folder, sorted by name."""
    return sorted(Path(folder).glob("*.py"))


def read_mutant(path):
    """A mutant file's promise: the mistake (first docstring line) and the `Caught by:` checks."""
    path = Path(path)
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    found = CAUGHT_BY.search(docstring)
    names = tuple(found.group(1).replace(",", " ").split()) if found else ()
    return Mutant(path, docstring.strip().splitlines()[0] if docstring.strip() else "", names)


def promise_problems(mutant):
    """What is wrong with a mutant's docstring itself (no mistake named, unknown or mixed checks)."""
    known = {check.name for check in all_checks()}
    problems = [] if mutant.mistake else ["the docstring does not name the mistake"]
    if not mutant.caught_by:
        return problems + ["the docstring has no `Caught by: <check>` line"]
    problems += [f"`Caught by` names an unknown check {name!r}" for name in mutant.caught_by if name not in known]
    if len({name.split(".")[0] for name in mutant.caught_by}) > 1:
        problems.append("`Caught by` names checks of more than one function")
    return problems


@functools.lru_cache(maxsize=1)
def undisclosed_solution_lines():
    """Solution and hidden-test lines that the released notebook and public checks do not already show."""
    from graders.course import secret_lines
    released = json.loads((KIT_ROOT / "assignment" / "dinosaur_island" / "dinosaur_island.ipynb").read_text())
    shown = "\n".join("".join(cell["source"]) for cell in released["cells"])
    shown += (KIT_ROOT / "graders" / "public_tests.py").read_text()
    secrets = secret_lines(KIT_ROOT / "solutions" / "dinosaur_island" / "dinosaur_island.ipynb")
    return tuple(sorted(line for line in secrets if line not in shown))


@functools.lru_cache(maxsize=1)
def expected_index_lists():
    """The stored expected index lists of sample (as printed), which no message may show."""
    from graders.expected_values import load_all

    def lists(node):
        if type(node) is list and len(node) >= 3 and all(type(item) is int for item in node):
            yield str(node)
        elif type(node) in (list, dict):
            for item in (node.values() if type(node) is dict else node):
                yield from lists(item)
    return tuple(sorted(set(lists(load_all()["sample"]))))


def message_problems(result, own_source=""):
    """What is wrong with a failing check's message: empty, showing grader files, expected values or a solution line.

    A line of the learner's own code (quoted by a traceback) is theirs to see, even where it equals a
    solution line; own_source is the submission's text.
    """
    if not result.message.strip():
        return [f"{result.name} failed with an empty message"]
    problems = [f"{result.name}'s message shows {leak!r}" for leak in LEAKS if leak in result.message]
    problems += [f"{result.name}'s message shows the expected indices {values}"
                 for values in expected_index_lists() if values in result.message]
    return problems + [f"{result.name}'s message gives away the solution line {line!r}"
                       for line in undisclosed_solution_lines() if line in result.message and line not in own_source]


def judge_mutant(mutant, report, own_source=""):
    """Problems with how a mutant was graded (empty: caught by the promised checks, with good messages)."""
    by_name = {result.name: result for result in report.results}
    problems = [f"the submission did not load cleanly, so nothing was really tested: {note}" for note in report.notes]
    for name in mutant.caught_by:
        result = by_name.get(name)
        if result is None:
            problems.append(f"{name} was not graded")
        elif result.status == "passed":
            problems.append(f"{name} passed: the mistake is not caught by the check that names it")
    if report.score >= report.max_score:
        problems.append(f"scored full marks ({report.score:g}/{report.max_score:g})")
    for result in report.results:
        if result.status != "passed":
            problems += message_problems(result, own_source)
    return problems


def judge_variant(report):
    """Problems with how a correct variant was graded (empty: full marks on every check)."""
    problems = [f"did not load cleanly: {note}" for note in report.notes]
    problems += [f"{r.name} {r.status}: {first_line(r.message)}" for r in report.results if r.status != "passed"]
    if report.max_score != 100:
        problems.append(f"graded out of {report.max_score:g}, not 100")
    return problems


def grade_mutant(path):
    """Grade a mutant on its own function only (a few seconds) and judge the outcome."""
    from graders.grading import grade
    mutant = read_mutant(path)
    problems = promise_problems(mutant)
    if problems:
        return Verdict(Path(path), "mutant", "?", mutant.mistake, mutant.caught_by, [], 0.0, 0.0, problems)
    with tempfile.TemporaryDirectory() as folder:
        submission = Path(folder) / Path(path).name
        submission.write_text(complete_submission(path), encoding="utf-8")
        report = grade(submission, functions=[mutant.function])
        verdict_report = judge_mutant(mutant, report, submission.read_text(encoding="utf-8"))
    return Verdict(Path(path), "mutant", mutant.function, mutant.mistake, mutant.caught_by, report.results,
                   report.score, report.max_score, verdict_report)


def complete_submission(path):
    """A whole submission: the reference's four functions, then the mutant's file, which redefines one.

    A mutant file holds only the function it gets wrong; the rest of what a learner would hand in is
    the reference, taken from the instructor notebook (its one copy).
    """
    from graders.submission import DEFAULT_PREAMBLE, load_submission
    cells = load_submission(KIT_ROOT / "solutions" / "dinosaur_island" / "dinosaur_island.ipynb").cells
    reference = "\n\n".join(cell["source"] for cell in cells if cell["id"] != "imports")
    return DEFAULT_PREAMBLE + "\n\n" + reference + "\n\n\n" + Path(path).read_text(encoding="utf-8")


def grade_variant(path):
    """Grade a correct variant on every function and judge the outcome."""
    from graders.grading import grade
    docstring = ast.get_docstring(ast.parse(Path(path).read_text(encoding="utf-8"))) or ""
    report = grade(path)
    return Verdict(Path(path), "variant", "all", first_line(docstring), (), report.results,
                   report.score, report.max_score, judge_variant(report))


def verdict_to_json(verdict):
    """A verdict as JSON text (tests attach it to their report, so the test run can print the report)."""
    from dataclasses import asdict
    return json.dumps({**asdict(verdict), "path": str(verdict.path), "caught_by": list(verdict.caught_by)})


def verdict_from_json(text):
    """The verdict verdict_to_json wrote."""
    from graders.grading import CheckResult
    data = json.loads(text)
    return Verdict(**{**data, "path": Path(data["path"]), "caught_by": tuple(data["caught_by"]),
                      "results": [CheckResult(**result) for result in data["results"]]})


def first_line(text):
    """The first non-empty line of a text ('' for none)."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def grade_all(mutants, variants, workers=1):
    """Verdicts for every mutant and variant path, in the order given, with `workers` processes."""
    jobs = [(grade_mutant, path) for path in mutants] + [(grade_variant, path) for path in variants]
    if workers <= 1:
        return [job(path) for job, path in jobs]
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(job, path) for job, path in jobs]
        return [future.result() for future in futures]


def summary_lines(verdicts):
    """Per function: mutants caught / total and variants accepted / total."""
    variants = [v for v in verdicts if v.kind == "variant"]
    lines = []
    for function in FUNCTIONS:
        mutants = [v for v in verdicts if v.kind == "mutant" and v.function == function]
        accepted = sum(all(r.status == "passed" for r in v.results if r.function == function) and bool(v.results)
                       for v in variants)
        lines.append(f"{function:<9} mutants caught {sum(v.ok for v in mutants):>2}/{len(mutants):<3}"
                     f"variants accepted {accepted:>2}/{len(variants)}")
    strays = [v for v in verdicts if v.kind == "mutant" and v.function not in FUNCTIONS]
    if strays:
        lines.append(f"unreadable mutants: {len(strays)}")
    return lines


def detail_lines(verdict):
    """One verdict: its name, the mistake, every failing check with its message's first line, problems."""
    mark = "ok  " if verdict.ok else "FAIL"
    lines = [f"{mark} {verdict.path.name} ({verdict.score:g}/{verdict.max_score:g}): {verdict.mistake}"]
    if verdict.kind == "mutant":
        lines.append(f"       promised: {', '.join(verdict.caught_by) or '-'}")
        for result in verdict.results:
            if result.status != "passed":
                star = "*" if result.name in verdict.caught_by else " "
                lines.append(f"     {star} {result.name} [{result.status}] {first_line(result.message)}")
    lines += [f"       PROBLEM: {problem}" for problem in verdict.problems]
    return lines


def report_text(verdicts):
    """The whole report as text."""
    lines = ["Mutation report (* = a check the mutant promises to fail)", ""]
    lines += summary_lines(verdicts) + ["", "Mutants:"]
    for verdict in verdicts:
        if verdict.kind == "mutant":
            lines += detail_lines(verdict)
    lines += ["", "Variants:"]
    for verdict in verdicts:
        if verdict.kind == "variant":
            lines += detail_lines(verdict)
    bad = [v for v in verdicts if not v.ok]
    lines += ["", f"{len(bad)} problem submission(s)" if bad else "every mutant caught, every variant accepted"]
    return "\n".join(lines)


def configure_mutation_report(parser):
    parser.add_argument("--mutants", type=Path, default=MUTANTS_DIR, help="folder of wrong submissions")
    parser.add_argument("--variants", type=Path, default=VARIANTS_DIR, help="folder of correct submissions")
    parser.add_argument("--workers", type=int, default=2, help="grading processes (default 2)")
    parser.add_argument("--only", action="append", choices=FUNCTIONS,
                        help="report only mutants of this function (repeatable); variants are always graded")


def run_mutation_report(args):
    mutants = list_submissions(args.mutants)
    if args.only:
        mutants = [path for path in mutants if read_mutant(path).function in args.only]
    verdicts = grade_all(mutants, list_submissions(args.variants), workers=max(1, args.workers))
    print(report_text(verdicts))
    return 0 if all(v.ok for v in verdicts) else 1
