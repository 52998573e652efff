"""Checks for `model(data_x, ix_to_char, char_to_ix, ...)`: the training loop.

While `model` is graded, the learner's code calls the reference `optimize` and `sample` (run by the
grader, which records every call), so a mistake in those functions costs points only under them, and
the record shows exactly which example, state and learning rate each training step received.
"""
import copy

import hypothesis
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from graders.assignments.dinosaur_island.expect import expect_parameters
from graders.assignments.dinosaur_island.names import IX_TO_CHAR, PARAMETER_KEYS
from graders.bounds import INDEX, INTEGER, NUMBER, Array, ListOf, accepting_wrap
from graders.checks import Check, CheckModule
from graders.checks.expect import FLOAT_RTOL, close, hinted, require, to_arrays, to_lists
from graders.checks.gating import needs_a_value
from graders.checks.properties import GRADING
from graders.checks.signature import check_defaults
from graders.context import CheckFailed, LearnerCodeError
from graders.reference import public_checks, stand_ins, standing_in

SMALL_VOCABULARY = ["\n", "a", "b", "c", "d"]
CORPORA = {
    "dinos": ["achillobator", "bambiraptor", "carnotaurus", "deinonychus", "edmontosaurus", "fukuiraptor",
              "gasosaurus", "herrerasaurus", "iguanodon", "jobaria", "kentrosaurus", "lambeosaurus"],
    "abcd": ["abba", "cab", "dad", "bad", "acdc", "ddb", "ca"],
}
# the same names as read from a file: with their line ends and stray spaces, which model strips
CORPORA["dinos_unstripped"] = [name + ("\n", "  ", " \n", "")[k % 4] for k, name in enumerate(CORPORA["dinos"])]
# (corpus, n_a, num_iterations, dino_names): 30 steps wrap around 12 names twice; 2001 steps reach the
# second round of samples (j = 2000) and train long enough for the loss to fall clearly (about 11%).
CASES = [("dinos", 6, 30, 2), ("abcd", 4, 2001, 3)]
UNSTRIPPED = ("dinos_unstripped",) + CASES[0][1:]  # CASES[0] on names that still need stripping
SAMPLE_EVERY = 2000  # names are sampled at the iterations j with j % SAMPLE_EVERY == 0
SHAPES = ("check the shapes: initialize_parameters takes n_a, n_x, n_y in that order, with "
          "n_x = n_y = vocab_size, and a_prev starts as a zero column of shape (n_a, 1).")
ERROR_HINTS = [  # (text in the error, what to look at)
    ("IndexError", "once j reaches len(examples), examples[j] is out of range; take the index j modulo len(examples) (j % len(examples)) so "
                   "the index cycles back to 0."),
    ("not aligned", SHAPES),
    ("could not be broadcast", SHAPES),
    ("] has shape (", SHAPES),  # the grader's optimize refused a parameter of another shape
]


def vocabulary(corpus):
    """(ix_to_char, char_to_ix, vocab_size) for a corpus."""
    symbols = list(IX_TO_CHAR.values()) if corpus.startswith("dinos") else SMALL_VOCABULARY
    return {i: ch for i, ch in enumerate(symbols)}, {ch: i for i, ch in enumerate(symbols)}, len(symbols)


def model_arguments(case):
    """(args, kwargs) of a model call for a case."""
    corpus, n_a, iterations, names = case
    ix_to_char, char_to_ix, v = vocabulary(corpus)
    return ((list(CORPORA[corpus]), ix_to_char, char_to_ix),
            {"num_iterations": iterations, "n_a": n_a, "dino_names": names, "vocab_size": v})


def parameter_shapes(n_a, v):
    """{key: shape} of the parameters of an RNN with n_a hidden units and a vocabulary of v symbols."""
    return {"Wax": (n_a, v), "Waa": (n_a, n_a), "Wya": (v, n_a), "b": (n_a, 1), "by": (v, 1)}


def stand_in_schemas(names, n_a, char_to_ix):
    """{stand-in: {parameter: schema}}: the arguments the learner's model may pass to the reference optimize
    and sample on a case (its shapes and sizes only)."""
    parameters = {key: Array(shape) for key, shape in parameter_shapes(n_a, len(char_to_ix)).items()}
    steps = ListOf(INDEX, 2 * (max(map(len, names)) + 1))  # X and Y: a name's indices, with some room
    return {"optimize": {"X": steps, "Y": steps, "a_prev": Array((n_a, 1)), "parameters": parameters,
                         "learning_rate": NUMBER},
            "sample": {"parameters": parameters, "char_to_ix": {ch: INTEGER for ch in char_to_ix}, "seed": INTEGER}}


def recording_steps(steps):
    """A wrap for the reference optimize that records each step's inputs and outputs in steps.

    A step the reference cannot run on the learner's X and Y (labels that are not indices, X and Y of different
    lengths: model.examples names that) is recorded with its error and trains nothing: the parameters stay as
    they are, the loss is nan and the state comes back unchanged. The learner's model then runs to its end, so
    that the other checks judge what they are about instead of all reporting the same error.
    """
    def wrap(reference_optimize):
        def recording_optimize(X, Y, a_prev, parameters, learning_rate=0.01):
            record = {"X": list(X), "Y": list(Y), "a_prev": np.array(a_prev, dtype=float), "learning_rate": learning_rate}
            if not steps:
                record["parameters"] = copy.deepcopy(parameters)
            steps.append(record)  # before the step runs: a step that fails is recorded too
            try:
                loss, gradients, a_last = reference_optimize(X, Y, a_prev, parameters, learning_rate=learning_rate)
            except (IndexError, ValueError, TypeError) as error:
                record["error"] = type(error).__name__
                loss, a_last = float("nan"), record["a_prev"]
                gradients = {"d" + key: np.zeros_like(value) for key, value in parameters.items()}
            record["a_last"], record["loss"] = a_last, float(loss)
            return loss, gradients, a_last
        return recording_optimize
    return wrap


def failed_step(steps):
    """(index, error type) of the first recorded step the reference optimize could not run, or None."""
    return next(((j, step["error"]) for j, step in enumerate(steps) if "error" in step), None)


def recording_names(steps, names):
    """A wrap for the reference sample that records, for each call, how many training steps came before it,
    its seed and the indices it returned."""
    def wrap(reference_sample):
        def recording_sample(parameters, char_to_ix, seed):
            indices = reference_sample(parameters, char_to_ix, seed)
            names.append({"after_steps": len(steps), "seed": seed, "indices": [int(i) for i in indices]})
            return indices
        return recording_sample
    return wrap


def compute_expected(reference):
    """Final parameters, last name and the sequence of training inputs of the reference, per case."""
    cases = []
    for case in CASES:
        steps = []
        args, kwargs = model_arguments(case)
        with standing_in(reference, stand_ins(reference, ["optimize"], {"optimize": recording_steps(steps)})):
            parameters, last_name = reference["model"](*args, **kwargs)
        cases.append({"parameters": to_lists(parameters), "last_name": last_name,
                      "X": [step["X"] for step in steps], "Y": [step["Y"] for step in steps]})
    return {"cases": cases}


MODEL_PERTURBATION = 1e-12  # relative nudge of the parameters after every training step (2001 steps compound it)


def fragile(reference):
    """Stored training outcomes that change when every step's parameters are nudged by MODEL_PERTURBATION."""
    rng = np.random.RandomState(12345)

    def nudging(reference_optimize):
        def nudging_optimize(X, Y, a_prev, parameters, learning_rate=0.01):
            result = reference_optimize(X, Y, a_prev, parameters, learning_rate=learning_rate)
            for value in parameters.values():
                value *= 1 + MODEL_PERTURBATION * rng.randn(*value.shape)
            return result
        return nudging_optimize

    problems = []
    for case in CASES:
        args, kwargs = model_arguments(case)
        plain_parameters, plain_name = reference["model"](*copy.deepcopy(args), **kwargs)
        with standing_in(reference, stand_ins(reference, ["optimize"], {"optimize": nudging})):
            parameters, name = reference["model"](*copy.deepcopy(args), **kwargs)
        if name != plain_name:
            problems.append(f"model case {case}: the last name changes under a {MODEL_PERTURBATION:g} perturbation per step")
            continue
        moved = max(float(np.max(np.abs(parameters[k] - plain_parameters[k]) / (np.abs(plain_parameters[k]) + 1e-6)))
                    for k in parameters)
        if moved > FLOAT_RTOL:
            problems.append(f"model case {case}: parameters move by {moved:.2g} (relative) under a "
                            f"{MODEL_PERTURBATION:g} perturbation per step")
    return problems


def run_case(ctx, case):
    """The learner's model on a case, with recorded optimize steps and sample calls (cached for the whole run)."""
    def compute():
        steps, names = [], []
        args, kwargs = model_arguments(case)
        try:
            schemas = stand_in_schemas(args[0], kwargs["n_a"], args[2])
            recorders = {"optimize": accepting_wrap(schemas["optimize"], recording_steps(steps)),
                         "sample": accepting_wrap(schemas["sample"], recording_names(steps, names))}
            result = ctx.call("model", *args, recorders=recorders, seconds=30, **kwargs)
        except LearnerCodeError as error:
            if case not in CASES:
                raise hinted(error, ERROR_HINTS) from None
            want = ctx.expected["model"]["cases"][CASES.index(case)]
            j = len(steps) - 1
            wrong_step = j >= 0 and j < len(want["X"]) and step_problem(
                case, j, steps[j]["X"], steps[j]["Y"], want["X"][j], want["Y"][j])
            raise hinted(error, [("", wrong_step)] if wrong_step else ERROR_HINTS) from None
        return {"value": result.value, "steps": steps, "names": names}
    return ctx.cached(("model", case), compute)


def lenient_value(ctx, case):
    """(parameters or None, last name or None, steps, sampled names) of a case, the result read leniently (a
    missing name or a bare parameters dict tolerated: what model returns is model.returns's business)."""
    run = run_case(ctx, case)
    value = run["value"]
    parameters, name = (value if type(value) in (tuple, list) and len(value) == 2 else (value, None))
    return (parameters if type(parameters) is dict else None), name, run["steps"], run["names"]


def trained_right(ctx, case):
    """Do the trained parameters of a case match the reference's?"""
    parameters = lenient_value(ctx, case)[0]
    want = to_arrays(ctx.expected["model"]["cases"][CASES.index(case)]["parameters"])
    return parameters is not None and all(
        type(parameters.get(k)) is np.ndarray and close(parameters[k], v) for k, v in want.items())


def recorded_steps(ctx, case):
    """The optimize steps recorded on a case; [] when model trained right without calling optimize (its own
    training step), CheckFailed when it did neither."""
    steps = lenient_value(ctx, case)[2]
    if not steps and not trained_right(ctx, case):
        raise CheckFailed("model never called optimize and did not train the parameters: run one optimize step per "
                          "iteration")
    return steps


def unpack(ctx, case):
    """(parameters, last_name, steps) after checking the returned structure."""
    run = run_case(ctx, case)
    value = run["value"]
    require(type(value) is tuple and len(value) == 2,
            f"model must return a tuple (parameters, last_dino_name); got {type(value).__name__}")
    parameters, last_name = value
    _, n_a, _, _ = case
    v = vocabulary(case[0])[2]
    expect_parameters(parameters, parameter_shapes(n_a, v))
    require(type(last_name) is str, f"the last name must be a string, got {type(last_name).__name__}")
    return parameters, last_name, run["steps"]


def each_case(ctx):
    for index, case in enumerate(CASES):
        yield case, unpack(ctx, case), ctx.expected["model"]["cases"][index]


def check_public(ctx):
    """The released check: 25 steps on ten names."""
    public_checks(ctx.assignment).model_test(ctx.target("model", own=False))  # the reference optimize and sample


def check_returns(ctx):
    """Returns (parameters, last_dino_name): five float arrays of the right shapes, and a string."""
    for _ in each_case(ctx):
        pass


def check_setup(ctx):
    """Training starts from initialize_parameters(n_a, n_x, n_y) and a zero hidden state."""
    for case in CASES:
        steps = recorded_steps(ctx, case)
        if not steps:
            continue
        corpus, n_a, _, _ = case
        v = vocabulary(corpus)[2]
        initial = ctx.reference["initialize_parameters"](n_a, v, v)
        first = steps[0]
        for key in PARAMETER_KEYS:
            require(key in first["parameters"] and close(first["parameters"][key], initial[key]),
                    f"the parameters at the first step are not those of initialize_parameters(n_a, n_x, n_y) "
                    f"(parameters['{key}'] differs): initialise them with it, with n_x = n_y = vocab_size.")
        require(first["a_prev"].shape == (n_a, 1) and not np.any(first["a_prev"]),
                "the first step's a_prev must be zeros of shape (n_a, 1)")


def step_problem(case, j, X, Y, want_x, want_y):
    """What is wrong with the X and Y of training step j, or None when they are the expected ones."""
    ix_to_char, char_to_ix, _ = vocabulary(case[0])
    newline = char_to_ix["\n"]
    if not X or X[0] is not None:
        return (f"step {j}: X does not start with None. Put None (the zero input) first, then the indices of "
                "the example's characters.")
    if X != want_x:
        in_order = [[None] + [char_to_ix[c] for c in name.strip()] for name in CORPORA[case[0]]]
        if X == in_order[j % len(in_order)]:
            return (f"step {j} trained on the names in their original order: shuffle the list of examples first, "
                    "right after seeding numpy's generator with 0.")
        return (f"step {j} trained on another example than expected: at iteration j take example number "
                "j modulo the number of examples, from the list shuffled right after seeding numpy's generator with 0.")
    if Y != want_y:
        what = ("Y is X itself: the labels must be the inputs shifted one step to the left. " if Y == X else
                "Y has no newline at the end, so the model never learns to end a name. " if Y == X[1:] else "")
        return (f"step {j}: the labels Y are not the expected ones. {what}Y is X without its first element, "
                "followed by the newline's index.")
    return None


def check_examples(ctx):
    """Step j trains on example j % len(examples) of the list shuffled with seed 0, as X = [None] + indices
    and Y = X[1:] + [newline]."""
    for case, want in zip(CASES, ctx.expected["model"]["cases"]):
        steps = recorded_steps(ctx, case)
        if not steps:
            continue  # trained right without optimize
        require(len(steps) == len(want["X"]), f"model ran {len(steps)} training steps for num_iterations="
                                              f"{len(want['X'])}: run exactly one optimize step per iteration")
        for j, (step, want_x, want_y) in enumerate(zip(steps, want["X"], want["Y"])):
            problem = step_problem(case, j, step["X"], step["Y"], want_x, want_y)
            require(problem is None, problem)


def check_hidden_state(ctx):
    """The hidden state returned by each optimize step is the a_prev of the next one."""
    for case in CASES:
        steps = recorded_steps(ctx, case)
        for j in range(1, len(steps)):
            if not np.array_equal(steps[j]["a_prev"], steps[j - 1]["a_last"]):
                zeros = not np.any(steps[j]["a_prev"])
                raise CheckFailed(f"step {j} received a_prev " + ("= zeros" if zeros else "different from the state "
                                  f"that step {j - 1} returned") + ": the third value optimize returns is the hidden "
                                  "state for the next step: pass it as a_prev to the next optimize call, and "
                                  "initialise a_prev once, before the loop.")


def check_learning_rate(ctx):
    """Every optimize step uses learning_rate=0.01."""
    for case in CASES:
        steps = recorded_steps(ctx, case)
        rates = sorted({step["learning_rate"] for step in steps}, key=repr)
        require(all(type(r) in (int, float) and r == 0.01 for r in rates),
                f"model called optimize with learning_rate {rates}; use learning_rate=0.01")


def check_parameters(ctx):
    """The trained parameters match the reference's (relative tolerance 1e-7) on two small corpora."""
    for case, want in zip(CASES, ctx.expected["model"]["cases"]):
        parameters, _, steps, _ = lenient_value(ctx, case)
        failed = failed_step(steps)
        if failed:
            raise CheckFailed(f"on {case[0]!r} the grader's optimize could not run with the X and Y your code passed "
                              f"at step {failed[0]} ({failed[1]}), so that step trained nothing: model.examples says "
                              "what is wrong with them.")
        require(parameters is not None, "model did not return its parameters dict (model.returns says more)")
        for key, expected in to_arrays(want["parameters"]).items():
            require(type(parameters.get(key)) is np.ndarray and parameters[key].shape == expected.shape,
                    f"parameters['{key}'] is missing or has another shape (model.returns says more)")
            require(close(parameters[key], expected),
                    f"on {case[0]!r} ({case[2]} iterations, n_a={case[1]}) the trained parameters['{key}'] differ "
                    f"from the reference (largest difference {np.max(np.abs(parameters[key] - expected)):.3g}). "
                    "Check the set-up, X, Y, the modulo, a_prev and learning_rate (the checks on those say more).")


def check_last_name(ctx):
    """Returns the last name it sampled, as get_sample gives it (newline kept)."""
    for case in CASES:
        _, last_name, _, names = lenient_value(ctx, case)
        require(names, "model never called sample, so it has no name to return (model.sampling says more)")
        ix_to_char = vocabulary(case[0])[0]
        expected = ctx.reference["get_sample"](names[-1]["indices"], ix_to_char)
        if last_name == expected:
            continue
        if last_name == "abc":
            raise CheckFailed("model returned 'abc', the placeholder set before the loop: keep every name you sample "
                              "in last_dino_name, so that the last one sampled is returned.")
        if type(last_name) is str and last_name == expected.strip():
            raise CheckFailed("the last name lost its trailing newline (or spaces): return get_sample's result as it is.")
        earlier = [ctx.reference["get_sample"](name["indices"], ix_to_char) for name in names[:-1]]
        raise CheckFailed("the name model returned is " + ("an earlier sampled name, " if last_name in earlier else
                          "not ") + "the last name it sampled: return get_sample's result for the last sample call, "
                          "as it is.")


def sampling_problem(case, names):
    """What is wrong with when and how model sampled names on a case, or None."""
    _, _, iterations, dino_names = case
    rounds = [j + 1 for j in range(iterations) if j % SAMPLE_EVERY == 0]  # training steps done before each round
    want = [(after, seed) for after in rounds for seed in range(dino_names)]
    got = [(name["after_steps"], name["seed"]) for name in names]
    if got == want:
        return None
    if not got:
        return "model never called sample: sample dino_names names at every iteration j with j % 2000 == 0."
    after_loop = got[len(want):] if got[:len(want)] == want else []
    if after_loop and all(after == iterations for after, _ in after_loop):
        return (f"with num_iterations={iterations}, model sampled names again after the last iteration: sample only "
                "inside the loop, at the iterations j with j % 2000 == 0.")
    at = sorted({after - 1 for after, _ in got})
    if at != [after - 1 for after in rounds]:
        return (f"with num_iterations={iterations}, model sampled names at iterations {at[:6]}: names are sampled only "
                "at the iterations j with j % 2000 == 0 (0, 2000, 4000, ...), after that iteration's optimize step.")
    return (f"at each sampling iteration, model must call sample dino_names={dino_names} times with the seeds 0, 1, "
            "..., dino_names - 1, in that order.")


def check_sampling(ctx):
    """Samples dino_names names, with seeds 0, 1, ..., at every iteration j with j % 2000 == 0, and nowhere else."""
    for case in CASES:
        problem = sampling_problem(case, lenient_value(ctx, case)[3])
        require(problem is None, problem)


def check_stripping(ctx):
    """Names in data_x that end with a newline or spaces train as if they had been stripped."""
    try:
        steps = lenient_value(ctx, UNSTRIPPED)[2]
    except LearnerCodeError as error:
        if error.raised and error.raised[0] == "KeyError":
            raise CheckFailed("when the names in data_x end with spaces, model raised KeyError: strip each name "
                              "(str.strip()) before turning its characters into indices.") from None
        raise
    stripped = recorded_steps(ctx, CASES[0])
    got, want = [step["X"] for step in steps], [step["X"] for step in stripped]
    newline = vocabulary(UNSTRIPPED[0])[1]["\n"]
    if got != want:
        kept = any(newline in X[1:] for X in got)
        raise CheckFailed("when the names in data_x end with a newline or spaces (as readlines() leaves them), model "
                          "trained on other inputs than with the same names stripped"
                          + (": an input X held the newline's index" if kept else "")
                          + ". Strip each name (str.strip()) before turning its characters into indices.")


# The examples check_properties draws, the same in every grading run. Left to itself, Hypothesis would
# derive them from the property's source text (derandomize), so that editing it would change them.
EXAMPLES = 0x4f5249f93b6e71ac23c4e11a05262d8c9298b9340f9a31846621e2f22fcd9e852e4f66bf9ae4a77a6bbf9a1f62e32036


def check_properties(ctx):
    """Same data, same result; finite parameters; names made of the vocabulary; the loss falls."""
    steps = recorded_steps(ctx, CASES[1])
    losses = [step["loss"] for step in steps]
    if len(losses) >= 200 and failed_step(steps) is None:  # steps that trained nothing: model.examples's business
        first, last = float(np.mean(losses[:100])), float(np.mean(losses[-100:]))
        require(last < 0.95 * first, f"the training loss did not fall: {first:.3f} on average over the first 100 "
                                     f"steps, {last:.3f} over the last 100")
    alphabet = set(SMALL_VOCABULARY)

    @settings(GRADING, max_examples=4)
    @hypothesis.seed(EXAMPLES)
    @given(names=st.lists(st.text(alphabet="abcd", min_size=1, max_size=6), min_size=1, max_size=6),
           n_a=st.integers(2, 5), iterations=st.integers(1, 40))
    def model_properties(names, n_a, iterations):
        ix_to_char, char_to_ix, v = vocabulary("abcd")
        kwargs = {"num_iterations": iterations, "n_a": n_a, "dino_names": 2, "vocab_size": v}
        schemas = stand_in_schemas(names, n_a, char_to_ix)
        recorders = {"optimize": accepting_wrap(schemas["optimize"], recording_steps([])),
                     "sample": accepting_wrap(schemas["sample"])}
        runs = [ctx.call("model", list(names), ix_to_char, char_to_ix, recorders=recorders, global_seed=state,
                         **kwargs).value
                for state in (1, 2)]  # two different random states before the call: the result must not care
        for value in runs:
            assert type(value) is tuple and len(value) == 2, "model must return (parameters, last_dino_name)"
            expect_parameters(value[0], parameter_shapes(n_a, v))
            assert type(value[1]) is str and set(value[1].lower()) <= alphabet, (
                f"the last name {value[1][:60]!r} uses symbols outside the vocabulary")
        depends = (" depending on numpy's random state before the call: initialize_parameters seeds numpy itself, "
                   "and np.random.seed(0) must come right before np.random.shuffle(examples)")
        for key in PARAMETER_KEYS:
            assert np.array_equal(runs[0][0][key], runs[1][0][key]), (
                f"two runs on the same data gave different parameters['{key}'],{depends}")
        assert runs[0][1] == runs[1][1], f"two runs on the same data gave different names,{depends}"

    model_properties()


VALUES = (check_setup, check_examples, check_parameters)  # a model that gets none of these right earns nothing


def gated(check):
    return needs_a_value(check, VALUES, "model")


CHECKS = CheckModule(function="model", compute_expected=compute_expected, fragile=fragile, checks=[
    Check("model.public", 5, check_public, "the released check (25 steps on ten names)", public=True),
    Check("model.returns", 1, gated(check_returns), "returns (parameters, last_dino_name) with the right types and shapes"),
    Check("model.defaults", 1, gated(check_defaults("model")), "the defaults of the stub's signature (num_iterations=35000, ...)"),
    Check("model.setup", 3, check_setup, "starts from initialize_parameters and a zero hidden state"),
    Check("model.examples", 4, check_examples, "trains on examples[j % n] of the shuffled list, X and Y built right"),
    Check("model.stripping", 2, gated(check_stripping), "names ending with a newline or spaces are stripped"),
    Check("model.hidden_state", 2, gated(check_hidden_state), "carries the hidden state from one step to the next"),
    Check("model.learning_rate", 2, gated(check_learning_rate), "uses learning_rate=0.01"),
    Check("model.parameters", 4, check_parameters, "trained parameters match the reference on two small corpora"),
    Check("model.sampling", 2, gated(check_sampling),
          "samples dino_names names (seeds 0, 1, ...) at the iterations divisible by 2000, and only then"),
    Check("model.last_name", 2, gated(check_last_name), "returns the last name sampled, newline kept"),
    Check("model.properties", 2, gated(check_properties), "deterministic, finite, names from the vocabulary, loss falls"),
])
