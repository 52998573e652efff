"""No points without a correct value: checks that a function computing nothing could pass.

A check of a type, a shape, a structure or a relation between two calls (the same result whatever
the random state, a step proportional to the learning rate) can pass for a function that returns a
constant. `needs_a_value` makes such a check award its points only when the same function also
passes at least one of its value checks (a comparison with the reference on the same inputs).
"""
from graders.context import CheckFailed, LearnerCodeError

NO_VALUE = "gets none of its values right yet, so this check gives no points"  # how a gated check says so


def needs_a_value(run, value_checks, function):
    """run, passing only when `function` also passes one of value_checks (runs of checks, tried in order). When
    none passes because the learner's code raised or stopped, that error is this check's too."""
    def run_with_a_value(ctx):
        run(ctx)
        problems = ctx.cached(("a correct value", function), lambda: value_problems(value_checks, ctx))
        if problems is not None:
            raise next((p for p in problems if isinstance(p, LearnerCodeError)), None) or CheckFailed(
                f"{function} {NO_VALUE}: its points come with a correct value (the value checks of this function say "
                "more)")
    run_with_a_value.__doc__ = run.__doc__
    run_with_a_value.needs_a_value = True  # the rubric marks such checks (graders/rubric.py)
    return run_with_a_value


def value_problems(value_checks, ctx):
    """None once one of the value checks passes; else the exception each raised, in order."""
    problems = []
    for check in value_checks:
        problem = failure(check, ctx)
        if problem is None:
            return None
        problems.append(problem)
    return problems


def is_gated(check):
    """Does the check award its points only with a correct value of its function (needs_a_value)?"""
    return getattr(check.run, "needs_a_value", False)


def failure(check, ctx):
    """The exception the check raises (an error of the learner's code, or in reading its result), or None."""
    try:
        check(ctx)
    except Exception as problem:  # noqa: BLE001 - CheckFailed, LearnerCodeError, or a result the check could not read
        return problem
    return None


def passes(check, ctx):
    """Does the value check pass?"""
    return failure(check, ctx) is None
