"""Peak memory and wall time of the grading process on submissions built to make the grader work hard.

Each submission is graded in a fresh process (`python -m graders grade --only FUNCTION`) that reports
its own peak resident size; the baseline, in the same run, is the reference notebook graded the same
way. Sizes are set here so that a kit without the bounds (`--kit` pointing at an older checkout)
can be measured too without exhausting the machine: the grader's work grows linearly with them.
Usage: .venv/bin/python benchmarks/bench_amplification.py [--kit DIR] [--repeats N] [--cases TEXT]
"""
import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graders.assignment import KIT_ROOT as KIT
from graders.assignment import load_assignment

ADVERSARIAL = KIT / "tests" / "adversarial"
DINO = load_assignment("dinosaur_island")
REFERENCE = DINO.source / DINO.notebook
# label: (adversarial file, text replaced in it, replacement, function graded)
CASES = {
    "optimize leaves (500000,1,1) uint8 parameters": ("optimize_reshapes_parameters.py", "N = 40_000", "N = 500_000",
                                                        "optimize"),
    "optimize leaves (40000,1,1) uint8 parameters": ("optimize_reshapes_parameters.py", "", "", "optimize"),
    "model returns a 1 MiB name": ("model_huge_name.py", "12 * 2**20", "1 * 2**20", "model"),
    "model returns a 12 MiB name": ("model_huge_name.py", "", "", "model"),
    "model floods the grader's optimize": ("model_callback_flood.py", "", "", "model"),
}
MEASURE = """
import json, resource, sys, time
from pathlib import Path
from graders.grading import grade
started = time.monotonic()
report = grade(Path(sys.argv[1]), functions=[sys.argv[2]])
print(json.dumps({"score": report.score, "seconds": time.monotonic() - started,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(kit, path, function, timeout):
    """(score, seconds, peak MiB) of grading path in a fresh process of the kit at `kit`; None past timeout."""
    try:
        done = subprocess.run([sys.executable, "-c", MEASURE, str(path), function], cwd=kit, capture_output=True,
                              text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return figures["score"], figures["seconds"], figures["peak_mib"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kit", type=Path, default=KIT, help="the kit whose graders are measured (default: this one)")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds before a grading run is given up")
    parser.add_argument("--cases", default="", help="measure only the cases whose label contains this text")
    args = parser.parse_args()
    baseline = [measure(args.kit, REFERENCE, "optimize", args.timeout) for _ in range(args.repeats)]
    base_peak = statistics.median(run[2] for run in baseline)
    print(f"{'baseline: grade the reference (optimize)':48s} peak {base_peak:8.0f} MiB  "
          f"{statistics.median(run[1] for run in baseline):6.1f} s")
    with tempfile.TemporaryDirectory() as folder:
        for label, (name, old, new, function) in CASES.items():
            if args.cases not in label:
                continue
            path = Path(folder, name)
            path.write_text((ADVERSARIAL / name).read_text().replace(old, new) if old else (ADVERSARIAL / name).read_text())
            runs = [measure(args.kit, path, function, args.timeout) for _ in range(args.repeats)]
            if None in runs:
                print(f"{label:48s} did not finish within {args.timeout:g} s")
                continue
            peak = statistics.median(run[2] for run in runs)
            print(f"{label:48s} peak {peak:8.0f} MiB  {statistics.median(run[1] for run in runs):6.1f} s  "
                  f"{peak / base_peak:5.1f} x baseline  score {runs[0][0]:g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
