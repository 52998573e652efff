"""Do correct submissions written differently from the reference get full marks on every check?"""
import pytest

from conftest import DINO
from tools.mutation_judge import VARIANTS_DIR, grade_variant, list_submissions, verdict_to_json

VARIANTS = [pytest.param(path, id=path.stem) for path in list_submissions(VARIANTS_DIR)]


def test_there_are_at_least_10_variants():
    """Are there at least 10 correct variants besides the reference itself?"""
    assert len([v for v in VARIANTS if v.id != "reference"]) >= 10


@pytest.mark.parametrize("path", VARIANTS)
def test_variant_gets_full_marks(path, record_property):
    """Does the variant score 100/100, every check passed and no load problem noted?"""
    verdict = grade_variant(path, DINO)
    record_property("mutation_verdict", verdict_to_json(verdict))  # printed at the end of the run (conftest.py)
    assert verdict.problems == [], "\n".join(verdict.problems)
    assert (verdict.score, verdict.max_score) == (100, 100)
