"""What a check works with: the learner's functions (in the sandbox), the reference, the expected values.

Checks never touch the learner's process directly. They call `ctx.call("clip", ...)`, which returns
the sandbox's Outcome (the decoded plain-data result, the arguments as the code left them) or raises
`LearnerCodeError` with a message that explains what the code did (raised, timed out, exited, is
missing). While it runs, the declared stand-ins are in place (graders/reference.py: stand_ins). After one timeout or crash, further calls to the
same function fail at once, so a runaway function costs one time limit, not one per example; and
all calls to one function together get a budget (Limits.function_seconds), so a function that is
merely slow cannot keep the grader busy for a time limit per example either.
"""
import builtins
import functools
import inspect

from graders.bounds import bounded_callback, reply_problem
from graders.redaction import redact
from graders.reference import stand_ins
from graders.sandbox.codec import write_back


# Errors after which a function is not called again in the same grading run: not implemented yet,
# ending the process or the run, running out of memory or stack, a result too large to send back.
FAIL_FAST = ("NotImplementedError", "SystemExit", "KeyboardInterrupt", "MemoryError", "RecursionError", "TooLarge")


class CheckFailed(AssertionError):
    """The learner's function ran but its result is wrong; the message says how."""


class LearnerCodeError(Exception):
    """The learner's function could not be checked: it raised, timed out, crashed or is missing."""

    def __init__(self, message, status="error", raised=None):
        super().__init__(message)
        self.status = status  # "error" | "timeout"
        self.raised = raised  # (exception class name, message) when the learner's code raised


# Exceptions a public check may expect the learner's function to raise (a ValueError for bad input, say):
# through Context.target they reach it as an error of that type too.
EXPECTABLE = ("ValueError", "TypeError", "KeyError", "IndexError")


@functools.lru_cache(maxsize=None)
def expectable(name):
    """A LearnerCodeError that is also the built-in exception `name`."""
    return type(name, (LearnerCodeError, getattr(builtins, name)), {})


class Context:
    """Everything one grading run shares: sandbox, submission, reference functions, expected values."""

    def __init__(self, assignment, sandbox, submission, reference, expected):
        self.assignment = assignment  # the declaration: which references stand in for which function
        self.sandbox = sandbox
        self.submission = submission
        self.reference = reference    # {name: function} from the reference solution, run in this process
        self.expected = expected      # {function: stored expected values}
        self.broken = {}              # function name -> LearnerCodeError that ends further calls
        self.memo = {}                # results of deterministic runs shared by several checks
        self.spent = {}               # function name -> seconds its calls have taken so far

    def cached(self, key, compute):
        """compute() once per grading run for this key; a LearnerCodeError is remembered too."""
        if key not in self.memo:
            try:
                self.memo[key] = (True, compute())
            except LearnerCodeError as error:
                self.memo[key] = (False, error)
        ok, value = self.memo[key]
        if not ok:
            raise value
        return value

    def call(self, name, *args, own=False, recorders=None, global_seed=None, seconds=None, **kwargs):
        """Run the learner's `name` on plain-data arguments; the sandbox's Outcome of a call that returned.

        While it runs, the reference of every graded function the declaration names as `name`'s stand-in
        replaces the learner's own; own=True keeps the learner's own, as in the notebook. recorders:
        {stand-in name: wrap(reference function) -> function}, to record how the learner's code calls it or
        to refuse arguments of the wrong shapes (graders.bounds.accepting_wrap). Every stand-in also refuses
        arguments far larger than this call's own (graders.bounds.bounded_callback).
        """
        if name in self.broken:
            raise self.broken[name]
        if self.submission.problem:
            raise LearnerCodeError(f"your submission could not be graded: {self.submission.problem}")
        inputs = [list(args), kwargs]
        graded = self.assignment.function(name)
        supplied = {} if own else stand_ins(self.reference, graded.stand_ins, recorders, graded.remembered)
        supplied = {fn: bounded_callback(function, inputs) for fn, function in supplied.items()}
        outcome = self.sandbox.call(name, args, kwargs, inject=supplied, global_seed=global_seed, seconds=seconds)
        return self.settle(name, inputs, outcome)

    def signature(self, name):
        """[(parameter name, default or inspect.Parameter.empty)] of the learner's `name`, in order (cached);
        LearnerCodeError where a call would raise it."""
        def ask():
            if name in self.broken:
                raise self.broken[name]
            if self.submission.problem:
                raise LearnerCodeError(f"your submission could not be graded: {self.submission.problem}")
            outcome = self.settle(name, [[], {}], self.sandbox.signature(name))
            parameters = outcome.value if type(outcome.value) is list else []
            return [(p[0], p[3] if p[2] is True else inspect.Parameter.empty) for p in parameters
                    if type(p) is list and len(p) == 4 and type(p[0]) is str]
        return self.cached(("signature", name), ask)

    def call_many(self, name, calls):
        """The Outcome of each call of the learner's `name` on calls' (args, kwargs) in turn, as call() gives it
        (a generator, raising LearnerCodeError where call() would). Meant for many calls in a row: without
        stand-ins for `name` they reach the learner's process together (Sandbox.call_many)."""
        if name in self.broken:
            raise self.broken[name]
        if self.assignment.function(name).stand_ins:
            for args, kwargs in calls:
                yield self.call(name, *args, **kwargs)
            return
        if self.submission.problem:
            raise LearnerCodeError(f"your submission could not be graded: {self.submission.problem}")
        for (args, kwargs), outcome in zip(calls, self.sandbox.call_many(name, calls)):
            if name in self.broken:
                raise self.broken[name]
            yield self.settle(name, [list(args), kwargs], outcome)

    def settle(self, name, inputs, outcome):
        """The Outcome of a call of `name` on inputs ([args, kwargs]) that returned, after counting its time and
        bounding its reply; LearnerCodeError for one that did not, or whose reply is refused."""
        self.spent[name] = self.spent.get(name, 0.0) + outcome.seconds
        budget = self.sandbox.limits.function_seconds
        if outcome.status != "timeout" and self.spent[name] > budget:
            self.broken[name] = LearnerCodeError(
                f"{name} has taken more than {budget:g} s in total over the grader's examples, so its remaining "
                "checks were not run: is it doing far more work than it needs to?", "timeout")
        if outcome.status == "returned":
            oversized = reply_problem(name, inputs, [outcome.value, outcome.args_after, outcome.kwargs_after])
            if oversized:
                self.broken[name] = LearnerCodeError(oversized)
                raise self.broken[name]
            if outcome.violations:
                raise LearnerCodeError(redact(f"{name} tried something the grader does not allow: "
                                              + "; ".join(outcome.violations[:3]), inputs))
            return outcome
        raised = (outcome.error_type, outcome.message) if outcome.status == "raised" else None
        error = LearnerCodeError(redact(self.explain(name, outcome), inputs),
                                 "timeout" if outcome.status == "timeout" else "error", raised)
        if outcome.status in ("timeout", "crashed", "unloadable", "missing") or outcome.error_base in FAIL_FAST:
            self.broken[name] = error
        raise error

    def target(self, name, own=True):
        """A plain function that calls the learner's `name` with its own functions, as the notebook does
        (own=False: with the declared stand-ins, as the hidden checks do), for checks written as `test(target)`
        (the public checks)."""
        def call_learner(*args, **kwargs):
            try:
                result = self.call(name, *args, own=own, **kwargs)
            except LearnerCodeError as error:
                if error.raised and error.raised[0] in EXPECTABLE:  # as the notebook's own call would raise it
                    raise expectable(error.raised[0])(str(error), error.status, error.raised) from None
                raise
            write_back(list(args), result.args_after)  # in-place changes reach the caller, as in the notebook
            return result.value
        call_learner.__name__ = name
        return call_learner

    def explain(self, name, outcome):
        """A learner-facing sentence for a call that did not return."""
        status = outcome.status
        blocked = f" It was blocked from: {'; '.join(outcome.violations[:3])}." if outcome.violations else ""
        if status == "missing":
            return f"{name} is not defined in your submission.{self.load_problem(name)}"
        if status == "unloadable":
            return outcome.message
        if status == "timeout":
            return f"{outcome.message}: is there a loop that never ends (for example a while loop whose condition never changes)?"
        if status == "crashed":
            return f"{name} stopped the grading process: {outcome.message}.{blocked}"
        if outcome.error_base == "NotImplementedError":
            return f"{name} is not implemented yet: it still raises NotImplementedError. Replace that line with your code."
        if outcome.error_base in ("SystemExit", "KeyboardInterrupt"):
            return f"{name} raised {outcome.error_type} (sys.exit, exit() or quit()?): a graded function must return its result.{blocked}"
        if outcome.error_base == "MemoryError":
            detail = f": {outcome.message}" if outcome.message else ""
            return f"{name} ran out of memory (the limit is {self.sandbox.limits.memory_bytes // 2**20} MiB){detail}"
        where = f"\n{outcome.traceback}" if outcome.traceback else ""
        return f"{name} raised {outcome.error_type}: {outcome.message}{where}{blocked}"

    def load_problem(self, name):
        """Why `name` may be missing: a cell that failed to run, if there was one."""
        report = self.sandbox.load()
        sources = {cell["id"]: cell["source"] for cell in self.submission.cells}
        for cell in (cell for cell in report.cells if not cell.get("ok")):
            if cell.get("id") in (name, "submission") or f"def {name}(" in sources.get(cell.get("id"), ""):
                detail = f" ({cell['traceback'].strip()})" if cell.get("traceback") else ""
                return (f" The cell '{cell['id']}' stopped with {cell.get('type')}: {cell.get('message')}{detail}, "
                        "so nothing after that point in it was defined.")
        return " Keep the function's name and its `def` line as they are in the released notebook."

