"""The trainer: it learns XOR with a nonlinearity, cannot without, and stops on divergence."""
import numpy as np
import pytest

from explorer.core import datasets
from explorer.core.mlp import MLP
from explorer.core.train import Optimiser, Trainer, accuracy


def test_nonlinear_network_learns_xor_and_linear_cannot():
    X, Y = datasets.xor(200, 0.05, seed=0)
    curved = Trainer(MLP(2, [8, 8, 1], ["tanh", "tanh", "sigmoid"], seed=0), X, Y, "binary", lr=0.03).step(500)
    straight = Trainer(MLP(2, [8, 8, 1], ["identity", "identity", "sigmoid"], seed=0), X, Y, "binary",
                       lr=0.03).step(500)
    assert curved["train_accuracy"] > 0.97
    assert straight["train_accuracy"] < 0.8


@pytest.mark.parametrize("kind, lr", [("sgd", 0.5), ("momentum", 0.05), ("adam", 0.05)])
def test_every_optimiser_lowers_the_loss(kind, lr):
    X, Y = datasets.circles(200, 0.05, seed=1)
    t = Trainer(MLP(2, [8, 1], ["tanh", "sigmoid"], seed=1), X, Y, "binary", optimiser=kind, lr=lr,
                batch_size=32)
    first = t.evaluate()["train_loss"]
    assert t.step(300)["train_loss"] < 0.8 * first


def test_divergence_stops_and_says_why():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 50)) * 10
    Y = rng.normal(size=(1, 50)) * 100
    t = Trainer(MLP(2, [8, 1], ["relu", "identity"], seed=0), X, Y, "regression", optimiser="sgd", lr=10.0)
    t.step(200)
    assert t.status == "diverged" and "learning rate" in t.message
    assert t.steps < 200


def test_adam_step_against_hand_computation():
    p = [np.array([1.0, -2.0])]
    opt = Optimiser(p, "adam", lr=0.1)
    opt.update(p, [np.array([0.5, -0.25])])
    # first Adam step moves each parameter by lr * sign(g) (bias-corrected m/sqrt(v) = ±1)
    np.testing.assert_allclose(p[0], [0.9, -1.9], atol=1e-6)


def test_accuracy():
    assert accuracy(np.array([[0.9, 0.2, 0.6]]), np.array([[1, 0, 0]]), "binary") == pytest.approx(2 / 3)
    assert accuracy(np.array([[0.1, 0.8], [0.9, 0.2]]), np.array([[0, 1], [1, 0]]), "multiclass") == 1.0


def test_bad_settings():
    with pytest.raises(ValueError):
        Optimiser([np.zeros(2)], "rmsprop")
    with pytest.raises(ValueError):
        Optimiser([np.zeros(2)], "sgd", lr=float("nan"))
    with pytest.raises(ValueError):
        datasets.xor(n=10**7)
