"""No points without a correct value: checks that a function computing nothing could pass.

A check of a type, a shape, a structure or a relation between two calls (the same result whatever
the random state, a step proportional to the learning rate) can pass for a function that returns a
constant. `needs_a_value` makes such a check award its points only when the same function also
passes at least one of its value checks (a comparison with the reference on the same inputs).
"""
from graders.context import CheckFailed


def needs_a_value(run, value_checks, function):
    """run, passing only when `function` also passes one of value_checks (runs of checks, tried in order)."""
    def run_with_a_value(ctx):
        run(ctx)
        if not ctx.cached(("a correct value", function), lambda: any(passes(check, ctx) for check in value_checks)):
            raise CheckFailed(f"{function} gets none of its values right yet, so this check gives no points: its "
                              "points come with a correct value (the value checks of this function say more)")
    run_with_a_value.__doc__ = run.__doc__
    return run_with_a_value


def passes(check, ctx):
    """Does the value check pass (an error of the learner's code, or in reading its result, counts as not passing)?"""
    try:
        check(ctx)
    except Exception:  # noqa: BLE001 - CheckFailed, LearnerCodeError, or a result the check could not read
        return False
    return True
