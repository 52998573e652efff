"""Does the automatic mutation score hold: sampled mutants of the reference killed, recorded equivalents really equivalent?

The full run (every mutant, a long proof) is `python -m tools.mutation_score`; here a fixed sample of it
is graded through the kit's grading path, and the oracle battery is itself checked: it must see no
difference between the reference and itself, and a difference for every hand-written mutant in
tests/mutants (each a real mistake).
"""
import pytest

from graders.assignment import kit_assignments
from tools.mutate import Mutant
from tools.mutation_judge import MUTANTS_DIR, list_submissions, read_mutant, submissions_folder
from tools.mutation_oracle import compare
from tools.mutation_score import (assignment_mutants, check_stages, function_sources, graded, load_record, sampled)

SEED = 12
PER_ASSIGNMENT = 6  # 12 mutants in all, spread over the functions and operators of both assignments
ASSIGNMENTS = {assignment.name: assignment for assignment in kit_assignments()}
MUTANTS = {name: {m.id: m for m in assignment_mutants(assignment)} for name, assignment in ASSIGNMENTS.items()}
SAMPLE = [(name, m.id) for name in ASSIGNMENTS for m in sampled(list(MUTANTS[name].values()), PER_ASSIGNMENT, SEED)]
EQUIVALENTS = [(name, mutant_id) for name in ASSIGNMENTS for mutant_id in load_record("equivalent", name)]
# hand-written mutants whose mistake is only the wording of an error message: the oracle compares the
# type of what a function raises, not its words, so it must see no difference on them
WORDING_ONLY = {"sample_primed_vague_error"}
HAND_WRITTEN = [(name, path) for name, assignment in ASSIGNMENTS.items()
                for path in list_submissions(submissions_folder(MUTANTS_DIR, assignment))]


def test_the_sample_is_fixed_and_spread_over_functions_and_operators():
    """Does the same seed give the same sample, covering every graded function and several operators?"""
    for name, assignment in ASSIGNMENTS.items():
        found = list(MUTANTS[name].values())
        first, again = sampled(found, PER_ASSIGNMENT, SEED), sampled(found, PER_ASSIGNMENT, SEED)
        assert [m.id for m in first] == [m.id for m in again]
        assert {m.function for m in first} == set(assignment.function_names)
        assert len({m.operator for m in first}) >= 4
        assert len({m.id for m in sampled(found, 40, SEED)}) == 40


@pytest.mark.parametrize("name, mutant_id", SAMPLE, ids=[mutant_id for _, mutant_id in SAMPLE])
def test_a_sampled_mutant_is_killed_unless_recorded_equivalent_or_a_known_finding(name, mutant_id):
    """Does grading the sampled mutant through the kit's grading path fail one of its function's checks, unless
    it is recorded as equivalent or as a known finding (a survivor of the last full run, which must then still
    survive: once a check kills it, its record goes)?"""
    outcome = graded(name, MUTANTS[name][mutant_id])
    recorded = mutant_id in load_record("equivalent", name) or mutant_id in load_record("survivors", name)
    assert outcome.killed != recorded, (
        f"{mutant_id} {'killed' if outcome.killed else 'survived'} (failed: {outcome.failed}); "
        + ("remove it from tests/mutation/survivors_*.json" if recorded else "a check is missing")
        + f"\n{MUTANTS[name][mutant_id].source}")


@pytest.mark.parametrize("name, mutant_id", EQUIVALENTS, ids=[mutant_id for _, mutant_id in EQUIVALENTS])
def test_a_recorded_equivalent_mutant_exists_and_shows_no_difference(name, mutant_id):
    """Is every mutant recorded as equivalent still made by the mutator, with a reason, and does the oracle
    battery see it behave as the reference on every case?"""
    assert mutant_id in MUTANTS[name], "no longer made by the mutator: remove it from the record"
    assert len(load_record("equivalent", name)[mutant_id].strip()) > 10, "the record needs a reason"
    assert compare(ASSIGNMENTS[name], MUTANTS[name][mutant_id]) is None


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_known_findings_are_recorded_with_the_check_that_would_kill_them(name):
    """Is every known finding still made by the mutator, not also recorded as equivalent, and given the check
    that would kill it?"""
    findings, equivalents = load_record("survivors", name), load_record("equivalent", name)
    assert set(findings) <= set(MUTANTS[name]), set(findings) - set(MUTANTS[name])
    assert not set(findings) & set(equivalents)
    assert all("kills it" in text for text in findings.values())


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_the_oracle_sees_no_difference_between_the_reference_and_itself(name):
    """Does the oracle battery find every graded function of the reference equal to itself?"""
    for function, source in function_sources(ASSIGNMENTS[name]).items():
        assert compare(ASSIGNMENTS[name], Mutant(function, "none", "", "", "", 0, source)) is None, function


@pytest.mark.parametrize("name, path", HAND_WRITTEN, ids=[path.stem for _, path in HAND_WRITTEN])
def test_the_oracle_tells_every_hand_written_mutant_from_the_reference(name, path):
    """Does the oracle battery see every hand-written mistake behave differently from the reference (and no
    difference where the mistake is only an error message's wording)?"""
    mistake = read_mutant(path)
    found = compare(ASSIGNMENTS[name], Mutant(mistake.function, "hand", path.stem, "", "", 0, path.read_text()))
    assert (found is None) == (path.stem in WORDING_ONLY), found


def test_property_checks_run_only_after_the_quick_checks():
    """Are a function's checks graded in two stages, Hypothesis searches last, every check exactly once?"""
    for assignment in ASSIGNMENTS.values():
        for function in assignment.function_names:
            stages = check_stages(assignment, function)
            names = [check.name for stage in stages for check in stage]
            assert sorted(names) == sorted(check.name for check in assignment.checks([function]))
            assert not any(check.name.endswith(".properties") for check in stages[0]), function
