"""The mutation judge: did the graders catch a known-wrong submission, and give a known-right one full marks?

`tests/mutants/` holds realistic wrong submissions, each the reference solution with one mistake that
learners make (a mutant file holds only the function it gets wrong; the reference supplies the rest
when it is graded); its module docstring names the mistake and says, on a line `Caught by: <check> ...`,
which checks must fail. `tests/variants/` holds correct submissions written differently, which must
score full marks; `tests/trivial/` functions that compute nothing, which must earn nothing. The first
assignment's files lie at the top of those folders, every other assignment's in a subfolder named
after it (`submissions_folder`). The judge also reads every failing check's message: it must not be
empty, nor show grader paths, stored expected index lists or a solution line the release does not
already show. The tests of mutants, variants and trivial functions and `python -m tools.mutation_report`
use it.
"""
import ast
import functools
import itertools
import json
import re
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from graders.assignment import KIT_ROOT, defined_functions
from graders.checks.gating import NO_VALUE
from graders.course import secret_lines, without_markers
from graders.expected_values import load_all
from graders.grading import CheckResult, grade
from graders.reference import reference_cells

MUTANTS_DIR = KIT_ROOT / "tests" / "mutants"
VARIANTS_DIR = KIT_ROOT / "tests" / "variants"
TRIVIAL_DIR = KIT_ROOT / "tests" / "trivial"
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
    assignment: str = ""

    @property
    def ok(self):
        return not self.problems


def submissions_folder(base, assignment):
    """Where an assignment's submissions of one kind lie: base/<assignment> when that folder exists, else base
    itself (the first assignment's files, at the top)."""
    own = Path(base) / assignment.name
    return own if own.is_dir() else Path(base)


def extra_failures(verdict):
    """The hidden checks a mutant fails besides those its docstring names, not counting what follows from the
    rubric's rule, not from the check testing more than one thing: the public check (it runs the learner's own
    functions end to end); a gated check of a function that gets no value right (no points without a correct
    value); and every check of a function that raised on every graded call (it has no result to judge; each
    check shows the error, with the hint that names the mistake)."""
    if raised_everywhere(verdict):
        return []
    return [r.name for r in verdict.results if r.status != "passed" and not r.public
            and r.name not in verdict.caught_by and NO_VALUE not in r.message]


def raised_everywhere(verdict):
    """Did every check of the mutant's function, the public one too, fail with that function's own error?"""
    own = [r for r in verdict.results if r.function == verdict.function]
    return bool(own) and all(r.status == "error" and r.message.startswith(f"{r.function} raised ") for r in own)


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


def promise_problems(mutant, assignment):
    """What is wrong with a mutant's docstring itself (no mistake named, unknown or mixed checks)."""
    known = {check.name for check in assignment.checks()}
    problems = [] if mutant.mistake else ["the docstring does not name the mistake"]
    if not mutant.caught_by:
        return problems + ["the docstring has no `Caught by: <check>` line"]
    problems += [f"`Caught by` names an unknown check {name!r}" for name in mutant.caught_by if name not in known]
    if len({name.split(".")[0] for name in mutant.caught_by}) > 1:
        problems.append("`Caught by` names checks of more than one function")
    return problems


@functools.lru_cache(maxsize=None)
def undisclosed_solution_lines(assignment):
    """Solution and hidden-test lines that the released notebook and public checks do not already show."""
    released = json.loads((assignment.release / assignment.notebook).read_text())
    shown = "\n".join("".join(cell["source"]) for cell in released["cells"])
    if assignment.public_checks:
        shown += (assignment.source / assignment.public_checks).read_text()
    secrets = secret_lines(assignment.source / assignment.notebook)
    return tuple(sorted(line for line in secrets if line not in shown))


@functools.lru_cache(maxsize=None)
def expected_index_lists(assignment):
    """The stored expected lists of integers (as printed, three or more long), which no message may show."""
    def lists(node):
        if type(node) is list and len(node) >= 3 and all(type(item) is int for item in node):
            yield str(node)
        elif type(node) in (list, dict):
            for item in (node.values() if type(node) is dict else node):
                yield from lists(item)
    return tuple(sorted(set(lists(load_all(assignment)))))


def message_problems(result, assignment, own_source=""):
    """What is wrong with a failing check's message: empty, showing grader files, expected values or a solution line.

    A line of the learner's own code (quoted by a traceback) is theirs to see, even where it equals a
    solution line; own_source is the submission's text.
    """
    if not result.message.strip():
        return [f"{result.name} failed with an empty message"]
    problems = [f"{result.name}'s message shows {leak!r}" for leak in LEAKS if leak in result.message]
    problems += [f"{result.name}'s message shows the expected indices {values}"
                 for values in expected_index_lists(assignment) if values in result.message]
    return problems + [f"{result.name}'s message gives away the solution line {line!r}"
                       for line in undisclosed_solution_lines(assignment)
                       if quotes(result.message, line) and line not in own_source]


def code_of(line):
    """A solution line without its trailing comment, its whitespace collapsed."""
    return " ".join(line.split("#", 1)[0].split()) if "#" in line and "'#'" not in line else " ".join(line.split())


def quotes(text, line):
    """Does text quote the solution line: all of it, or, for an assignment, its left-hand side `= ` and the
    start of its right-hand side (`X = [None] + ...`, `a, b = f(...)`)?"""
    text, code = " ".join(text.split()), code_of(line)
    if code in text:
        return True
    target, equals, value = code.partition(" = ")
    return bool(equals) and "(" not in target and f"{target} = {value[:6]}" in text


def message_texts(assignment):
    """Every message text the assignment's checks can produce, as (file name, line, text): the string
    expressions of its check modules, the shared check helpers and its public checks, with each f-string
    field shown as … and both branches of a conditional expression."""
    package = Path(sys.modules[assignment.functions[0].checks.compute_expected.__module__].__file__).parent
    files = sorted(package.glob("*.py")) + sorted((KIT_ROOT / "graders" / "checks").glob("*.py"))
    if assignment.public_checks:
        files.append(assignment.source / assignment.public_checks)
    return [(path.name, line, text) for path in files
            for line, text in string_expressions(ast.parse(path.read_text(encoding="utf-8")))]


def string_expressions(tree):
    """(line, text) of every outermost string expression in a module, docstrings left out."""
    found = []

    def visit(node):
        texts = renderings(node)
        if texts is not None:
            found.extend((node.lineno, text) for text in texts)
            return
        for child in ast.iter_child_nodes(node):
            if not (isinstance(child, ast.Expr) and isinstance(child.value, ast.Constant)):  # a docstring
                visit(child)
    visit(tree)
    return found


def renderings(node, limit=64):
    """The texts a string expression can evaluate to (fields as …), or None when node is not one."""
    if isinstance(node, ast.Constant):
        return [node.value] if type(node.value) is str else None
    if isinstance(node, ast.JoinedStr):
        return ["".join(part.value if isinstance(part, ast.Constant) else "…" for part in node.values)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = renderings(node.left), renderings(node.right)
        return None if left is None or right is None else [a + b for a, b in itertools.product(left, right)][:limit]
    if isinstance(node, ast.IfExp):
        body, orelse = renderings(node.body), renderings(node.orelse)
        return None if body is None or orelse is None else (body + orelse)[:limit]
    return None


def quoting_texts(assignment):
    """The message texts of message_texts that quote an undisclosed solution line, with that line."""
    lines = undisclosed_solution_lines(assignment)
    return [(name, number, text, line) for name, number, text in message_texts(assignment)
            for line in lines if quotes(text, line)]


def judge_mutant(mutant, report, assignment, own_source=""):
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
            problems += message_problems(result, assignment, own_source)
    return problems


def judge_variant(report):
    """Problems with how a correct variant was graded (empty: full marks on every check)."""
    problems = [f"did not load cleanly: {note}" for note in report.notes]
    problems += [f"{r.name} {r.status}: {first_line(r.message)}" for r in report.results if r.status != "passed"]
    if report.max_score != 100:
        problems.append(f"graded out of {report.max_score:g}, not 100")
    return problems


def grade_mutant(path, assignment):
    """Grade a mutant on its own function only (a few seconds) and judge the outcome."""
    mutant = read_mutant(path)
    problems = promise_problems(mutant, assignment)
    if problems:
        return Verdict(Path(path), "mutant", "?", mutant.mistake, mutant.caught_by, [], 0.0, 0.0, problems,
                       assignment.name)
    with tempfile.TemporaryDirectory() as folder:
        submission = Path(folder) / Path(path).name
        submission.write_text(complete_submission(path, assignment), encoding="utf-8")
        report = grade(submission, assignment=assignment, functions=[mutant.function])
        problems = judge_mutant(mutant, report, assignment, submission.read_text(encoding="utf-8"))
    return Verdict(Path(path), "mutant", mutant.function, mutant.mistake, mutant.caught_by, report.results,
                   report.score, report.max_score, problems, assignment.name)


def complete_submission(path, assignment):
    """A whole submission: the reference notebook's imports and functions, then the mutant's file, which
    redefines one. A mutant file holds only the function it gets wrong; the rest of what a learner would
    hand in is the reference, taken from the instructor notebook (its one copy), without nbgrader's markers."""
    reference = "\n\n".join(without_markers(cell["source"]) for cell in reference_cells(assignment))
    return reference + "\n\n\n" + Path(path).read_text(encoding="utf-8")


def grade_variant(path, assignment):
    """Grade a correct variant on every function and judge the outcome."""
    docstring = ast.get_docstring(ast.parse(Path(path).read_text(encoding="utf-8"))) or ""
    report = grade(path, assignment=assignment)
    return Verdict(Path(path), "variant", "all", first_line(docstring), (), report.results,
                   report.score, report.max_score, judge_variant(report), assignment.name)


def grade_trivial(path, assignment):
    """Grade a trivial function (the reference with one function replaced by one that computes nothing) on
    every function and judge the outcome: 0 on its own function, every hidden check of the others passed."""
    own = sorted(defined_functions(path) & set(assignment.function_names))
    docstring = ast.get_docstring(ast.parse(Path(path).read_text(encoding="utf-8"))) or ""
    if len(own) != 1:
        return Verdict(Path(path), "trivial", "?", first_line(docstring), (), [], 0.0, 0.0,
                       [f"defines {len(own)} graded functions, not one"], assignment.name)
    with tempfile.TemporaryDirectory() as folder:
        submission = Path(folder) / Path(path).name
        submission.write_text(complete_submission(path, assignment), encoding="utf-8")
        report = grade(submission, assignment=assignment)
    earned = [f"{r.name} earned {r.score:g}" for r in report.results if r.function == own[0] and r.score]
    others = [f"{r.name} {r.status}: {first_line(r.message)}" for r in report.results
              if r.function != own[0] and not r.public and r.status != "passed"]
    return Verdict(Path(path), "trivial", own[0], first_line(docstring), (), report.results, report.score,
                   report.max_score, earned + others, assignment.name)


def verdict_to_json(verdict):
    """A verdict as JSON text (tests attach it to their report, so the test run can print the report)."""
    return json.dumps({**asdict(verdict), "path": str(verdict.path), "caught_by": list(verdict.caught_by)})


def verdict_from_json(text):
    """The verdict verdict_to_json wrote."""
    data = json.loads(text)
    return Verdict(**{**data, "path": Path(data["path"]), "caught_by": tuple(data["caught_by"]),
                      "results": [CheckResult(**result) for result in data["results"]]})


def first_line(text):
    """The first non-empty line of a text ('' for none)."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")
