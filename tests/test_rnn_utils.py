"""The provided helpers: the numbers of the straightforward one-hot passes, and a well-behaved softmax."""
import contextlib
import io
import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conftest import DINO, KIT
from graders.reference import load_module

sys.path.insert(0, str(KIT / "benchmarks"))
import onehot_rnn  # noqa: E402

rnn_utils = load_module(DINO.source / "rnn_utils.py")
SETTINGS = settings(derandomize=True, database=None, deadline=None, max_examples=60)
ROUNDING = {"rtol": 1e-12, "atol": 1e-13}  # a few units in the last digit: products and sums grouped otherwise


def random_problem(seed, n_a, v, length, none_first):
    rng = np.random.RandomState(seed)
    parameters = {"Wax": rng.randn(n_a, v), "Waa": rng.randn(n_a, n_a), "Wya": rng.randn(v, n_a),
                  "b": rng.randn(n_a, 1), "by": rng.randn(v, 1)}
    X = rng.randint(0, v, length).tolist()
    if none_first:
        X[0] = None
    return X, rng.randint(0, v, length).tolist(), rng.randn(n_a, 1), parameters


@SETTINGS
@given(seed=st.integers(0, 2**31 - 1), n_a=st.integers(1, 12), v=st.integers(2, 30), length=st.integers(1, 15),
       none_first=st.booleans())
def test_passes_equal_the_one_hot_version_up_to_rounding(seed, n_a, v, length, none_first):
    """Do rnn_forward and rnn_backward give the one-hot implementation's loss, states, outputs and gradients,
    to the last few digits?"""
    X, Y, a0, parameters = random_problem(seed, n_a, v, length, none_first)
    loss, cache = rnn_utils.rnn_forward(X, Y, a0, parameters)
    base_loss, base_cache = onehot_rnn.rnn_forward(X, Y, a0, parameters)
    assert np.isclose(loss, base_loss, **ROUNDING)
    gradients, a = rnn_utils.rnn_backward(X, Y, parameters, cache)
    base_gradients, base_a = onehot_rnn.rnn_backward(X, Y, parameters, base_cache)
    assert sorted(a) == sorted(base_a) == list(range(-1, length))
    for t in range(length):
        assert a[t].shape == (n_a, 1) and np.allclose(a[t], base_a[t], **ROUNDING)
        assert np.allclose(cache[0][t], base_cache[0][t], **ROUNDING)  # y_hat[t], (v, 1)
    assert np.array_equal(a[-1], a0) and a[-1] is not a0
    assert sorted(gradients) == sorted(base_gradients)
    for key in base_gradients:
        assert gradients[key].shape == base_gradients[key].shape
        assert np.allclose(gradients[key], base_gradients[key], **ROUNDING), key


def test_training_matches_the_one_hot_version_after_2001_steps(reference):
    """Trained 2,001 steps by the reference model, do the helpers and the one-hot passes sample the same names
    and end with parameters within 1e-9 of each other (relative)?"""
    from graders.reference import load_reference
    baseline = load_reference(DINO)
    baseline.update(rnn_forward=onehot_rnn.rnn_forward, rnn_backward=onehot_rnn.rnn_backward)
    data = (KIT / "data" / "dinos.txt").read_text().lower()
    ix_to_char = dict(enumerate(sorted(set(data))))
    char_to_ix = {ch: ix for ix, ch in ix_to_char.items()}
    runs = []
    for functions in (reference, baseline):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            parameters, last_name = functions["model"](data.split("\n"), ix_to_char, char_to_ix, num_iterations=2001)
        runs.append((parameters, last_name, [line for line in printed.getvalue().splitlines()
                                             if line.strip() and "Loss" not in line]))
    (parameters, last_name, names), (base_parameters, base_last_name, base_names) = runs
    assert names == base_names and last_name == base_last_name and len(names) == 14
    for key, value in base_parameters.items():
        assert np.allclose(parameters[key], value, rtol=1e-9, atol=0), key


def test_passes_accept_a_sequence_of_one_step_and_give_zero_gradients_for_none():
    """For a single all-zero input, is the loss that of one softmax and dWax zero?"""
    _, _, a0, parameters = random_problem(6, 3, 4, 1, True)
    loss, cache = rnn_utils.rnn_forward([None], [2], a0, parameters)
    a1 = np.tanh(parameters["Waa"] @ a0 + parameters["b"])
    scores = parameters["Wya"] @ a1 + parameters["by"]
    assert np.isclose(loss, -np.log(np.exp(scores[2, 0]) / np.exp(scores).sum()), rtol=1e-12)
    gradients, a = rnn_utils.rnn_backward([None], [2], parameters, cache)
    assert np.allclose(a[0], a1, rtol=1e-14) and not gradients["dWax"].any()


def test_step_functions_accept_one_hot_columns_as_well():
    """Do the step functions give the same result for an index and for its one-hot column?"""
    X, Y, a0, parameters = random_problem(3, 4, 6, 1, False)
    one_hot = np.zeros((6, 1))
    one_hot[X[0]] = 1
    a_index, p_index = rnn_utils.rnn_step_forward(parameters, a0, X[0])
    a_vector, p_vector = rnn_utils.rnn_step_forward(parameters, a0, one_hot)
    assert np.array_equal(a_index, a_vector) and np.array_equal(p_index, p_vector)


def test_vocab_size_defaults_to_the_shape_of_by():
    """Does rnn_forward work for a 5-symbol vocabulary without being told its size?"""
    X, Y, a0, parameters = random_problem(4, 3, 5, 4, True)
    loss, _ = rnn_utils.rnn_forward(X, Y, a0, parameters)
    assert loss == rnn_utils.rnn_forward(X, Y, a0, parameters, vocab_size=5)[0]


logits = hnp.arrays(np.float64, st.tuples(st.integers(1, 30), st.integers(1, 4)),
                    elements=st.floats(-1e4, 1e4, allow_nan=False))


@SETTINGS
@given(x=logits, shift=st.floats(-100, 100, allow_nan=False))
def test_softmax_is_a_distribution_per_column_and_shift_invariant(x, shift):
    """Is softmax non-negative, finite, summing to 1 per column, and unchanged by adding a constant?"""
    p = rnn_utils.softmax(x)
    assert np.all(np.isfinite(p)) and np.all(p >= 0)
    assert np.allclose(p.sum(axis=0), 1.0, atol=1e-12)
    assert np.allclose(rnn_utils.softmax(x + shift), p, atol=1e-9)


def test_initial_helpers_follow_the_contract():
    """Do smooth, get_initial_loss, initialize_parameters and get_sample do what SPEC §1 says?"""
    assert rnn_utils.smooth(10.0, 20.0) == 10.0 * 0.999 + 20.0 * 0.001
    assert np.isclose(rnn_utils.get_initial_loss(27, 7), 7 * np.log(27))
    parameters = rnn_utils.initialize_parameters(5, 27, 27)
    np.random.seed(1)
    assert np.array_equal(parameters["Wax"], np.random.randn(5, 27) * 0.01)
    assert not parameters["b"].any() and parameters["by"].shape == (27, 1)
    assert rnn_utils.get_sample([3, 1, 18, 0], {0: "\n", 1: "a", 3: "c", 18: "r"}) == "Car\n"


def test_update_parameters_is_in_place_gradient_descent():
    """Does update_parameters move every parameter by -lr x its gradient in the caller's arrays?"""
    _, _, _, parameters = random_problem(5, 3, 4, 2, True)
    originals = {k: v.copy() for k, v in parameters.items()}
    arrays = dict(parameters)
    gradients = {"d" + k: np.full_like(v, 2.0) for k, v in parameters.items()}
    returned = rnn_utils.update_parameters(parameters, gradients, 0.5)
    assert returned is parameters
    for key, value in arrays.items():
        assert value is parameters[key] and np.array_equal(value, originals[key] - 1.0)


def test_helpers_hold_no_solution():
    """Does rnn_utils.py define none of the graded functions?"""
    source = (DINO.source / "rnn_utils.py").read_text()
    for name in DINO.function_names:
        assert f"def {name}(" not in source
