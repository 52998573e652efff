"""Time `nbgrader autograde` against `python -m graders grade` on the same submissions, in the same run.

Two temporary courses (SQLite gradebooks) get one and ten copies of the reference solution as
submissions. nbgrader autogrades each course with one command; the command line grades every one of
the same notebooks, one process per notebook, one after another (as a CI job per learner would),
and then all of them with `python -m graders batch`. Prints the wall times, the time per
submission and the ratios to the command line's. Exits 1 if any grader gives a score other than 100.
Usage: .venv/bin/python benchmarks/bench_nbgrader.py [--class-size N]
"""
import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graders.assignment import load_assignment
from graders.course import filled_in, generate_release, gradebook_scores, make_course, nbgrader, submit

DINO = load_assignment("dinosaur_island")
ASSIGNMENT, NOTEBOOK = DINO.name, DINO.notebook


def make_graded_course(folder, size):
    """A course with its release and gradebook, and `size` learners who handed in the reference."""
    course = make_course(folder)
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


def measure(folder, size):
    """{grader: (seconds, scores)} for a class of `size` learners."""
    course = make_graded_course(folder, size)
    figures = {"nbgrader autograde": timed(autograde, course),
               "graders grade, one process each": timed(grade_each, course)}
    if size > 1:
        figures["graders batch --workers 2"] = timed(grade_batch, course, 2)
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--class-size", type=int, default=10)
    size = parser.parse_args().class_size
    all_full_marks = True
    with tempfile.TemporaryDirectory() as tmp:
        for learners in (1, size):
            figures = measure(Path(tmp) / f"course{learners}", learners)
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
