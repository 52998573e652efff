"""Checks for `train(data_ix, vocab_size, num_iterations, n_a, seq_length, learning_rate, print_every)`.

While `train` is graded, the learner's code calls the reference `next_window` and `adagrad_update`
(run by the grader, which records every call), so a mistake in those costs points only under them.
The record shows each window, the parameters, gradients and memory of each update, and its
learning rate. Each check judges one step of the loop from the learner's own record: `hidden_state`
recomputes each window's gradients from the learner's parameters at that window, so a wrong memory
or learning rate does not make the state look wrong, and so on. `runs` compares whole short runs
with the reference's (tens of windows, n_a <= 16: long runs drift apart, see docs/min_char_rnn.md).
"""
import copy

import numpy as np

from graders.assignments.min_char_rnn.names import GRADIENT_KEYS, MEMORY_KEYS, PARAMETER_KEYS, text_vocabulary
from graders.checks import Check, CheckModule
from graders.checks.expect import FLOAT_RTOL, close, expect_array, expect_scalar, require, to_arrays, to_lists
from graders.checks.gating import needs_a_value
from graders.checks.signature import check_defaults
from graders.context import CheckFailed, LearnerCodeError
from graders.reference import public_checks, stand_ins, standing_in

# (text, n_a, seq_length, num_iterations, learning_rate or None for the default): every run wraps at least once;
# every text is longer than 26 characters, so that windows of 25 fit too
RUNS = [
    ("Ana\nRex\nTyra\nBo\nEve\nJuan Luis\nStegosaurus", 8, 5, 30, None),
    ("Velociraptor\nMaria Luz\nIguanodon\nSofia\nDiplodocus\nLuca\nZoe\nAnkylosaurus", 16, 10, 20, 0.05),
    ("ab\nba\naab\nbba\nabab\nb\naa\nbab", 4, 1, 40, None),
]
DEFAULT_RATE = 0.1
PRINTING_RUN = 1  # the learner's train prints its progress on this run (print_every): the result must not change
UNSET = "(not passed)"


def run_arguments(run):
    """(args, kwargs) of a train call for a run."""
    text, n_a, seq_length, iterations, rate = run
    char_to_ix, data_ix = text_vocabulary(text)
    kwargs = {"n_a": n_a, "seq_length": seq_length, **({} if rate is None else {"learning_rate": rate})}
    return (data_ix, len(char_to_ix), iterations), kwargs


def recorders(windows, updates):
    """Wraps for the reference next_window and adagrad_update that append every call to windows and updates."""
    def wrap_windows(reference_next_window):
        def recording_next_window(data_ix, pointer, seq_length):
            record = {"data_ix": list(data_ix), "pointer": pointer, "seq_length": seq_length}
            windows.append(record)  # before it runs: a call that fails is recorded too
            record["result"] = reference_next_window(data_ix, pointer, seq_length)
            return record["result"]
        return recording_next_window

    def wrap_updates(reference_adagrad_update):
        def recording_adagrad_update(parameters, gradients, memory, learning_rate=UNSET, max_value=UNSET):
            record = {"parameters": copy.deepcopy(parameters), "gradients": copy.deepcopy(gradients),
                      "memory": copy.deepcopy(memory), "learning_rate": learning_rate, "max_value": max_value}
            updates.append(record)
            options = {name: value for name, value in (("learning_rate", learning_rate), ("max_value", max_value))
                       if value is not UNSET}
            reference_adagrad_update(parameters, gradients, memory, **options)
            record["parameters_after"], record["memory_after"] = copy.deepcopy(parameters), copy.deepcopy(memory)
        return recording_adagrad_update
    return {"next_window": wrap_windows, "adagrad_update": wrap_updates}


def compute_expected(reference):
    """The reference's losses and trained parameters for every run."""
    runs = []
    for run in RUNS:
        args, kwargs = run_arguments(run)
        parameters, losses = reference["train"](*args, **kwargs)
        runs.append({"losses": [float(loss) for loss in losses], "parameters": to_lists(parameters)})
    return {"runs": runs}


NUDGE = 1e-12  # relative nudge of the parameters after every update


def fragile(reference):
    """Stored runs whose losses or parameters move by more than the tolerance when every update is nudged."""
    rng = np.random.RandomState(12345)

    def nudging(reference_adagrad_update):
        def nudging_adagrad_update(parameters, gradients, memory, learning_rate=DEFAULT_RATE, max_value=5.0):
            reference_adagrad_update(parameters, gradients, memory, learning_rate, max_value)
            for value in parameters.values():
                value *= 1 + NUDGE * rng.randn(*value.shape)
        return nudging_adagrad_update

    problems = []
    for run, want in zip(RUNS, compute_expected(reference)["runs"]):
        args, kwargs = run_arguments(run)
        with standing_in(reference, stand_ins(reference, ["adagrad_update"], {"adagrad_update": nudging})):
            parameters, losses = reference["train"](*args, **kwargs)
        moved = max([abs(a - b) / abs(b) for a, b in zip(losses, want["losses"])]
                    + [float(np.max(np.abs(parameters[k] - v) / (np.abs(v) + 1e-6))) for k, v in to_arrays(want["parameters"]).items()])
        if moved > FLOAT_RTOL:
            problems.append(f"train run {run[1:]}: values move by {moved:.2g} (relative) under a {NUDGE:g} nudge per update")
    return problems


def learner_run(ctx, index):
    """The learner's train on a run: its value, and the recorded windows and updates (cached for the grading run)."""
    def compute():
        windows, updates = [], []
        args, kwargs = run_arguments(RUNS[index])
        if index == PRINTING_RUN:
            kwargs["print_every"] = 7
        try:
            value = ctx.call("train", *args, recorders=recorders(windows, updates), seconds=30, **kwargs).value
        except LearnerCodeError as error:
            return {"error": error, "windows": windows, "updates": updates}
        return {"value": value, "windows": windows, "updates": updates}
    return ctx.cached(("train", index), compute)


def each_run(ctx):
    """(run, its record) for every run; a run that raised raises its error here."""
    for index, run in enumerate(RUNS):
        record = learner_run(ctx, index)
        if "error" in record:
            raise record["error"]
        yield run, record


def updates_of(record, run):
    """The recorded updates of a run, which must not be empty."""
    require(record["updates"], f"on a text of {len(run[0])} characters train never called adagrad_update: call it once "
                               "per window, after rnn_forward and rnn_backward")
    return record["updates"]


def describe(run):
    text, n_a, seq_length, iterations, rate = run
    return (f"on a text of {len(text)} characters (n_a={n_a}, seq_length={seq_length}, num_iterations={iterations}"
            + (f", learning_rate={rate}" if rate is not None else "") + ")")


def unpack(run, record):
    """(parameters, losses) after checking the returned structure."""
    value = record["value"]
    require(type(value) is tuple and len(value) == 2,
            f"train must return a tuple (parameters, losses); got {type(value).__name__}"
            + (": keep the given `return parameters, losses`" if value is None else ""))
    parameters, losses = value
    (data_ix, vocab_size, _), kwargs = run_arguments(run)
    n_a = kwargs["n_a"]
    require(type(parameters) is dict, f"the parameters train returns must be a dict, got {type(parameters).__name__}")
    shapes = {"Wax": (n_a, vocab_size), "Waa": (n_a, n_a), "Wya": (vocab_size, n_a), "b": (n_a, 1), "by": (vocab_size, 1)}
    for key in PARAMETER_KEYS:
        require(key in parameters, f"the parameters train returns have no key '{key}'")
        expect_array(parameters[key], shapes[key], f"parameters['{key}']")
    require(type(losses) is list, f"losses must be a list, got {type(losses).__name__}")
    return parameters, [expect_scalar(loss, f"losses[{j}]") for j, loss in enumerate(losses)]


def check_public(ctx):
    """The released check: 30 windows of 4 on a 29-character text, with the reference next_window and
    adagrad_update (one mistake, one place)."""
    public_checks(ctx.assignment).train_test(ctx.target("train", own=False))


def check_setup(ctx):
    """The first update starts from initialize_parameters(n_a, vocab_size, vocab_size) and a memory of zeros
    under the keys mWax, mWaa, mWya, mb, mby."""
    for run, record in each_run(ctx):
        first = updates_of(record, run)[0]
        (_, vocab_size, _), kwargs = run_arguments(run)
        initial = ctx.reference["initialize_parameters"](kwargs["n_a"], vocab_size, vocab_size)
        for key in PARAMETER_KEYS:
            require(type(first["parameters"]) is dict and key in first["parameters"]
                    and close(first["parameters"][key], initial[key]),
                    f"{describe(run)}, the parameters at the first update are not those of initialize_parameters(n_a, "
                    f"vocab_size, vocab_size) (parameters['{key}'] differs): initialise them with it, with the n_a "
                    "argument")
        memory = first["memory"]
        for key, parameter in zip(MEMORY_KEYS, PARAMETER_KEYS):
            require(type(memory) is dict and key in memory, f"the memory has no key '{key}': create one array of zeros "
                                                            "per parameter under the key 'm' + its name")
            require(type(memory[key]) is np.ndarray and memory[key].shape == initial[parameter].shape
                    and not np.any(memory[key]),
                    f"at the first update memory['{key}'] is not zeros shaped like parameters['{parameter}']: Adagrad's "
                    "memory starts at zero")


def check_windows(ctx):
    """One next_window call per iteration, on data_ix with seq_length, each from the pointer the call before returned."""
    for run, record in each_run(ctx):
        (data_ix, _, iterations), kwargs = run_arguments(run)
        windows = record["windows"]
        require(len(windows) == iterations, f"{describe(run)}, train called next_window {len(windows)} times: call it "
                                            "once per iteration, num_iterations times in all")
        pointer = 0
        for j, window in enumerate(windows):
            require(window["data_ix"] == data_ix, f"window {j}: next_window was not given the text train received (data_ix)")
            require(window["seq_length"] == kwargs["seq_length"],
                    f"window {j}: next_window was called with seq_length={window['seq_length']!r}; pass train's seq_length")
            if window["pointer"] != pointer:
                stuck = window["pointer"] == 0 and pointer != 0
                raise CheckFailed(f"window {j}: next_window was called with pointer={window['pointer']!r} instead of "
                                  f"{pointer}, the pointer the call before returned. " + (
                                      "Keep the pointer next_window returns for the next call." if stuck else
                                      "Use the pointer next_window returns (it starts over at 0 by itself), do not "
                                      "compute it yourself; start with pointer 0."))
            pointer = window["result"][2]


def state_after(ctx, window, a_prev, parameters):
    """The hidden state after reading a window's inputs from a_prev."""
    inputs, targets = window["result"][0], window["result"][1]
    _, cache = ctx.reference["rnn_forward"](inputs, targets, a_prev, parameters)
    return ctx.reference["rnn_backward"](inputs, targets, parameters, cache)[1][len(inputs) - 1]


def gradients_from(ctx, window, a_prev, parameters):
    inputs, targets = window["result"][0], window["result"][1]
    _, cache = ctx.reference["rnn_forward"](inputs, targets, a_prev, parameters)
    return ctx.reference["rnn_backward"](inputs, targets, parameters, cache)[0]


def replay(ctx, run, record):
    """[(window, update, state the rule asks for, state the learner used or None, what it is)] per window: the
    learner's state is found among the rule's, zeros and the one carried from the window before, by the
    gradients it led to."""
    def compute():
        steps, used = [], None
        n_a = run_arguments(run)[1]["n_a"]
        zeros = np.zeros((n_a, 1))
        for j, (window, update) in enumerate(zip(record["windows"], updates_of(record, run))):
            carried = None if j == 0 else state_after(ctx, steps[-1][0], used if used is not None else steps[-1][2],
                                                      steps[-1][1]["parameters"])
            rule = zeros if window["result"][3] or carried is None else carried
            used, kind = None, "unknown"
            for candidate, name in ((rule, "rule"), (zeros, "zeros"), (carried, "carried")):
                if candidate is not None and all(
                        close(update["gradients"].get(key), value, 1e-9, 1e-12)
                        for key, value in gradients_from(ctx, window, candidate, update["parameters"]).items()):
                    used, kind = candidate, name
                    break
            steps.append((window, update, rule, used, kind))
        return steps
    return ctx.cached(("train replay", RUNS.index(run)), compute)


def check_hidden_state(ctx):
    """Each window starts from zeros when next_window says reset, and otherwise from the last state of the
    window before (judged from the gradients each update received)."""
    for run, record in each_run(ctx):
        for j, (window, update, _, _, kind) in enumerate(replay(ctx, run, record)):
            if kind == "rule":
                continue
            reset = window["result"][3]
            if kind == "zeros":
                raise CheckFailed(f"{describe(run)}, window {j} started from a zero hidden state although next_window "
                                  "did not reset: carry the last hidden state of each window into the next, "
                                  "a_prev = a[len(inputs) - 1], and set it back to zeros only on a reset")
            if kind == "carried":
                raise CheckFailed(f"{describe(run)}, window {j} is a reset (next_window started the text over) but "
                                  "started from the state the window before left: when next_window returns reset "
                                  "True, set a_prev back to zeros of shape (n_a, 1)")
            raise CheckFailed(f"{describe(run)}, the gradients given to adagrad_update at window {j}"
                              + (" (a reset)" if reset else "") + " are not those of rnn_forward and rnn_backward on "
                              "this window's inputs and targets, from " + ("zeros" if reset else "the last hidden state "
                              "of the window before") + ": pass the window's inputs, targets and a_prev to rnn_forward, "
                              "and its cache to rnn_backward")


def check_memory(ctx):
    """The Adagrad memory is created once and kept: each update receives the memory the update before left."""
    for run, record in each_run(ctx):
        updates = updates_of(record, run)
        for j in range(1, len(updates)):
            before, left = updates[j]["memory"], updates[j - 1]["memory_after"]
            kept = type(before) is dict and all(key in before and close(before[key], left[key], 1e-12, 0)
                                                for key in MEMORY_KEYS)
            if kept:
                continue
            zeros = type(before) is dict and all(key in before and not np.any(before[key]) for key in MEMORY_KEYS)
            raise CheckFailed(f"{describe(run)}, update {j} received " + ("a memory of zeros" if zeros else "a memory")
                              + " that is not the one the update before left: create the memory once, before the "
                              "loop, and pass the same dict to every adagrad_update, which updates it in place")


def check_learning_rate(ctx):
    """Every update uses train's learning_rate (0.1 by default), and max_value keeps its default."""
    for run, record in each_run(ctx):
        want = DEFAULT_RATE if run[4] is None else run[4]
        for j, update in enumerate(updates_of(record, run)):
            rate = DEFAULT_RATE if update["learning_rate"] is UNSET else update["learning_rate"]
            require(isinstance(rate, (int, float, np.floating)) and not isinstance(rate, bool) and rate == want,
                    f"{describe(run)}, update {j} used learning_rate={rate!r}: pass train's learning_rate argument to "
                    "adagrad_update")
            require(update["max_value"] is UNSET or update["max_value"] == 5.0,
                    f"update {j} was given max_value={update['max_value']!r}: leave max_value at its default, 5")


def check_losses(ctx):
    """losses holds one float per window: its loss from the parameters and state before its update."""
    for run, record in each_run(ctx):
        _, losses = unpack(run, record)
        steps = replay(ctx, run, record)
        require(len(losses) == len(steps), f"{describe(run)}, train returned {len(losses)} losses for {len(steps)} "
                                           "windows: keep the given losses.append(loss), once per window")
        for j, ((window, update, rule, used, _), loss) in enumerate(zip(steps, losses)):
            inputs, targets = window["result"][0], window["result"][1]
            state = used if used is not None else rule
            want, _ = ctx.reference["rnn_forward"](inputs, targets, state, update["parameters"])
            if abs(loss - want) <= 1e-9 * max(1.0, abs(want)):
                continue
            after, _ = ctx.reference["rnn_forward"](inputs, targets, state, update["parameters_after"])
            raise CheckFailed(f"{describe(run)}, losses[{j}] is not the loss of window {j} "
                              + ("before its update: it is the loss after the update. Keep the loss rnn_forward "
                                 "returned before adagrad_update." if abs(loss - after) <= 1e-9 * max(1.0, abs(after))
                                 else "that rnn_forward returned: keep that loss for the given losses.append(loss)."))


def check_parameters(ctx):
    """The parameters returned are those the last update left (the trained ones)."""
    for run, record in each_run(ctx):
        parameters, _ = unpack(run, record)
        last = updates_of(record, run)[-1]["parameters_after"]
        for key in PARAMETER_KEYS:
            require(close(parameters[key], last[key], 1e-12, 1e-15),
                    f"{describe(run)}, the parameters['{key}'] train returned are not the ones the last update left: "
                    "return the dict that adagrad_update updated in place, not a copy made before training")


def check_runs(ctx):
    """Whole short runs (20 to 40 windows, n_a of 4 to 16) give the reference's losses and parameters."""
    for index, (run, record) in enumerate(each_run(ctx)):
        parameters, losses = unpack(run, record)
        want = ctx.expected["train"]["runs"][index]
        require(len(losses) == len(want["losses"]) and close(losses, want["losses"]),
                f"{describe(run)}, the losses differ from the reference's. The other checks of train say which step "
                "of the loop differs.")
        for key, value in to_arrays(want["parameters"]).items():
            require(close(parameters[key], value), f"{describe(run)}, the trained parameters['{key}'] differ from the "
                                                   "reference's. The other checks of train say which step differs.")


VALUES = (check_setup, check_windows, check_hidden_state, check_losses, check_parameters, check_runs)
CHECKS = CheckModule(function="train", compute_expected=compute_expected, fragile=fragile, checks=[
    Check("train.public", 5, check_public, "the released check (30 windows of 4 on a 29-character text)", public=True),
    Check("train.setup", 3, check_setup, "starts from initialize_parameters and a memory of zeros"),
    Check("train.windows", 4, check_windows, "one next_window per iteration, from the pointer it returned"),
    Check("train.hidden_state", 4, check_hidden_state, "reset on next_window's reset, carried from window to window"),
    Check("train.memory", 3, needs_a_value(check_memory, VALUES, "train"), "one Adagrad memory, kept across windows"),
    Check("train.learning_rate", 2, needs_a_value(check_learning_rate, VALUES, "train"),
          "every update uses train's learning_rate"),
    Check("train.losses", 3, check_losses, "one loss per window, computed before its update"),
    Check("train.parameters", 1, check_parameters, "returns the trained parameters"),
    Check("train.defaults", 1, needs_a_value(check_defaults("train"), VALUES, "train"),
          "the defaults of the stub's signature (n_a=64, seq_length=25, ...)"),
    Check("train.runs", 4, check_runs, "short runs give the reference's losses and parameters"),
])
