"""Small seeded 2-D problems, in the lecture's layout: one point per column.

Every generator returns ``X : [2, B]`` and targets ``Y`` whose columns match:

- binary classification: ``Y : [1, B]`` with labels 0/1 (a sigmoid head);
- multi-class: ``Y : [K, B]`` one-hot, one row per class (a softmax head);
- regression: ``Y : [1, B]`` real values in about [-1, 1] (an identity head).

The generators draw points of radius about 1 (``noise`` is the standard deviation
of Gaussian noise in the same unit). :func:`make` picks a problem by name,
scales it (TensorFlow Playground's plane: points within about ±5, seen on ±6),
and splits it into a training and a test set, class by class, so both sets keep
the class balance:

>>> s = make("spiral", n=200, noise=0.1, train_share=0.5, seed=0)
>>> s.X_train.shape, s.Y_train.shape, s.X_test.shape, s.kind
((2, 100), (1, 100), (2, 100), 'binary')
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.core.classify import split
from explorer.core.probability import one_hot  # noqa: F401  (the one encoder; re-exported)

MAX_POINTS = 5000
MAX_CLASSES = 8
PLAYGROUND_SCALE = 5.0   # TensorFlow Playground's data radius; its view is ±6


def _check(n: int, noise: float, classes: int = 2) -> None:
    if not 4 <= int(n) <= MAX_POINTS:
        raise ValueError(f"the number of points must be between 4 and {MAX_POINTS}, got {n}")
    if not (0.0 <= float(noise) <= 1.0):
        raise ValueError(f"noise must be between 0 and 1, got {noise}")
    if not 2 <= int(classes) <= MAX_CLASSES:
        raise ValueError(f"the number of classes must be between 2 and {MAX_CLASSES}, got {classes}")
    if int(n) < 2 * int(classes):
        raise ValueError(f"{classes} classes need at least {2 * classes} points (two per class), got {n}")


def _counts(n: int, classes: int) -> np.ndarray:
    """Points per class: as equal as possible (the first classes take the remainder)."""
    return np.array([n // classes + (1 if k < n % classes else 0) for k in range(classes)])


def _binary_labels(n: int) -> np.ndarray:
    first = n // 2
    return np.concatenate([np.ones(first), np.zeros(n - first)]).reshape(1, n)


# -- binary classification -----------------------------------------------------------
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


def two_gaussians(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two round clouds centred at (0.4, 0.4) (label 1) and (-0.4, -0.4) (label 0).

    Their spread grows with the noise (standard deviation 0.12 + 0.5·noise), so at
    high noise they overlap and no boundary can be perfect.
    """
    _check(n, noise)
    rng = np.random.default_rng(seed)
    Y = _binary_labels(n)
    centre = np.where(Y[0] == 1, 0.4, -0.4)
    X = centre + (0.12 + 0.5 * noise) * rng.normal(size=(2, n))
    return X, Y


def _spiral_arms(counts: np.ndarray, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``len(counts)`` interleaved arms from the centre to radius 1: two arms turn 1.75 times
    (TensorFlow Playground's spiral), more arms turn once so that they stay apart."""
    K = len(counts)
    turns = 1.75 if K == 2 else 1.0
    xs, labels = [], []
    for k, m in enumerate(counts):
        r = np.arange(m) / m * 0.95 + 0.05
        t = turns * 2.0 * np.pi * r + 2.0 * np.pi * k / K
        xs.append(np.stack([r * np.sin(t), r * np.cos(t)]))
        labels.append(np.full(m, k))
    X = np.concatenate(xs, axis=1)
    return X + noise * rng.normal(size=X.shape), np.concatenate(labels)


def spiral(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spiral arms (labels 1 and 0): the hardest of the binary problems."""
    _check(n, noise)
    X, labels = _spiral_arms(_counts(n, 2), noise, np.random.default_rng(seed))
    return X, (labels == 0).astype(float).reshape(1, n)


def moons(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles (scikit-learn's ``make_moons``), centred and scaled into [-1, 1]."""
    _check(n, noise)
    rng = np.random.default_rng(seed)
    upper = n // 2
    t1 = rng.uniform(0.0, np.pi, upper)
    t0 = rng.uniform(0.0, np.pi, n - upper)
    X = np.concatenate([np.stack([np.cos(t1), np.sin(t1)]),
                        np.stack([1.0 - np.cos(t0), 0.5 - np.sin(t0)])], axis=1)
    X = (X - np.array([[0.5], [0.25]])) * (2.0 / 3.0)
    return X + noise * rng.normal(size=X.shape), _binary_labels(n)


# -- multi-class -----------------------------------------------------------------------
def spirals(n: int = 300, noise: float = 0.1, seed: int = 0, classes: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """``classes`` interleaved spiral arms, one class each; ``Y`` one-hot ``[K, B]``."""
    _check(n, noise, classes)
    X, labels = _spiral_arms(_counts(n, classes), noise, np.random.default_rng(seed))
    return X, one_hot(labels, classes)


def blobs(n: int = 300, noise: float = 0.1, seed: int = 0, classes: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """``classes`` round clouds on a circle of radius 0.6 (std 0.1 + 0.5·noise); ``Y`` one-hot."""
    _check(n, noise, classes)
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(classes), _counts(n, classes))
    angle = np.pi / 2 + 2.0 * np.pi * labels / classes
    centres = 0.6 * np.stack([np.cos(angle), np.sin(angle)])
    return centres + (0.1 + 0.5 * noise) * rng.normal(size=(2, n)), one_hot(labels, classes)


# -- regression ------------------------------------------------------------------------
def plane(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Uniform points in [-1, 1]² with target y = (x1 + x2) / 2 plus noise: a tilted plane."""
    _check(n, noise)
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(2, n))
    Y = (X[0] + X[1]) / 2.0 + noise * rng.normal(size=n)
    return X, Y.reshape(1, n)


BUMPS = ((-0.67, 0.42, 1.0), (0.0, 0.42, -1.0), (0.67, 0.42, 1.0),
         (-0.67, -0.42, -1.0), (0.0, -0.42, 1.0), (0.67, -0.42, -1.0))   # (centre x1, x2, sign)


def bumps_surface(X: np.ndarray, width: float = 0.25) -> np.ndarray:
    """The noiseless target of :func:`gaussian_bumps` at ``X : [2, B]``: ``[1, B]`` in [-1, 1]."""
    X = np.asarray(X, dtype=float)
    values = np.stack([sign * np.exp(-((X[0] - cx) ** 2 + (X[1] - cy) ** 2) / (2 * width**2))
                       for cx, cy, sign in BUMPS])
    strongest = np.abs(values).argmax(axis=0)
    return values[strongest, np.arange(X.shape[1])].reshape(1, -1)


def gaussian_bumps(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Six Gaussian bumps, alternately up (+1) and down (−1): the target is the strongest bump."""
    _check(n, noise)
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(2, n))
    return X, bumps_surface(X) + noise * rng.normal(size=(1, n))


GENERATORS = {"xor": xor, "circles": circles, "gaussians": two_gaussians, "spiral": spiral, "moons": moons}


# -- the playground's problems: by name, scaled, split -----------------------------------
@dataclass(frozen=True)
class Problem:
    name: str
    label: str
    kind: str        # "binary", "multiclass" or "regression": the network's head
    generator: object


PROBLEMS: dict[str, Problem] = {p.name: p for p in (
    Problem("circle", "circle", "binary", circles),
    Problem("xor", "XOR", "binary", xor),
    Problem("gaussians", "two gaussians", "binary", two_gaussians),
    Problem("spiral", "spiral", "binary", spiral),
    Problem("moons", "moons", "binary", moons),
    Problem("spirals", "spirals, K classes", "multiclass", spirals),
    Problem("blobs", "blobs, K classes", "multiclass", blobs),
    Problem("plane", "plane (regression)", "regression", plane),
    Problem("bumps", "gaussian bumps (regression)", "regression", gaussian_bumps),
)}


@dataclass(frozen=True)
class Split:
    """A problem split into a training and a test set; columns are samples."""

    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    kind: str
    classes: int   # K for multi-class, 2 for binary, 1 for regression

    @property
    def n_out(self) -> int:
        """Units of the output layer: 1 (sigmoid or identity) or K (softmax)."""
        return self.Y_train.shape[0]


def labels_of(Y: np.ndarray) -> np.ndarray:
    """Class index per column: the 0/1 label (binary ``[1, B]``) or the one-hot row (``[K, B]``)."""
    return (Y[0] >= 0.5).astype(int) if Y.shape[0] == 1 else Y.argmax(axis=0)


def make(name: str, n: int = 200, noise: float = 0.1, train_share: float = 0.5, seed: int = 0,
         classes: int = 3, scale: float = PLAYGROUND_SCALE) -> Split:
    """Problem ``name`` with ``n`` points, multiplied by ``scale``, split into train and test.

    ``train_share`` (0.1 to 0.9) of the points train, the rest test; for classification
    the split is made class by class, so both sets keep the balance. ``classes`` is used
    by the multi-class problems only. Same arguments, same split.
    """
    if name not in PROBLEMS:
        raise ValueError(f"unknown data set {name!r}; known: {', '.join(PROBLEMS)}")
    if not 0.1 <= float(train_share) <= 0.9:
        raise ValueError(f"the training share must be between 0.1 and 0.9, got {train_share}")
    if not (np.isfinite(scale) and scale > 0):
        raise ValueError(f"the scale must be a positive number, got {scale}")
    problem = PROBLEMS[name]
    if problem.kind == "multiclass":
        X, Y = problem.generator(n=n, noise=noise, seed=seed, classes=classes)
    else:
        X, Y = problem.generator(n=n, noise=noise, seed=seed)
    labels = n if problem.kind == "regression" else labels_of(Y)
    train, test = split(labels, 1.0 - float(train_share), seed)    # class by class
    rng = np.random.default_rng([seed, 1])      # the order of the samples: not sorted by class
    train, test = rng.permutation(train), rng.permutation(test)
    X = X * scale
    k = {"binary": 2, "multiclass": int(classes), "regression": 1}[problem.kind]
    return Split(X[:, train], Y[:, train], X[:, test], Y[:, test], problem.kind, k)


def grid(extent: float = 1.5, steps: int = 80) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A ``steps x steps`` grid over [-extent, extent]²: (x1 values, x2 values, X : [2, steps²])."""
    g = np.linspace(-extent, extent, steps)
    x1, x2 = np.meshgrid(g, g)
    return g, g, np.stack([x1.ravel(), x2.ravel()])
