"""Does a min_char_rnn function that computes nothing earn nothing, without costing the others anything?

Each file in tests/trivial/min_char_rnn/ replaces one function of the reference with a trivial one:
None, empty or constant results, the input itself, zeros, random values of the right shape, untrained
parameters. Graded as a whole submission, it must earn 0 on that function and pass every hidden check
of the other three.
"""
import pytest

from min_char_rnn_support import MCR
from tools.mutation_judge import TRIVIAL_DIR, grade_trivial, list_submissions, submissions_folder, verdict_to_json

TRIVIAL = list_submissions(submissions_folder(TRIVIAL_DIR, MCR))


def test_at_least_eight_trivial_functions_per_function():
    """Are there at least 8 trivial implementations of each graded function?"""
    counts = {fn: sum(path.stem.startswith(fn + "_") for path in TRIVIAL) for fn in MCR.function_names}
    assert all(count >= 8 for count in counts.values()), counts


@pytest.mark.parametrize("path", TRIVIAL, ids=lambda path: path.stem)
def test_trivial_function_earns_nothing(path, record_property):
    """Does the trivial function earn 0 on its own function while the others' hidden checks all pass?"""
    verdict = grade_trivial(path, MCR)
    record_property("mutation_verdict", verdict_to_json(verdict))  # printed at the end of the run (conftest.py)
    assert path.stem.startswith(verdict.function + "_")
    assert verdict.problems == [], "\n".join(verdict.problems)
    assert sum(r.score for r in verdict.results if r.function == verdict.function) == 0
