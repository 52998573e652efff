"""Time model() for 35000 iterations with the provided helpers against the one-hot baseline.

Both runs use the reference solution from the instructor notebook; the baseline run swaps in the
straightforward one-hot passes (benchmarks/onehot_rnn.py). Prints both times, the speed-up and the
largest difference between the trained parameters (0.0 means identical, bit for bit).
Usage: .venv/bin/python benchmarks/bench_model.py [--iterations N]
"""
import argparse
import contextlib
import io
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


def train(reference, iterations):
    """(seconds, parameters) for one model() run on the course's dataset."""
    data = (SOURCE_DIR / "dinos.txt").read_text().lower()
    chars = sorted(set(data))
    char_to_ix = {ch: i for i, ch in enumerate(chars)}
    ix_to_char = {i: ch for i, ch in enumerate(chars)}
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        parameters, _ = reference["model"](data.split("\n"), ix_to_char, char_to_ix, num_iterations=iterations)
    return time.perf_counter() - started, parameters


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=35000)
    iterations = parser.parse_args().iterations
    fast = load_reference(DINO)
    baseline = load_reference(DINO)
    baseline.update(rnn_forward=onehot_rnn.rnn_forward, rnn_backward=onehot_rnn.rnn_backward)
    baseline_seconds, baseline_parameters = train(baseline, iterations)
    fast_seconds, fast_parameters = train(fast, iterations)
    difference = max(float(np.max(np.abs(fast_parameters[k] - baseline_parameters[k]))) for k in fast_parameters)
    print(f"model(), {iterations} iterations, n_a=50, {len(SOURCE_DIR.joinpath('dinos.txt').read_text().splitlines())} names")
    print(f"  one-hot baseline        {baseline_seconds:8.2f} s")
    print(f"  provided rnn_utils      {fast_seconds:8.2f} s")
    print(f"  speed-up                {baseline_seconds / fast_seconds:8.2f} x")
    print(f"  max |parameter difference| {difference:.3g}")
    return 0 if difference == 0.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
