"""A playground network and its data as a short, runnable script: numpy, or PyTorch.

The scripts are self-contained (the weights and the training points are written out as
numbers, full float64 precision), use the lecture's layout (``X : [N, B]``, one sample
per column, ``Z = W a + b``), and print the training loss, the accuracy (or R²) and the
outputs for the first points, so a student can check them against the page. The numpy
script needs numpy only. How each layer's activation is written (and any helper function it
calls, such as ``maxout``) is read from its entry in the activation registry
(:attr:`~explorer.core.activations.Activation.numpy_code`, ``torch_code``), never from here.

>>> from explorer.core.mlp import MLP
>>> import numpy as np
>>> net = MLP(2, [3, 1], ["tanh", "sigmoid"], seed=0)
>>> code = numpy_script(net, ("x1", "x2"), "binary", np.zeros((2, 2)), np.array([[0.0, 1.0]]))
>>> "def forward(X):" in code and "W1 = np.array(" in code
True
"""
from __future__ import annotations

import numpy as np

from explorer.core import activations as acts
from explorer.core import features as feats
from explorer.core.mlp import MLP

# numpy and torch spellings of each feature of explorer.core.features
_NUMPY_FEATURES = {"x1": "x1", "x2": "x2", "x1sq": "x1 * x1", "x2sq": "x2 * x2", "x1x2": "x1 * x2",
                   "sin1": "np.sin(x1)", "sin2": "np.sin(x2)"}
_TORCH_FEATURES = {k: v.replace("np.", "torch.") for k, v in _NUMPY_FEATURES.items()}

_LOSS = {
    "binary": ("binary cross-entropy", "np.mean(np.logaddexp(0, Z) - Y * Z)"),
    "multiclass": ("cross-entropy", "-np.sum(Y * (Z - Z.max(axis=0) - np.log(np.exp(Z - Z.max(axis=0)).sum(axis=0)))) / Y.shape[1]"),
    "regression": ("mean squared error", "np.sum((Z - Y) ** 2) / Y.shape[1]"),
}


def _array(name: str, a: np.ndarray, lib: str) -> str:
    """``name = np.array([...])`` with every float written exactly (repr)."""
    a = np.asarray(a, dtype=float)
    body = repr(a.tolist())
    if lib == "torch":
        return f"{name} = torch.tensor({body}, dtype=torch.float64)"
    return f"{name} = np.array({body})"


def _codes(net: MLP, lib: str) -> list[acts.ExportCode]:
    """Each layer's :class:`~explorer.core.activations.ExportCode` for ``lib`` ("numpy" or "torch"),
    read from the activation registry: the registry is the one place that says how an activation
    is written."""
    codes = []
    for layer in net.layers:
        entry = acts.get(layer.activation, output=True)
        code = entry.numpy_code if lib == "numpy" else entry.torch_code
        if code is None:
            raise ValueError(f"the activation {layer.activation!r} has no {lib} code in the registry")
        codes.append(code)
    return codes


def _unique(items) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _imports(codes, first: str) -> list[str]:
    """The import lines the layers' activations need (the standard library's), each once, then ``first``."""
    return _unique([*(line for c in codes for line in c.imports), first])


def _helpers(codes) -> list[str]:
    """The functions the layers' activations call (maxout, softmax, ...), each once, for before forward()."""
    lines = []
    for text in _unique(c.helper for c in codes):
        lines += ["", "", *text.splitlines()]
    return lines


def _activation(layer, code: acts.ExportCode) -> str:
    """``a = f(Z)`` of one layer in the script's words, its parameters written in (full precision)."""
    return code.write("Z", slope=layer.slope, alpha=layer.alpha, pieces=layer.spec.pieces)


def _header(net: MLP, features, kind: str, B: int) -> list[str]:
    shapes = ", ".join(f"W{i}: {list(l.W.shape)}" for i, l in enumerate(net.layers, start=1))
    return [f"# The Deep Learning Explorer's playground network: {net.n_in} inputs "
            f"({', '.join(feats.labels(features))}) -> " + " -> ".join(str(w) for w in net.arch.widths)
            + f" ({', '.join(net.arch.activations)}).",
            f"# Shapes (the lecture's: one sample per column): X [{net.n_in}, B], {shapes}.",
            f"# Data: the {B} training points (x1, x2) and their targets; head: {kind}."]


def numpy_script(net: MLP, features, kind: str, X: np.ndarray, Y: np.ndarray) -> str:
    """A numpy script that rebuilds ``net`` and the points ``X : [2, B]``, ``Y``, runs the forward
    pass and prints the loss, the accuracy (or R²) and the first outputs."""
    features = feats.check(features)
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    lines = _header(net, features, kind, X.shape[1])
    codes = _codes(net, "numpy")
    lines += _imports(codes, "import numpy as np") + [""]
    lines.append(_array("points", X, "numpy") + "   # [2, B]: x1 in row 0, x2 in row 1")
    lines.append(_array("Y", Y, "numpy") + "   # targets [K, B]")
    lines += ["", "", "def features(points):", '    """The inputs X [N, B]: one row per feature."""',
              "    x1, x2 = points", f"    return np.stack([{', '.join(_NUMPY_FEATURES[f] for f in features)}])", "", ""]
    for i, layer in enumerate(net.layers, start=1):
        lines.append(_array(f"W{i}", layer.W, "numpy"))
        lines.append(_array(f"b{i}", layer.b, "numpy"))
    lines += _helpers(codes)
    lines += ["", "", "def forward(X):", '    """Z = W a + b, a = f(Z), layer by layer; returns (Z of the last layer, y_hat)."""', "    a = X"]
    for i, (layer, code) in enumerate(zip(net.layers, codes), start=1):
        lines += [f"    Z = W{i} @ a + b{i}", f"    a = {_activation(layer, code)}"]
    name, loss = _LOSS[kind]
    lines += ["    return Z, a", "", "", "Z, y_hat = forward(features(points))",
              f"print('training loss ({name}):', repr(float({loss})))"]
    if kind == "binary":
        lines.append("print('training accuracy:', float(np.mean((y_hat >= 0.5) == (Y >= 0.5))))")
    elif kind == "multiclass":
        lines.append("print('training accuracy:', float(np.mean(y_hat.argmax(axis=0) == Y.argmax(axis=0))))")
    else:
        lines.append("print('R2:', float(1 - np.sum((y_hat - Y) ** 2) / np.sum((Y - Y.mean()) ** 2)))")
    lines.append("print('y_hat of the first points:', y_hat[:, :5].tolist())")
    return "\n".join(lines) + "\n"


def pytorch_script(net: MLP, features, kind: str, X: np.ndarray, Y: np.ndarray) -> str:
    """The same as :func:`numpy_script` with PyTorch tensors (float64), in the lecture's layout."""
    features = feats.check(features)
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    codes = _codes(net, "torch")
    lines = _header(net, features, kind, X.shape[1])
    lines += ["# PyTorch's nn.Linear stores W as [out, in] too, but takes X as [B, N]: here X stays [N, B].",
              *_imports(codes, "import torch"), ""]
    lines.append(_array("points", X, "torch") + "   # [2, B]")
    lines.append(_array("Y", Y, "torch") + "   # targets [K, B]")
    lines += ["", "", "def features(points):", "    x1, x2 = points",
              f"    return torch.stack([{', '.join(_TORCH_FEATURES[f] for f in features)}])", "", ""]
    for i, layer in enumerate(net.layers, start=1):
        lines.append(_array(f"W{i}", layer.W, "torch") + ".requires_grad_()")
        lines.append(_array(f"b{i}", layer.b, "torch") + ".requires_grad_()")
    lines += _helpers(codes)
    lines += ["", "", "def forward(X):", "    a = X"]
    for i, (layer, code) in enumerate(zip(net.layers, codes), start=1):
        lines += [f"    Z = W{i} @ a + b{i}", f"    a = {_activation(layer, code)}"]
    losses = {"binary": "torch.nn.functional.binary_cross_entropy_with_logits(Z, Y)",
              "multiclass": "torch.nn.functional.cross_entropy(Z.T, Y.argmax(dim=0))",
              "regression": "((Z - Y) ** 2).sum() / Y.shape[1]"}
    lines += ["    return Z, a", "", "", "Z, y_hat = forward(features(points))",
              f"loss = {losses[kind]}",
              "print('training loss:', loss.item())",
              "loss.backward()   # gradients of every W and b, as the playground's backpropagation computes them",
              "print('dL/dW1:', W1.grad.tolist())",
              "print('y_hat of the first points:', y_hat[:, :5].tolist())"]
    return "\n".join(lines) + "\n"


def shorten(code: str, width: int = 160) -> str:
    """The script for reading on the page: long number lines cut to ``width`` characters."""
    return "\n".join(line if len(line) <= width else line[:width] + " …]" for line in code.splitlines())
