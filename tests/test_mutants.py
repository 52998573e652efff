"""Do the graders catch realistic wrong submissions with the check that names the mistake?

Each file in tests/mutants/ is the reference solution with one mistake learners make; its docstring
names the checks that must fail (`Caught by: ...`). The grading and judging live in
tools/mutation_judge.py, which `python -m tools.mutation_report` uses too.
"""
import shutil
from types import SimpleNamespace

import pytest

from conftest import DINO
from graders.grading import CheckResult
from tools.mutation_judge import (LEAKS, MUTANTS_DIR, VARIANTS_DIR, extra_failures, grade_mutant, list_submissions,
                                  message_problems, message_texts, promise_problems, quotes, quoting_texts, read_mutant,
                                  undisclosed_solution_lines, verdict_to_json)
from tools.mutation_report import main

MUTANTS = list_submissions(MUTANTS_DIR)


def test_there_are_at_least_40_mutants_covering_every_function():
    """Are there at least 40 mutants, with at least 8 for each graded function?"""
    counts = {fn: sum(read_mutant(path).function == fn for path in MUTANTS) for fn in DINO.function_names}
    assert len(MUTANTS) >= 40, f"only {len(MUTANTS)} mutants"
    assert all(count >= 8 for count in counts.values()), counts


@pytest.mark.parametrize("path", MUTANTS, ids=lambda path: path.stem)
def test_mutant_docstring_names_its_mistake_and_known_checks(path):
    """Does the mutant's docstring name its mistake and only existing checks of one function?"""
    assert promise_problems(read_mutant(path), DINO) == []


@pytest.mark.parametrize("path", MUTANTS, ids=lambda path: path.stem)
def test_mutant_is_caught_by_the_check_that_names_its_mistake(path, record_property):
    """Does every check the mutant names fail, with a message free of grader paths, the score stay below full, and
    at most one other hidden check fail (one mistake, one place)?"""
    verdict = grade_mutant(path, DINO)
    record_property("mutation_verdict", verdict_to_json(verdict))  # printed at the end of the run (conftest.py)
    assert verdict.problems == [], "\n".join(verdict.problems)
    by_name = {result.name: result for result in verdict.results}
    for name in verdict.caught_by:
        assert by_name[name].status != "passed"
        assert by_name[name].message.strip()
        assert not any(leak in by_name[name].message for leak in LEAKS)
    assert verdict.score < verdict.max_score
    assert len(extra_failures(verdict)) <= 1, extra_failures(verdict)


def test_no_message_text_of_the_checks_quotes_a_solution_line():
    """Does no message text the checks can produce (every string of the check modules and public checks) quote
    a solution line the release does not show?"""
    assert len(message_texts(DINO)) > 300  # the check modules' texts were found
    assert quoting_texts(DINO) == []


def test_a_quoted_assignment_counts_as_quoting_its_solution_line():
    """Does the judge see a solution line's left-hand side and the start of its right-hand side as a quote, and
    a mere mention of a function as none?"""
    line = "curr_loss, gradients, a_prev = optimize(X, Y, a_prev, parameters, learning_rate=0.01)"
    assert quotes("keep it (curr_loss, gradients, a_prev = optimize(X, Y, a_prev, parameters, ...))", line)
    assert quotes("write X = [None] + [char_to_ix[ch] for ch in name]", "X = [None] + single_example_ix")
    assert not quotes("pass the state optimize returns as a_prev to the next step", line)


def test_a_correct_file_posing_as_a_mutant_is_reported_as_not_caught(tmp_path):
    """Does the judge flag a `mutant` that is really the reference (its promised check passes)?"""
    reference = (VARIANTS_DIR / "reference.py").read_text()
    body = reference.split('"""', 2)[2]
    fake = tmp_path / "not_a_mistake.py"
    fake.write_text('"""Mistake in clip: none at all.\n\nCaught by: clip.bounds\n"""' + body)
    verdict = grade_mutant(fake, DINO)
    assert any("clip.bounds passed" in problem for problem in verdict.problems)
    assert any("full marks" in problem for problem in verdict.problems)


def test_unknown_or_missing_check_names_are_reported():
    """Are a misspelt check name and a missing `Caught by` line reported as problems?"""
    misspelt = SimpleNamespace(mistake="x", caught_by=("clip.bound",))
    missing = SimpleNamespace(mistake="x", caught_by=())
    mixed = SimpleNamespace(mistake="x", caught_by=("clip.bounds", "sample.seeded"))
    assert promise_problems(misspelt, DINO) and promise_problems(missing, DINO) and promise_problems(mixed, DINO)


def test_messages_that_are_empty_or_show_grader_files_are_reported():
    """Does the judge reject an empty message and one that shows graders/ or expected-value paths?"""
    def failed(message):
        return CheckResult("clip.bounds", "clip", 0.0, 3.0, "failed", message, "")
    assert message_problems(failed(" "), DINO)
    assert message_problems(failed("see /work/graders/checks/clip.py"), DINO)
    assert message_problems(failed("loaded /kit/expected/clip.json"), DINO)
    assert message_problems(failed("gradients['dWaa'] came back unclipped"), DINO) == []


def test_messages_that_show_expected_indices_are_reported():
    """Does the judge reject a message that prints one of the stored expected index lists?"""
    from graders.expected_values import load_all
    shown = str(load_all(DINO)["sample"]["seeded"][0])
    result = CheckResult("sample.seeded", "sample", 0.0, 6.0, "failed", f"expected {shown}", "")
    assert message_problems(result, DINO) == [f"sample.seeded's message shows the expected indices {shown}"]


def test_messages_that_quote_a_solution_line_are_reported():
    """Does the judge reject a message that quotes a solution line the release does not already show?"""
    line = undisclosed_solution_lines(DINO)[0]
    result = CheckResult("clip.bounds", "clip", 0.0, 3.0, "failed", f"write {line} instead", "")
    assert message_problems(result, DINO) == [f"clip.bounds's message gives away the solution line {line!r}"]
    assert message_problems(result, DINO, own_source=f"def clip():\n    {line}\n") == []  # quoting the learner's own code


def test_report_exit_code_is_1_when_a_mutant_escapes(tmp_path, capsys):
    """Does `python -m tools.mutation_report` exit with 1 when a mutant is not caught, and 0 when all are?"""
    caught, escaped, variants, trivial = (tmp_path / name for name in ("caught", "escaped", "variants", "trivial"))
    for folder in (caught, escaped, variants, trivial):
        folder.mkdir()
    empty = ["--variants", str(variants), "--trivial", str(trivial), "--workers", "1"]  # graded elsewhere
    shutil.copy(MUTANTS_DIR / "clip_no_out.py", caught)
    body = (VARIANTS_DIR / "reference.py").read_text().split('"""', 2)[2]
    (escaped / "fake.py").write_text('"""Mistake in clip: none.\n\nCaught by: clip.returns\n"""' + body)
    assert main(["--mutants", str(caught), *empty]) == 0
    assert "clip_no_out.py" in capsys.readouterr().out
    assert main(["--mutants", str(escaped), *empty]) == 1
    assert "PROBLEM: clip.returns passed" in capsys.readouterr().out
