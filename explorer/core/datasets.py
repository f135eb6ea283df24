"""Small seeded 2-D classification problems, in the lecture's layout.

Every generator returns ``X : [2, B]`` (one point per column) and
``Y : [1, B]`` with labels 0/1, so that ``MLP(n_in=2, ...)`` takes X directly.
"""
from __future__ import annotations

import numpy as np

MAX_POINTS = 5000


def _check(n: int, noise: float) -> None:
    if not 4 <= int(n) <= MAX_POINTS:
        raise ValueError(f"the number of points must be between 4 and {MAX_POINTS}, got {n}")
    if not (0.0 <= float(noise) <= 1.0):
        raise ValueError(f"noise must be between 0 and 1, got {noise}")


def xor(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Points in [-1, 1]²; label 1 where x1·x2 > 0 (same sign): no straight line separates them."""
    _check(n, noise)
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(2, n))
    # push points off the axes a little so the classes are clean before noise
    X += 0.1 * np.sign(X)
    Y = (X[0] * X[1] > 0).astype(float).reshape(1, n)
    return X + noise * rng.normal(size=X.shape), Y


def circles(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """An inner disc (label 1, radius < 0.5) inside a ring (label 0, radius 0.7 to 1)."""
    _check(n, noise)
    rng = np.random.default_rng(seed)
    inner = n // 2
    r = np.concatenate([rng.uniform(0.0, 0.5, inner), rng.uniform(0.7, 1.0, n - inner)])
    t = rng.uniform(0.0, 2.0 * np.pi, n)
    X = np.stack([r * np.cos(t), r * np.sin(t)])
    Y = np.concatenate([np.ones(inner), np.zeros(n - inner)]).reshape(1, n)
    return X + noise * rng.normal(size=X.shape), Y


GENERATORS = {"xor": xor, "circles": circles}


def grid(extent: float = 1.5, steps: int = 80) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A ``steps x steps`` grid over [-extent, extent]²: (x1 values, x2 values, X : [2, steps²])."""
    g = np.linspace(-extent, extent, steps)
    x1, x2 = np.meshgrid(g, g)
    return g, g, np.stack([x1.ravel(), x2.ravel()])
