"""A multi-layer perceptron in the lecture's notation, forward and backward.

Read top to bottom: a :class:`Layer` is ``Z = W a + b`` then ``a = f(Z)``;
an :class:`MLP` is a list of layers. The forward pass of the slides::

    Z^{[1]} = W^{[1]} X + b^{[1]}        a^{[1]} = f(Z^{[1]})
    Z^{[2]} = W^{[2]} a^{[1]} + b^{[2]}  a^{[2]} = f(Z^{[2]})
    ...                                  y_hat = a^{[L]}

``X : [N, B]`` (one sample per column); ``W^{[l]} : [out, in]``;
``b^{[l]} : [out, 1]`` is broadcast over the B columns.

>>> import numpy as np
>>> net = MLP(n_in=4, widths=[3, 2, 1], activations=["sigmoid"] * 3, seed=0)
>>> net.n_params, net.formula
(26, '3N+14')
>>> net.forward(np.zeros((4, 8))).shape
(1, 8)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from explorer.core import activations as act
from explorer.core.architecture import Architecture, LayerSpec, param_formula  # noqa: F401 (re-exported: the notebook contract)
from explorer.core.probability import log_softmax, softmax

HEADS = {"binary": "sigmoid", "multiclass": "softmax", "regression": "identity"}
RELU_LIKE = {"relu", "leaky_relu", "elu", "maxout", "gelu", "silu", "softplus"}


@dataclass
class Layer:
    """``Z = W a_prev + b``, ``a = f(Z)``; ``W : [k*out, in]``, ``b : [k*out, 1]`` (k = 1 unless maxout)."""

    spec: LayerSpec
    W: np.ndarray
    b: np.ndarray
    slope: float = 0.1
    alpha: float = 1.0

    def __post_init__(self):
        self._f, self._grad = _activation_functions(self.spec.activation, self.spec.pieces,
                                                    self.slope, self.alpha)

    @property
    def activation(self) -> str:
        return self.spec.activation

    def pre_activation(self, a_prev: np.ndarray) -> np.ndarray:
        return self.W @ a_prev + self.b

    def activate(self, Z: np.ndarray) -> np.ndarray:
        return self._f(Z)

    def backward_through_activation(self, Z: np.ndarray, a: np.ndarray, dA: np.ndarray) -> np.ndarray:
        """dL/dZ from dL/da, given this layer's Z and a = f(Z) (element-wise activations and maxout)."""
        return self._grad(Z, a, dA)

    def forward(self, a_prev: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        Z = self.pre_activation(a_prev)
        return Z, self.activate(Z)


def _activation_functions(name: str, pieces: int, slope: float, alpha: float):
    """``(f(Z), grad(Z, a, dA))`` for a layer; sigmoid and tanh reuse a = f(Z) in the derivative."""
    if name == "softmax":
        return (lambda Z: softmax(Z, axis=0)), None
    if name == "maxout":
        return ((lambda Z: act.maxout_reduce(Z, pieces)),
                (lambda Z, a, dA: np.tile(dA, (pieces, 1)) * act.maxout_mask(Z, pieces)))
    fast = {
        "sigmoid": (act.sigmoid, lambda Z, a, dA: dA * a * (1.0 - a)),
        "tanh": (np.tanh, lambda Z, a, dA: dA * (1.0 - a * a)),
        "relu": (lambda Z: np.maximum(Z, 0.0), lambda Z, a, dA: dA * (Z > 0)),
        "identity": (lambda Z: Z, lambda Z, a, dA: dA),
    }
    if name in fast:
        return fast[name]
    params = {"leaky_relu": {"slope": slope}, "elu": {"alpha": alpha}}.get(name, {})
    activation = act.ACTIVATIONS[name]
    return (lambda Z: activation.f(Z, **params)), (lambda Z, a, dA: dA * activation.df(Z, **params))


class MLP:
    """``n_in -> widths[0] -> ... -> widths[-1]``, one activation per layer.

    Weights are drawn from a seeded generator: Xavier/Glorot normal
    (std = sqrt(2 / (in + out))) for sigmoid, tanh, identity and softmax layers,
    He normal (std = sqrt(2 / in)) for the ReLU family; biases are N(0, bias_std²).
    ``init`` may force ``"xavier"`` or ``"he"`` for every layer.
    """

    def __init__(self, n_in: int, widths: Sequence[int], activations: Sequence[str], seed: int = 0,
                 slope: float = 0.1, alpha: float = 1.0, pieces: int = 2, init: str = "auto",
                 bias_std: float = 0.1):
        self.arch = Architecture(n_in, widths, activations, pieces)
        if init not in ("auto", "xavier", "he"):
            raise ValueError(f"init must be 'auto', 'xavier' or 'he', got {init!r}")
        reason = self.arch.too_large(batch=1)
        if reason:
            raise MemoryError(reason)
        rng = np.random.default_rng(seed)
        self.layers: list[Layer] = []
        for spec in self.arch.layers:
            rule = init if init != "auto" else ("he" if spec.activation in RELU_LIKE else "xavier")
            fan_in, fan_out = spec.n_in, spec.n_out
            std = np.sqrt(2.0 / fan_in) if rule == "he" else np.sqrt(2.0 / (fan_in + fan_out))
            W = rng.normal(0.0, std, size=spec.W_shape)
            b = rng.normal(0.0, bias_std, size=spec.b_shape) if bias_std else np.zeros(spec.b_shape)
            self.layers.append(Layer(spec, W, b, slope=slope, alpha=alpha))

    # -- what the slides count -------------------------------------------------
    @property
    def n_in(self) -> int:
        return self.arch.n_in

    @property
    def n_params(self) -> int:
        """Exact parameter count: the sum of every W and b size."""
        return self.arch.n_params

    @property
    def formula(self) -> str:
        return self.arch.formula()

    def trace(self, X: np.ndarray) -> list[dict]:
        """Per layer: shapes of W, b, Z, a and the parameter count, from a real forward pass.

        Each row also carries the arrays ``Z_values`` and ``a_values``.
        """
        X = self._check_input(X)
        rows = self.arch.trace(X.shape[1])
        for row, (Z, a) in zip(rows, self.forward_all(X)):
            assert Z.shape == row["Z"] and a.shape == row["a"]
            row["Z_values"], row["a_values"] = Z, a
        return rows

    # -- forward ---------------------------------------------------------------
    def _check_input(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        if X.ndim == 1:
            X = X.reshape(-1, 1)
        if X.ndim != 2 or X.shape[0] != self.n_in:
            raise ValueError(f"X must be [N, B] with N = {self.n_in} (one sample per column), got {X.shape}")
        reason = self.arch.too_large(X.shape[1])
        if reason:
            raise MemoryError(reason)
        return X

    def forward_all(self, X: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """``[(Z^{[1]}, a^{[1]}), ..., (Z^{[L]}, a^{[L]})]`` for the batch X."""
        a = self._check_input(X)
        out = []
        for layer in self.layers:
            Z, a = layer.forward(a)
            out.append((Z, a))
        return out

    def forward(self, X: np.ndarray) -> np.ndarray:
        """``y_hat = a^{[L]}``: ``[widths[-1], B]`` for ``X : [N, B]``."""
        return self.forward_all(X)[-1][1]

    def logits(self, X: np.ndarray) -> np.ndarray:
        """``Z^{[L]}``: the output layer's scores before sigmoid/softmax."""
        return self.forward_all(X)[-1][0]

    # -- linear collapse -------------------------------------------------------
    def collapse(self, logits: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """``(W_eff, b_eff)`` with ``y_hat = W_eff X + b_eff`` when every activation is identity.

        ``W_eff = W^{[L]} ... W^{[1]}`` and
        ``b_eff = W^{[L]}...W^{[2]} b^{[1]} + ... + W^{[L]} b^{[L-1]} + b^{[L]}``.
        With ``logits=True`` the output layer's activation (e.g. sigmoid) may be anything:
        then ``Z^{[L]} = W_eff X + b_eff``, so the decision boundary is a hyperplane.
        """
        checked = self.layers[:-1] if logits else self.layers
        nonlinear = [f"layer {layer.spec.index} ({layer.activation})"
                     for layer in checked if layer.activation != "identity"]
        if nonlinear:
            raise ValueError("only an all-identity network collapses to one linear map; "
                             "nonlinear: " + ", ".join(nonlinear))
        W_eff, b_eff = self.layers[0].W, self.layers[0].b
        for layer in self.layers[1:]:
            W_eff, b_eff = layer.W @ W_eff, layer.W @ b_eff + layer.b
        return W_eff, b_eff

    # -- learning ----------------------------------------------------------------
    def loss_and_grads(self, X: np.ndarray, Y: np.ndarray, head: str):
        """Mean loss over the batch and ``[(dW, db)]`` per layer, by backpropagation.

        ``head``: ``"binary"`` (last activation sigmoid; binary cross-entropy, Y ``[1, B]``
        of 0/1), ``"multiclass"`` (softmax; cross-entropy, Y one-hot ``[K, B]``) or
        ``"regression"`` (identity; mean over the batch of the summed (y_hat - y)²).
        Losses are computed from the logits Z^{[L]}, so they stay finite.
        """
        if head not in HEADS:
            raise ValueError(f"head must be one of {', '.join(HEADS)}, got {head!r}")
        if self.layers[-1].activation != HEADS[head]:
            raise ValueError(f"the {head} head needs a {HEADS[head]} output layer, "
                             f"this network ends in {self.layers[-1].activation}")
        X = self._check_input(X)
        Y = np.asarray(Y, dtype=float)
        if Y.shape != (self.arch.n_out, X.shape[1]):
            raise ValueError(f"Y must be [{self.arch.n_out}, {X.shape[1]}], got {Y.shape}")
        return self.backprop(X, Y, head)

    def backprop(self, X: np.ndarray, Y: np.ndarray, head: str):
        """:meth:`loss_and_grads` without the checks: for trainers that validated once."""
        batch = X.shape[1]
        cache = []
        a = X
        for layer in self.layers:
            Z = layer.W @ a + layer.b
            a = layer.activate(Z)
            cache.append((Z, a))
        Z = cache[-1][0]
        loss = head_loss(Z, Y, head)
        if head == "regression":
            dZ = 2.0 * (Z - Y) / batch
        else:   # sigmoid + BCE and softmax + CE share dL/dZ = (a - y) / B
            dZ = (cache[-1][1] - Y) / batch
        grads = [None] * len(self.layers)
        for i in range(len(self.layers) - 1, -1, -1):
            a_prev = X if i == 0 else cache[i - 1][1]
            grads[i] = (dZ @ a_prev.T, dZ.sum(axis=1, keepdims=True))
            if i:
                dA = self.layers[i].W.T @ dZ
                dZ = self.layers[i - 1].backward_through_activation(cache[i - 1][0], cache[i - 1][1], dA)
        return loss, grads

    def parameters(self) -> list[np.ndarray]:
        """Every W and b, in layer order (the arrays themselves, for optimisers)."""
        return [p for layer in self.layers for p in (layer.W, layer.b)]


def head_loss(Z: np.ndarray, Y: np.ndarray, head: str) -> float:
    """Mean loss over the batch from the output logits ``Z^{[L]}``, computed stably:

    binary: mean of log(1 + e^z) - y z  (= binary cross-entropy of σ(z));
    multiclass: -(1/B) Σ Y ∘ log softmax(Z);  regression: (1/B) Σ (ŷ - y)².
    """
    B = Z.shape[1]
    if head == "binary":
        return float(np.mean(np.logaddexp(0.0, Z) - Y * Z))
    if head == "multiclass":
        return float(-np.sum(Y * log_softmax(Z, axis=0)) / B)
    diff = Z - Y
    return float(np.sum(diff * diff) / B)


def collapse_latex(depth: int, per_line: int | None = None) -> str:
    """The slide's expansion for ``depth`` identity layers, e.g. for 3:
    ``W^{[3]}W^{[2]}W^{[1]}X + W^{[3]}W^{[2]}b^{[1]} + W^{[3]}b^{[2]} + b^{[3]}``.

    ``per_line``: break the sum into an ``aligned`` block of that many terms per line.
    """
    if depth < 1:
        raise ValueError("depth must be at least 1")

    def chain(hi: int, lo: int) -> str:
        return "".join(f"W^{{[{l}]}}" for l in range(hi, lo - 1, -1))

    terms = [chain(depth, 1) + "X"] + [chain(depth, l + 1) + f"b^{{[{l}]}}" for l in range(1, depth + 1)]
    if not per_line or len(terms) <= per_line:
        return r"\hat{y} = " + " + ".join(terms)
    lines = [" + ".join(terms[i:i + per_line]) for i in range(0, len(terms), per_line)]
    return r"\begin{aligned}\hat{y} &= " + r" \\ &\quad + ".join(lines) + r"\end{aligned}"


# -- the browser twin's format (explorer/web/nn.js: Network.fromJSON / toJSON) -------------------
def twin_json(net: MLP) -> dict:
    """The network as ``explorer/web/nn.js`` reads it: ``{n_in, layers: [{W, b, activation, pieces,
    slope, alpha}]}`` with ``W`` a list of rows (``[k*out][in]``) and ``b`` a flat list."""
    return {"n_in": net.n_in, "layers": [
        {"W": layer.W.tolist(), "b": layer.b[:, 0].tolist(), "activation": layer.activation,
         "pieces": layer.spec.pieces, "slope": layer.slope, "alpha": layer.alpha} for layer in net.layers]}


def _numbers(values, shape: tuple[int, ...], what: str) -> np.ndarray:
    """A float array of exactly ``shape`` from nested lists of real numbers (no bools, no strings)."""
    def ok(v):
        return isinstance(v, (int, float)) and not isinstance(v, bool)

    rows = values if len(shape) == 2 else [values]
    if not isinstance(values, list) or (len(shape) == 2 and len(values) != shape[0]):
        raise ValueError(f"{what} must be a list of shape {shape}")
    width = shape[-1]
    for row in rows:
        if not isinstance(row, list) or len(row) != width or not all(ok(v) for v in row):
            raise ValueError(f"{what} must be a list of shape {shape} of numbers")
    out = np.array(values, dtype=float).reshape(shape)
    if not np.isfinite(out).all():
        raise ValueError(f"{what} holds a value that is not finite")
    return out


def weights_from_twin(net: MLP, obj) -> list[tuple[np.ndarray, np.ndarray]]:
    """``[(W, b)]`` per layer from nn.js's JSON, checked against ``net``'s architecture exactly
    (inputs, layer count, activations, every shape, finite numbers); ValueError says what is wrong.
    ``b`` comes back as ``[k*out, 1]``. ``net`` itself is not changed."""
    if not isinstance(obj, dict) or obj.get("n_in") != net.n_in or not isinstance(obj.get("layers"), list):
        raise ValueError(f"the network must be a dict with n_in = {net.n_in} and a list of layers")
    if len(obj["layers"]) != len(net.layers):
        raise ValueError(f"the network must have {len(net.layers)} layers, got {len(obj['layers'])}")
    out = []
    for i, (layer, sent) in enumerate(zip(net.layers, obj["layers"]), start=1):
        if not isinstance(sent, dict) or sent.get("activation") != layer.activation:
            raise ValueError(f"layer {i} must be a dict with activation {layer.activation!r}")
        W = _numbers(sent.get("W"), layer.W.shape, f"W^[{i}]")
        b = _numbers(sent.get("b"), (layer.b.shape[0],), f"b^[{i}]").reshape(-1, 1)
        out.append((W, b))
    return out
