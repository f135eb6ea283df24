"""Pins every number the MLP computes (forward, trace, backprop) bit for bit.

The browser twin is tested against :class:`explorer.core.train.Trainer` to 1e-9, so a
refactor of :mod:`explorer.core.mlp` must not move a single bit. The reference below is
the MLP as it was written before its forward loop was unified: plain numpy, the same
operations in the same order, so ``assert_array_equal`` holds on any machine.
"""
import numpy as np
import pytest

from explorer.core import activations as act
from explorer.core.activations import ACTIVATIONS, NAMES
from explorer.core.mlp import MLP
from explorer.core.probability import log_softmax, softmax


def _reference_functions(name, pieces, slope, alpha):
    """The old ``mlp._activation_functions``: ``(f(Z), grad(Z, a, dA))``."""
    if name == "softmax":
        return (lambda Z: softmax(Z, axis=0)), None
    if name == "maxout":
        return ((lambda Z: act.maxout_reduce(Z, pieces)),
                (lambda Z, a, dA: np.tile(dA, (pieces, 1)) * act.maxout_mask(Z, pieces)))
    if name == "sigmoid":
        return act.sigmoid, (lambda Z, a, dA: dA * a * (1.0 - a))
    if name == "tanh":
        return np.tanh, (lambda Z, a, dA: dA * (1.0 - a * a))
    if name == "relu":
        return (lambda Z: np.maximum(Z, 0.0)), (lambda Z, a, dA: dA * (Z > 0))
    if name == "identity":
        return (lambda Z: Z), (lambda Z, a, dA: dA)
    if name == "leaky_relu":
        return ((lambda Z: np.where(Z >= 0, Z, slope * Z)),
                (lambda Z, a, dA: dA * np.where(Z >= 0, 1.0, slope)))
    if name == "elu":
        return ((lambda Z: np.where(Z >= 0, Z, alpha * np.expm1(np.minimum(Z, 0.0)))),
                (lambda Z, a, dA: dA * np.where(Z >= 0, 1.0, alpha * np.exp(np.minimum(Z, 0.0)))))
    a = ACTIVATIONS[name]   # gelu, silu, softplus: the registry's own f and df (pinned below by value)
    return a._f, (lambda Z, A, dA: dA * a._df(Z))


def _reference(net, X, Y, head):
    fns = [_reference_functions(l.activation, l.spec.pieces, l.slope, l.alpha) for l in net.layers]
    cache, a = [], X
    for layer, (f, _) in zip(net.layers, fns):
        Z = layer.W @ a + layer.b
        a = f(Z)
        cache.append((Z, a))
    Z = cache[-1][0]
    B = X.shape[1]
    if head == "binary":
        loss = float(np.mean(np.logaddexp(0.0, Z) - Y * Z))
    elif head == "multiclass":
        loss = float(-np.sum(Y * log_softmax(Z, axis=0)) / B)
    else:
        loss = float(np.sum((Z - Y) * (Z - Y)) / B)
    dZ = 2.0 * (Z - Y) / B if head == "regression" else (cache[-1][1] - Y) / B
    grads = [None] * len(net.layers)
    for i in range(len(net.layers) - 1, -1, -1):
        a_prev = X if i == 0 else cache[i - 1][1]
        grads[i] = (dZ @ a_prev.T, dZ.sum(axis=1, keepdims=True))
        if i:
            dA = net.layers[i].W.T @ dZ
            dZ = fns[i - 1][1](cache[i - 1][0], cache[i - 1][1], dA)
    return cache, loss, grads


HEAD_OUT = {"binary": (1, "sigmoid"), "multiclass": (3, "softmax"), "regression": (2, "identity")}


def _case(hidden, head, seed):
    rng = np.random.default_rng([seed, 5])
    out, f = HEAD_OUT[head]
    net = MLP(3, [5, 4, out], [hidden, hidden, f], seed=seed, slope=0.07, alpha=1.3, pieces=3)
    X = 2.0 * rng.normal(size=(3, 11))
    if head == "binary":
        Y = (rng.random((1, 11)) > 0.5).astype(float)
    elif head == "multiclass":
        Y = np.eye(3)[:, rng.integers(0, 3, 11)]
    else:
        Y = rng.normal(size=(2, 11))
    return net, X, Y


@pytest.mark.parametrize("head", list(HEAD_OUT))
@pytest.mark.parametrize("hidden", NAMES)
def test_forward_trace_and_backprop_are_bit_for_bit_the_reference(hidden, head):
    net, X, Y = _case(hidden, head, seed=NAMES.index(hidden))
    cache, loss, grads = _reference(net, X, Y, head)
    for (Z, a), (Zr, ar) in zip(net.forward_all(X), cache):
        np.testing.assert_array_equal(Z, Zr)
        np.testing.assert_array_equal(a, ar)
    np.testing.assert_array_equal(net.forward(X), cache[-1][1])
    np.testing.assert_array_equal(net.logits(X), cache[-1][0])
    for row, (Zr, ar) in zip(net.trace(X), cache):
        np.testing.assert_array_equal(row["Z_values"], Zr)
        np.testing.assert_array_equal(row["a_values"], ar)
    for got_loss, got in (net.backprop(X, Y, head), net.loss_and_grads(X, Y, head)):
        assert got_loss == loss
        for (dW, db), (dWr, dbr) in zip(got, grads):
            np.testing.assert_array_equal(dW, dWr)
            np.testing.assert_array_equal(db, dbr)


# Literal values (seed 0, the "regression" head), so that the reference itself cannot drift:
# the loss and the first entry of dW^{[1]} for every hidden activation.
PINNED = {
    "sigmoid": (5.087320317126804, 0.08003764613988794),
    "tanh": (3.6266033396116195, 0.4317020544083878),
    "relu": (79.8071739057828, 1.9186173680607357),
    "leaky_relu": (80.94792293702234, 2.7042709550498905),
    "maxout": (108.5458949017633, 0.3993028339993277),
    "elu": (88.87658764362283, 4.565315377863125),
    "identity": (24.545539581557083, 5.264788390921422),
    "gelu": (79.31189053455468, 1.1662171181615453),
    "silu": (77.58516779558147, 0.864068801524058),
    "softplus": (82.48795239976847, 2.138255649230461),
}


@pytest.mark.parametrize("hidden", NAMES)
def test_seeded_loss_and_gradient_are_pinned_to_literals(hidden):
    net, X, Y = _case(hidden, "regression", seed=0)
    loss, grads = net.backprop(X, Y, "regression")
    want_loss, want_dw = PINNED[hidden]
    assert loss == pytest.approx(want_loss, rel=1e-14, abs=0)
    assert grads[0][0][0, 0] == pytest.approx(want_dw, rel=1e-13, abs=1e-300)
