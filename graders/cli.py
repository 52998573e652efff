"""Command line of the graders: each verb adapts one function with keyword defaults.

    python -m graders grade SUBMISSION [--format text|json|junit|gradescope] [--output FILE] [--fail-under SCORE]
    python -m graders batch DIR --workers N --output results.csv
    python -m graders regenerate [--check]
    python -m graders release [--check]
    python -m graders demo
    python -m graders mutation-report
    python -m graders export-gradescope OUT.zip | export-github-workflow OUT.yml

Exit codes: 0 when the verb ran (whatever the score), 1 for --fail-under or a failed --check,
2 for a usage error.
"""
import argparse
import importlib
import os
import sys
import tempfile
from pathlib import Path

from graders.formats import FORMATS

VERBS = {  # verb -> (module, help); each module has configure(parser) and run(args) -> exit code
    "grade": ("graders.cli", "grade one submission (.ipynb or .py)"),
    "batch": ("graders.batch", "grade every submission below a folder, in parallel and resumably"),
    "regenerate": ("graders.cli", "recompute the expected values from the reference solution"),
    "release": ("graders.course", "regenerate the released assignment with nbgrader"),
    "demo": ("graders.course", "release, then autograde the reference and the stubs with nbgrader"),
    "mutation-report": ("graders.mutation_report", "grade the known-wrong and known-right submissions"),
    "export-gradescope": ("graders.export", "write a Gradescope autograder bundle (zip)"),
    "export-github-workflow": ("graders.export", "write a GitHub Classroom workflow for the same graders"),
}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m graders", description="Dinosaur Island graders")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    for verb, (module_name, help_text) in VERBS.items():
        sub = verbs.add_parser(verb, help=help_text, description=help_text)
        module = importlib.import_module(module_name)
        getattr(module, "configure_" + verb.replace("-", "_"))(sub)
    args = parser.parse_args(argv)
    module = importlib.import_module(VERBS[args.verb][0])
    return getattr(module, "run_" + args.verb.replace("-", "_"))(args)


def configure_grade(parser):
    parser.add_argument("submission", type=Path, help="a notebook (.ipynb) or a Python file (.py)")
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--output", type=Path, help="write the report here instead of standard output")
    parser.add_argument("--fail-under", type=float, metavar="SCORE", help="exit with 1 if the score is below SCORE")
    parser.add_argument("--only", action="append", choices=("clip", "sample", "optimize", "model"),
                        help="grade only this function (repeatable)")


def run_grade(args):
    from graders.formats import as_text, render
    from graders.grading import grade
    report = grade(args.submission, functions=args.only)
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


def configure_regenerate(parser):
    parser.add_argument("--check", action="store_true", help="do not write; fail if the stored values drifted")


def run_regenerate(args):
    import contextlib
    import io

    from graders.expected_values import EXPECTED_DIR, compute_all, drift, fragile_values, load_all, write_all
    from graders.reference import load_reference
    reference = load_reference()
    with contextlib.redirect_stdout(io.StringIO()):  # the reference model prints its progress
        fresh = compute_all(reference)
        fragile = fragile_values(reference)
    for problem in fragile:
        print(f"fragile: {problem}", file=sys.stderr)
    if args.check:
        stored = load_all()
        problems = drift(stored, {f: doc["values"] for f, doc in fresh.items()})
        for problem in problems:
            print(f"drift: {problem}", file=sys.stderr)
        ok = not problems and not fragile
        print(f"expected values in {EXPECTED_DIR}: " + ("up to date, none fragile" if ok else "PROBLEMS (see above)"))
        return 0 if ok else 1
    write_all(fresh)
    print(f"wrote expected values for {', '.join(fresh)} to {EXPECTED_DIR}")
    return 1 if fragile else 0


def write_atomically(path, text):
    """Write text to path so that readers see the old file or the new one, never half of one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)  # nothing half-written stays behind
        raise
