"""Training an MLP: optimisers and a trainer that advances a few steps at a time.

One step on a minibatch ``(X_b, Y_b)``::

    loss, grads = net.loss_and_grads(X_b, Y_b, head)      # backpropagation
    W <- W - lr * update(dW + l2 * W + l1 * sign(W))      # SGD, momentum or Adam

Biases are not regularised. A step whose loss or parameters become nan/inf
stops the trainer (``status == "diverged"``) with the likely cause.

Epochs (identical in the browser twin, ``explorer/web/nn.js``): an epoch visits every
training point exactly once. At the start of an epoch, if the batch size B is below the
number of points n, the order is a fresh :func:`explorer.core.shuffle.permutation` of
0..n-1 drawn from the trainer's seeded :class:`~explorer.core.shuffle.Rng`; the epoch's
minibatches are consecutive slices of that order of B points, the last one holding the
``n mod B`` points left over when B does not divide n (an epoch is ``ceil(n / B)``
steps). With ``B >= n`` every step is one epoch on all points in their natural order
and the generator is not drawn. Changing B mid-epoch (:meth:`Trainer.retune`) keeps the
order and the position: the rest of the epoch is cut into slices of the new B.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from explorer.core.mlp import HEADS, MLP, head_loss
from explorer.core.shuffle import Rng, permutation

OPTIMISERS = ("sgd", "momentum", "adam")


class _Keep:
    """The type of :data:`KEEP`."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()   # Trainer.retune(batch_size=KEEP): leave the batch size as it is


def check_lr(lr) -> float:
    """``lr`` as a float; ValueError unless it is a finite number above 0."""
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"the learning rate must be a positive number, got {lr}")
    return float(lr)


def check_data(net: MLP, X, Y, head: str, what: str = "training") -> tuple[np.ndarray, np.ndarray]:
    """``(X, Y)`` as float arrays after checking them against ``net`` and ``head``.

    ``X : [N, B]`` with ``N = net.n_in`` and ``B >= 1``; ``Y : [out, B]``; the output layer's
    activation must be the head's (sigmoid, softmax, identity). ValueError says what is wrong.
    """
    if head not in HEADS:
        raise ValueError(f"head must be one of {', '.join(HEADS)}, got {head!r}")
    last = net.layers[-1].activation
    if last != HEADS[head]:
        raise ValueError(f"the {head} head needs a {HEADS[head]} output layer, this network ends in {last}")
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    if X.ndim != 2 or X.shape[0] != net.n_in:
        raise ValueError(f"the {what} inputs X must be [N, B] with N = {net.n_in} "
                         f"(one sample per column), got {X.shape}")
    if X.shape[1] < 1:
        raise ValueError(f"the {what} set needs at least one sample")
    if Y.shape != (net.arch.n_out, X.shape[1]):
        raise ValueError(f"the {what} targets Y must be [{net.arch.n_out}, {X.shape[1]}], got {Y.shape}")
    reason = net.arch.too_large(X.shape[1])
    if reason:
        raise MemoryError(reason)
    return X, Y


class Optimiser:
    """SGD, SGD with momentum (beta = 0.9) or Adam (0.9, 0.999, eps 1e-8) over a list of arrays."""

    def __init__(self, params: list[np.ndarray], kind: str = "adam", lr: float = 0.01,
                 momentum: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        if kind not in OPTIMISERS:
            raise ValueError(f"optimiser must be one of {', '.join(OPTIMISERS)}, got {kind!r}")
        self.kind, self.lr, self.beta1, self.beta2, self.eps = kind, check_lr(lr), momentum, beta2, eps
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
    """Trains ``net`` on ``(X, Y)``; ``step(n)`` advances n minibatch steps and returns the metrics.

    ``steps`` counts optimiser steps, ``epoch`` whole epochs (see the module docstring),
    ``cursor`` the points of the current epoch already used.
    """

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
        self.X, self.Y = check_data(self.net, self.X, self.Y, self.head)
        if (self.X_test is None) != (self.Y_test is None):
            raise ValueError("give both X_test and Y_test, or neither")
        if self.X_test is not None:
            self.X_test, self.Y_test = check_data(self.net, self.X_test, self.Y_test, self.head, "test")
        self._params = self.net.parameters()
        self.lr = check_lr(self.lr)
        self._opt = Optimiser(self._params, self.optimiser, self.lr)
        self._rng = Rng(self.seed)
        self.steps = 0
        self.epoch = 0
        self.cursor = 0
        self._order = np.arange(self.n)
        self._set_batch(self.batch_size)

    @property
    def n(self) -> int:
        """The number of training points."""
        return self.X.shape[1]

    @property
    def batch(self) -> int:
        """The minibatch size in use: ``batch_size`` clipped to ``[1, n]`` (n for full batch)."""
        return self._batch

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(self.n / self._batch)

    def _set_batch(self, batch_size: int | None) -> None:
        self.batch_size = batch_size
        self._batch = self.n if not batch_size else max(1, min(int(batch_size), self.n))

    def retune(self, lr: float | None = None, optimiser: str | None = None,
               batch_size: int | None | _Keep = KEEP, l1: float | None = None, l2: float | None = None) -> None:
        """Change training settings mid-run: the weights, step and epoch counts and history stay.

        ``None`` leaves ``lr``, ``optimiser``, ``l1``, ``l2`` as they are; for the batch size
        ``None`` means full batch and :data:`KEEP` (the default) leaves it. The optimiser's state
        (momentum, Adam's moments) is kept when its kind does not change. A new batch size
        takes effect at once: the current epoch's order and position stay (module docstring).
        """
        if lr is not None:
            lr = check_lr(lr)
        if optimiser is not None and optimiser != self.optimiser:
            self._opt = Optimiser(self._params, optimiser, self.lr if lr is None else lr)
            self.optimiser = optimiser
        if lr is not None:
            self.lr = self._opt.lr = lr
        if not isinstance(batch_size, _Keep):
            self._set_batch(batch_size)
        self.l1 = self.l1 if l1 is None else float(l1)
        self.l2 = self.l2 if l2 is None else float(l2)

    def _next_batch(self) -> tuple[np.ndarray, np.ndarray]:
        """The next minibatch (module docstring: "Epochs")."""
        n = self.n
        if self.cursor == 0:
            if self._batch >= n:
                self.epoch += 1
                return self.X, self.Y
            self._order = np.array(permutation(self._rng, n))
        size = min(self._batch, n - self.cursor)
        idx = self._order[self.cursor:self.cursor + size]
        self.cursor += size
        if self.cursor == n:
            self.cursor = 0
            self.epoch += 1
        return self.X[:, idx], self.Y[:, idx]

    def steps_to_epochs(self, epochs: int) -> int:
        """Steps up to the ``epochs``-th epoch boundary from now: the rest of this epoch, then whole ones."""
        if epochs < 1:
            return 0
        return math.ceil((self.n - self.cursor) / self._batch) + (int(epochs) - 1) * self.steps_per_epoch

    def train_epochs(self, epochs: int) -> float:
        """Train to the ``epochs``-th epoch boundary from now; the last minibatch loss."""
        return self.train_steps(self.steps_to_epochs(epochs))

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
        out = {"step": self.steps, "epoch": self.epoch}
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
