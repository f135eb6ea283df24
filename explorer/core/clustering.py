"""k-means clustering: Lloyd's algorithm with k-means++ seeding (unsupervised learning).

Data in the lecture's layout, one point per column: ``X : [N, B]``, centroids ``C : [N, k]``.
k-means minimises the within-cluster sum of squares::

    J = Σ_b ||x_b − c_{a(b)}||²

by alternating two steps, each of which can only lower J: assign every point to its nearest
centroid, then move every centroid to the mean of its points.

>>> import numpy as np
>>> X = np.array([[0.0, 0.1, 5.0, 5.1], [0.0, 0.0, 1.0, 1.0]])
>>> run = kmeans(X, 2, seed=0)
>>> sorted(np.bincount(run.labels[-1]).tolist())
[2, 2]
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def assign(X: np.ndarray, C: np.ndarray) -> np.ndarray:
    """Index of the nearest centroid (column of ``C : [N, k]``) for every column of ``X : [N, B]``.

    Ties go to the lower index.
    """
    d2 = (X * X).sum(axis=0)[:, None] - 2.0 * X.T @ C + (C * C).sum(axis=0)[None, :]
    return d2.argmin(axis=1)


def objective(X: np.ndarray, C: np.ndarray, labels: np.ndarray) -> float:
    """``J = Σ_b ||x_b − c_{labels[b]}||²``: the within-cluster sum of squares."""
    return float(((X - C[:, labels]) ** 2).sum())


def kmeans_pp(X: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++ seeding (Arthur & Vassilvitskii, 2007): ``C : [N, k]``.

    The first centroid is a random point; each next one is a point drawn with probability
    proportional to D², its squared distance to the nearest centroid chosen so far.
    """
    B = X.shape[1]
    idx = [int(rng.integers(B))]
    d2 = ((X - X[:, idx[0]:idx[0] + 1]) ** 2).sum(axis=0)
    for _ in range(1, k):
        total = d2.sum()
        j = int(rng.choice(B, p=d2 / total)) if total > 0 else int(rng.integers(B))
        idx.append(j)
        d2 = np.minimum(d2, ((X - X[:, j:j + 1]) ** 2).sum(axis=0))
    return X[:, idx].astype(float)


@dataclass(frozen=True)
class KMeansRun:
    """Every iteration t = 0 … T of Lloyd's algorithm.

    ``centroids[t] : [N, k]`` are the centroids C_t (C_0 from k-means++), ``labels[t]`` the
    assignment to the nearest of them, ``objective[t] = J(C_t, labels[t])``;
    ``C_{t+1}`` = mean of the points assigned at step t. After ``converged_at`` nothing changes
    (the arrays repeat the last state up to T, so every t has a picture).
    """

    centroids: np.ndarray   # [T + 1, N, k]
    labels: np.ndarray      # [T + 1, B]
    objective: np.ndarray   # [T + 1]
    converged_at: int | None

    @property
    def k(self) -> int:
        return self.centroids.shape[2]


INITS = {"k-means++": "k-means++ (spread out)", "random": "k random points"}


def kmeans(X: np.ndarray, k: int, iters: int = 30, seed: int = 0, init: str = "k-means++") -> KMeansRun:
    """Lloyd's k-means on ``X : [N, B]``; ``iters`` update steps at most.

    ``init``: ``"k-means++"`` (:func:`kmeans_pp`) or ``"random"`` (k distinct points chosen
    uniformly, Forgy's method). A centroid that loses all its points stays where it is.
    ``converged_at`` is the first t whose assignment equals the previous one (then
    ``C_{t+1} = C_t``), or None.
    """
    X = np.asarray(X, dtype=float)
    B = X.shape[1]
    if not 1 <= int(k) <= B:
        raise ValueError(f"k must be between 1 and the number of points ({B}), got {k}")
    rng = np.random.default_rng([seed, 11])
    if init == "k-means++":
        C = kmeans_pp(X, int(k), rng)
    elif init == "random":
        C = X[:, rng.choice(B, int(k), replace=False)].astype(float)
    else:
        raise ValueError(f"init must be one of {', '.join(INITS)}, got {init!r}")
    cs, ls, js = [], [], []
    converged = None
    for t in range(iters + 1):
        lab = assign(X, C)
        if converged is None and ls and np.array_equal(lab, ls[-1]):
            converged = t
        cs.append(C.copy())
        ls.append(lab)
        js.append(objective(X, C, lab))
        counts = np.bincount(lab, minlength=k)
        sums = np.zeros_like(C)
        np.add.at(sums.T, lab, X.T)
        C = np.where(counts > 0, sums / np.maximum(counts, 1), C)
    return KMeansRun(np.stack(cs), np.stack(ls), np.array(js), converged)


def purity(clusters: np.ndarray, truth: np.ndarray) -> float:
    """Share of points whose cluster's most common true label is their own (1 = every cluster pure).

    ``clusters`` and ``truth`` are equally long lists of whole numbers 0, 1, 2, ... (ValueError otherwise:
    a negative label is never wrapped around).
    """
    clusters, truth = np.asarray(clusters).ravel(), np.asarray(truth).ravel()
    if clusters.shape != truth.shape or clusters.size == 0:
        raise ValueError(f"clusters and truth must be equally long and not empty, got {clusters.size} and {truth.size}")
    for name, v in (("clusters", clusters), ("truth", truth)):
        if not np.issubdtype(v.dtype, np.integer) or v.min() < 0:
            raise ValueError(f"{name} must be whole numbers 0, 1, 2, ...")
    table = np.zeros((clusters.max() + 1, truth.max() + 1), dtype=int)
    np.add.at(table, (clusters, truth), 1)
    return float(table.max(axis=1).sum() / clusters.size)
