"""The second assignment's provided helpers (solutions/min_char_rnn/rnn_utils.py) are right.

The backward pass is checked against finite differences of the forward pass, and both passes against
the straightforward one-hot implementation in benchmarks/onehot_rnn.py.
"""
import math
import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import KIT
from min_char_rnn_support import load_rnn_utils

sys.path.insert(0, str(KIT / "benchmarks"))
import onehot_rnn  # noqa: E402

SOURCE = KIT / "solutions" / "min_char_rnn"
utils = load_rnn_utils(SOURCE)
SETTINGS = settings(derandomize=True, database=None, deadline=None, max_examples=40)
GRADED = ("next_window", "adagrad_update", "sample_primed", "train")


def window_problem(seed, n_a, vocab_size, length, scale=0.5):
    """Random parameters, a window of `length` inputs and targets, and a starting hidden state."""
    rng = np.random.RandomState(seed)
    parameters = {"Wax": rng.randn(n_a, vocab_size), "Waa": rng.randn(n_a, n_a), "Wya": rng.randn(vocab_size, n_a),
                  "b": rng.randn(n_a, 1), "by": rng.randn(vocab_size, 1)}
    parameters = {key: value * scale for key, value in parameters.items()}
    X, Y = rng.randint(0, vocab_size, length).tolist(), rng.randint(0, vocab_size, length).tolist()
    return X, Y, np.tanh(rng.randn(n_a, 1)), parameters


def window_passes(problem):
    """(X, Y, a0, parameters, loss, gradients, a) of the provided passes on a random window."""
    X, Y, a0, parameters = window_problem(*problem)
    loss, cache = utils.rnn_forward(X, Y, a0, parameters)
    gradients, a = utils.rnn_backward(X, Y, parameters, cache)
    return X, Y, a0, parameters, loss, gradients, a


problems = st.tuples(st.integers(0, 2**31 - 1), st.integers(1, 6), st.integers(2, 8), st.integers(1, 7))


@SETTINGS
@given(problem=problems)
def test_backward_pass_matches_finite_differences(problem):
    """Does every entry of every gradient equal the central finite difference of the forward loss?"""
    X, Y, a0, parameters, _, gradients, _ = window_passes(problem)
    step = 1e-6
    for key in utils.PARAMETER_KEYS:
        numerical = np.zeros_like(parameters[key])
        for index in np.ndindex(*parameters[key].shape):
            original = parameters[key][index]
            parameters[key][index] = original + step
            plus, _ = utils.rnn_forward(X, Y, a0, parameters)
            parameters[key][index] = original - step
            minus, _ = utils.rnn_forward(X, Y, a0, parameters)
            parameters[key][index] = original
            numerical[index] = (plus - minus) / (2 * step)
        analytic = gradients["d" + key]
        assert np.allclose(analytic, numerical, rtol=1e-5, atol=1e-7), (key, np.abs(analytic - numerical).max())


@SETTINGS
@given(problem=problems)
def test_passes_agree_with_the_one_hot_implementation(problem):
    """Do the loss, the hidden states and the gradients equal the one-hot passes' (to rounding)?"""
    X, Y, a0, parameters, loss, gradients, a = window_passes(problem)
    base_loss, base_cache = onehot_rnn.rnn_forward(X, Y, a0, parameters)
    assert np.isclose(loss, base_loss, rtol=1e-12, atol=1e-12)
    base_gradients, base_a = onehot_rnn.rnn_backward(X, Y, parameters, base_cache)
    assert sorted(a) == list(range(-1, len(X)))
    for t in range(-1, len(X)):
        assert a[t].shape == a0.shape and np.allclose(a[t], base_a[t], rtol=1e-12, atol=1e-14)
    assert sorted(gradients) == sorted("d" + key for key in utils.PARAMETER_KEYS)
    for key, value in gradients.items():
        assert value.shape == base_gradients[key].shape and np.allclose(value, base_gradients[key], rtol=1e-11,
                                                                        atol=1e-13), key


@SETTINGS
@given(problem=problems)
def test_one_step_at_a_time_gives_the_window_pass(problem):
    """Does rnn_step_forward, applied input by input, give rnn_forward's states and loss?"""
    X, Y, a0, parameters, loss, _, a = window_passes(problem)
    state, total = a0, 0.0
    for t, (ix, target) in enumerate(zip(X, Y)):
        state, p = utils.rnn_step_forward(parameters, state, ix)
        assert state.shape == a0.shape and p.shape == (parameters["by"].shape[0], 1)
        assert np.allclose(state, a[t], rtol=1e-12, atol=1e-14)
        total -= np.log(p[target, 0])
    assert np.isclose(total, loss, rtol=1e-12)


columns = st.lists(st.sampled_from([-1000.0, -999.5, 0.0, 3.25, 999.0, 1000.0]) | st.floats(-1000, 1000), min_size=1,
                   max_size=40)


@SETTINGS
@given(column=columns)
def test_softmax_matches_exact_ratios_even_for_logits_of_a_thousand(column):
    """Is each probability 1 / sum_j exp(x_j - x_i), finite, with the column summing to 1, for logits up to +-1000?"""
    p = utils.softmax(np.array(column)[:, None])  # (n, 1)
    exact = [1 / math.fsum(math.exp(min(other - value, 700.0)) for other in column) for value in column]
    assert p.shape == (len(column), 1) and np.all(np.isfinite(p))
    assert np.allclose(p[:, 0], exact, rtol=1e-12, atol=1e-300) and abs(p.sum() - 1) < 1e-12


def test_softmax_of_plus_and_minus_one_thousand():
    """Does softmax give exact, finite probabilities where the literal formula gives nan?"""
    p = utils.softmax(np.array([[1000.0, -1000.0], [1000.0, -1000.0], [-1000.0, 1000.0]]))
    assert np.array_equal(p, np.array([[0.5, 0.0], [0.5, 0.0], [0.0, 1.0]]))


def test_initialisation_is_the_first_assignment_s():
    """Does initialize_parameters draw the same numbers as the first assignment's helper?"""
    first = load_rnn_utils(KIT / "solutions" / "dinosaur_island").initialize_parameters(7, 54, 54)
    second = utils.initialize_parameters(7, 54, 54)
    assert list(second) == list(utils.PARAMETER_KEYS)
    for key in utils.PARAMETER_KEYS:
        assert np.array_equal(first[key], second[key])


def test_small_helpers_follow_the_contract():
    """Do smooth, get_initial_loss and indices_to_text compute what docs/min_char_rnn.md says?"""
    assert utils.smooth(10.0, 20.0) == 0.999 * 10.0 + 0.001 * 20.0
    assert np.isclose(utils.get_initial_loss(54, 25), -25 * np.log(1 / 54))
    assert utils.indices_to_text([np.int64(2), 1, 0], {0: "\n", 1: " ", 2: "A"}) == "A \n"


def test_helpers_hold_no_graded_function():
    """Does rnn_utils.py define none of the four functions the learner writes?"""
    source = (SOURCE / "rnn_utils.py").read_text()
    assert [name for name in GRADED if f"def {name}(" in source] == []
