"""The check-module protocol: what one graded function's check module gives the graders.

Every check module exports `CHECKS = CheckModule(...)`: the function it grades, its checks in rubric
order, how to compute the expected values `python -m graders regenerate` stores, and its own rule for
which stored values are too fragile to grade on. A piece left out fails when the module is imported,
with an error naming the piece. A check is a function of a `graders.context.Context` that returns
when the learner's code is right and raises `CheckFailed` (wrong result) or `LearnerCodeError` (could
not run) otherwise.
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
    public: bool = False      # the check learners can run themselves (from the released public checks)

    @property
    def function(self):
        return self.name.split(".")[0]


@dataclass(frozen=True, kw_only=True)
class CheckModule:
    """The protocol every check module exports as CHECKS; each piece is required."""
    function: str             # the graded function's name, as the learner's code defines it
    checks: tuple             # Check, in rubric order, each named "<function>.<aspect>"
    compute_expected: Callable  # compute_expected(reference) -> JSON-able values stored for these checks
    fragile: Callable         # fragile(reference) -> stored values a tiny perturbation would change, described

    def __post_init__(self):
        object.__setattr__(self, "checks", tuple(self.checks))
        where = f"the check module of {self.function!r}"
        if not self.function.isidentifier():
            raise TypeError(f"{where}: function must be a Python name")
        if not self.checks or not all(type(check) is Check for check in self.checks):
            raise TypeError(f"{where}: checks must be a non-empty list of Check")
        strays = [check.name for check in self.checks if check.function != self.function]
        if strays:
            raise TypeError(f"{where}: checks {strays} are not named '{self.function}.<aspect>'")
        for piece in ("compute_expected", "fragile"):
            if not callable(getattr(self, piece)):
                raise TypeError(f"{where}: {piece} must be a function")


def nothing_fragile(reference):
    """The fragility rule of a module whose stored values are exact or compared within a tolerance."""
    return []
