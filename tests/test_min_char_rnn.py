"""The second assignment's reference solution keeps the contract (docs/min_char_rnn.md).

Each function is checked against the properties the contract promises and against an independent
implementation written here from the contract's text alone (one-hot vectors, the baseline passes of
benchmarks/onehot_rnn.py), which must reproduce every value. The published values of the learner's
public checks are checked to survive perturbations far larger than what separates numpy builds.
"""
import copy
import io
import sys
from contextlib import redirect_stdout

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import KIT
from min_char_rnn_support import GRADED, public_tests, reference

sys.path.insert(0, str(KIT / "benchmarks"))
import onehot_rnn  # noqa: E402

SETTINGS = settings(derandomize=True, database=None, deadline=None, max_examples=50)
KEYS = ("Wax", "Waa", "Wya", "b", "by")


@pytest.fixture(scope="module")
def ref():
    return reference()


@pytest.fixture(scope="module")
def checks():
    return public_tests()


def random_parameters(rng, n_a, vocab_size, scale=1.0):
    return {"Wax": rng.randn(n_a, vocab_size) * scale, "Waa": rng.randn(n_a, n_a) * scale,
            "Wya": rng.randn(vocab_size, n_a) * scale, "b": rng.randn(n_a, 1) * scale,
            "by": rng.randn(vocab_size, 1) * scale}


def shuffled_vocabulary(rng, size):
    """char_to_ix for `size` symbols (newline and letters) with the newline at a random index."""
    symbols = ["\n"] + [chr(ord("a") + i) for i in range(size - 1)]
    order = rng.permutation(size)
    return {ch: int(i) for ch, i in zip(symbols, order)}


# the independent implementation, from docs/min_char_rnn.md ------------------------------------------

def contract_adagrad(parameters, gradients, memory, learning_rate, max_value):
    for key in KEYS:
        g = np.minimum(np.maximum(gradients["d" + key], -max_value), max_value)
        memory["m" + key] = memory["m" + key] + g * g
        parameters[key] = parameters[key] - learning_rate * g / np.sqrt(memory["m" + key] + 1e-8)


def contract_sample(parameters, char_to_ix, prefix, seed, max_draws):
    vocab_size, n_a = parameters["by"].shape[0], parameters["Waa"].shape[0]
    newline = char_to_ix["\n"]

    def step(a, ix):
        x = np.zeros((vocab_size, 1))
        x[ix] = 1
        a = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a + parameters["b"])
        return a, onehot_rnn.softmax(parameters["Wya"] @ a + parameters["by"])

    a = np.zeros((n_a, 1))
    for ch in "\n" + prefix:
        a, p = step(a, char_to_ix[ch])
    generator = np.random.RandomState(seed)
    indices = [char_to_ix[ch] for ch in prefix]
    for _ in range(max_draws):
        indices.append(int(generator.choice(range(vocab_size), p=p.ravel())))
        if indices[-1] == newline:
            return indices
        a, p = step(a, indices[-1])
    return indices + [newline]


def contract_train(data_ix, vocab_size, num_iterations, n_a, seq_length, learning_rate):
    np.random.seed(1)
    parameters = {"Wax": np.random.randn(n_a, vocab_size) * 0.01, "Waa": np.random.randn(n_a, n_a) * 0.01,
                  "Wya": np.random.randn(vocab_size, n_a) * 0.01, "b": np.zeros((n_a, 1)),
                  "by": np.zeros((vocab_size, 1))}
    memory = {"m" + key: np.zeros_like(value) for key, value in parameters.items()}
    start, losses, a_prev = 0, [], None
    for _ in range(num_iterations):
        if start + seq_length + 1 > len(data_ix):
            start = 0
        if start == 0:
            a_prev = np.zeros((n_a, 1))
        X, Y = data_ix[start:start + seq_length], data_ix[start + 1:start + seq_length + 1]
        loss, cache = onehot_rnn.rnn_forward(X, Y, a_prev, parameters)
        gradients, a = onehot_rnn.rnn_backward(X, Y, parameters, cache)
        contract_adagrad(parameters, gradients, memory, learning_rate, 5.0)
        a_prev, start = a[len(X) - 1], start + seq_length
        losses.append(loss)
    return parameters, losses


# next_window ----------------------------------------------------------------------------------------

@SETTINGS
@given(length=st.integers(2, 60), seq_length=st.integers(1, 59), seed=st.integers(0, 1000))
def test_windows_cover_the_text_in_order_then_wrap(ref, length, seq_length, seed):
    """From pointer 0, are the windows the text in order, every one that fits, then a reset to 0?"""
    assume(seq_length + 1 <= length)
    data_ix = np.random.RandomState(seed).randint(0, 9, length).tolist()
    fitting = (length - 1) // seq_length
    pointer, read = 0, []
    for k in range(fitting):
        inputs, targets, pointer, reset = ref["next_window"](data_ix, pointer, seq_length)
        assert reset is (k == 0) and pointer == (k + 1) * seq_length
        assert targets == data_ix[k * seq_length + 1:(k + 1) * seq_length + 1]
        read += inputs
    assert read == data_ix[:fitting * seq_length]
    inputs, targets, pointer, reset = ref["next_window"](data_ix, pointer, seq_length)
    assert reset is True and inputs == data_ix[:seq_length] and pointer == seq_length


@SETTINGS
@given(length=st.integers(2, 40), seq_length=st.integers(1, 39), pointer=st.integers(0, 60))
def test_reset_rule_for_any_pointer(ref, length, seq_length, pointer):
    """Does the window start at the pointer exactly when the pointer is not 0 and the window fits?"""
    assume(seq_length + 1 <= length)
    data_ix = list(range(length))
    inputs, targets, new_pointer, reset = ref["next_window"](data_ix, pointer, seq_length)
    start = 0 if pointer == 0 or pointer + seq_length + 1 > length else pointer
    assert (inputs, targets, new_pointer, reset) == (data_ix[start:start + seq_length],
                                                     data_ix[start + 1:start + seq_length + 1],
                                                     start + seq_length, start == 0)


# adagrad_update -------------------------------------------------------------------------------------

gradient_scales = st.sampled_from([1e-4, 1e-2, 1.0, 30.0])


@SETTINGS
@given(seed=st.integers(0, 10**6), scale=gradient_scales, rate=st.floats(1e-3, 1.0), max_value=st.floats(0.5, 10))
def test_first_adagrad_step_moves_every_coordinate_by_about_the_learning_rate(ref, seed, scale, rate, max_value):
    """From zero memory, does each coordinate with |g| >= 0.01 move by the learning rate (within 5e-5), against g?"""
    rng = np.random.RandomState(seed)
    parameters = random_parameters(rng, 3, 5)
    gradients = {"d" + key: value * scale for key, value in random_parameters(rng, 3, 5).items()}
    memory = {"m" + key: np.zeros_like(value) for key, value in parameters.items()}
    before = copy.deepcopy(parameters)
    ref["adagrad_update"](parameters, copy.deepcopy(gradients), memory, rate, max_value)
    for key in KEYS:
        g, step = gradients["d" + key], parameters[key] - before[key]
        assert np.all(np.abs(step) <= rate * (1 + 1e-12))
        large = np.abs(g) >= 0.01
        assert np.allclose(step[large], -rate * np.sign(g[large]), rtol=5e-5, atol=0)


@SETTINGS
@given(seed=st.integers(0, 10**6), scales=st.lists(gradient_scales, min_size=1, max_size=4))
def test_adagrad_memory_never_decreases_and_matches_the_formula(ref, seed, scales):
    """Over several steps, does memory only grow (by the clipped g squared) and every value match the contract?"""
    rng = np.random.RandomState(seed)
    parameters = random_parameters(rng, 4, 6)
    memory = {"m" + key: np.zeros_like(value) for key, value in parameters.items()}
    mirror_parameters, mirror_memory = copy.deepcopy(parameters), copy.deepcopy(memory)
    for scale in scales:
        gradients = {"d" + key: value * scale for key, value in random_parameters(rng, 4, 6).items()}
        gradients["dWaa"][0, 0] = 0.0
        before_memory, before_parameters = copy.deepcopy(memory), copy.deepcopy(parameters)
        ref["adagrad_update"](parameters, copy.deepcopy(gradients), memory, 0.1)
        contract_adagrad(mirror_parameters, gradients, mirror_memory, 0.1, 5.0)
        for key in KEYS:
            assert np.all(memory["m" + key] >= before_memory["m" + key])
            assert np.all(np.abs(parameters[key] - before_parameters[key]) <= 0.1 * (1 + 1e-12))
            assert np.allclose(memory["m" + key], mirror_memory["m" + key], rtol=1e-13, atol=0)
            assert np.allclose(parameters[key], mirror_parameters[key], rtol=1e-12, atol=1e-15)
        assert parameters["Waa"][0, 0] == before_parameters["Waa"][0, 0]  # a zero gradient changes nothing


# sample_primed --------------------------------------------------------------------------------------

@SETTINGS
@given(seed=st.integers(0, 10**6), size=st.integers(2, 12), n_a=st.integers(1, 10), prefix_length=st.integers(0, 6),
       draw_seed=st.integers(0, 2**31 - 1), max_draws=st.integers(1, 60), scale=st.sampled_from([0.3, 1.0, 3.0]))
def test_primed_samples_follow_the_contract(ref, seed, size, n_a, prefix_length, draw_seed, max_draws, scale):
    """Does the sample start with the prefix, end with one newline, keep the cap, ignore the global
    random state, and equal an independent implementation of the contract, whatever the newline's index?"""
    rng = np.random.RandomState(seed)
    char_to_ix = shuffled_vocabulary(rng, size)
    parameters = random_parameters(rng, n_a, size, scale)
    letters = [ch for ch in char_to_ix if ch != "\n"]
    prefix = "".join(rng.choice(letters, prefix_length)) if prefix_length else ""
    np.random.seed(seed % 97)
    indices = ref["sample_primed"](copy.deepcopy(parameters), dict(char_to_ix), prefix, draw_seed, max_draws)
    np.random.seed(seed % 89)
    again = ref["sample_primed"](copy.deepcopy(parameters), dict(char_to_ix), prefix, draw_seed, max_draws)
    newline = char_to_ix["\n"]
    assert indices == again
    assert indices[:len(prefix)] == [char_to_ix[ch] for ch in prefix]
    drawn = indices[len(prefix):]
    assert drawn[-1] == newline and newline not in drawn[:-1]
    assert 1 <= len(drawn) <= max_draws + 1
    assert indices == contract_sample(parameters, char_to_ix, prefix, draw_seed, max_draws)


def test_the_cap_appends_one_newline_and_a_drawn_newline_is_not_doubled(ref):
    """With the newline impossible, are max_draws letters followed by one newline; with it certain, only one?"""
    rng = np.random.RandomState(4)
    char_to_ix = shuffled_vocabulary(rng, 6)
    newline = char_to_ix["\n"]
    parameters = random_parameters(rng, 5, 6)
    parameters["by"][newline] = -60.0
    indices = ref["sample_primed"](parameters, char_to_ix, "ab", 3, max_draws=7)
    assert len(indices) == 2 + 7 + 1 and indices[-1] == newline and newline not in indices[:-1]
    parameters["by"][newline] = 60.0
    assert ref["sample_primed"](parameters, char_to_ix, "ab", 3, max_draws=1) == [char_to_ix["a"], char_to_ix["b"],
                                                                                 newline]


def test_a_character_outside_the_vocabulary_raises_a_value_error_naming_it(ref):
    """Does a prefix with an unknown character raise ValueError with that character in the message?"""
    char_to_ix = {"\n": 0, "a": 1, "b": 2}
    parameters = random_parameters(np.random.RandomState(0), 3, 3)
    with pytest.raises(ValueError, match="Z"):
        ref["sample_primed"](parameters, char_to_ix, "abZ", 0)


# train ----------------------------------------------------------------------------------------------

@settings(derandomize=True, database=None, deadline=None, max_examples=15)
@given(seed=st.integers(0, 10**6), length=st.integers(6, 40), size=st.integers(2, 9), n_a=st.integers(1, 8),
       seq_length=st.integers(1, 5), iterations=st.integers(0, 30), rate=st.floats(0.01, 0.5))
def test_training_equals_an_independent_implementation(ref, seed, length, size, n_a, seq_length, iterations, rate):
    """Does train give the losses and parameters of the contract's loop written with the one-hot passes?"""
    assume(seq_length + 1 <= length)
    data_ix = np.random.RandomState(seed).randint(0, size, length).tolist()
    parameters, losses = ref["train"](data_ix, size, iterations, n_a=n_a, seq_length=seq_length, learning_rate=rate)
    expected_parameters, expected_losses = contract_train(data_ix, size, iterations, n_a, seq_length, rate)
    assert type(losses) is list and len(losses) == iterations and all(type(loss) is float for loss in losses)
    assert np.allclose(losses, expected_losses, rtol=1e-9, atol=0)
    for key in KEYS:
        assert np.allclose(parameters[key], expected_parameters[key], rtol=1e-8, atol=1e-12), key


def test_training_starts_near_uniform_and_learns_a_periodic_text(ref):
    """Is the first loss about seq_length ln(vocab_size), and does the loss fall on a text that repeats?"""
    data_ix = [0, 1, 2, 3, 4, 5] * 20
    with redirect_stdout(io.StringIO()) as printed:
        _, losses = ref["train"](data_ix, 6, 300, n_a=12, seq_length=5, print_every=100)
    assert abs(losses[0] - 5 * np.log(6)) < 1e-2
    assert np.mean(losses[-20:]) < 0.2 * np.mean(losses[:20])
    assert printed.getvalue().splitlines()[0].startswith("iteration 0: smoothed loss ")
    assert len(printed.getvalue().splitlines()) == 3


# the learner's public checks ------------------------------------------------------------------------

def test_public_checks_pass_on_the_reference(ref, checks, capsys):
    """Do the four public checks pass, and every check_runs call work, on the reference?"""
    for name in GRADED:
        getattr(checks, f"{name}_test")(ref[name])
        checks.check_runs(name, ref[name])
    printed = capsys.readouterr().out
    assert printed.count("All tests passed!") == 4 and printed.count("runs. Its hidden checks run") == 4


def test_published_samples_survive_perturbed_parameters(ref, checks):
    """Do the public sampling check's names stay the same when the parameters move by one part in 1e9?"""
    char_to_ix, ix_to_char, _ = checks.vocabulary(checks.SAMPLE_VOCABULARY)
    rng = np.random.RandomState(2024)
    for prefix, seed in (("Tyr", 0), ("", 1), ("Jua", 2)):
        parameters = checks.sample_parameters()
        plain = ref["sample_primed"](parameters, char_to_ix, prefix, seed)
        for _ in range(5):
            nudged = {key: value * (1 + 1e-9 * rng.randn(*value.shape)) for key, value in parameters.items()}
            assert ref["sample_primed"](nudged, char_to_ix, prefix, seed) == plain


def test_published_training_values_survive_a_nudge_at_every_step(ref, checks):
    """Do the public training check's losses and by stay within its tolerance when every update is nudged by 1e-12?"""
    char_to_ix, _, data_ix = checks.vocabulary(checks.TRAIN_TEXT)
    rng = np.random.RandomState(7)
    exact_update, namespace = ref["adagrad_update"], ref["train"].__globals__

    def nudged_update(parameters, gradients, memory, learning_rate=0.1, max_value=5.0):
        exact_update(parameters, gradients, memory, learning_rate, max_value)
        for value in parameters.values():
            value *= 1 + 1e-12 * rng.randn(*value.shape)

    namespace["adagrad_update"] = nudged_update
    try:
        parameters, losses = ref["train"](data_ix, len(char_to_ix), 30, n_a=8, seq_length=4, learning_rate=0.2)
    finally:
        namespace["adagrad_update"] = exact_update
    for j, want in checks.TRAIN_LOSSES.items():
        assert checks.relative_error(losses[j], want) < 1e-9
    assert checks.relative_error(parameters["by"][:3, 0], checks.TRAIN_BY) < 1e-9
