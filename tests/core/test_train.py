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
    assert (curved["train_accuracy"], straight["train_accuracy"]) == pytest.approx((1.0, 136 / 200))   # seeded


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
    assert t.steps == 5      # seeded: the loss passes the divergence limit at the fifth step


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


# -- batch order, exact epochs, retune, regularisation (the semantics nn.js mirrors) -----------------
from explorer.core.shuffle import Rng, permutation  # noqa: E402
from explorer.core.train import KEEP, check_data  # noqa: E402


def _indexed(n, batch_size, seed=5, head="regression"):
    """A trainer whose single input feature is the sample's index, so a batch tells which points it holds."""
    X = np.arange(n, dtype=float).reshape(1, n)
    Y = np.zeros((1, n))
    return Trainer(MLP(1, [1], ["identity"], seed=0), X, Y, head, optimiser="sgd", lr=1e-6,
                   batch_size=batch_size, seed=seed)


def _draw(t, steps):
    return [t._next_batch()[0][0].astype(int).tolist() for _ in range(steps)]


def test_an_epoch_uses_every_point_once_when_B_does_not_divide_n():
    t = _indexed(23, 5)
    assert t.steps_per_epoch == 5
    batches = _draw(t, 5)
    assert [len(b) for b in batches] == [5, 5, 5, 5, 3]
    assert sorted(sum(batches, [])) == list(range(23))
    assert sum(batches, []) == permutation(Rng(5), 23)          # the portable order, seeded
    assert (t.epoch, t.cursor) == (1, 0)
    second = sum(_draw(t, 5), [])
    rng = Rng(5)
    permutation(rng, 23)
    assert second == permutation(rng, 23)                       # a fresh permutation each epoch
    assert t.epoch == 2


def test_full_batch_is_one_epoch_per_step_in_natural_order_without_drawing():
    t = _indexed(7, None)
    state = t._rng.state
    assert _draw(t, 2) == [list(range(7))] * 2
    assert (t.epoch, t._rng.state) == (2, state)
    assert _indexed(7, 50).batch == 7                         # B > n is full batch too


def test_train_epochs_stops_on_an_epoch_boundary():
    t = _indexed(23, 5)
    t.train_steps(2)
    assert (t.epoch, t.cursor) == (0, 10)
    assert t.steps_to_epochs(1) == 3 and t.steps_to_epochs(3) == 13 and t.steps_to_epochs(0) == 0
    t.train_epochs(3)
    assert (t.steps, t.epoch, t.cursor) == (15, 3, 0)
    assert t.evaluate()["epoch"] == 3


def test_retune_keeps_or_changes_the_batch_size_explicitly():
    t = _indexed(23, 5)
    _draw(t, 1)
    t.retune(lr=0.5)                                  # KEEP by default
    assert (t.batch_size, t.batch) == (5, 5)
    t.retune(batch_size=KEEP)
    assert t.batch == 5
    t.retune(batch_size=4)                            # mid-epoch: same order, same position
    rest = _draw(t, 5)
    assert [len(b) for b in rest] == [4, 4, 4, 4, 2]
    assert sum(rest, []) == permutation(Rng(5), 23)[5:]
    t.retune(batch_size=None)                         # full batch
    assert (t.batch_size, t.batch, t.steps_per_epoch) == (None, 23, 1)
    assert repr(KEEP) == "KEEP"


def test_retune_keeps_adams_state_unless_the_optimiser_changes():
    X, Y = datasets.xor(40, 0.05, seed=0)
    t = Trainer(MLP(2, [3, 1], ["tanh", "sigmoid"], seed=0), X, Y, "binary", optimiser="adam", lr=0.01)
    t.train_steps(3)
    opt = t._opt
    t.retune(lr=0.02, optimiser="adam")
    assert t._opt is opt and opt.t == 3 and opt.lr == 0.02
    t.retune(optimiser="momentum")
    assert t._opt is not opt and t._opt.kind == "momentum" and t._opt.t == 0 and t._opt.lr == 0.02
    with pytest.raises(ValueError, match="learning rate"):
        t.retune(lr=-1.0)
    assert t.lr == 0.02


@pytest.mark.parametrize("l1, l2", [(0.0, 0.0), (0.1, 0.0), (0.0, 0.3), (0.1, 0.3)])
def test_l1_and_l2_act_on_the_weights_only(l1, l2):
    X, Y = datasets.xor(30, 0.05, seed=2)
    net = MLP(2, [3, 1], ["tanh", "sigmoid"], seed=4)
    before = [p.copy() for p in net.parameters()]
    _, grads = net.loss_and_grads(X, Y, "binary")
    t = Trainer(net, X, Y, "binary", optimiser="sgd", lr=0.1, l1=l1, l2=l2)
    t.train_steps(1)
    for i, (dW, db) in enumerate(grads):
        W0, b0 = before[2 * i], before[2 * i + 1]
        np.testing.assert_allclose(net.layers[i].W, W0 - 0.1 * (dW + l2 * W0 + l1 * np.sign(W0)), rtol=1e-12)
        np.testing.assert_allclose(net.layers[i].b, b0 - 0.1 * db, rtol=1e-12)


def test_check_data_says_what_is_wrong():
    net = MLP(2, [3, 1], ["tanh", "sigmoid"], seed=0)
    X, Y = np.zeros((2, 4)), np.zeros((1, 4))
    assert check_data(net, X, Y, "binary")[0].shape == (2, 4)
    with pytest.raises(ValueError, match="must be \\[N, B\\] with N = 2"):
        check_data(net, np.zeros((3, 4)), Y, "binary")
    with pytest.raises(ValueError, match="targets Y must be \\[1, 4\\]"):
        check_data(net, X, np.zeros((1, 5)), "binary")
    with pytest.raises(ValueError, match="needs a identity output layer"):
        check_data(net, X, Y, "regression")
    with pytest.raises(ValueError, match="head must be one of"):
        check_data(net, X, Y, "ranking")
    with pytest.raises(ValueError, match="at least one sample"):
        check_data(net, np.zeros((2, 0)), np.zeros((1, 0)), "binary")
    with pytest.raises(ValueError, match="test inputs"):
        Trainer(net, X, Y, "binary", X_test=np.zeros((1, 3)), Y_test=np.zeros((1, 3)))
    with pytest.raises(ValueError, match="both X_test and Y_test"):
        Trainer(net, X, Y, "binary", X_test=X)


def test_divergence_message_names_the_step_and_the_rate():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 50)) * 10
    Y = rng.normal(size=(1, 50)) * 100
    t = Trainer(MLP(2, [8, 1], ["relu", "identity"], seed=0), X, Y, "regression", optimiser="sgd", lr=10.0)
    t.train_steps(200)
    assert t.message.startswith(f"Training diverged at step {t.steps}: ")
    assert "learning rate (10)" in t.message
    done = t.steps
    assert np.isnan(t.train_steps(5)) and t.steps == done      # a diverged trainer does nothing more


def test_the_portable_generator_is_mulberry32():
    rng = Rng(0)
    assert [rng.next_uint32() for _ in range(3)] == [1144304738, 1416247, 958946056]
    assert Rng(2**32 + 7).state == Rng(7).state and Rng(-1).state == 2**32 - 1
    order = permutation(Rng(42), 1000)
    assert sorted(order) == list(range(1000)) and order != list(range(1000))
    with pytest.raises(ValueError):
        Rng(0).below(0)
