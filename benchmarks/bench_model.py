"""Training speed of the provided helpers against the straightforward one-hot baseline, side by side.

Both runs train the reference model() from the instructor notebook on the course's names, on the
same loop; the baseline run swaps in the one-hot passes (benchmarks/onehot_rnn.py, the algorithm as
the classic course writes it). Runs alternate, `--repeats` times each, and the median counts.
Prints iterations per second of both, the ratio (target: at least 1.5x), whether the sampled names
are the same, and how far the trained parameters are apart (target: within 1e-9, relative).
Usage: .venv/bin/python benchmarks/bench_model.py [--iterations 2001] [--repeats 3]
"""
import argparse
import contextlib
import io
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import onehot_rnn  # noqa: E402

from graders.assignment import load_assignment  # noqa: E402
from graders.reference import load_reference  # noqa: E402

DINO = load_assignment("dinosaur_island")
SOURCE_DIR = DINO.source

TARGET_RATIO = 1.5
TARGET_RTOL = 1e-9


def baseline_reference():
    """The reference functions, training with the one-hot passes instead of the provided ones."""
    reference = load_reference(DINO)
    reference.update(rnn_forward=onehot_rnn.rnn_forward, rnn_backward=onehot_rnn.rnn_backward)
    return reference


def train(reference, iterations):
    """(seconds, parameters, sampled names) of one model() run on the course's dataset."""
    data = (SOURCE_DIR / "dinos.txt").read_text().lower()
    chars = sorted(set(data))
    char_to_ix = {ch: i for i, ch in enumerate(chars)}
    ix_to_char = {i: ch for i, ch in enumerate(chars)}
    printed = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(printed):
        parameters, _ = reference["model"](data.split("\n"), ix_to_char, char_to_ix, num_iterations=iterations)
    seconds = time.perf_counter() - started
    names = [line for line in printed.getvalue().splitlines() if line.strip() and not line.startswith("Iteration")]
    return seconds, parameters, names


def relative_difference(parameters, baseline):
    """The largest |parameter - baseline| / |baseline| over every entry of every parameter."""
    return max(float(np.max(np.abs(parameters[k] - baseline[k]) / np.abs(baseline[k]))) for k in baseline)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2001)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    runs = {"one-hot baseline": baseline_reference(), "provided rnn_utils": load_reference(DINO)}
    seconds, results = {name: [] for name in runs}, {}
    for _ in range(args.repeats):
        for name, reference in runs.items():
            took, parameters, names = train(reference, args.iterations)
            seconds[name].append(took)
            results[name] = parameters, names
    rates = {name: args.iterations / statistics.median(times) for name, times in seconds.items()}
    (base_parameters, base_names), (parameters, names) = results.values()
    ratio = rates["provided rnn_utils"] / rates["one-hot baseline"]
    moved = relative_difference(parameters, base_parameters)
    print(f"model(), {args.iterations} iterations, n_a=50, median of {args.repeats} alternating runs")
    for name, rate in rates.items():
        print(f"  {name:22s} {rate:8.0f} iterations/s  (runs: "
              + ", ".join(f"{args.iterations / t:.0f}" for t in seconds[name]) + ")")
    print(f"  {'ratio':22s} {ratio:8.2f} x  (target at least {TARGET_RATIO}x: {'met' if ratio >= TARGET_RATIO else 'NOT met'})")
    print(f"  {'sampled names':22s} {'the same' if names == base_names else 'DIFFERENT'} ({len(names)} names)")
    print(f"  {'parameters':22s} largest relative difference {moved:.2g} (target at most {TARGET_RTOL:g})")
    return 0 if names == base_names and moved <= TARGET_RTOL else 1


if __name__ == "__main__":
    raise SystemExit(main())
