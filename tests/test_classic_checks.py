"""The classic notebook's published checks hold on the reference (SPEC §1: same behaviour)."""
import copy

import numpy as np

from graders.assignments.dinosaur_island.names import CHAR_TO_IX


def test_classic_clip_values(reference):
    """Does clip give the classic published values for maxValue 10 and 5?"""
    np.random.seed(3)
    gradients = {"dWax": np.random.randn(5, 3) * 10, "dWaa": np.random.randn(5, 5) * 10,
                 "dWya": np.random.randn(2, 5) * 10, "db": np.random.randn(5, 1) * 10, "dby": np.random.randn(2, 1) * 10}
    ten = reference["clip"](gradients, 10)
    assert ten["dWaa"][1][2] == 10.0 and ten["dWax"][3][1] == -10.0
    assert np.isclose(ten["dWya"][1][2], 0.2971381536101662)
    assert ten["db"][4] == [10.0] and np.allclose(ten["dby"][1], [8.45833407])
    five = reference["clip"](gradients, 5)
    assert five["dWaa"][1][2] == 5.0 and five["dWax"][3][1] == -5.0 and five["db"][4] == [5.0] and five["dby"][1] == [5.0]


def test_classic_sample_indices(reference):
    """Does sample give the classic published indices for the seed-24 model?"""
    np.random.seed(24)
    n_a, v = 100, 27
    Wax, Waa, Wya = np.random.randn(n_a, v), np.random.randn(n_a, n_a), np.random.randn(v, n_a)
    b, by = np.random.randn(n_a, 1), np.random.randn(v, 1)
    indices = reference["sample"]({"Wax": Wax, "Waa": Waa, "Wya": Wya, "b": b, "by": by}, CHAR_TO_IX, 0)
    assert indices == [23, 16, 26, 26, 24, 3, 21, 1, 7, 24, 15, 3, 25, 20, 6, 13, 10, 8, 20, 12, 2, 0]


def test_classic_optimize_values(reference):
    """Does optimize give the classic published loss, gradients and last state?"""
    np.random.seed(1)
    n_a, v = 100, 27
    a_prev = np.random.randn(n_a, 1)
    Wax, Waa, Wya = np.random.randn(n_a, v), np.random.randn(n_a, n_a), np.random.randn(v, n_a)
    b, by = np.random.randn(n_a, 1), np.random.randn(v, 1)
    parameters = {"Wax": Wax, "Waa": Waa, "Wya": Wya, "b": b, "by": by}
    old = copy.deepcopy(parameters)
    loss, gradients, a_last = reference["optimize"]([12, 3, 5, 11, 22, 3], [4, 14, 11, 22, 25, 26], a_prev,
                                                   parameters, learning_rate=0.01)
    assert np.isclose(loss, 126.5039757)
    assert np.allclose(gradients["dWaa"][1, 2], 0.1947093) and np.allclose(gradients["dWya"][1, 2], -0.007773876)
    assert np.argmax(gradients["dWax"]) == 93
    assert np.allclose(gradients["db"][4], -0.06809825) and np.allclose(gradients["dby"][1], 0.01538192)
    assert np.allclose(a_last[4], -1.0)
    assert all(np.min(g) >= -5 and np.max(g) <= 5 for g in gradients.values())
    assert not np.allclose(parameters["Wya"], old["Wya"])
