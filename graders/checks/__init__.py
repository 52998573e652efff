"""The checks: one definition each, run by pytest (`python -m graders grade`) and by nbgrader's cells.

A check is a function of a `Context` that returns normally when the learner's code is right and
raises `CheckFailed` (wrong result) or `LearnerCodeError` (could not run) otherwise. Each check
module (clip, sample, optimize, model) lists its checks in CHECKS, defines the seeded inputs it
uses, and computes the expected values that `python -m graders regenerate` stores.
"""
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Check:
    """One graded check: a name the learner sees, its points and what it verifies."""
    name: str                 # "<function>.<aspect>", e.g. "clip.bounds"
    points: float
    run: Callable             # run(ctx) -> None; raises CheckFailed / LearnerCodeError
    summary: str              # one line: what a pass means
    public: bool = False      # the check learners can run themselves (released in public_tests.py)

    @property
    def function(self):
        return self.name.split(".")[0]


def all_checks():
    """Every check, in rubric order (clip, sample, optimize, model)."""
    from graders.checks import clip, model, optimize, sample
    return [*clip.CHECKS, *sample.CHECKS, *optimize.CHECKS, *model.CHECKS]


def check_modules():
    """The check modules, each with CHECKS, compute_expected(reference) and FUNCTION."""
    from graders.checks import clip, model, optimize, sample
    return [clip, sample, optimize, model]
