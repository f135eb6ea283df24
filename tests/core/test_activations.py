"""Activations against references: closed forms, scipy, finite differences, extreme inputs."""
import math
import warnings

import numpy as np
import pytest
from scipy import special

from explorer.core.activations import ACTIVATIONS, LECTURE_NAMES, NAMES, get, maxout_mask, maxout_reduce, sigmoid

X = np.concatenate([np.linspace(-30, 30, 2001), [-1e4, -700.0, 700.0, 1e4]])
REFERENCE = {
    "sigmoid": special.expit,
    "tanh": np.tanh,
    "relu": lambda x: np.maximum(x, 0),
    "leaky_relu": lambda x: np.maximum(0.1 * x, x),          # the slide's max(0.1x, x)
    "elu": lambda x: np.where(x >= 0, x, np.exp(np.minimum(x, 0)) - 1),
    "identity": lambda x: x,
    "gelu": lambda x: np.array([v * 0.5 * (1 + math.erf(v / math.sqrt(2))) for v in x]),
    "silu": lambda x: x * special.expit(x),
    "softplus": lambda x: np.array([math.log1p(math.exp(v)) if v < 30 else v + math.log1p(math.exp(-v)) for v in x]),
}


def test_registry_has_the_lecture_six_and_the_extras():
    assert set(LECTURE_NAMES) == {"sigmoid", "tanh", "relu", "leaky_relu", "maxout", "elu"}
    assert {"identity", "gelu", "silu", "softplus"} <= set(NAMES)
    for a in ACTIVATIONS.values():
        assert a.latex and a.dlatex and a.note


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_function_matches_reference(name):
    np.testing.assert_allclose(ACTIVATIONS[name].f(X), REFERENCE[name](X), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", [n for n in NAMES])
def test_derivative_matches_finite_differences(name):
    x = np.linspace(-6, 6, 241) + 0.0123  # avoid the kinks at 0 exactly
    h = 1e-6
    a = ACTIVATIONS[name]
    numeric = (a.f(x + h) - a.f(x - h)) / (2 * h)
    np.testing.assert_allclose(a.df(x), numeric, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_no_warning_and_finite_for_huge_inputs(name):
    a = ACTIVATIONS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f, df = a.f(X), a.df(X)
    assert np.all(np.isfinite(f)) and np.all(np.isfinite(df))


def test_sigmoid_derivative_identity_and_scalars():
    x = np.linspace(-10, 10, 101)
    s = sigmoid(x)
    np.testing.assert_allclose(ACTIVATIONS["sigmoid"].df(x), s * (1 - s), rtol=1e-14)
    assert ACTIVATIONS["sigmoid"].f(0.0) == 0.5
    assert isinstance(ACTIVATIONS["relu"].f(-2.0), float)
    # the active range: outside ±5 the slope is below 0.007
    assert ACTIVATIONS["sigmoid"].df(5.0) < 0.007 < ACTIVATIONS["sigmoid"].df(4.0)


def test_parameters_change_the_curve():
    assert ACTIVATIONS["leaky_relu"].f(-10.0, slope=0.01) == pytest.approx(-0.1)
    assert ACTIVATIONS["elu"].f(-50.0, alpha=2.0) == pytest.approx(-2.0)
    with pytest.raises(TypeError):
        ACTIVATIONS["relu"].f(1.0, slope=0.2)


def test_maxout_reduce_and_mask():
    Z = np.array([[1.0, -2.0], [0.5, 3.0], [2.0, -5.0], [0.0, 4.0]])  # k = 2 pieces of 2 units
    np.testing.assert_array_equal(maxout_reduce(Z, 2), [[2.0, -2.0], [0.5, 4.0]])
    mask = maxout_mask(Z, 2)
    np.testing.assert_array_equal(mask, [[0, 1], [1, 0], [1, 0], [0, 1]])
    with pytest.raises(ValueError):
        maxout_reduce(np.zeros((3, 1)), 2)


def test_maxout_curve_is_convex_max_of_pieces():
    a = ACTIVATIONS["maxout"]
    x = np.linspace(-5, 5, 11)
    y = a.f(x, pieces=2)
    np.testing.assert_allclose(y, np.maximum(-x - 2, x - 2))   # tangents of x²/8 at ±4
    assert a.f(x, pieces=5).min() >= y.min()


def test_unknown_name_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown activation 'swishy'"):
        get("swishy")
