"""Training an MLP: optimisers and a trainer that advances a few steps at a time.

One step on a minibatch ``(X_b, Y_b)``::

    loss, grads = net.loss_and_grads(X_b, Y_b, head)      # backpropagation
    W <- W - lr * update(dW + l2 * W + l1 * sign(W))      # SGD, momentum or Adam

Biases are not regularised. A step whose loss or parameters become nan/inf
stops the trainer (``status == "diverged"``) with the likely cause.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from explorer.core.mlp import MLP, head_loss

OPTIMISERS = ("sgd", "momentum", "adam")


class Optimiser:
    """SGD, SGD with momentum (beta = 0.9) or Adam (0.9, 0.999, eps 1e-8) over a list of arrays."""

    def __init__(self, params: list[np.ndarray], kind: str = "adam", lr: float = 0.01,
                 momentum: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        if kind not in OPTIMISERS:
            raise ValueError(f"optimiser must be one of {', '.join(OPTIMISERS)}, got {kind!r}")
        if not (np.isfinite(lr) and lr > 0):
            raise ValueError(f"the learning rate must be a positive number, got {lr}")
        self.kind, self.lr, self.beta1, self.beta2, self.eps = kind, float(lr), momentum, beta2, eps
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def update(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        """Change ``params`` in place by one step along ``grads``."""
        self.t += 1
        for p, g, m, v in zip(params, grads, self.m, self.v):
            if self.kind == "sgd":
                p -= self.lr * g
            elif self.kind == "momentum":
                m *= self.beta1
                m += g
                p -= self.lr * m
            else:
                m *= self.beta1
                m += (1 - self.beta1) * g
                v *= self.beta2
                v += (1 - self.beta2) * g * g
                m_hat = m / (1 - self.beta1**self.t)
                v_hat = v / (1 - self.beta2**self.t)
                p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


MAX_HISTORY = 2_000   # metrics kept per trainer; beyond it the older half is thinned (each has its "step")


@dataclass
class Trainer:
    """Trains ``net`` on ``(X, Y)``; ``step(n)`` advances n minibatch steps and returns the metrics."""

    net: MLP
    X: np.ndarray
    Y: np.ndarray
    head: str
    optimiser: str = "adam"
    lr: float = 0.01
    batch_size: int | None = None   # None: full batch
    l1: float = 0.0
    l2: float = 0.0
    seed: int = 0
    X_test: np.ndarray | None = None
    Y_test: np.ndarray | None = None
    history: list[dict] = field(default_factory=list)
    status: str = "ready"
    message: str = ""

    def __post_init__(self):
        self.X = np.asarray(self.X, dtype=float)
        self.Y = np.asarray(self.Y, dtype=float)
        self.net.loss_and_grads(self.X[:, :1], self.Y[:, :1], self.head)  # validates shapes and head once
        self._params = self.net.parameters()
        self._opt = Optimiser(self._params, self.optimiser, self.lr)
        self._rng = np.random.default_rng(self.seed)
        self.steps = 0
        n = self.X.shape[1]
        self._batch = n if not self.batch_size else max(1, min(int(self.batch_size), n))
        self._order = np.arange(n)
        self._cursor = n  # forces a shuffle before the first minibatch

    def retune(self, lr: float | None = None, optimiser: str | None = None, batch_size: int | None = 0,
               l1: float | None = None, l2: float | None = None) -> None:
        """Change training settings mid-run: the weights, step count and history stay.

        The optimiser's state (momentum, Adam's moments) is kept when its kind does not change.
        ``batch_size=None`` means full batch; the default 0 leaves it as it is.
        """
        if optimiser is not None and optimiser != self.optimiser:
            self.optimiser = optimiser
            self._opt = Optimiser(self._params, optimiser, self.lr if lr is None else lr)
        if lr is not None:
            if not (np.isfinite(lr) and lr > 0):
                raise ValueError(f"the learning rate must be a positive number, got {lr}")
            self.lr = self._opt.lr = float(lr)
        if batch_size != 0:
            n = self.X.shape[1]
            self.batch_size = batch_size
            self._batch = n if not batch_size else max(1, min(int(batch_size), n))
            self._cursor = n
        self.l1 = self.l1 if l1 is None else float(l1)
        self.l2 = self.l2 if l2 is None else float(l2)

    def _next_batch(self):
        n = self.X.shape[1]
        if self._batch >= n:
            return self.X, self.Y
        if self._cursor + self._batch > n:
            self._order = self._rng.permutation(n)
            self._cursor = 0
        idx = self._order[self._cursor:self._cursor + self._batch]
        self._cursor += self._batch
        return self.X[:, idx], self.Y[:, idx]

    def train_steps(self, n: int) -> float:
        """Run up to ``n`` optimiser steps; return the last minibatch loss (nan if it diverged)."""
        if self.status == "diverged":
            return float("nan")
        net, params, opt = self.net, self._params, self._opt
        loss = float("nan")
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for _ in range(int(n)):
                Xb, Yb = self._next_batch()
                loss, grads = net.backprop(Xb, Yb, self.head)
                flat = [g for pair in grads for g in pair]
                if self.l1 or self.l2:
                    for i, layer in enumerate(net.layers):
                        flat[2 * i] = flat[2 * i] + self.l2 * layer.W + self.l1 * np.sign(layer.W)
                opt.update(params, flat)
                self.steps += 1
                if not np.isfinite(loss):
                    break
        if not np.isfinite(loss) or not all(np.isfinite(p).all() for p in params):
            self.status = "diverged"
            self.message = (f"Training diverged at step {self.steps}: the loss or the weights became "
                            f"nan/inf. The learning rate ({self.lr:g}) is most likely too large for this "
                            "network and data; lower it and reset.")
        else:
            self.status = "running"
        return loss

    def step(self, n: int = 1) -> dict:
        """Advance ``n`` optimiser steps (fewer if training diverges); return the latest metrics."""
        if self.status == "diverged":
            return self.history[-1] if self.history else {}
        self.train_steps(n)
        metrics = self.evaluate()
        self.history.append(metrics)
        if len(self.history) > MAX_HISTORY:      # a training left running: memory stays flat
            old = len(self.history) - MAX_HISTORY // 2
            self.history[:old] = self.history[:old:2]   # the first entry kept, the older half thinned
        return metrics

    def evaluate(self) -> dict:
        """Loss (and accuracy for classification) on the training and the test set."""
        out = {"step": self.steps}
        for name, X, Y in (("train", self.X, self.Y), ("test", self.X_test, self.Y_test)):
            if X is None:
                continue
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                Z = self.net.logits(X)
                out[f"{name}_loss"] = head_loss(Z, Y, self.head)
                if self.head != "regression":
                    out[f"{name}_accuracy"] = accuracy(self.net.layers[-1].activate(Z), Y, self.head)
        return out


def accuracy(Y_hat: np.ndarray, Y: np.ndarray, head: str) -> float:
    """Share of samples classified right: threshold 0.5 (binary) or argmax over classes."""
    if head == "binary":
        return float(np.mean((Y_hat >= 0.5) == (Y >= 0.5)))
    return float(np.mean(Y_hat.argmax(axis=0) == Y.argmax(axis=0)))
