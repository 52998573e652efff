"""The checks as pytest tests: one test per check, parametrised by the grading plugin (see grading.py)."""


def test_check(check, grading):
    grading.run(check)
