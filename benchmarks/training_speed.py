"""Training speed of the generic engine (explorer.core) against a hand-fused numpy loop.

Prints full-batch steps per second for
  - 2 -> 8 -> 8 -> 1, tanh, sigmoid + binary cross-entropy, 500 points (the issue's target: 10,000/s,
    within 2x of a hand-fused loop for exactly that network), and
  - 2 -> 16 -> 16 -> 16 -> 3, tanh, softmax + cross-entropy, 500 points.
Both with plain SGD (what the hand-fused loop does) and with Adam.

Run: python benchmarks/training_speed.py [--seconds 2]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from explorer.core import datasets  # noqa: E402
from explorer.core.mlp import MLP  # noqa: E402
from explorer.core.train import Trainer  # noqa: E402


def rate(fn, seconds: float) -> float:
    """Steps per second of fn(n) (which runs n steps), measured over about ``seconds``."""
    fn(20)  # warm-up
    n, start = 0, time.perf_counter()
    chunk = 200
    while time.perf_counter() - start < seconds:
        fn(chunk)
        n += chunk
    return n / (time.perf_counter() - start)


def hand_fused_binary(X, Y, seed=0, lr=0.1):
    """2 -> 8 -> 8 -> 1 tanh/sigmoid, full batch SGD, written out by hand for exactly this network."""
    rng = np.random.default_rng(seed)
    W1, b1 = rng.normal(0, 0.5, (8, 2)), np.zeros((8, 1))
    W2, b2 = rng.normal(0, 0.5, (8, 8)), np.zeros((8, 1))
    W3, b3 = rng.normal(0, 0.5, (1, 8)), np.zeros((1, 1))
    B = X.shape[1]

    def run(n):
        nonlocal W1, b1, W2, b2, W3, b3
        for _ in range(n):
            a1 = np.tanh(W1 @ X + b1)
            a2 = np.tanh(W2 @ a1 + b2)
            p = 1.0 / (1.0 + np.exp(-(W3 @ a2 + b3)))
            dZ3 = (p - Y) / B
            dA2 = W3.T @ dZ3
            dZ2 = dA2 * (1 - a2 * a2)
            dA1 = W2.T @ dZ2
            dZ1 = dA1 * (1 - a1 * a1)
            W3 -= lr * dZ3 @ a2.T
            b3 -= lr * dZ3.sum(axis=1, keepdims=True)
            W2 -= lr * dZ2 @ a1.T
            b2 -= lr * dZ2.sum(axis=1, keepdims=True)
            W1 -= lr * dZ1 @ X.T
            b1 -= lr * dZ1.sum(axis=1, keepdims=True)
    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    X, Y = datasets.xor(500, 0.1, seed=0)
    rows = []
    fused = rate(hand_fused_binary(X, Y), args.seconds)
    rows.append(("2-8-8-1 tanh, binary", "hand-fused numpy, SGD", fused, 1.0))
    for opt in ("sgd", "adam"):
        net = MLP(2, [8, 8, 1], ["tanh", "tanh", "sigmoid"], seed=0)
        trainer = Trainer(net, X, Y, "binary", optimiser=opt, lr=0.1)
        r = rate(lambda n: trainer.train_steps(n), args.seconds)
        rows.append(("2-8-8-1 tanh, binary", f"explorer.core Trainer, {opt}", r, fused / r))
    rng = np.random.default_rng(0)
    X3 = rng.normal(size=(2, 500))
    Y3 = np.eye(3)[:, rng.integers(0, 3, 500)]
    for opt in ("sgd", "adam"):
        net = MLP(2, [16, 16, 16, 3], ["tanh"] * 3 + ["softmax"], seed=0)
        trainer = Trainer(net, X3, Y3, "multiclass", optimiser=opt, lr=0.05)
        r = rate(lambda n: trainer.train_steps(n), args.seconds)
        rows.append(("2-16-16-16-3 tanh, softmax", f"explorer.core Trainer, {opt}", r, float("nan")))
    print("| network (500 points, full batch) | implementation | steps/s | hand-fused / this |")
    print("| --- | --- | ---: | ---: |")
    for net_name, impl, r, ratio in rows:
        shown = "" if np.isnan(ratio) else f"{ratio:.2f}x"
        print(f"| {net_name} | {impl} | {r:,.0f} | {shown} |")


if __name__ == "__main__":
    main()
