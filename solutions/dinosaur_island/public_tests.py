"""Public checks for the Dinosaur Island notebook: learners run them while they work.

This file is released with the assignment as `public_tests.py`, and the graders run the very same
functions (with the learner's code in a sandbox), so a check means the same thing everywhere. It
needs numpy only. Each check prints what it tried, raises AssertionError with a hint when something
is wrong, and prints "All tests passed" otherwise. The expected numbers are the classic notebook's
published values, computed from the reference solution.
"""
import contextlib
import copy
import io
import os

import numpy as np

GREEN, RESET = "\033[92m", "\033[0m"
GRADIENT_KEYS = ("dWaa", "dWax", "dWya", "db", "dby")
PARAMETER_KEYS = ("Wax", "Waa", "Wya", "b", "by")
VOCAB = ["\n"] + [chr(code) for code in range(ord("a"), ord("z") + 1)]  # newline is index 0
CHAR_TO_IX = {ch: i for i, ch in enumerate(VOCAB)}
IX_TO_CHAR = {i: ch for i, ch in enumerate(VOCAB)}


def rel_error(x, y):
    """Largest relative difference between x and y (0 when they are equal)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


def expect_gradients(result, shapes_from, what="clip"):
    """Assert that `result` is a dict of the five gradients, real float arrays of the given shapes."""
    assert type(result) is dict, (
        f"{what} must return a dict of gradients, got {type(result).__name__}"
        + (": did you forget the `return` statement?" if result is None else ""))
    missing = [key for key in GRADIENT_KEYS if key not in result]
    assert not missing, f"{what} returned a dict without the key(s) {missing}; keep the names dWaa, dWax, dWya, db, dby"
    for key in GRADIENT_KEYS:
        value = result[key]
        assert type(value) is np.ndarray, f"{what}: gradients['{key}'] must be a numpy array, got {type(value).__name__}"
        assert value.shape == shapes_from[key].shape, (
            f"{what}: gradients['{key}'] has shape {value.shape}, expected {shapes_from[key].shape}")
        assert value.dtype == np.float64, f"{what}: gradients['{key}'] has dtype {value.dtype}, expected float64"
        assert np.all(np.isfinite(value)), f"{what}: gradients['{key}'] contains NaN or inf"


def classic_gradients():
    """The gradients the classic notebook's clip check uses (seed 3, values up to about +-30)."""
    np.random.seed(3)
    dWax = np.random.randn(5, 3) * 10  # (n_a, n_x)
    dWaa = np.random.randn(5, 5) * 10  # (n_a, n_a)
    dWya = np.random.randn(2, 5) * 10  # (n_y, n_a)
    db = np.random.randn(5, 1) * 10    # (n_a, 1)
    dby = np.random.randn(2, 1) * 10   # (n_y, 1)
    return {"dWax": dWax, "dWaa": dWaa, "dWya": dWya, "db": db, "dby": dby}


def random_parameters(seed, n_a, vocab_size):
    """Standard-normal parameters drawn in the classic order (Wax, Waa, Wya, b, by) after seeding."""
    np.random.seed(seed)
    return random_parameters_continuing(n_a, vocab_size)


def clip_test(target, mValue):
    """Clip the classic gradients at mValue: bounds, untouched entries, the caller's dict kept."""
    gradients = classic_gradients()
    original = copy.deepcopy(gradients)
    clipped = target(gradients, mValue)
    print(f"Gradients clipped with maxValue={mValue}")
    expect_gradients(clipped, original)
    for key in GRADIENT_KEYS:
        before, after = original[key], clipped[key]
        assert after.min() >= -mValue, (
            f"{key}: an entry is below -maxValue ({after.min():.4g}). Pass -maxValue as the lower bound of "
            "np.clip, and make sure the clipped values end up in the dict (np.clip(..., out=gradient)).")
        assert after.max() <= mValue, (
            f"{key}: an entry is above maxValue ({after.max():.4g}). Pass maxValue as the upper bound of "
            "np.clip, and make sure the clipped values end up in the dict (np.clip(..., out=gradient)).")
        inside = (before >= -mValue) & (before <= mValue)
        assert np.array_equal(after[inside], before[inside]), (
            f"{key}: entries already inside [-maxValue, maxValue] were changed. Clip element-wise; "
            "do not rescale the whole gradient.")
        outside = ~inside
        assert np.array_equal(after[outside], np.sign(before[outside]) * mValue), (
            f"{key}: entries outside the range must become exactly +-maxValue")
        assert np.array_equal(gradients[key], before), (
            f"{key}: the caller's gradient array was changed. Keep `gradients = copy.deepcopy(gradients)` "
            "at the top of clip.")
    print('gradients["dWaa"][1][2] =', clipped["dWaa"][1][2])
    print('gradients["dWax"][3][1] =', clipped["dWax"][3][1])
    print('gradients["dWya"][1][2] =', clipped["dWya"][1][2])
    print('gradients["db"][4] =', clipped["db"][4])
    print('gradients["dby"][1] =', clipped["dby"][1])
    print(f"{GREEN}All tests passed!{RESET}")


def sample_test(target):
    """Sample one name from the classic random model (seed 24, n_a 100) and compare all indices; then from a model
    that never draws the newline: 50 draws, and the newline the lines after the learner's code append."""
    parameters = random_parameters(24, 100, len(VOCAB))
    indices = target(parameters, dict(CHAR_TO_IX), 0)
    assert type(indices) is list, f"sample must return a list of indices, got {type(indices).__name__}"
    assert all(isinstance(i, (int, np.integer)) and not isinstance(i, (bool, np.bool_)) for i in indices), (
        "sample must return integer indices (return idx, not the character ix_to_char[idx])")
    print("list of sampled indices:\n", [int(i) for i in indices])
    print("list of sampled characters:\n", [IX_TO_CHAR.get(int(i), "?") for i in indices])
    assert len(indices) <= 51, f"sample returned {len(indices)} indices; stop after 50 draws (plus the final newline)"
    assert len(indices) > 0 and indices[-1] == CHAR_TO_IX["\n"], "the list of indices must end with the newline index"
    assert min(indices) >= 0 and max(indices) < len(VOCAB), f"indices must be between 0 and {len(VOCAB) - 1}"
    expected = [23, 16, 26, 26, 24, 3, 21, 1, 7, 24, 15, 3, 25, 20, 6, 13, 10, 8, 20, 12, 2, 0]
    first_wrong = next((t for t, (got, want) in enumerate(zip(indices, expected)) if got != want), None)
    assert first_wrong is None and len(indices) == len(expected), (
        f"expected the indices {expected}; the first difference is at position "
        f"{first_wrong if first_wrong is not None else min(len(indices), len(expected))}. Check that you call "
        "np.random.seed(counter + seed) right before every draw, sample with np.random.choice(range(vocab_size), "
        "p=y.ravel()), and feed the drawn index back as a one-hot column.")
    capped = target(never_ending_parameters(), dict(CHAR_TO_IX), 0)
    print("a model that never draws the newline gives", len(capped), "indices, the last one", capped[-1])
    assert len(capped) == 51 and capped[-1] == CHAR_TO_IX["\n"], (
        f"with a model that never draws the newline, sample returned {len(capped)} indices ending with "
        f"{capped[-1] if capped else None}; expected 51: stop after 50 draws (while counter != 50), and leave the "
        "final newline to the lines after your code, which append it when counter is 50")
    assert CHAR_TO_IX["\n"] not in capped[:50], "the newline index was drawn although its probability is almost 0"
    print(f"{GREEN}All tests passed!{RESET}")


def never_ending_parameters():
    """The classic random model (seed 24, n_a 100) with the newline's bias so low that it is never drawn."""
    parameters = random_parameters(24, 100, len(VOCAB))
    parameters["by"][CHAR_TO_IX["\n"]] = -1000.0
    return parameters


def optimize_test(target):
    """One optimisation step on the classic example (seed 1): loss, clipped gradients, update, state."""
    fixing_first(optimize_steps_test, target, ["clip"])


def optimize_steps_test(target):
    """optimize_test's checks, run on target whatever the functions it calls do."""
    np.random.seed(1)
    a_prev = np.random.randn(100, 1)  # (n_a, 1)
    parameters = random_parameters_continuing(100, len(VOCAB))
    old = copy.deepcopy(parameters)
    X, Y = [12, 3, 5, 11, 22, 3], [4, 14, 11, 22, 25, 26]
    result = target(X, Y, a_prev, parameters, learning_rate=0.01)
    assert type(result) is tuple and len(result) == 3, "optimize must return a tuple (loss, gradients, a_last)"
    loss, gradients, a_last = result
    print("Loss =", loss)
    assert isinstance(loss, (float, np.floating)), f"the loss must be a number, got {type(loss).__name__}"
    assert abs(loss - 126.5039757216539) < 1e-6, "unexpected loss: call rnn_forward(X, Y, a_prev, parameters)"
    expect_gradients(gradients, {"dWaa": old["Waa"], "dWax": old["Wax"], "dWya": old["Wya"], "db": old["b"], "dby": old["by"]},
                     what="optimize")
    for key in GRADIENT_KEYS:
        assert np.all(np.abs(gradients[key]) <= 5), f"{key} has entries outside [-5, 5]: clip the gradients with clip(gradients, 5)"
    print('gradients["dWaa"][1][2] =', gradients["dWaa"][1][2])
    print('np.argmax(gradients["dWax"]) =', np.argmax(gradients["dWax"]))
    print('gradients["dWya"][1][2] =', gradients["dWya"][1][2])
    assert rel_error(gradients["dWaa"][1, 2], 0.1947093153471) < 1e-7, "unexpected gradients: check the rnn_backward call"
    assert rel_error(gradients["dWya"][1, 2], -0.007773876032002) < 1e-7, "unexpected gradients: check the rnn_backward call"
    assert np.argmax(gradients["dWax"]) == 93, "unexpected gradients: check the rnn_backward call"
    assert rel_error(gradients["db"][4], -0.06809825) < 1e-6 and rel_error(gradients["dby"][1], 0.01538192) < 1e-6, (
        "unexpected gradients: check the rnn_backward call")
    assert type(a_last) is np.ndarray and a_last.shape == (100, 1), "the last hidden state must be an array of shape (n_a, 1)"
    print("a_last[4] =", a_last[4])
    assert rel_error(a_last[4], -1.0) < 1e-7, "unexpected last hidden state: return a[len(X)-1]"
    for key, grad_key in zip(PARAMETER_KEYS, ("dWax", "dWaa", "dWya", "db", "dby")):
        assert not np.array_equal(parameters[key], old[key]), (
            f"parameters['{key}'] was not updated: call update_parameters(parameters, gradients, learning_rate)")
        assert np.allclose(parameters[key], old[key] - 0.01 * gradients[grad_key], rtol=1e-10, atol=1e-12), (
            f"parameters['{key}'] must move by -learning_rate times the clipped gradient")
    print(f"{GREEN}All tests passed!{RESET}")


def random_parameters_continuing(n_a, vocab_size):
    """Parameters drawn from the current random state, in the classic order (no reseeding)."""
    Wax, Waa, Wya = np.random.randn(n_a, vocab_size), np.random.randn(n_a, n_a), np.random.randn(vocab_size, n_a)
    b, by = np.random.randn(n_a, 1), np.random.randn(vocab_size, 1)
    return {"Wax": Wax, "Waa": Waa, "Wya": Wya, "b": b, "by": by}


MODEL_NAMES = ["aardonyx", "brachiosaurus", "coelophysis", "diplodocus", "eoraptor", "gallimimus",
               "iguanodon", "stegosaurus", "triceratops", "velociraptor"]  # lower case, as model receives them


def model_test(target):
    """Train for 25 steps on ten names (n_a 8): shapes, the last name, known values of by and of Waa (which shows
    whether the hidden state is carried across steps)."""
    fixing_first(model_steps_test, target, ["clip", "optimize", "sample"])


def model_steps_test(target):
    """model_test's checks, run on target whatever the functions it calls do."""
    result = target(list(MODEL_NAMES), dict(IX_TO_CHAR), dict(CHAR_TO_IX), num_iterations=25, n_a=8, dino_names=3)
    assert type(result) is tuple and len(result) == 2, "model must return a tuple (parameters, last_dino_name)"
    parameters, last_name = result
    assert type(parameters) is dict and all(key in parameters for key in PARAMETER_KEYS), (
        "model must return the parameters dict (Wax, Waa, Wya, b, by)")
    shapes = {"Wax": (8, 27), "Waa": (8, 8), "Wya": (27, 8), "b": (8, 1), "by": (27, 1)}
    for key, shape in shapes.items():
        value = parameters[key]
        assert type(value) is np.ndarray and value.shape == shape, f"parameters['{key}'] must be an array of shape {shape}"
        assert np.all(np.isfinite(value)), f"parameters['{key}'] contains NaN or inf"
    assert type(last_name) is str and last_name.endswith("\n"), (
        "the last name must be the string from get_sample, with its trailing newline")
    print("last name sampled:", repr(last_name))
    assert last_name == "Kzxwtdmfqoeyhsqwasjkjvu\n", (
        "expected the last name 'Kzxwtdmfqoeyhsqwasjkjvu\\n': sample dino_names names with seeds 0, 1, 2, ... "
        "every 2000 iterations (j % 2000 == 0) and keep get_sample's result, trailing newline included")
    print("parameters['by'][:3, 0] =", parameters["by"][:3, 0])
    expected_by = np.array([0.13675967, 0.13737557, -0.07187971])
    assert rel_error(parameters["by"][:3, 0], expected_by) < 1e-5, (
        "the trained parameters differ from the reference: check the set-up (initialize_parameters, then seeding "
        "numpy with 0 right before shuffling the examples), the inputs (None first, then the name's indices), the "
        "labels (the inputs shifted left, then the newline's index), the example taken at iteration j (j modulo "
        "the number of examples), learning_rate=0.01 and that a_prev is carried from one step to the next")
    print("parameters['Waa'][0, :3] =", parameters["Waa"][0, :3])
    expected_waa = np.array([0.0062250824558, -0.0043440010681, 0.0141579961824])
    assert rel_error(parameters["Waa"][0, :3], expected_waa) < 1e-7, (
        "the trained recurrent weights Waa differ from the reference: the hidden state must be carried from one "
        "step to the next (the last hidden state optimize returns is the a_prev of the next step; a_prev starts "
        "at zeros once, before the loop)")
    print(f"{GREEN}All tests passed!{RESET}")


def check_runs(name, target):
    """In a learner's copy, a hidden-test cell only checks that the function runs on a small input.

    When nbgrader autogrades the notebook, the hidden checks take the cell's place and this does nothing.
    """
    if os.environ.get("NBGRADER_EXECUTION") == "autograde":
        return
    if name == "clip":
        target(classic_gradients(), 5)
    elif name == "sample":
        target(random_parameters(24, 100, len(VOCAB)), dict(CHAR_TO_IX), 0)
    elif name == "optimize":
        target([None, 3, 1], [3, 1, 0], np.zeros((4, 1)), random_parameters(2, 4, len(VOCAB)), 0.01)
    elif name == "model":
        target(list(MODEL_NAMES), dict(IX_TO_CHAR), dict(CHAR_TO_IX), num_iterations=2, n_a=4, dino_names=1)
    print(f"{name} runs. Its hidden checks run when your notebook is graded.")


def fixing_first(test, target, callees):
    """Run test(target); when it fails and one of the learner's own callees (the functions of those names
    beside target in the notebook) fails its own check, say to fix that one first."""
    try:
        test(target)
    except Exception as error:
        broken = failing_callees(target, callees)
        if not broken:
            raise
        raise AssertionError(f"fix {' and '.join(broken)} first: {target.__name__} relies on it, and its own "
                             f"check fails. (Then: {error})") from None


def failing_callees(target, callees):
    """The names among callees of the functions beside target (its module's globals) that fail their own checks."""
    beside = getattr(target, "__globals__", {})
    own_checks = {"clip": lambda clip: (clip_test(clip, 10), clip_test(clip, 5)), "sample": sample_test,
                  "optimize": optimize_steps_test}
    broken = []
    for name in callees:
        if not callable(beside.get(name)):
            continue
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                own_checks[name](beside[name])
        except Exception:  # noqa: BLE001 - any failure of the callee's own check
            broken.append(name)
    return broken
