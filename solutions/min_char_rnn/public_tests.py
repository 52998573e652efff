"""Public checks for the min_char_rnn notebook: run them while you work.

Each check calls your function on a small input, prints what it tried, and either prints
"All tests passed!" or stops with an AssertionError whose message says what to look at. The numbers
they compare with were computed with the reference solution. They need numpy and rnn_utils.py only.
The hidden checks that grade your notebook try many more inputs.
"""
import copy
import os

import numpy as np

from rnn_utils import PARAMETER_KEYS, initialize_parameters

__all__ = ["next_window_test", "adagrad_update_test", "sample_primed_test", "train_test", "check_runs"]

GREEN, RESET = "\033[92m", "\033[0m"
PASSED = f"{GREEN}All tests passed!{RESET}"


def vocabulary(text):
    """(char_to_ix, ix_to_char, indices of text) for the vocabulary read off text."""
    chars = sorted(set(text))
    char_to_ix = {ch: i for i, ch in enumerate(chars)}
    return char_to_ix, dict(enumerate(chars)), [char_to_ix[ch] for ch in text]


def as_text(indices, ix_to_char):
    return "".join(ix_to_char.get(int(i), "?") for i in indices)


def relative_error(got, want):
    """Largest relative difference between two arrays or numbers."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    return float(np.max(np.abs(got - want) / np.maximum(1e-12, np.abs(got) + np.abs(want))))


# next_window ---------------------------------------------------------------------------------------

WINDOW_TEXT = "Ana\nRex\nTy"
# (inputs, targets, pointer, reset) of the first four calls from pointer 0, with seq_length 3
WINDOWS = [("Ana", "na\n", 3, True), ("\nRe", "Rex", 6, False), ("x\nT", "\nTy", 9, False), ("Ana", "na\n", 3, True)]


def next_window_test(target):
    """Four consecutive windows of a 10-character text, seq_length 3: one pass, then the wrap."""
    char_to_ix, ix_to_char, data_ix = vocabulary(WINDOW_TEXT)
    original = list(data_ix)
    starts = [0] + [window[2] for window in WINDOWS[:-1]]  # each call gets the pointer the one before returned
    for call, (pointer, (inputs, targets, next_pointer, reset)) in enumerate(zip(starts, WINDOWS), start=1):
        result = target(data_ix, pointer, 3)
        assert type(result) is tuple and len(result) == 4, (
            "next_window must return a tuple (inputs, targets, pointer, reset)")
        got_inputs, got_targets, got_pointer, got_reset = result
        print(f"call {call}: pointer {pointer} -> inputs {as_text(got_inputs, ix_to_char)!r}, targets "
              f"{as_text(got_targets, ix_to_char)!r}, next pointer {got_pointer}, reset {got_reset}")
        assert list(got_inputs) == [char_to_ix[ch] for ch in inputs], (
            f"call {call}: the inputs should be {inputs!r}. "
            + ("A window that starts at s fits when s + seq_length + 1 <= len(data_ix): the last window "
               "that fits must be used before the text starts over."
               if call == 3 else
               "When pointer is 0, or the window would run past the end of the text, the window starts at 0; "
               "otherwise it starts at pointer."))
        assert list(got_targets) == [char_to_ix[ch] for ch in targets], (
            f"call {call}: the targets should be {targets!r}: each target is the character right after its "
            "input, so the targets are the inputs shifted by one position.")
        assert got_pointer == next_pointer, (
            f"call {call}: the next pointer should be {next_pointer}: the start of this window plus seq_length.")
        assert type(got_reset) in (bool, np.bool_) and bool(got_reset) == reset, (
            f"call {call}: reset should be {reset} (a bool): True exactly when the window starts at 0.")
    assert data_ix == original, "next_window must not change data_ix"
    print(PASSED)


# adagrad_update -----------------------------------------------------------------------------------

def adagrad_problem():
    """Parameters (n_a 4, vocabulary 6), gradients up to about +-12 and zero memory, seeded with 3."""
    np.random.seed(3)
    parameters = {"Wax": np.random.randn(4, 6), "Waa": np.random.randn(4, 4), "Wya": np.random.randn(6, 4),
                  "b": np.random.randn(4, 1), "by": np.random.randn(6, 1)}
    gradients = {"d" + key: np.random.randn(*value.shape) * 4 for key, value in parameters.items()}
    memory = {f"m{key}": np.zeros(value.shape) for key, value in parameters.items()}
    return parameters, gradients, memory


def adagrad_update_test(target):
    """Two Adagrad steps with learning rate 0.1: memory, first-step size, clipping, known values."""
    parameters, gradients, memory = adagrad_problem()
    before = copy.deepcopy(parameters)
    target(parameters, copy.deepcopy(gradients), memory, 0.1)
    for key in PARAMETER_KEYS:
        g = np.clip(gradients["d" + key], -5, 5)
        m = memory["m" + key]
        assert type(m) is np.ndarray and m.shape == g.shape, f"memory['m{key}'] must stay an array of shape {g.shape}"
        assert np.any(m != 0), (
            f"memory['m{key}'] is still zero after the first step: add the squared gradient to it, in the "
            "dict you were given")
        assert m.max() <= 25 * (1 + 1e-12), (
            f"memory['m{key}'] has an entry above 5**2: clip the gradient to [-max_value, max_value] before "
            "squaring it")
        assert np.allclose(m, g * g, rtol=1e-12, atol=0), (
            f"after one step from zero memory, memory['m{key}'] should be the square of the clipped gradient")
        step = parameters[key] - before[key]
        assert np.any(step != 0), f"parameters['{key}'] did not change: update it in the dict you were given"
        assert np.all(np.abs(step) <= 0.1 * (1 + 1e-9)), (
            f"parameters['{key}'] moved by up to {np.abs(step).max():.3g}, more than the learning rate 0.1: update "
            "the memory before the step, and put the 1e-8 inside the square root")
        assert np.allclose(step, -0.1 * g / np.sqrt(g * g + 1e-8), rtol=1e-9, atol=1e-15), (
            f"on the first step from zero memory, every entry of parameters['{key}'] should move by almost exactly "
            "the learning rate, against the sign of its gradient: step = -learning_rate * g / sqrt(memory + 1e-8)")
    print("first step: every parameter moved by about 0.1, against its gradient; memory = clipped gradient ** 2")

    target(parameters, {key: value * 0.5 for key, value in gradients.items()}, memory, 0.1)
    got = [parameters["Wax"][1, 2], parameters["Waa"][3, 0], parameters["by"][4, 0], memory["mWya"][5, 1]]
    want = [-0.18853952841340377, -0.7790706623047525, -0.2992282112154399, 4.576654967218958]
    print("after a second step with half the gradients: Wax[1, 2], Waa[3, 0], by[4, 0], mWya[5, 1] =",
          np.array(got))
    assert relative_error(got, want) < 1e-10, (
        f"expected {want} after the second step: the memory must keep what the first step added (+=, not =), "
        "and the step must use the learning rate you are given")

    parameters, gradients, memory = adagrad_problem()
    target(parameters, gradients, memory, 0.1, max_value=2.0)
    assert all(memory["m" + key].max() <= 4 * (1 + 1e-12) for key in PARAMETER_KEYS), (
        "with max_value=2.0 the memory should not exceed 2**2: clip with max_value, not with a fixed 5")
    print(PASSED)


# sample_primed ------------------------------------------------------------------------------------

SAMPLE_VOCABULARY = "Tyrannosaurus Rex\nJuan Maria\n"  # the symbols: newline, space and 14 letters


def sample_parameters():
    """Standard-normal parameters (n_a 12, 16 symbols), seeded with 8, drawn in the order Wax, Waa, Wya, b, by."""
    n_a, vocab_size = 12, len(set(SAMPLE_VOCABULARY))
    np.random.seed(8)
    return {"Wax": np.random.randn(n_a, vocab_size), "Waa": np.random.randn(n_a, n_a),
            "Wya": np.random.randn(vocab_size, n_a), "b": np.random.randn(n_a, 1), "by": np.random.randn(vocab_size, 1)}


def sample_primed_test(target):
    """Two samples from a random network: primed with "Tyr" (seed 0) and from nothing (seed 1)."""
    char_to_ix, ix_to_char, _ = vocabulary(SAMPLE_VOCABULARY)
    parameters = sample_parameters()
    expected = {("Tyr", 0): "TyriJa\n", ("", 1): "Ja\n"}
    for (prefix, seed), want in expected.items():
        indices = target(copy.deepcopy(parameters), dict(char_to_ix), prefix, seed)
        assert type(indices) is list, f"sample_primed must return a list of indices, got {type(indices).__name__}"
        assert all(isinstance(i, (int, np.integer)) and not isinstance(i, (bool, np.bool_)) for i in indices), (
            "sample_primed must return integer indices, not characters")
        got = as_text(indices, ix_to_char)
        print(f"prefix {prefix!r}, seed {seed}: {got!r}")
        assert got.startswith(prefix), "the result must start with the indices of the prefix"
        assert got.endswith("\n"), "the result must end with the newline index"
        assert got == want, (
            f"expected {want!r}. Read the newline first and then the prefix, from a zero hidden state; call "
            "np.random.seed(seed) once, before the first draw (not before every draw); draw with "
            "np.random.choice(vocab_size, p=p.ravel()) and read every drawn character before the next draw")
    try:
        target(copy.deepcopy(parameters), dict(char_to_ix), "Tyré", 0)
    except ValueError as error:
        assert "é" in str(error), "the ValueError's message should name the character that is not in the vocabulary"
    except Exception as error:
        raise AssertionError(f"a prefix with a character outside the vocabulary raised {type(error).__name__}; "
                             "raise ValueError instead, with the character in its message") from None
    else:
        raise AssertionError("a prefix with a character outside the vocabulary ('é') must raise ValueError")
    print("prefix 'Tyré': ValueError, as it should")
    print(PASSED)


# train --------------------------------------------------------------------------------------------

TRAIN_TEXT = "Ana\nRex\nTyra\nBo\nEve\nJuan Luis"  # 29 characters: 7 windows of 4, then the text starts over
TRAIN_LOSSES = {0: 11.983244370297522, 1: 11.9560314261148, 2: 12.163929635107248, 7: 10.885278177085489,
                8: 12.155684540252473, 29: 8.00546970495888}
TRAIN_BY = [0.4911330938429712, -0.4840854515119578, -1.30085123709323]


def train_test(target):
    """30 windows of 4 on a 29-character text (n_a 8, learning rate 0.2): the losses of some windows and the trained by.

    It runs your next_window and adagrad_update too: if their checks fail, fix them first.
    """
    char_to_ix, _, data_ix = vocabulary(TRAIN_TEXT)
    result = target(data_ix, len(char_to_ix), 30, n_a=8, seq_length=4, learning_rate=0.2)
    assert type(result) is tuple and len(result) == 2, "train must return a tuple (parameters, losses)"
    parameters, losses = result
    assert type(parameters) is dict and all(key in parameters for key in PARAMETER_KEYS), (
        "train must return the parameters dict (Wax, Waa, Wya, b, by)")
    shapes = initialize_parameters(8, len(char_to_ix), len(char_to_ix))
    for key in PARAMETER_KEYS:
        value = parameters[key]
        assert type(value) is np.ndarray and value.shape == shapes[key].shape, (
            f"parameters['{key}'] must be an array of shape {shapes[key].shape}")
        assert np.all(np.isfinite(value)), f"parameters['{key}'] contains NaN or inf"
    assert type(losses) is list and len(losses) == 30, "losses must be a list with one loss per iteration (30)"
    for j, want in TRAIN_LOSSES.items():
        print(f"loss of window {j}: {losses[j]:.6f}")
        assert relative_error(losses[j], want) < 1e-7, f"expected {want:.6f}; look at {train_hint(j)}"
    print("parameters['by'][:3, 0] =", parameters["by"][:3, 0])
    assert relative_error(parameters["by"][:3, 0], TRAIN_BY) < 1e-7, (
        "the trained parameters differ from the reference although the losses agree: return the parameters "
        "that adagrad_update changed")
    print(PASSED)


def train_hint(j):
    """What to look at when the loss of window j is the first one that differs."""
    if j == 0:
        return ("the set-up and the first window: initialize_parameters(n_a, vocab_size, vocab_size), pointer 0, "
                "a zero a_prev, then rnn_forward(inputs, targets, a_prev, parameters)")
    if j < 7:
        return ("the windows after the first: one adagrad_update(parameters, gradients, memory, learning_rate) "
                "per window with one memory dict created before the loop, and a_prev = a[len(inputs) - 1] "
                "carried from each window to the next")
    if j == 7:
        return "window 7, where the text starts over: when next_window says reset, set a_prev back to zeros"
    return "the windows after the text started over: carry the hidden state again after a reset"


def check_runs(name, target):
    """In a learner's copy, a hidden-test cell only checks that the function runs on a small input.

    When nbgrader autogrades the notebook, the hidden checks take the cell's place and this does nothing.
    """
    if os.environ.get("NBGRADER_EXECUTION") == "autograde":
        return
    if name == "next_window":
        target(list(range(8)), 0, 3)
    elif name == "adagrad_update":
        parameters, gradients, memory = adagrad_problem()
        target(parameters, gradients, memory, 0.1)
    elif name == "sample_primed":
        char_to_ix, _, _ = vocabulary(SAMPLE_VOCABULARY)
        target(sample_parameters(), char_to_ix, "Jua", 2)
    elif name == "train":
        char_to_ix, _, data_ix = vocabulary(TRAIN_TEXT)
        target(data_ix, len(char_to_ix), 2, n_a=4, seq_length=4)
    print(f"{name} runs. Its hidden checks run when your notebook is graded.")
