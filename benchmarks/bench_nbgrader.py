"""Time `nbgrader autograde` against `python -m graders grade` on the same submissions, in the same run.

Two temporary courses (SQLite gradebooks) get one and ten copies of the reference solution as
submissions. nbgrader autogrades each course with one command; the command line grades every one of
the same notebooks, one process per notebook, one after another (as a CI job per learner would),
and then all of them with `python -m graders batch`. With --baseline-kit, nbgrader also autogrades the
same class with another checkout of the kit (its own nbgrader_config.py and graders, e.g. the commit
before a change), in the same run. Prints the wall times, the time per submission and the ratios to
the command line's. Exits 1 if any grader gives a score other than 100.
Usage: .venv/bin/python benchmarks/bench_nbgrader.py [--class-size N] [--baseline-kit DIR]
"""
import argparse
import contextlib
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graders.assignment import load_assignment
from graders.course import filled_in, generate_release, gradebook_scores, make_course, nbgrader, submit

DINO = load_assignment("dinosaur_island")
ASSIGNMENT, NOTEBOOK = DINO.name, DINO.notebook


def make_graded_course(folder, size, kit_root=None):
    """A course with its release and gradebook, and `size` learners who handed in the reference."""
    course = make_course(folder, **({"kit_root": Path(kit_root)} if kit_root else {}))
    release = generate_release(course, DINO, db=True)
    perfect = filled_in(release / NOTEBOOK, course / "solutions" / ASSIGNMENT / NOTEBOOK)
    for number in range(size):
        submit(course, DINO, f"learner{number:02d}", perfect)
    return course


def timed(run, *args):
    """(seconds, result) of run(*args), by the wall clock."""
    started = time.perf_counter()
    result = run(*args)
    return time.perf_counter() - started, result


def autograde(course):
    """nbgrader autograde of every submission in the course; the gradebook's scores."""
    nbgrader(course, "autograde", ASSIGNMENT)
    return [score for score, _ in gradebook_scores(course, DINO).values()]


def grade_each(course):
    """`python -m graders grade --format json` on every submitted notebook, one process each; the scores."""
    scores = []
    for notebook in sorted((course / "submitted").glob(f"*/{ASSIGNMENT}/{NOTEBOOK}")):
        done = subprocess.run([sys.executable, "-m", "graders", "grade", str(notebook), "--format", "json"],
                              capture_output=True, text=True, check=True)
        scores.append(json.loads(done.stdout)["score"])
    return scores


def grade_batch(course, workers):
    """`python -m graders batch` over the submitted folder with `workers` processes; the scores."""
    output = course / "batch.csv"
    subprocess.run([sys.executable, "-m", "graders", "batch", str(course / "submitted"), "--workers", str(workers),
                    "--output", str(output)], capture_output=True, text=True, check=True)
    with open(output, newline="") as handle:
        return [float(row["score"]) for row in csv.DictReader(handle)]


@contextlib.contextmanager
def kit_on_path(kit_root):
    """nbgrader processes started inside import the graders of kit_root."""
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(kit_root)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH")
        else:
            os.environ["PYTHONPATH"] = saved


def measure(folder, size, baseline_kit=None):
    """{grader: (seconds, scores)} for a class of `size` learners."""
    figures = {}
    if baseline_kit:
        with kit_on_path(baseline_kit):
            baseline = make_graded_course(Path(f"{folder}-baseline"), size, baseline_kit)
            figures["nbgrader autograde, baseline kit"] = timed(autograde, baseline)
    course = make_graded_course(folder, size)
    figures["nbgrader autograde"] = timed(autograde, course)
    figures["graders grade, one process each"] = timed(grade_each, course)
    if size > 1:
        figures["graders batch --workers 2"] = timed(grade_batch, course, 2)
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--class-size", type=int, default=10)
    parser.add_argument("--baseline-kit", type=Path, help="another checkout of the kit to autograde the class with too")
    args = parser.parse_args()
    size = args.class_size
    all_full_marks = True
    with tempfile.TemporaryDirectory() as tmp:
        for learners in (1, size):
            figures = measure(Path(tmp) / f"course{learners}", learners, args.baseline_kit)
            baseline = figures["graders grade, one process each"][0]
            print(f"{learners} submission{'s' if learners > 1 else ''} of the reference solution:")
            for name, (seconds, scores) in figures.items():
                print(f"  {name:<34} {seconds:7.1f} s  {seconds / learners:6.1f} s each  "
                      f"{seconds / baseline:5.2f} x the command line")
                all_full_marks &= len(scores) == learners and all(score == 100 for score in scores)
    print("every grader gave every submission 100/100" if all_full_marks else "UNEXPECTED SCORES")
    return 0 if all_full_marks else 1


if __name__ == "__main__":
    raise SystemExit(main())
