"""Throughput of batch grading a class: `graders batch` on 1 and 2 local workers and on 2 Dask workers,
against `nbgrader autograde`.

    python benchmarks/bench_batch.py [--count 100] [--workdir DIR] [--runs batch-1,batch-2,dask-2,nbgrader]

Builds `count` filled-in notebooks from the release (right, buggy and hostile ones, in a fixed
mix), grades the same notebooks every way asked in one run, and prints seconds, submissions per
minute, seconds per submission against the in-process floor (the public checks called directly on
the reference, what grading costs without sandbox, hidden checks or process start-up), and the
ratios. The Dask run uses a `dask scheduler` and two `dask worker` processes (one thread each)
started before it is timed. Hostile cases here are ones that also end in bounded time inside
nbgrader's own kernel (no infinite loops or memory bombs: nbgrader would wait its 120 s cell limit on
a loop, and nothing would bound a memory bomb in its kernel). Not part of the test suite: it takes
minutes (nbgrader alone about 8 s a notebook).
"""
import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_grade import public_checks_in_process, seconds as timings  # noqa: E402
from dask_processes import local_dask_cluster  # noqa: E402

from graders.assignment import load_assignment  # noqa: E402
from graders.course import filled_in, generate_release, gradebook_scores, make_course, nbgrader, submit  # noqa: E402
from graders.reference import load_reference  # noqa: E402

KIT = Path(__file__).resolve().parents[1]
CLASS_SIZE, CLASS_TARGET_SECONDS = 200, 180  # issue 15: a class of 200 in at most 3 minutes on 2 local workers
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


RUNS = {"batch-1": "batch, 1 worker", "batch-2": "batch, 2 workers", "dask-2": "batch, 2 Dask workers",
        "nbgrader": "nbgrader autograde"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--runs", default=",".join(RUNS), help="which of " + ", ".join(RUNS) + " (comma-separated)")
    args = parser.parse_args()
    runs = [run for run in args.runs.split(",") if run]
    if not runs or set(runs) - set(RUNS):
        parser.error(f"--runs takes some of {', '.join(RUNS)}")
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

    # Step 2: the floor, then every run asked for, on the same notebooks
    reference = load_reference(DINO)
    floor = statistics.median(timings(lambda: public_checks_in_process(reference), 5))
    seconds, outputs = {}, {}
    for run in runs:
        if run == "nbgrader":
            started = time.monotonic()
            nbgrader(course, "autograde", ASSIGNMENT)
            seconds[run] = time.monotonic() - started
            continue
        outputs[run] = workdir / f"results-{run}.csv"
        command = [sys.executable, "-m", "graders", "batch", str(folder), "--output", str(outputs[run]),
                   "--no-progress", "--workers", run[-1]]
        if run.startswith("dask"):
            with local_dask_cluster(workdir, workers=int(run[-1])) as (address, _):
                seconds[run] = timed(command + ["--scheduler", address], KIT)
        else:
            seconds[run] = timed(command, KIT)

    # Step 3: the figures
    print(f"{'':28s}{'seconds':>10s}{'per minute':>12s}{'s/submission':>14s}{'x floor':>10s}")
    for run, value in seconds.items():
        print(f"{RUNS[run]:28s}{value:10.1f}{args.count / value * 60:12.1f}{value / args.count:14.2f}"
              f"{value / args.count / floor:10.0f}")
    print(f"{'floor (in-process checks)':28s}{floor * args.count:10.1f}{60 / floor:12.1f}{floor:14.3f}{1:10.0f}")
    for faster, slower in (("batch-1", "nbgrader"), ("batch-2", "nbgrader"), ("dask-2", "nbgrader"),
                           ("batch-2", "batch-1"), ("dask-2", "batch-2"), ("dask-2", "batch-1")):
        if faster in seconds and slower in seconds:
            print(f"{RUNS[faster]} vs {RUNS[slower]}: {seconds[slower] / seconds[faster]:.2f}x as fast")
    if "batch-2" in seconds:
        class_seconds = seconds["batch-2"] / args.count * CLASS_SIZE
        print(f"a class of {CLASS_SIZE} on 2 local workers at this rate: {class_seconds:.0f} s (target at most "
              f"{CLASS_TARGET_SECONDS} s: {'met' if class_seconds <= CLASS_TARGET_SECONDS else 'NOT met'})")
    files = {run: path.read_bytes() for run, path in outputs.items()}
    if len(files) > 1:
        print(f"CSVs of {', '.join(RUNS[run] for run in files)} identical byte for byte: "
              f"{len(set(files.values())) == 1}")
    if "nbgrader" in seconds:
        compare_with_gradebook(course, notebooks, next(iter(outputs.values()), None))


def compare_with_gradebook(course, notebooks, results):
    """Print how many students' nbgrader score equals the batch score, and the ones that differ."""
    scores = gradebook_scores(course, DINO)
    print(f"nbgrader gradebook rows: {len(scores)}")
    if results is None:
        return
    with open(results, newline="") as handle:
        table = list(csv.reader(handle))
    at_student, at_score = table[0].index("student"), table[0].index("score")
    batch_scores = {row[at_student]: float(row[at_score]) for row in table[1:]}
    agree = sum(abs(batch_scores[s] - scores[s][0]) < 1e-6 for s in scores if s in batch_scores)
    print(f"students whose nbgrader score equals the batch score: {agree}/{len(scores)}")
    for student in sorted(scores):
        if student in batch_scores and abs(batch_scores[student] - scores[student][0]) >= 1e-6:
            kind = notebooks[int(student[1:])][0]
            print(f"  {student} ({kind}): nbgrader {scores[student][0]:g}, batch {batch_scores[student]:g}")


if __name__ == "__main__":
    main()
