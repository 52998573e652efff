"""Do the graders catch realistic wrong submissions of min_char_rnn, each in one place?

Each file in tests/mutants/min_char_rnn/ is the reference with one mistake learners make; its docstring
names the check that must fail (`Caught by: ...`). Besides that check, at most one more hidden check may
fail (the catch-all one: `properties`, or `runs` for train), so that one mistake costs points in one place.
"""
import pytest

from min_char_rnn_support import MCR
from tools.mutation_judge import (MUTANTS_DIR, extra_failures, grade_mutant, list_submissions, promise_problems,
                                  read_mutant, submissions_folder, verdict_to_json)

MUTANTS = list_submissions(submissions_folder(MUTANTS_DIR, MCR))


def test_at_least_ten_mutants_per_function():
    """Are there at least 10 mutants for each of min_char_rnn's graded functions, in their own folder?"""
    counts = {fn: sum(read_mutant(path).function == fn for path in MUTANTS) for fn in MCR.function_names}
    assert all(count >= 10 for count in counts.values()), counts
    assert all(path.parent.name == MCR.name for path in MUTANTS)


@pytest.mark.parametrize("path", MUTANTS, ids=lambda path: path.stem)
def test_mutant_is_caught_in_one_place(path, record_property):
    """Does the mutant's named check fail with a message free of grader paths and expected values, the score
    stay below full, and at most one other hidden check fail?"""
    assert promise_problems(read_mutant(path), MCR) == []
    verdict = grade_mutant(path, MCR)
    record_property("mutation_verdict", verdict_to_json(verdict))  # printed at the end of the run (conftest.py)
    assert verdict.problems == [], "\n".join(verdict.problems)
    assert len(extra_failures(verdict)) <= 1, extra_failures(verdict)
