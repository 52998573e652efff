"""Median wall time to grade one submission with every check (Hypothesis included).

Grades the reference notebook and the untouched stubs several times each, and, as the baseline in the
same run, the public checks alone run in-process on the reference (what a grader without a sandbox,
seeded cases or properties would do). With --against REF, the kit at git revision REF (exported to a
temporary folder) grades the reference too, alternating with this kit, each grading in a fresh process
after one warm-up grading there (reference and expected values loaded once, as a batch worker does):
the kit before a change, measured in the same run. CPU seconds (grader and learner's process) are
printed beside wall seconds, since on a shared machine the wall clock also measures the others' load.
Target: at most 2 s per submission on 2 cores.
Usage: .venv/bin/python benchmarks/bench_grade.py [--repeats N] [--against REF]
"""
import argparse
import contextlib
import io
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from graders.assignment import load_assignment
from graders.grading import grade
from graders.reference import load_reference, public_checks

KIT = Path(__file__).resolve().parents[1]
DINO = load_assignment("dinosaur_island")
SUBMISSIONS = {"reference": DINO.source / DINO.notebook, "stubs": DINO.release / DINO.notebook}
TARGET_SECONDS = 2.0
# One grading of the reference in a fresh process of the kit at sys.argv[1], after a warm-up grading:
# prints [wall, grader CPU, learner processes' CPU] in seconds.
GRADE_ONCE = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from graders.assignment import load_assignment
from graders.expected_values import load_all
from graders.grading import grade
from graders.reference import load_reference
dino = load_assignment("dinosaur_island")
reference, expected = load_reference(dino), load_all(dino)
path = dino.source / dino.notebook
grade(path, reference=reference, expected=expected)
before, cpu, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.process_time(), time.perf_counter()
report = grade(path, reference=reference, expected=expected)
wall, cpu = time.perf_counter() - started, time.process_time() - cpu
after = resource.getrusage(resource.RUSAGE_CHILDREN)
learner = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
print(json.dumps([wall, cpu, learner, report.score]))
"""


def seconds(action, repeats):
    """Wall times of `repeats` runs of action()."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            action()
        times.append(time.perf_counter() - started)
    return times


def public_checks_in_process(reference):
    """The released checks, called directly on the reference functions."""
    public_tests = public_checks(DINO)
    public_tests.clip_test(reference["clip"], 10)
    public_tests.clip_test(reference["clip"], 5)
    public_tests.sample_test(reference["sample"])
    public_tests.optimize_test(reference["optimize"])
    public_tests.model_test(reference["model"])


def exported(revision, folder):
    """The kit at git revision, unpacked into folder."""
    archive = subprocess.run(["git", "archive", revision], cwd=KIT, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return Path(folder)


def grade_once_in(kit):
    """[wall, grader CPU, learner CPU, score] of one grading of the reference by the kit in folder kit."""
    done = subprocess.run([sys.executable, "-c", GRADE_ONCE, str(kit)], cwd=kit, capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare(revision, repeats):
    """Print this kit's and revision's medians of grading the reference, alternating fresh processes."""
    with tempfile.TemporaryDirectory(prefix="bench-grade-") as folder:
        kits = {f"this kit ({current_revision()})": KIT, f"kit at {revision}": exported(revision, folder)}
        runs = {label: [] for label in kits}
        for _ in range(repeats):
            for label, kit in kits.items():
                runs[label].append(grade_once_in(kit))
    medians = {label: [statistics.median(column) for column in zip(*rows)] for label, rows in runs.items()}
    print(f"grading the reference in a warmed process, median of {repeats} alternating runs:")
    for label, (wall, grader, learner, score) in medians.items():
        print(f"  {label:32s} wall {wall:6.2f} s  CPU {grader + learner:5.2f} s (grader {grader:.2f}, learner "
              f"{learner:.2f})  score {score:g}  (walls: {', '.join(f'{row[0]:.2f}' for row in runs[label])})")
    (new_wall, new_grader, new_learner, _), (old_wall, old_grader, old_learner, _) = medians.values()
    print(f"  ratio {revision} / this kit: wall {old_wall / new_wall:.2f}x, "
          f"CPU {(old_grader + old_learner) / (new_grader + new_learner):.2f}x")


def current_revision():
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=KIT, capture_output=True, text=True)
    return done.stdout.strip() or "working tree"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--against", metavar="REF", help="also grade with the kit at this git revision")
    args = parser.parse_args()
    reference = load_reference(DINO)
    baseline = statistics.median(seconds(lambda: public_checks_in_process(reference), args.repeats))
    print(f"{'baseline: public checks in-process':40s} median {baseline:7.3f} s")
    worst = 0.0
    for label, path in SUBMISSIONS.items():
        times = seconds(lambda: grade(path), args.repeats)
        median = statistics.median(times)
        worst = max(worst, median)
        print(f"{'grade ' + label + ' (all checks)':40s} median {median:7.3f} s  (min {min(times):.3f}, "
              f"max {max(times):.3f})  {median / baseline:6.1f} x baseline")
    print(f"target: at most {TARGET_SECONDS:g} s per submission -> "
          f"{'met' if worst <= TARGET_SECONDS else 'NOT met'} ({worst:.2f} s)")
    if args.against:
        compare(args.against, args.repeats)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
