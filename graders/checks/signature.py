"""The defaults of a graded function's parameters, compared with the contract's (the reference's signature).

A default the notebook's stub declares (`learning_rate=0.01`, `num_iterations=35000`, ...) is part of the
contract: callers that leave the argument out rely on it. The learner's function is asked for its signature in
its own process (Sandbox.signature); nothing of it runs.
"""
import inspect

from graders.checks.expect import require


def defaults_of(function):
    """[(parameter name, default)] of the parameters of function that have one, in order."""
    return [(p.name, p.default) for p in inspect.signature(function).parameters.values() if p.default is not p.empty]


def same_default(got, want):
    """Is got the same default as want (equal, and of the same type: 0 is not False, 1.0 is not 1)?"""
    return type(got) is type(want) and got == want


def check_defaults(name):
    """A check that `name`'s parameters with a default in the reference have the same defaults."""
    def check(ctx):
        got = dict(ctx.signature(name))
        for parameter, want in defaults_of(ctx.reference[name]):
            require(parameter in got, f"{name} has no parameter named {parameter}: keep the signature of the "
                                      "notebook's stub, parameter names included")
            require(got[parameter] is not inspect.Parameter.empty,
                    f"{name}'s parameter {parameter} has no default: keep the stub's {parameter}={want!r}")
            require(same_default(got[parameter], want),
                    f"{name}'s parameter {parameter} defaults to {repr(got[parameter])[:60]}: keep the stub's "
                    f"{parameter}={want!r} (callers that leave it out rely on it)")
    check.__doc__ = f"{name}'s parameters have the defaults of the notebook's stub"
    return check
