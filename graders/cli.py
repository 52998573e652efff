"""Command line of the graders: each verb adapts one function with keyword defaults.

    python -m graders grade SUBMISSION [--assignment NAME|FOLDER] [--only FUNCTION] [--format text|json|junit|gradescope]
                                       [--output FILE] [--fail-under SCORE]
    python -m graders batch DIR --workers N --output results.csv
    python -m graders regenerate [--check] [--assignment NAME|FOLDER]
    python -m graders release [--check]
    python -m graders demo
    python -m graders export-gradescope OUT.zip | export-github-workflow OUT.yml

Exit codes: 0 when the verb ran (whatever the score), 1 for --fail-under or a failed --check,
2 for a usage error (an unknown assignment or function included) or a submission that cannot be read.
"""
import argparse
import importlib
import os
import stat
import sys
from pathlib import Path

from graders.assignment import DeclarationError
from graders.files import write_atomically
from graders.formats import FORMATS
from graders.options import add_assignment_options, chosen_assignment, chosen_assignments

VERBS = {  # verb -> (module, help); each module has configure(parser) and run(args) -> exit code
    "grade": ("graders.cli", "grade one submission (.ipynb or .py)"),
    "batch": ("graders.batch", "grade every submission below a folder, in parallel and resumably"),
    "regenerate": ("graders.cli", "recompute the expected values from the reference solution"),
    "release": ("graders.course", "regenerate the released assignment with nbgrader, and the README's rubric"),
    "demo": ("graders.course", "release, then autograde the reference and the stubs with nbgrader"),
    "export-gradescope": ("graders.export", "write a Gradescope autograder bundle (zip)"),
    "export-github-workflow": ("graders.export", "write a GitHub Classroom workflow for the same graders"),
}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m graders", description="the kit's graders")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    for verb, (module_name, help_text) in VERBS.items():
        sub = verbs.add_parser(verb, help=help_text, description=help_text)
        module = importlib.import_module(module_name)
        getattr(module, "configure_" + verb.replace("-", "_"))(sub)
    args = parser.parse_args(argv)
    module = importlib.import_module(VERBS[args.verb][0])
    try:
        return getattr(module, "run_" + args.verb.replace("-", "_"))(args)
    except DeclarationError as problem:  # no such assignment or function: a usage error, said in one line
        print(f"python -m graders {args.verb}: {problem}", file=sys.stderr)
        return 2


def configure_grade(parser):
    parser.add_argument("submission", type=Path, help="a notebook (.ipynb) or a Python file (.py)")
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--output", type=Path, help="write the report here instead of standard output")
    parser.add_argument("--fail-under", type=float, metavar="SCORE", help="exit with 1 if the score is below SCORE")
    add_assignment_options(parser, only=True)


def run_grade(args):
    from graders.formats import as_text, render
    from graders.grading import grade
    problem = unreadable(args.submission)
    if problem:
        print(f"python -m graders grade: cannot read {args.submission}: {problem}", file=sys.stderr)
        return 2
    assignment = chosen_assignment(args, args.submission)
    report = grade(args.submission, assignment=assignment, functions=args.only)
    text = render(report, args.format)
    if args.output:
        write_atomically(args.output, text)
        sys.stdout.write(as_text(report) if args.format != "text" else "")
    else:
        sys.stdout.write(text)
    if args.fail_under is not None and report.score < args.fail_under:
        print(f"score {report.score:g} is below --fail-under {args.fail_under:g}", file=sys.stderr)
        return 1
    return 0


def unreadable(path):
    """Why the file at path cannot be read ("" when it can, and for what graders.intake refuses unopened: a
    link, a file that is not a regular one)."""
    try:
        info = os.lstat(path)
    except OSError as error:
        return error.strerror or str(error)
    if stat.S_ISDIR(info.st_mode):
        return "it is a folder, not a notebook or a Python file"
    if not stat.S_ISREG(info.st_mode):
        return ""
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_NOFOLLOW))
    except OSError as error:
        return error.strerror or str(error)
    return ""


def configure_regenerate(parser):
    parser.add_argument("--check", action="store_true", help="do not write; fail if the stored values drifted")
    add_assignment_options(parser)


def run_regenerate(args):
    return max(regenerate(assignment, args.check) for assignment in chosen_assignments(args))


def regenerate(assignment, check):
    """Recompute one assignment's expected values; store them, or (check) compare them with the stored ones."""
    import contextlib
    import io

    from graders.expected_values import compute_all, drift, fragile_values, load_all, write_all
    from graders.reference import load_reference
    reference = load_reference(assignment)
    with contextlib.redirect_stdout(io.StringIO()):  # a reference may print its progress
        fresh = compute_all(assignment, reference)
        fragile = fragile_values(assignment, reference)
    for problem in fragile:
        print(f"fragile: {problem}", file=sys.stderr)
    if check:
        problems = drift(load_all(assignment), {f: doc["values"] for f, doc in fresh.items()})
        for problem in problems:
            print(f"drift: {problem}", file=sys.stderr)
        ok = not problems and not fragile
        print(f"expected values in {assignment.expected}: " + ("up to date, none fragile" if ok else "PROBLEMS (see above)"))
        return 0 if ok else 1
    write_all(assignment, fresh)
    print(f"wrote expected values for {', '.join(fresh)} to {assignment.expected}")
    return 1 if fragile else 0
