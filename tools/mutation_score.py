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
every survivor with its diff. --sample N grades N mutants per assignment, spread over functions and
operators (fixed by --seed); --results FILE keeps each grading outcome, so a second run grades only
what changed. Exit 1 when a non-equivalent mutant survives or a survivor is not yet reviewed.
"""
import argparse
import collections
import difflib
import hashlib
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
from tools.mutate import OPERATORS, find_function, mutants
from tools.mutation_judge import complete_submission
from tools.mutation_oracle import Difference, compare

EQUIVALENTS_DIR = KIT_ROOT / "tests" / "mutation"


@dataclass
class Outcome:
    """How one mutant fared when graded."""
    id: str
    digest: str           # of the mutant's source: an outcome is reused only for the same mutant
    killed: bool
    failed: list          # names of the checks that did not pass
    seconds: float


def assignment_mutants(assignment, functions=None):
    """Every mutant of the assignment's graded functions (or of `functions`), in rubric order."""
    sources = [without_markers(cell["source"]) for cell in reference_cells(assignment)]
    found = []
    for name in assignment.function_names:
        if functions and name not in functions:
            continue
        source = next(text for text in sources if defines(text, name))
        found += mutants(source, name)
    return found


def defines(source, name):
    """Does the cell source define the function name at its top level?"""
    import ast
    try:
        find_function(ast.parse(source), name)
    except (LookupError, SyntaxError):
        return False
    return True


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
    return hashlib.sha256(mutant.source.encode()).hexdigest()[:16]


def graded(assignment_name, mutant):
    """The outcome of grading one mutant as a submission (a job for a worker process)."""
    assignment = load_assignment(assignment_name)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        own = Path(folder) / f"{mutant.function}_mutant.py"
        own.write_text(mutant.source + "\n", encoding="utf-8")
        submission = Path(folder) / "submission.py"
        submission.write_text(complete_submission(own, assignment), encoding="utf-8")
        report = grade(submission, assignment=assignment, functions=[mutant.function])
    failed = [result.name for result in report.results if result.status != "passed"]
    return Outcome(mutant.id, digest(mutant), bool(failed), failed, round(time.monotonic() - started, 1))


def describe_difference(difference):
    """The oracle's finding as one line ("" when it saw no difference)."""
    return "" if difference is None else f"{difference.aspect} differs on {difference.case}: {difference.detail}"


def grade_mutants(assignment_name, chosen, workers, known=None, progress=print):
    """{id: Outcome} for every chosen mutant; outcomes in known (same id and digest) are reused."""
    known = known or {}
    outcomes = {m.id: known[m.id] for m in chosen if m.id in known and known[m.id].digest == digest(m)}
    todo = [m for m in chosen if m.id not in outcomes]
    done, started = 0, time.monotonic()

    def record(outcome):
        nonlocal done
        done += 1
        outcomes[outcome.id] = outcome
        progress(f"[{done}/{len(todo)} {time.monotonic() - started:6.0f}s] "
                 f"{'killed  ' if outcome.killed else 'SURVIVED'} {outcome.id} ({outcome.seconds:g}s)", outcome)

    if workers <= 1:
        for mutant in todo:
            record(graded(assignment_name, mutant))
    else:
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            for future in as_completed([pool.submit(graded, assignment_name, m) for m in todo]):
                record(future.result())
    return outcomes


def equivalents_path(assignment_name):
    return EQUIVALENTS_DIR / f"equivalent_{assignment_name}.json"


def load_equivalents(assignment_name):
    """{mutant id: reason} of the reviewed equivalent mutants of an assignment (empty when none recorded)."""
    path = equivalents_path(assignment_name)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def mutant_diff(mutant, original):
    """The unified diff from the reference function to the mutant, as lines."""
    return [line.rstrip("\n") for line in difflib.unified_diff(
        original.splitlines(), mutant.source.splitlines(), "reference", "mutant", n=0, lineterm="")][2:]


def report_lines(assignment, chosen, outcomes, equivalents):
    """The report: a table per function and operator, then every survivor (finding or unreviewed)."""
    import ast
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
    originals = {}
    survivors = [m for m in chosen if not outcomes[m.id].killed]
    for title, picked in (("Survivors the oracle tells apart from the reference (findings: a check is missing):",
                           [m for m in survivors if m.id not in equivalents and outcomes[m.id].difference]),
                          ("Survivors the oracle cannot tell apart, not yet reviewed (record them in "
                           f"{equivalents_path(assignment.name).relative_to(KIT_ROOT)} with a reason, or find the "
                           "difference):", [m for m in survivors if m.id not in equivalents
                                            and not outcomes[m.id].difference]),
                          ("Recorded as equivalent but killed (the record or a check is wrong):",
                           [m for m in chosen if m.id in equivalents and outcomes[m.id].killed])):
        if not picked:
            continue
        lines += ["", title]
        for mutant in picked:
            if mutant.function not in originals:
                source = next(without_markers(c["source"]) for c in reference_cells(assignment)
                              if defines(without_markers(c["source"]), mutant.function))
                originals[mutant.function] = ast.unparse(find_function(ast.parse(source), mutant.function))
            lines.append(f"  {mutant.id}  (line {mutant.line}: {mutant.original} -> {mutant.replacement})")
            if outcomes[mutant.id].difference:
                lines.append(f"      oracle: {outcomes[mutant.id].difference}")
            if outcomes[mutant.id].killed:
                lines.append(f"      killed by: {', '.join(outcomes[mutant.id].failed)}")
            lines += [f"      {line}" for line in mutant_diff(mutant, originals[mutant.function])]
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
        equivalents = load_equivalents(assignment.name)
        print("\n".join(["", *report_lines(assignment, chosen, outcomes, equivalents), ""]), flush=True)
        ok = ok and not failing(chosen, outcomes, equivalents)
    print(f"wall time {time.monotonic() - started:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
