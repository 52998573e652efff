"""Throughput of batch grading a class: `graders batch` with 1 and 2 workers against `nbgrader autograde`.

    python benchmarks/bench_batch.py [--count 100] [--workdir DIR]

Builds `count` filled-in notebooks from the release (right, buggy and hostile ones, in a fixed
mix), grades the same notebooks three ways in one run, and prints seconds, submissions per minute
and the ratios. Hostile cases here are ones that also end in bounded time inside nbgrader's own
kernel (no infinite loops or memory bombs: nbgrader would wait its 120 s cell limit on a loop, and
nothing would bound a memory bomb in its kernel). Not part of the test suite: it takes minutes.
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

KIT = Path(__file__).resolve().parents[1]
DINO = load_assignment("dinosaur_island")
ASSIGNMENT, NOTEBOOK = DINO.name, DINO.notebook
# (kind, grade_id of the cell to change, text to find, replacement); None: the right notebook
VARIANTS = [
    ("right", None, "", ""),
    ("right", None, "", ""),
    ("right", None, "", ""),
    ("right", None, "", ""),
    ("buggy clip", "clip", "np.clip(gradient, -maxValue, maxValue, out=gradient)",
     "gradient = np.clip(gradient, -maxValue, maxValue)"),
    ("buggy sample", "sample", "np.random.seed(counter + seed)", "np.random.seed(counter)"),
    ("buggy optimize", "optimize", "gradients = clip(gradients, 5)", "gradients = clip(gradients, 10)"),
    ("hostile exit", "sample", "    Waa, Wax, Wya", "    raise SystemExit(0)\n    Waa, Wax, Wya"),
    ("hostile read", "clip", "    gradients = copy.deepcopy(gradients)",
     "    try:\n        open('/etc/passwd').read()\n    except OSError:\n        pass\n"
     "    gradients = copy.deepcopy(gradients)"),
    ("hostile patch", "clip", "def clip(", "np.allclose = lambda *args, **kwargs: True\n\n\ndef clip("),
]


def make_notebooks(release_notebook, source_notebook, count):
    """[(kind, notebook JSON)] cycling through VARIANTS."""
    perfect = filled_in(release_notebook, source_notebook)
    notebooks = []
    for number in range(count):
        kind, grade_id, find, replace = VARIANTS[number % len(VARIANTS)]
        notebook = json.loads(json.dumps(perfect))
        for cell in notebook["cells"]:
            if grade_id and cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
                source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                if find not in source:
                    raise SystemExit(f"variant {kind!r}: {find!r} is not in the {grade_id} cell any more")
                cell["source"] = source.replace(find, replace, 1)
        notebooks.append((kind, notebook))
    return notebooks


def timed(command, cwd):
    """Seconds a command took (it must succeed)."""
    started = time.monotonic()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-batch-"))
    # Step 1: a course with a fresh release and gradebook, and the class's notebooks
    course = make_course(workdir / "course")
    release_dir = generate_release(course, DINO, db=True)
    notebooks = make_notebooks(release_dir / NOTEBOOK, course / "solutions" / ASSIGNMENT / NOTEBOOK, args.count)
    folder = workdir / "class"
    for number, (_, notebook) in enumerate(notebooks):
        student = f"s{number:03d}"
        (folder / student).mkdir(parents=True, exist_ok=True)
        (folder / student / NOTEBOOK).write_text(json.dumps(notebook, indent=1))
        submit(course, DINO, student, notebook)
    print(f"{args.count} notebooks in {workdir}: " + ", ".join(
        f"{sum(made == kind for made, _ in notebooks)} {kind}" for kind in dict.fromkeys(v[0] for v in VARIANTS)))

    # Step 2: the graders' batch with 1 and 2 workers
    seconds = {}
    for workers in (1, 2):
        output = workdir / f"results-{workers}.csv"
        seconds[f"batch, {workers} worker(s)"] = timed(
            [sys.executable, "-m", "graders", "batch", str(folder), "--workers", str(workers), "--output", str(output),
             "--no-progress"], KIT)
    with open(workdir / "results-1.csv", newline="") as one, open(workdir / "results-2.csv", newline="") as two:
        first, second = list(csv.reader(one)), list(csv.reader(two))
    same = first == second  # the CSV holds no times

    # Step 3: nbgrader autograde on the same notebooks (sequential, one kernel per notebook)
    started = time.monotonic()
    nbgrader(course, "autograde", ASSIGNMENT)
    seconds["nbgrader autograde"] = time.monotonic() - started
    scores = gradebook_scores(course, DINO)

    # Step 4: the figures
    print(f"{'':28s}{'seconds':>10s}{'per minute':>12s}")
    for name, value in seconds.items():
        print(f"{name:28s}{value:10.1f}{args.count / value * 60:12.1f}")
    baseline = seconds["nbgrader autograde"]
    print(f"batch 1 worker vs nbgrader autograde: {baseline / seconds['batch, 1 worker(s)']:.2f}x as fast")
    print(f"batch 2 workers vs nbgrader autograde: {baseline / seconds['batch, 2 worker(s)']:.2f}x as fast")
    print(f"batch 2 workers vs 1 worker: {seconds['batch, 1 worker(s)'] / seconds['batch, 2 worker(s)']:.2f}x as fast")
    print(f"1- and 2-worker results identical: {same}; nbgrader gradebook rows: {len(scores)}")
    student, score = first[0].index("student"), first[0].index("score")
    batch_scores = {row[student]: float(row[score]) for row in first[1:]}
    agree = sum(abs(batch_scores[s] - scores[s][0]) < 1e-6 for s in scores if s in batch_scores)
    print(f"students whose nbgrader score equals the batch score: {agree}/{len(scores)}")
    for student in sorted(scores):
        if student in batch_scores and abs(batch_scores[student] - scores[student][0]) >= 1e-6:
            kind = notebooks[int(student[1:])][0]
            print(f"  {student} ({kind}): nbgrader {scores[student][0]:g}, batch {batch_scores[student]:g}")


if __name__ == "__main__":
    main()
