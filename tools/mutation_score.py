"""Automatic mutation score: every first-order mutant of the reference's graded functions, graded for real.

    python -m tools.mutation_score [--assignment NAME] [--function NAME] [--sample N] [--seed S] [--workers N]
                                   [--results FILE]

For each assignment the kit declares (or the one named), tools/mutate.py makes every first-order mutant
of each graded function of the reference (the instructor notebook's solution cells). Each mutant is
graded as a submission through the kit's grading path, in its sandbox: the reference with that one
function replaced (tools.mutation_judge.complete_submission), on that function's checks. A mutant is
killed when any of them does not pass. Every mutant that survives goes to the oracle battery
(tools/mutation_oracle.py), which calls it and the reference directly on many seeded inputs: where it
sees a difference, the survivor is a finding (a check is missing); where it sees none, the mutant is
proposed as equivalent, to be reviewed and recorded with a reason in tests/mutation/equivalent_<name>.json.
The report gives per function and operator the mutants made, killed, equivalent and surviving, then
every survivor with its diff (a survivor recorded in tests/mutation/survivors_<name>.json is a known
finding: the record says which check would kill it). --sample N grades N mutants per assignment, spread
over functions and operators (fixed by --seed); --results FILE keeps each grading outcome, so a second
run grades only the mutants, or all of them after a change to the graders, whose outcome is not kept.
Exit 1 when a mutant not recorded as equivalent survives (known findings included: the target is every
non-equivalent mutant killed), or a mutant recorded as equivalent is killed.
"""
import argparse
import ast
import collections
import dataclasses
import difflib
import functools
import hashlib
import inspect
import json
import random
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from multiprocessing import get_context
from pathlib import Path

from graders.assignment import KIT_ROOT, DeclarationError, kit_assignment_names, load_assignment
from graders.course import without_markers
from graders.grading import grade
from graders.reference import reference_cells
from tools.mutate import OPERATORS, mutants, unparsed
from tools.mutation_judge import complete_submission
from tools.mutation_oracle import compare

RECORDS_DIR = KIT_ROOT / "tests" / "mutation"


@dataclass
class Outcome:
    """How one mutant fared when graded."""
    id: str
    digest: str           # of the mutant's source: an outcome is reused only for the same mutant
    killed: bool
    failed: list          # names of the checks that did not pass (of the first stage that had any)
    seconds: float


def assignment_mutants(assignment, functions=None):
    """Every mutant of the assignment's graded functions (or of `functions`), in rubric order."""
    sources = function_sources(assignment)
    return [mutant for name in assignment.function_names if not functions or name in functions
            for mutant in mutants(sources[name], name)]


def function_sources(assignment):
    """{graded function: source of the reference cell that defines it}."""
    cells = [without_markers(cell["source"]) for cell in reference_cells(assignment)]
    return {name: next(text for text in cells if name in defined_names(text)) for name in assignment.function_names}


def defined_names(source):
    """Names of the functions a cell defines at its top level (none when it does not parse)."""
    try:
        return {node.name for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)}
    except SyntaxError:
        return set()


def sampled(found, size, seed):
    """size mutants spread over functions and operators: functions in turn, each giving one of its next
    operator's mutants, operators and mutants in an order fixed by seed."""
    chooser = random.Random(seed)
    groups = collections.defaultdict(lambda: collections.defaultdict(list))
    for mutant in found:
        groups[mutant.function][mutant.operator].append(mutant)
    queues = {}
    for function, by_operator in groups.items():
        operators = sorted(by_operator)
        chooser.shuffle(operators)
        for operator in operators:
            chooser.shuffle(by_operator[operator])
        queues[function] = collections.deque(collections.deque(by_operator[operator]) for operator in operators)
    chosen, functions = [], [function for function in dict.fromkeys(m.function for m in found)]
    while len(chosen) < min(size, len(found)):
        for function in functions:
            queue = queues[function]
            if queue and len(chosen) < size:
                mutants_of_operator = queue.popleft()
                chosen.append(mutants_of_operator.popleft())
                if mutants_of_operator:
                    queue.append(mutants_of_operator)
    return chosen


def digest(mutant):
    """A fingerprint of the mutant and of the graders that grade it: a kept outcome is stale when either changed."""
    return hashlib.sha256((mutant.source + graders_fingerprint()).encode()).hexdigest()[:16]


@functools.lru_cache(maxsize=None)
def graders_fingerprint():
    """A digest of every file of the graders package (code, checks, stored expected values)."""
    package = KIT_ROOT / "graders"
    files = sorted(path for path in package.rglob("*") if path.is_file() and "__pycache__" not in path.parts)
    return hashlib.sha256(b"".join(path.relative_to(package).as_posix().encode() + path.read_bytes()
                                   for path in files)).hexdigest()


def graded(assignment_name, mutant):
    """The outcome of grading one mutant as a submission (a job for a worker process): graded on its function's
    quick checks first, then, only if it passed them all, on its property checks (see check_stages)."""
    assignment = load_assignment(assignment_name)
    started = time.monotonic()
    failed = []
    with tempfile.TemporaryDirectory() as folder:
        own = Path(folder) / f"{mutant.function}_mutant.py"
        own.write_text(mutant.source + "\n", encoding="utf-8")
        submission = Path(folder) / "submission.py"
        submission.write_text(complete_submission(own, assignment), encoding="utf-8")
        for checks in check_stages(assignment, mutant.function):
            report = grade(submission, assignment=with_checks(assignment, mutant.function, checks),
                           functions=[mutant.function])
            failed = [result.name for result in report.results if result.status != "passed"]
            if failed:
                break
    return Outcome(mutant.id, digest(mutant), bool(failed), failed, round(time.monotonic() - started, 1))


def check_stages(assignment, function):
    """The function's checks in two stages, rubric order kept: first every check but the property checks
    (those that search inputs with Hypothesis), then the property checks. A mutant is killed when any check
    fails, so one a quick check kills needs no search; a failing search shrinks its example for up to a
    minute. Either stage may be empty (then it is left out)."""
    checks = assignment.function(function).checks.checks
    searching = [check for check in checks if searches(check.run)]
    return [stage for stage in ([c for c in checks if c not in searching], searching) if stage]


def searches(function):
    """Does a check function search inputs with Hypothesis (its code, or that of a function it wraps, names
    `given`)?"""
    def codes(code):
        yield code
        for constant in code.co_consts:
            if inspect.iscode(constant):
                yield from codes(constant)
    wrapped = [cell.cell_contents for cell in function.__closure__ or () if inspect.isfunction(cell.cell_contents)]
    return any("given" in code.co_names for code in codes(function.__code__)) or any(map(searches, wrapped))


def with_checks(assignment, function, checks):
    """The assignment with only `checks` graded on function (the other functions as declared)."""
    graded_functions = tuple(dataclasses.replace(graded, checks=dataclasses.replace(graded.checks, checks=checks))
                             if graded.name == function else graded for graded in assignment.functions)
    return dataclasses.replace(assignment, functions=graded_functions)


def oracle_finding(assignment_name, mutant):
    """(mutant id, the oracle's first difference as one line, "" when it saw none): a job for a worker process."""
    found = compare(load_assignment(assignment_name), mutant)
    return mutant.id, "" if found is None else f"{found.aspect} differs on {found.case}: {found.detail}"


def in_parallel(job, assignment_name, chosen, workers, record):
    """Run job(assignment_name, mutant) for every chosen mutant in `workers` processes, passing each result to
    record as it comes."""
    if workers <= 1:
        for mutant in chosen:
            record(job(assignment_name, mutant))
        return
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        for future in as_completed([pool.submit(job, assignment_name, mutant) for mutant in chosen]):
            record(future.result())


def grade_mutants(assignment_name, chosen, workers, known=None, progress=print):
    """{id: Outcome} for every chosen mutant; outcomes in known (same id and digest) are reused.
    progress(line, outcome) is called after each mutant graded."""
    known = known or {}
    outcomes = {m.id: known[m.id] for m in chosen if m.id in known and known[m.id].digest == digest(m)}
    todo = [m for m in chosen if m.id not in outcomes]
    started = time.monotonic()

    def record(outcome):
        outcomes[outcome.id] = outcome
        progress(f"[{len(outcomes)}/{len(chosen)} {time.monotonic() - started:6.0f}s] "
                 f"{'killed  ' if outcome.killed else 'SURVIVED'} {outcome.id} ({outcome.seconds:g}s)", outcome)

    in_parallel(graded, assignment_name, todo, workers, record)
    return outcomes


def oracle_findings(assignment_name, survivors, workers):
    """{id: the oracle's first difference ("" none)} for every surviving mutant."""
    findings = {}
    in_parallel(oracle_finding, assignment_name, survivors, workers, lambda found: findings.update([found]))
    return findings


def record_path(kind, assignment_name):
    """The record of one kind ("equivalent" or "survivors") of an assignment's mutants."""
    return RECORDS_DIR / f"{kind}_{assignment_name}.json"


def load_record(kind, assignment_name):
    """{mutant id: text} of a record (empty when there is none): for "equivalent", the reviewed equivalent
    mutants, each with the reason; for "survivors", the known findings of the last full run, each with the
    check that would kill it."""
    path = record_path(kind, assignment_name)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def mutant_diff(mutant, original):
    """The unified diff from the reference function to the mutant, as lines."""
    return [line.rstrip("\n") for line in difflib.unified_diff(
        original.splitlines(), mutant.source.splitlines(), "reference", "mutant", n=0, lineterm="")][2:]


def report_lines(assignment, chosen, outcomes, findings, equivalents):
    """The report: a table per function and operator, then every survivor (finding or unreviewed).
    findings: {id: the oracle's difference} of the survivors."""
    lines = [f"Automatic mutation score for {assignment.name} ({len(chosen)} mutants)", ""]
    header = f"{'function':<16}{'operator':<12}{'mutants':>8}{'killed':>8}{'equiv.':>8}{'survived':>9}   score"
    lines.append(header)
    by_key = collections.defaultdict(list)
    for mutant in chosen:
        by_key[(mutant.function, mutant.operator)].append(mutant)
    for function in assignment.function_names:
        rows = [(operator, by_key[(function, operator)]) for operator in OPERATORS if by_key[(function, operator)]]
        for operator, group in rows + [("all", [m for _, g in rows for m in g])]:
            if not group:
                continue
            lines.append(row_text(function if operator == "all" else "", operator, group, outcomes, equivalents))
    lines.append(row_text("total", "", chosen, outcomes, equivalents))
    sources, known = function_sources(assignment), load_record("survivors", assignment.name)
    survivors = [m for m in chosen if not outcomes[m.id].killed]
    for title, picked in (("Survivors the oracle tells apart from the reference (findings: a check is missing):",
                           [m for m in survivors if m.id not in equivalents and findings[m.id]]),
                          ("Survivors the oracle cannot tell apart, not yet reviewed (record them in "
                           f"{record_path('equivalent', assignment.name).relative_to(KIT_ROOT)} with a reason, or find the "
                           "difference):", [m for m in survivors if m.id not in equivalents
                                            and not findings[m.id]]),
                          ("Recorded as equivalent but killed (the record or a check is wrong):",
                           [m for m in chosen if m.id in equivalents and outcomes[m.id].killed])):
        if not picked:
            continue
        lines += ["", title]
        for mutant in picked:
            lines.append(f"  {mutant.id}  (line {mutant.line}: {mutant.original} -> {mutant.replacement})")
            if findings.get(mutant.id):
                lines.append(f"      oracle: {findings[mutant.id]}")
            if mutant.id in known and not outcomes[mutant.id].killed:
                lines.append(f"      known finding: {known[mutant.id]}")
            if outcomes[mutant.id].killed:
                lines.append(f"      killed by: {', '.join(outcomes[mutant.id].failed)}")
            lines += [f"      {line}" for line in mutant_diff(mutant, unparsed(sources[mutant.function], mutant.function))]
    return lines


def row_text(function, operator, group, outcomes, equivalents):
    """One table row: mutants, killed, recorded equivalent (and surviving), survived, killed / non-equivalent."""
    killed = sum(outcomes[m.id].killed for m in group)
    equivalent = sum(m.id in equivalents and not outcomes[m.id].killed for m in group)
    survived = len(group) - killed - equivalent
    return (f"{function:<16}{operator:<12}{len(group):>8}{killed:>8}{equivalent:>8}{survived:>9}   "
            f"{killed}/{len(group) - equivalent}")


def failing(chosen, outcomes, equivalents):
    """Mutants that make the run fail: surviving and not recorded as equivalent, or recorded and killed."""
    return [m for m in chosen if (m.id in equivalents) == outcomes[m.id].killed]


def read_results(path):
    """{id: Outcome} kept in a results file (empty when there is none)."""
    if not path or not Path(path).is_file():
        return {}
    outcomes = [Outcome(**json.loads(line)) for line in Path(path).read_text(encoding="utf-8").splitlines() if line]
    return {outcome.id: outcome for outcome in outcomes}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.mutation_score", description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", help="the kit assignment to mutate (default: every one)")
    parser.add_argument("--function", action="append", help="mutate only this graded function (repeatable)")
    parser.add_argument("--sample", type=int, help="grade only this many mutants per assignment, spread over "
                                                   "functions and operators")
    parser.add_argument("--seed", type=int, default=12, help="fixes the sample (default 12)")
    parser.add_argument("--workers", type=int, default=2, help="grading processes (default 2)")
    parser.add_argument("--results", type=Path, help="file keeping every grading outcome (JSON lines), reused "
                                                     "by the next run for mutants unchanged since")
    args = parser.parse_args(argv)
    try:
        assignments = [load_assignment(name) for name in ([args.assignment] if args.assignment
                                                          else kit_assignment_names())]
    except DeclarationError as problem:
        parser.error(str(problem))
    declared = {name for assignment in assignments for name in assignment.function_names}
    if any(name not in declared for name in args.function or ()):
        parser.error(f"--function takes one of {', '.join(sorted(declared))}")
    known = read_results(args.results)
    ok, started = True, time.monotonic()
    for assignment in assignments:
        found = assignment_mutants(assignment, args.function)
        chosen = sampled(found, args.sample, args.seed) if args.sample else found
        print(f"{assignment.name}: {len(found)} mutants, grading {len(chosen)} with {args.workers} worker(s)",
              flush=True)

        def progress(text, outcome):
            print(text, flush=True)
            if args.results:
                with open(args.results, "a", encoding="utf-8") as file:
                    file.write(json.dumps(asdict(outcome)) + "\n")

        outcomes = grade_mutants(assignment.name, chosen, args.workers, known, progress)
        survivors = [m for m in chosen if not outcomes[m.id].killed]
        print(f"oracle battery on {len(survivors)} survivor(s)", flush=True)
        findings = oracle_findings(assignment.name, survivors, args.workers)
        equivalents = load_record("equivalent", assignment.name)
        print("\n".join(["", *report_lines(assignment, chosen, outcomes, findings, equivalents), ""]), flush=True)
        ok = ok and not failing(chosen, outcomes, equivalents)
    print(f"wall time {time.monotonic() - started:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
