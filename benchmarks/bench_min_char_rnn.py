"""Time the min_char_rnn notebook's training run against the one-hot baseline, measured in the same run.

Both runs use the reference `train` from the instructor notebook on the whole corpus, with as many
windows as the notebook's training cell asks for; the baseline swaps in the straightforward one-hot
passes (benchmarks/onehot_rnn.py). Prints both times, the speed-up, the provided run's share of the
minute the notebook promises, and the largest differences between the two runs' losses.
Usage: .venv/bin/python benchmarks/bench_min_char_rnn.py [--iterations N]
"""
import argparse
import re
import sys
import time
from pathlib import Path

import nbformat
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import onehot_rnn  # noqa: E402

from graders.reference import KIT_ROOT, load_reference  # noqa: E402

SOURCE = KIT_ROOT / "solutions" / "min_char_rnn"
NOTEBOOK = SOURCE / "min_char_rnn.ipynb"


def notebook_iterations():
    """The num_iterations of the notebook's training cell."""
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    return int(next(m.group(1) for c in cells if (m := re.search(r"train\(data_ix, .*num_iterations=(\d+)", c.source))))


def timed_training(reference, data_ix, vocab_size, iterations):
    """(seconds, losses) of one reference train() run."""
    started = time.perf_counter()
    _, losses = reference["train"](data_ix, vocab_size, iterations)
    return time.perf_counter() - started, losses


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=notebook_iterations())
    iterations = parser.parse_args().iterations
    data = (SOURCE / "names_and_dinos.txt").read_text(encoding="utf-8")
    chars = sorted(set(data))
    data_ix = [chars.index(ch) for ch in data]
    provided = load_reference(NOTEBOOK, SOURCE)
    baseline = load_reference(NOTEBOOK, SOURCE)
    baseline.update(rnn_forward=onehot_rnn.rnn_forward, rnn_backward=onehot_rnn.rnn_backward)
    baseline_seconds, baseline_losses = timed_training(baseline, data_ix, len(chars), iterations)
    provided_seconds, provided_losses = timed_training(provided, data_ix, len(chars), iterations)
    print(f"train(), {iterations} windows of 25, n_a=64, {len(data)} characters, {len(chars)} symbols")
    print(f"  one-hot baseline         {baseline_seconds:8.2f} s")
    print(f"  provided rnn_utils       {provided_seconds:8.2f} s   ({provided_seconds / iterations * 1e3:.3f} ms a window)")
    print(f"  speed-up                 {baseline_seconds / provided_seconds:8.2f} x")
    print(f"  share of one minute      {provided_seconds / 60:8.2f}")
    difference = np.abs(np.subtract(provided_losses, baseline_losses))
    print(f"  max |loss difference|    {difference[:50].max():.3g} over the first 50 windows, {difference.max():.3g} over "
          "the run (rounding differences grow: why only short runs are graded)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
