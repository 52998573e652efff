"""Do correct min_char_rnn submissions written differently from the reference get full marks on every check?"""
import pytest

from min_char_rnn_support import MCR
from tools.mutation_judge import VARIANTS_DIR, grade_variant, list_submissions, submissions_folder, verdict_to_json

VARIANTS = list_submissions(submissions_folder(VARIANTS_DIR, MCR))


def test_at_least_eight_variants():
    """Are there at least 8 correct variants of min_char_rnn, in their own folder?"""
    assert len(VARIANTS) >= 8 and all(path.parent.name == MCR.name for path in VARIANTS)


@pytest.mark.parametrize("path", VARIANTS, ids=lambda path: path.stem)
def test_variant_gets_full_marks(path, record_property):
    """Does the variant score 100/100, every check passed and no load problem noted?"""
    verdict = grade_variant(path, MCR)
    record_property("mutation_verdict", verdict_to_json(verdict))  # printed at the end of the run (conftest.py)
    assert verdict.problems == [], "\n".join(verdict.problems)
    assert (verdict.score, verdict.max_score) == (100, 100)
