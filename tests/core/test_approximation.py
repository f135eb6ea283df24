"""Universal approximation core: the targets, the sum of hidden units, training and the width sweep."""
import math

import numpy as np
import pytest

from explorer.core import approximation as ua
from explorer.core.activations import ACTIVATIONS, NAMES
from explorer.core.mlp import MLP


# -- targets ---------------------------------------------------------------------------
@pytest.mark.parametrize("name, x, y", [
    ("sine", 0.0, 0.0), ("sine", math.pi / 4, 1.0), ("sine", -math.pi / 4, -1.0), ("sine", 3.0, math.sin(6.0)),
    ("abs", -2.0, 2.0), ("abs", 0.0, 0.0), ("abs", 1.5, 1.5),
    ("step", -0.01, 0.0), ("step", 0.0, 1.0), ("step", 2.5, 1.0), ("step", -3.0, 0.0),
    ("sawtooth", 0.0, 0.0), ("sawtooth", 0.5, 0.5), ("sawtooth", -0.5, -0.5), ("sawtooth", 1.5, -0.5),
    ("sawtooth", 0.99, 0.99), ("sawtooth", 1.0, -1.0), ("sawtooth", 2.0, 0.0),
    ("bump", 0.0, 1.0), ("bump", 1.0, math.exp(-2.0)), ("bump", -1.0, math.exp(-2.0)),
    ("polynomial", 0.0, 0.0), ("polynomial", 3.0, 0.9), ("polynomial", -3.0, -0.9), ("polynomial", 1.0, -0.5),
])
def test_targets_at_known_points(name, x, y):
    assert ua.target_values(name, x) == pytest.approx(y, abs=1e-12)


def test_targets_are_vectorised_and_the_sawtooth_has_period_two():
    x = np.linspace(-3, 1, 41) + 0.013
    for name in ua.TARGETS:
        values = ua.target_values(name, x)
        assert values.shape == x.shape and np.all(np.isfinite(values))
    np.testing.assert_allclose(ua.target_values("sawtooth", x + 2.0), ua.target_values("sawtooth", x), atol=1e-12)


def test_unknown_target_is_refused():
    with pytest.raises(ValueError, match="unknown target"):
        ua.target_values("cosine", 0.0)


def test_data_is_evenly_spaced_and_the_noise_is_seeded():
    x, y = ua.make_data("sine", 200, 0.0, seed=3)
    assert x.shape == y.shape == (200,) and x[0] == -3.0 and x[-1] == 3.0
    np.testing.assert_allclose(np.diff(x), 6.0 / 199)
    np.testing.assert_array_equal(y, np.sin(2 * x))
    _, a = ua.make_data("sine", 200, 0.2, seed=3)
    _, b = ua.make_data("sine", 200, 0.2, seed=3)
    _, c = ua.make_data("sine", 200, 0.2, seed=4)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert 0.1 < np.std(a - y) < 0.3
    assert np.std(a - y) == pytest.approx(0.199494, abs=1e-6)      # seed 3: the noise's standard deviation 0.2
    with pytest.raises(ValueError):
        ua.make_data("sine", 200, -0.1)


def test_inputs_are_scaled_to_minus_one_one():
    assert ua.scale(np.array(ua.X_RANGE)).tolist() == [-1.0, 1.0]


# -- the network and its hidden units ---------------------------------------------------
def test_network_is_seeded_with_units_spread_over_the_range():
    a, b, c = ua.make_network(16, "tanh", 5), ua.make_network(16, "tanh", 5), ua.make_network(16, "tanh", 6)
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(p, q)
    assert not np.array_equal(a.layers[0].W, c.layers[0].W)
    assert [layer.W.shape for layer in a.layers] == [(16, 1), (1, 16)]
    assert a.layers[1].activation == "identity" and a.n_params == 3 * 16 + 1
    centres = ua.centres(a)
    assert np.all(np.abs(centres) <= 3.0) and np.ptp(centres) > 2.0   # not all bunched at 0
    assert a.layers[1].b[0, 0] == 0.0
    assert 0.05 < np.std(ua.predict(a, ua.grid())) < 2.0              # a gentle starting curve


@pytest.mark.parametrize("activation", NAMES)
@pytest.mark.parametrize("width", [1, 7, 64])
def test_contributions_sum_to_the_network_output(activation, width):
    net = ua.make_network(width, activation, seed=width)
    x = np.random.default_rng(0).uniform(-3, 3, 257)
    C, b2 = ua.contributions(net, x)
    assert C.shape == (width, 257)
    y_hat = net.forward(ua.scale(x).reshape(1, -1))[0]   # the MLP's own forward pass
    np.testing.assert_allclose(C.sum(axis=0) + b2, y_hat, rtol=0, atol=1e-12)


def test_contributions_after_training_still_sum_exactly():
    trainer = ua.make_trainer("sawtooth", 32, "relu", noise=0.1, seed=2)
    trainer.step(300)
    x = ua.grid(513)
    C, b2 = ua.contributions(trainer.net, x)
    np.testing.assert_allclose(C.sum(axis=0) + b2, trainer.net.forward(ua.scale(x)[None])[0], rtol=0, atol=1e-12)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "elu", "gelu"])
def test_each_contribution_is_w2_times_f_of_w1_u_plus_b1(activation):
    net = ua.make_network(5, activation, seed=1)
    x = np.linspace(-3, 3, 31)
    C, b2 = ua.contributions(net, x)
    W1, b1 = net.layers[0].W[:, 0], net.layers[0].b[:, 0]
    w2 = net.layers[1].W[0]
    f = ACTIVATIONS[activation].f
    for j in range(5):
        np.testing.assert_allclose(C[j], w2[j] * f(W1[j] * x / 3.0 + b1[j]), rtol=1e-12, atol=1e-14)
    assert b2 == net.layers[1].b[0, 0]


def test_contributions_refuse_other_networks():
    with pytest.raises(ValueError, match="1 -> width -> 1"):
        ua.contributions(MLP(2, [4, 1], ["tanh", "identity"]), np.zeros(3))
    with pytest.raises(ValueError, match="1 -> width -> 1"):
        ua.contributions(MLP(1, [4, 4, 1], ["tanh", "tanh", "identity"]), np.zeros(3))


def test_grid_mse_is_the_mean_squared_gap_on_the_dense_grid():
    net = ua.make_network(4, "tanh", seed=0)
    x = np.linspace(-3, 3, ua.GRID_POINTS)
    expected = np.mean((ua.predict(net, x) - np.abs(x)) ** 2)
    assert ua.grid_mse(net, "abs") == pytest.approx(expected, rel=1e-12)


# -- training ----------------------------------------------------------------------------
def test_sixteen_tanh_units_fit_the_sine_and_one_unit_cannot():
    wide = ua.make_trainer("sine", 16, "tanh", lr=ua.DEFAULT_LR, seed=0)
    narrow = ua.make_trainer("sine", 1, "tanh", lr=ua.DEFAULT_LR, seed=0)
    wide.step(1000)
    narrow.step(1000)
    assert ua.grid_mse(wide.net, "sine") < 1e-3
    assert ua.grid_mse(narrow.net, "sine") > 0.1


def test_training_is_reproducible_from_the_seed():
    a = ua.make_trainer("bump", 8, "relu", noise=0.05, seed=11)
    b = ua.make_trainer("bump", 8, "relu", noise=0.05, seed=11)
    a.step(50)
    for _ in range(5):
        b.step(10)   # chunking does not matter: full-batch Adam is deterministic
    for p, q in zip(a.net.parameters(), b.net.parameters()):
        np.testing.assert_allclose(p, q, rtol=0, atol=1e-12)


def test_identity_activation_fits_only_a_straight_line():
    trainer = ua.make_trainer("abs", 32, "identity", seed=0)
    trainer.step(500)
    x = ua.grid(101)
    y_hat = ua.predict(trainer.net, x)
    np.testing.assert_allclose(np.diff(y_hat, 2), 0.0, atol=1e-9)   # collinear: one straight line
    dense = ua.grid()   # where grid_mse measures
    slope, intercept = np.polyfit(dense, np.abs(dense), 1)
    best_line = np.mean((slope * dense + intercept - np.abs(dense)) ** 2)
    assert ua.grid_mse(trainer.net, "abs") >= 0.99 * best_line


def test_width_sweep_error_falls_as_width_grows():
    result = ua.width_sweep("sine", "tanh")     # its time is measured in benchmarks/, not asserted here
    errors = np.array(result.grid_mse)
    assert result.widths == ua.WIDTHS and result.steps == ua.SWEEP_STEPS
    assert np.all(np.isfinite(errors)) and np.all(np.isfinite(result.train_loss))
    assert errors[-1] < errors[0] / 1000                     # width 64 vs width 1
    assert np.polyfit(np.log(ua.WIDTHS), np.log(errors), 1)[0] < -1.0   # a falling trend on log-log axes
    assert sum(b > a for a, b in zip(errors, errors[1:])) <= 1


def test_fit_width_matches_a_trainer_run():
    mse, loss = ua.fit_width("polynomial", 4, "sigmoid", steps=200, lr=0.01, seed=3, noise=0.0)
    trainer = ua.make_trainer("polynomial", 4, "sigmoid", 0.0, 0.01, 3)
    metrics = trainer.step(200)
    assert mse == ua.grid_mse(trainer.net, "polynomial") and loss == metrics["train_loss"]
