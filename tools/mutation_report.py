"""Mutation report: how the graders treat every known-wrong, known-right and trivial submission in tests/.

    python -m tools.mutation_report [--assignment NAME] [--mutants DIR] [--variants DIR] [--trivial DIR]
                                    [--workers N] [--only FUNCTION]

grades every mutant (tests/mutants/) on its own function, every variant (tests/variants/) and every
trivial function (tests/trivial/) on all of them, judges each (see tools/mutation_judge.py), and
prints per function how many mutants were caught (and how many cost points in one place: besides the
checks they name, at most one more hidden check, not counting what the rubric's rules take away, such as
the gated checks of a function with no value right: `extra_failures`), variants accepted and trivial
functions held to 0,
then for every mutant the first line of what each failing check tells the learner, so a reviewer can
judge the messages. Without --assignment, every kit assignment is reported, each from its own
folders. Exit 1 when any submission has a problem. The test run prints the same report from the
verdicts its tests produced (tests/conftest.py).
"""
import argparse
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from graders.assignment import DeclarationError, kit_assignment_names, load_assignment
from tools.mutation_judge import (MUTANTS_DIR, TRIVIAL_DIR, VARIANTS_DIR, extra_failures, first_line, grade_mutant,
                                  grade_trivial, grade_variant, list_submissions, read_mutant, submissions_folder)

GRADERS = {"mutant": grade_mutant, "variant": grade_variant, "trivial": grade_trivial}


def judged(kind, path, assignment_name):
    """The verdict on one submission (a job for a worker process, which loads the assignment itself)."""
    return GRADERS[kind](path, load_assignment(assignment_name))


def grade_all(mutants, variants, assignment_name=None, workers=1, trivial=()):
    """Verdicts for every mutant, variant and trivial path, in the order given, with `workers` processes."""
    jobs = [(kind, path, assignment_name) for kind, paths in (("mutant", mutants), ("variant", variants),
                                                               ("trivial", trivial)) for path in paths]
    if workers <= 1:
        return [judged(*job) for job in jobs]
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(judged, *job) for job in jobs]
        return [future.result() for future in futures]


def summary_lines(verdicts, functions):
    """Per function: mutants caught / total (and caught in one place), variants accepted, trivial functions at 0."""
    variants = [v for v in verdicts if v.kind == "variant"]
    width = max(map(len, functions))
    lines = []
    for function in functions:
        mutants = [v for v in verdicts if v.kind == "mutant" and v.function == function]
        trivial = [v for v in verdicts if v.kind == "trivial" and v.function == function]
        one_place = sum(v.ok and len(extra_failures(v)) <= 1 for v in mutants)
        accepted = sum(all(r.status == "passed" for r in v.results if r.function == function) and bool(v.results)
                       for v in variants)
        lines.append(f"{function:<{width}} mutants caught {sum(v.ok for v in mutants):>2}/{len(mutants):<3}"
                     f"(in one place {one_place:>2})  variants accepted {accepted:>2}/{len(variants)}"
                     + (f"  trivial at 0 {sum(v.ok for v in trivial):>2}/{len(trivial)}" if trivial else ""))
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
        extra = extra_failures(verdict)
        if len(extra) > 1:
            lines.append(f"       more than one other hidden check failed: {', '.join(extra)}")
    lines += [f"       PROBLEM: {problem}" for problem in verdict.problems]
    return lines


def report_text(verdicts, functions, title="Mutation report"):
    """The whole report as text; functions: the graded functions' names, in rubric order."""
    lines = [f"{title} (* = a check the mutant promises to fail)", ""]
    lines += summary_lines(verdicts, functions)
    for kind, heading in (("mutant", "Mutants:"), ("variant", "Variants:"), ("trivial", "Trivial functions:")):
        chosen = [verdict for verdict in verdicts if verdict.kind == kind]
        if chosen or kind != "trivial":
            lines += ["", heading] + [line for verdict in chosen for line in detail_lines(verdict)]
    bad = [v for v in verdicts if not v.ok]
    lines += ["", f"{len(bad)} problem submission(s)" if bad else "every mutant caught, every variant accepted"
              + (", every trivial function at 0" if any(v.kind == "trivial" for v in verdicts) else "")]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.mutation_report", description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=Path, help="folder of wrong submissions (default: the assignment's in tests/mutants)")
    parser.add_argument("--variants", type=Path, help="folder of correct submissions (default: in tests/variants)")
    parser.add_argument("--trivial", type=Path, help="folder of trivial functions (default: in tests/trivial)")
    parser.add_argument("--workers", type=int, default=2, help="grading processes (default 2)")
    parser.add_argument("--assignment", help="the kit assignment they are submissions for (default: every one; with "
                                             "folders given, the one their mutants are for)")
    parser.add_argument("--only", action="append", metavar="FUNCTION",
                        help="report only mutants of this function (repeatable); variants are always graded")
    args = parser.parse_args(argv)
    folders = {"mutants": args.mutants, "variants": args.variants, "trivial": args.trivial}
    try:
        names = [args.assignment] if args.assignment else (
            [assignment_of(args.mutants)] if any(folders.values()) else kit_assignment_names())
        assignments = [load_assignment(name) for name in names]
    except DeclarationError as problem:
        parser.error(str(problem))
    functions = {name for assignment in assignments for name in assignment.function_names}
    if any(name not in functions for name in args.only or ()):
        parser.error(f"--only takes one of {', '.join(sorted(functions))}")
    ok = True
    for assignment in assignments:
        found = {kind: list_submissions(folder or submissions_folder(base, assignment))
                 for (kind, folder), base in zip(folders.items(), (MUTANTS_DIR, VARIANTS_DIR, TRIVIAL_DIR))}
        if args.only:
            found["mutants"] = [path for path in found["mutants"] if read_mutant(path).function in args.only]
            found["trivial"] = []
        verdicts = grade_all(found["mutants"], found["variants"], assignment.name, max(1, args.workers), found["trivial"])
        print(report_text(verdicts, assignment.function_names, f"Mutation report for {assignment.name}") + "\n")
        ok = ok and all(v.ok for v in verdicts)
    return 0 if ok else 1


def assignment_of(mutants):
    """The name of the kit assignment that grades the functions the mutants in a folder name (DeclarationError
    when there is none or more than one)."""
    named = {read_mutant(path).function for path in list_submissions(mutants)} if mutants else set()
    matching = [name for name in kit_assignment_names() if named & set(load_assignment(name).function_names)]
    if len(matching) != 1:
        raise DeclarationError("pass --assignment NAME: the folders given do not tell which assignment they are for")
    return matching[0]


if __name__ == "__main__":
    raise SystemExit(main())
