"""Supervised learning on 2-D points: labelled X and Y, learn X → Y (the landscape's first example).

The point sets come from :mod:`explorer.core.datasets`; the classifier is the project's own
(:func:`explorer.core.classify.build_network`, trained by :class:`explorer.core.train.Trainer`)::

    hidden = 0:   a = σ(W X + b)  (2 classes)   or   ŷ = softmax(W X + b)  (K classes)
    hidden > 0:   the same after one tanh layer, a^{[1]} = tanh(W^{[1]} X + b^{[1]})

>>> X, labels = points("moons", n=40, seed=0)
>>> X.shape, sorted(set(labels.tolist()))
((2, 40), [0, 1])
"""
from __future__ import annotations

import numpy as np

from explorer.core import datasets
from explorer.core.classify import build_network, predict_classes, split, targets  # noqa: F401 (re-exported)
from explorer.core.mlp import MLP
from explorer.core.train import Trainer

POINT_SETS = {"blobs": "three blobs", "moons": "two moons"}


def points(name: str = "blobs", n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``(X : [2, n], labels : (n,))`` from :mod:`explorer.core.datasets` (``blobs`` has 3 classes)."""
    if name == "blobs":
        X, Y = datasets.blobs(n=n, noise=noise, seed=seed, classes=3)
    elif name == "moons":
        X, Y = datasets.moons(n=n, noise=noise, seed=seed)
    else:
        raise ValueError(f"unknown point set {name!r}; known: {', '.join(POINT_SETS)}")
    return X, datasets.labels_of(Y)


def train_classifier(X: np.ndarray, labels: np.ndarray, hidden: int = 0, steps: int = 400, lr: float = 0.05,
                     seed: int = 0) -> MLP:
    """Fit ``X → labels`` by cross-entropy with Adam (full batch), return the network.

    ``hidden = 0``: logistic regression (2 classes, one sigmoid unit) or softmax regression
    (K classes), a straight boundary; ``hidden > 0``: one tanh hidden layer of that width.
    Predict with :func:`predict_classes`.
    """
    labels = np.asarray(labels, dtype=int)
    K = max(int(labels.max()) + 1 if labels.size else 2, 2)
    net = build_network(X.shape[0], K, hidden, seed, hidden_activation="tanh")
    Trainer(net, X, targets(labels, K), "binary" if K == 2 else "multiclass", optimiser="adam",
            lr=lr).train_steps(steps)
    return net
