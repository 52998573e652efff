"""Median wall time to grade one submission with every check (Hypothesis included).

Grades the reference notebook and the untouched stubs several times each, and, as the baseline in the
same run, the public checks alone run in-process on the reference (what a grader without a sandbox,
seeded cases or properties would do). Target: at most 5 s per submission on 2 cores.
Usage: .venv/bin/python benchmarks/bench_grade.py [--repeats N]
"""
import argparse
import contextlib
import io
import statistics
import time
from graders.assignment import load_assignment
from graders.grading import grade
from graders.reference import load_reference, public_checks

DINO = load_assignment("dinosaur_island")
SUBMISSIONS = {"reference": DINO.source / DINO.notebook, "stubs": DINO.release / DINO.notebook}


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    repeats = parser.parse_args().repeats
    reference = load_reference(DINO)
    baseline = statistics.median(seconds(lambda: public_checks_in_process(reference), repeats))
    print(f"{'baseline: public checks in-process':40s} median {baseline:7.3f} s")
    worst = 0.0
    for label, path in SUBMISSIONS.items():
        times = seconds(lambda: grade(path), repeats)
        median = statistics.median(times)
        worst = max(worst, median)
        print(f"{'grade ' + label + ' (all 32 checks)':40s} median {median:7.3f} s  (min {min(times):.3f}, "
              f"max {max(times):.3f})  {median / baseline:6.1f} x baseline")
    print(f"target: at most 5 s per submission -> {'met' if worst <= 5 else 'NOT met'} ({worst:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
