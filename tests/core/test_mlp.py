"""The MLP: forward pass against a hand-written reference, collapse, and backprop against finite differences."""
import numpy as np
import pytest
from scipy import special

from explorer.core.activations import NAMES
from explorer.core.mlp import MLP, collapse_latex


def test_contract_of_the_issue():
    net = MLP(n_in=4, widths=[3, 2, 1], activations=["sigmoid"] * 3, seed=0)
    assert net.layers[0].W.shape == (3, 4) and net.layers[0].b.shape == (3, 1)
    assert net.n_params == 26 and net.formula == "3N+14"
    X = np.random.default_rng(1).normal(size=(4, 8))
    assert net.forward(X).shape == (1, 8)
    rows = net.trace(X)
    assert [r["params"] for r in rows] == [15, 8, 3]
    assert rows[0]["a_values"].shape == (3, 8)


def test_forward_matches_explicit_formula():
    net = MLP(5, [4, 3, 2], ["tanh", "relu", "softmax"], seed=3)
    X = np.random.default_rng(0).normal(size=(5, 7))
    (W1, b1), (W2, b2), (W3, b3) = [(l.W, l.b) for l in net.layers]
    a1 = np.tanh(W1 @ X + b1)
    a2 = np.maximum(W2 @ a1 + b2, 0)
    y = special.softmax(W3 @ a2 + b3, axis=0)
    np.testing.assert_allclose(net.forward(X), y, rtol=1e-12)
    np.testing.assert_allclose(net.forward(X).sum(axis=0), 1.0)


def test_maxout_layer_has_k_pieces():
    net = MLP(3, [4, 1], ["maxout", "identity"], seed=0, pieces=3)
    assert net.layers[0].W.shape == (12, 3) and net.n_params == 3 * (4 * 3 + 4) + 5
    X = np.random.default_rng(0).normal(size=(3, 6))
    Z = net.layers[0].W @ X + net.layers[0].b
    expected = np.max(Z.reshape(3, 4, 6), axis=0)
    np.testing.assert_allclose(net.forward_all(X)[0][1], expected)


def test_seed_reproduces_and_differs():
    a = MLP(4, [3, 1], ["relu", "sigmoid"], seed=7)
    b = MLP(4, [3, 1], ["relu", "sigmoid"], seed=7)
    c = MLP(4, [3, 1], ["relu", "sigmoid"], seed=8)
    assert np.array_equal(a.layers[0].W, b.layers[0].W) and not np.array_equal(a.layers[0].W, c.layers[0].W)


@pytest.mark.parametrize("widths", [[1], [3, 2, 1], [7, 5, 6, 4, 3, 2], [16, 16, 16, 16, 16, 16, 8]])
def test_collapse_equals_deep_linear_network(widths):
    rng = np.random.default_rng(len(widths))
    net = MLP(6, widths, ["identity"] * len(widths), seed=2)
    X = rng.normal(size=(6, 50))
    W_eff, b_eff = net.collapse()
    assert W_eff.shape == (widths[-1], 6) and b_eff.shape == (widths[-1], 1)
    assert np.max(np.abs(net.forward(X) - (W_eff @ X + b_eff))) < 1e-10


def test_collapse_matches_the_slides_expansion():
    net = MLP(4, [3, 2, 1], ["identity"] * 3, seed=0)
    (W1, b1), (W2, b2), (W3, b3) = [(l.W, l.b) for l in net.layers]
    W_eff, b_eff = net.collapse()
    np.testing.assert_allclose(W_eff, W3 @ W2 @ W1)
    np.testing.assert_allclose(b_eff, W3 @ W2 @ b1 + W3 @ b2 + b3)
    assert collapse_latex(3) == (r"\hat{y} = W^{[3]}W^{[2]}W^{[1]}X + W^{[3]}W^{[2]}b^{[1]} "
                                 r"+ W^{[3]}b^{[2]} + b^{[3]}")


def test_collapse_refuses_nonlinear_and_allows_logits():
    net = MLP(2, [4, 1], ["tanh", "identity"], seed=0)
    with pytest.raises(ValueError, match=r"layer 1 \(tanh\)"):
        net.collapse()
    logistic = MLP(2, [4, 1], ["identity", "sigmoid"], seed=0)
    W, b = logistic.collapse(logits=True)
    X = np.random.default_rng(0).normal(size=(2, 9))
    np.testing.assert_allclose(logistic.logits(X), W @ X + b, atol=1e-12)


def numeric_grads(net, X, Y, head, h=1e-6):
    out = []
    for layer in net.layers:
        pair = []
        for P in (layer.W, layer.b):
            G = np.zeros_like(P)
            for idx in np.ndindex(P.shape):
                old = P[idx]
                P[idx] = old + h
                lp, _ = net.loss_and_grads(X, Y, head)
                P[idx] = old - h
                lm, _ = net.loss_and_grads(X, Y, head)
                P[idx] = old
                G[idx] = (lp - lm) / (2 * h)
            pair.append(G)
        out.append(pair)
    return out


HEAD_LAST = {"binary": "sigmoid", "multiclass": "softmax", "regression": "identity"}


@pytest.mark.parametrize("trial", range(12))
def test_backprop_matches_finite_differences(trial):
    rng = np.random.default_rng(100 + trial)
    head = ["binary", "multiclass", "regression"][trial % 3]
    depth = rng.integers(1, 4)
    hidden = [int(rng.integers(1, 5)) for _ in range(depth)]
    acts = [str(rng.choice(NAMES)) for _ in range(depth)]
    K = 3 if head == "multiclass" else 1
    net = MLP(3, hidden + [K], acts + [HEAD_LAST[head]], seed=trial, pieces=int(rng.integers(2, 4)), alpha=0.7,
              slope=0.2)
    B = 5
    X = rng.normal(size=(3, B))
    if head == "binary":
        Y = rng.integers(0, 2, size=(1, B)).astype(float)
    elif head == "multiclass":
        Y = np.eye(K)[:, rng.integers(0, K, size=B)]
    else:
        Y = rng.normal(size=(1, B))
    loss, grads = net.loss_and_grads(X, Y, head)
    assert np.isfinite(loss)
    for (dW, db), (nW, nb) in zip(grads, numeric_grads(net, X, Y, head)):
        np.testing.assert_allclose(dW, nW, rtol=1e-4, atol=1e-6)
        np.testing.assert_allclose(db, nb, rtol=1e-4, atol=1e-6)


def test_losses_are_the_textbook_ones_and_stable():
    net = MLP(2, [1], ["sigmoid"], seed=0)
    X = np.array([[1.0, -2.0], [0.5, 3.0]])
    Y = np.array([[1.0, 0.0]])
    p = net.forward(X)
    expected = -np.mean(Y * np.log(p) + (1 - Y) * np.log(1 - p))
    assert net.loss_and_grads(X, Y, "binary")[0] == pytest.approx(expected, rel=1e-12)
    net.layers[0].W[:] = 1e4  # logits of ±1e4: the naive formula would give log(0)
    loss, _ = net.loss_and_grads(X, np.array([[0.0, 1.0]]), "binary")
    assert np.isfinite(loss) and loss > 1e3


def test_wrong_inputs_are_clear_errors():
    net = MLP(4, [3, 1], ["relu", "sigmoid"], seed=0)
    with pytest.raises(ValueError, match=r"N = 4"):
        net.forward(np.zeros((5, 2)))
    with pytest.raises(ValueError, match="needs a softmax"):
        net.loss_and_grads(np.zeros((4, 2)), np.zeros((1, 2)), "multiclass")
    with pytest.raises(ValueError, match="head must be"):
        net.loss_and_grads(np.zeros((4, 2)), np.zeros((1, 2)), "poisson")
    with pytest.raises(MemoryError):
        MLP(10**9, [512, 1], ["relu", "sigmoid"])


def test_initialisation_follows_each_activations_registry_rule():
    from explorer.core.activations import ACTIVATIONS

    n_in, width = 400, 300
    for name, entry in ACTIVATIONS.items():
        net = MLP(n_in, [width, 1], [name, "identity"], seed=1, bias_std=0.0)
        he, xavier = np.sqrt(2.0 / n_in), np.sqrt(2.0 / (n_in + width))
        want = he if entry.init == "he" else xavier
        assert net.layers[0].W.std() == pytest.approx(want, rel=0.02), name
        assert np.all(net.layers[0].b == 0.0)
    forced = MLP(n_in, [width, 1], ["relu", "identity"], seed=1, init="xavier")
    assert forced.layers[0].W.std() == pytest.approx(np.sqrt(2.0 / (n_in + width)), rel=0.02)


def test_every_forward_pass_runs_the_one_layer_loop(monkeypatch):
    from explorer.core import mlp as mlp_module

    net = MLP(3, [4, 2], ["tanh", "softmax"], seed=0)
    X = np.random.default_rng(0).normal(size=(3, 5))
    Y = np.eye(2)[:, [0, 1, 1, 0, 1]]
    calls = []
    original = mlp_module.Layer.forward

    def counting(self, a_prev, matmul=np.matmul):
        calls.append(self.spec.index)
        return original(self, a_prev, matmul)

    monkeypatch.setattr(mlp_module.Layer, "forward", counting)
    for run in (lambda: net.forward(X), lambda: net.logits(X), lambda: net.trace(X),
                lambda: net.backprop(X, Y, "multiclass"), lambda: net.loss_and_grads(X, Y, "multiclass")):
        calls.clear()
        run()
        assert calls == [1, 2]


def test_unchecked_forward_and_another_matmul_give_the_same_numbers():
    net = MLP(2, [6, 5, 1], ["relu", "tanh", "sigmoid"], seed=3)
    X = np.random.default_rng(2).normal(size=(2, 40))
    checked = net.forward_all(X)
    for (Z, a), (Zu, au) in zip(checked, net.forward_all(X, check=False)):
        np.testing.assert_array_equal(Z, Zu)
        np.testing.assert_array_equal(a, au)
    einsum = net.forward_all(X, check=False, matmul=lambda W, a: np.einsum("ij,jk->ik", W, a))
    for (Z, a), (Ze, ae) in zip(checked, einsum):
        np.testing.assert_allclose(Ze, Z, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(ae, a, rtol=1e-13, atol=1e-15)
    with pytest.raises(ValueError, match="X must be"):
        net.forward_all(np.zeros((3, 4)))
