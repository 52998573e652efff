"""Mutation report: how the graders treat every known-wrong and known-right submission in tests/.

    python -m tools.mutation_report [--mutants DIR] [--variants DIR] [--workers N] [--only FUNCTION]

grades every mutant (tests/mutants/) on its own function and every variant (tests/variants/) on all
of them, judges each (see tools/mutation_judge.py), and prints per function how many mutants were
caught and variants accepted, then for every mutant the first line of what each failing check tells
the learner, so a reviewer can judge the messages. Exit 1 when any submission has a problem. The test
run prints the same report from the verdicts its mutant and variant tests produced (tests/conftest.py).
"""
import argparse
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from graders.assignment import load_assignment
from tools.mutation_judge import (MUTANTS_DIR, VARIANTS_DIR, first_line, grade_mutant, grade_variant,
                                  list_submissions, read_mutant)


def judged(kind, path, assignment_name):
    """The verdict on one submission (a job for a worker process, which loads the assignment itself)."""
    assignment = load_assignment(assignment_name)
    return (grade_mutant if kind == "mutant" else grade_variant)(path, assignment)


def grade_all(mutants, variants, assignment_name=None, workers=1):
    """Verdicts for every mutant and variant path, in the order given, with `workers` processes."""
    jobs = [("mutant", path, assignment_name) for path in mutants] + [("variant", path, assignment_name) for path in variants]
    if workers <= 1:
        return [judged(*job) for job in jobs]
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(judged, *job) for job in jobs]
        return [future.result() for future in futures]


def summary_lines(verdicts, functions):
    """Per function: mutants caught / total and variants accepted / total."""
    variants = [v for v in verdicts if v.kind == "variant"]
    lines = []
    for function in functions:
        mutants = [v for v in verdicts if v.kind == "mutant" and v.function == function]
        accepted = sum(all(r.status == "passed" for r in v.results if r.function == function) and bool(v.results)
                       for v in variants)
        lines.append(f"{function:<9} mutants caught {sum(v.ok for v in mutants):>2}/{len(mutants):<3}"
                     f"variants accepted {accepted:>2}/{len(variants)}")
    strays = [v for v in verdicts if v.kind == "mutant" and v.function not in functions]
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


def report_text(verdicts, functions):
    """The whole report as text; functions: the graded functions' names, in rubric order."""
    lines = ["Mutation report (* = a check the mutant promises to fail)", ""]
    lines += summary_lines(verdicts, functions) + ["", "Mutants:"]
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


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.mutation_report", description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=Path, default=MUTANTS_DIR, help="folder of wrong submissions")
    parser.add_argument("--variants", type=Path, default=VARIANTS_DIR, help="folder of correct submissions")
    parser.add_argument("--workers", type=int, default=2, help="grading processes (default 2)")
    parser.add_argument("--assignment", help="the kit assignment they are submissions for (default: the only one)")
    parser.add_argument("--only", action="append", metavar="FUNCTION",
                        help="report only mutants of this function (repeatable); variants are always graded")
    args = parser.parse_args(argv)
    functions = load_assignment(args.assignment).function_names
    if any(name not in functions for name in args.only or ()):
        parser.error(f"--only takes one of {', '.join(functions)}")
    mutants = list_submissions(args.mutants)
    if args.only:
        mutants = [path for path in mutants if read_mutant(path).function in args.only]
    verdicts = grade_all(mutants, list_submissions(args.variants), args.assignment, workers=max(1, args.workers))
    print(report_text(verdicts, functions))
    return 0 if all(v.ok for v in verdicts) else 1


if __name__ == "__main__":
    raise SystemExit(main())
