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
    # σ' = σ(1 − σ) = σ(x) σ(−x): the second form has no cancellation, so it is the sharp reference
    np.testing.assert_allclose(ACTIVATIONS["sigmoid"].df(x), s * sigmoid(-x), rtol=1e-14)
    np.testing.assert_allclose(ACTIVATIONS["sigmoid"].df(x), s * (1 - s), rtol=1e-11)
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


# -- the numbers at a probe point are right to every digit shown -------------------------------
mp = pytest.importorskip("mpmath")
mp.mp.dps = 60
TINY = 2.2250738585072014e-308        # the smallest normal double: below it values cannot keep 16 digits


def _sig(x):
    return 1 / (1 + mp.exp(-x))


MP_DERIVATIVES = {
    "sigmoid": lambda x: _sig(x) * _sig(-x),
    "tanh": lambda x: mp.sech(x) ** 2,
    "relu": lambda x: mp.mpf(1 if x > 0 else 0),
    "leaky_relu": lambda x: mp.mpf(1 if x >= 0 else 0.1),
    "elu": lambda x: mp.exp(x) if x < 0 else mp.mpf(1),
    "identity": lambda x: mp.mpf(1),
    "gelu": lambda x: mp.ncdf(x) + x * mp.npdf(x),
    "silu": lambda x: _sig(x) * (1 + x * _sig(-x)),
    "softplus": _sig,
}
MP_FUNCTIONS = {
    "sigmoid": _sig,
    "tanh": mp.tanh,
    "elu": lambda x: mp.expm1(x) if x < 0 else x,
    "gelu": lambda x: x * mp.ncdf(x),
    "silu": lambda x: x * _sig(x),
    "softplus": lambda x: mp.log1p(mp.exp(x)),
}
# the page's probe range is -50..50; the issue's examples (σ'(30), σ'(40), tanh' past 12) included
PROBES = np.r_[np.linspace(-50.0, 50.0, 401), [-40.0, 30.0, 40.0, 12.5, -13.0, 20.0, -37.9, 37.9, 1e-8, -1e-8]]


def _relative_errors(computed, reference):
    errors = []
    for x, got in zip(PROBES, computed):
        want = reference(mp.mpf(float(x)))
        if abs(want) < TINY:     # unrepresentable to full precision: it must then be as small
            assert abs(got - want) < TINY, (x, got, want)
            continue
        errors.append(float(abs((got - want) / want)))
    return np.array(errors)


@pytest.mark.parametrize("name", sorted(MP_DERIVATIVES))
def test_derivatives_are_accurate_in_relative_terms_over_the_probe_range(name):
    df = ACTIVATIONS[name].df
    computed = [df(float(x)) for x in PROBES]
    errors = _relative_errors(computed, MP_DERIVATIVES[name])
    # 1e-13 leaves room only for GELU' next to its zero at x = -0.7518 (4e-14 at x = -0.75)
    assert errors.max() < 1e-13, (name, PROBES[errors.argmax()], errors.max())
    np.testing.assert_array_equal(df(PROBES), computed)        # arrays give the same numbers


@pytest.mark.parametrize("name", sorted(MP_FUNCTIONS))
def test_functions_are_accurate_in_relative_terms_over_the_probe_range(name):
    f = ACTIVATIONS[name].f
    errors = _relative_errors([f(float(x)) for x in PROBES], MP_FUNCTIONS[name])
    # scipy's erfc keeps 13 digits deep in its tail (GELU at x = -40: 2e-13); the rest keep 15
    assert errors.max() < (1e-12 if name == "gelu" else 1e-14), (name, errors.max())


def test_the_issues_examples_of_sigma_prime_and_tanh_prime():
    d_sigma, d_tanh = ACTIVATIONS["sigmoid"].df, ACTIVATIONS["tanh"].df
    # σ'(40) = 4.248354255291589e-18 (it showed 0), σ'(30) = 9.357622968839299e-14
    assert d_sigma(40.0) == pytest.approx(4.248354255291589e-18, rel=1e-15)
    assert d_sigma(30.0) == pytest.approx(9.357622968839299e-14, rel=1e-15)
    assert d_sigma(-40.0) == d_sigma(40.0)
    # tanh'(13) = 4 e^{-26} (1 + e^{-26})^{-2} = 2.0446979e-11; 1 - tanh² gives 2.04e-11 with 3 digits only
    assert d_tanh(13.0) == pytest.approx(2.0446979357924766e-11, rel=1e-15)
    assert d_tanh(50.0) == pytest.approx(1.4881058750868004e-43, rel=1e-15)
    assert d_tanh(0.0) == 1.0 and d_sigma(0.0) == 0.25


# -- everything about an activation lives on its registry entry ---------------------------------
def test_symbols_init_rules_and_bounds_are_on_the_entries():
    from explorer.core.activations import OUTPUT_ACTIVATIONS, SOFTMAX

    assert {n: a.symbol for n, a in ACTIVATIONS.items()} == {
        "sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{ReLU}", "leaky_relu": r"\mathrm{LReLU}",
        "maxout": r"\mathrm{maxout}", "elu": r"\mathrm{ELU}", "identity": r"\mathrm{id}",
        "gelu": r"\mathrm{GELU}", "silu": r"\mathrm{SiLU}", "softplus": r"\mathrm{softplus}"}
    assert ACTIVATIONS["sigmoid"].text_symbol == "σ"
    assert {n for n, a in ACTIVATIONS.items() if a.init == "he"} == {
        "relu", "leaky_relu", "elu", "maxout", "gelu", "silu", "softplus"}
    assert {n for n, a in ACTIVATIONS.items() if a.init == "xavier"} == {"sigmoid", "tanh", "identity"}
    assert {n: a.bounds for n, a in ACTIVATIONS.items() if a.bounds} == {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}
    assert [ACTIVATIONS[n].abs_bound for n in ("sigmoid", "tanh", "relu")] == [1.0, 1.0, None]
    assert OUTPUT_ACTIVATIONS == {"softmax": SOFTMAX} and SOFTMAX.abs_bound == 1.0 and SOFTMAX.init == "xavier"
    assert get("softmax", output=True) is SOFTMAX
    with pytest.raises(ValueError, match="unknown activation 'softmax'"):
        get("softmax")
    assert not SOFTMAX.elementwise and not ACTIVATIONS["maxout"].elementwise
    assert all(a.elementwise for n, a in ACTIVATIONS.items() if n != "maxout")


@pytest.mark.parametrize("name", [n for n in NAMES if ACTIVATIONS[n].bounds])
def test_bounded_outputs_stay_in_their_bounds(name):
    a = ACTIVATIONS[name]
    y = a.f(np.r_[np.linspace(-1e3, 1e3, 2001), -1e300, 1e300])
    lo, hi = a.bounds
    assert lo <= y.min() and y.max() <= hi and y.min() < lo + 1e-9 and y.max() > hi - 1e-9


def test_derivative_from_the_output_where_exact():
    x = np.linspace(-8, 8, 161) + 0.013
    with_output = {n for n, a in ACTIVATIONS.items() if a.df_from_output is not None}
    assert with_output == {"sigmoid", "tanh", "relu", "identity"}
    for n in with_output:
        a = ACTIVATIONS[n]
        np.testing.assert_allclose(a.df_from_output(a.f(x)) * np.ones_like(x), a.df(x), rtol=1e-12, atol=1e-15)
        dA = np.cos(x)
        np.testing.assert_allclose(a.df_from_output(a.f(x), dA), dA * a.df(x), rtol=1e-12, atol=1e-15)


def test_layer_functions_for_each_kind_of_layer():
    from explorer.core.activations import SOFTMAX

    Z = np.array([[1.0, -2.0], [0.5, 3.0], [2.0, -5.0], [0.0, 4.0]])
    dA = np.array([[1.0, 2.0], [3.0, 4.0]])
    f, grad = ACTIVATIONS["maxout"].layer_functions(pieces=2)
    a = f(Z)
    np.testing.assert_array_equal(a, [[2.0, -2.0], [0.5, 4.0]])
    np.testing.assert_array_equal(grad(Z, a, dA), [[0, 2], [3, 0], [1, 0], [0, 4]])
    f, grad = SOFTMAX.layer_functions()
    assert grad is None
    np.testing.assert_allclose(f(Z).sum(axis=0), 1.0)
    f, grad = ACTIVATIONS["leaky_relu"].layer_functions(slope=0.2)
    np.testing.assert_array_equal(f(Z), np.where(Z >= 0, Z, 0.2 * Z))
    np.testing.assert_array_equal(grad(Z, f(Z), np.ones_like(Z)), np.where(Z >= 0, 1.0, 0.2))
    f, grad = ACTIVATIONS["tanh"].layer_functions()
    np.testing.assert_array_equal(grad(Z, f(Z), 2.0 * np.ones_like(Z)), 2.0 * (1.0 - np.tanh(Z) ** 2))
    with pytest.raises(TypeError):
        ACTIVATIONS["relu"].layer_functions(slope=0.1)
    with pytest.raises(ValueError, match="not element-wise"):
        SOFTMAX.df(Z)
