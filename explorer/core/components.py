"""Principal component analysis by the SVD of the centred data (unsupervised learning).

Samples are columns, ``X : [N, B]``. With ``X − μ = U S Vᵀ``, the columns of U are the principal
directions (the eigenvectors of the covariance ``C = (X − μ)(X − μ)ᵀ / (B − 1)``), with variances
``S² / (B − 1)``, and the scores of the samples are ``Uᵀ (X − μ)``.

>>> import numpy as np
>>> X = np.array([[-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
>>> fit = pca(X)
>>> [round(float(r), 6) for r in fit.ratio]
[1.0, 0.0]
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PCA:
    """``X ≈ μ + U[:, :r] Z[:r]``: ``mean : [N, 1]``, ``components : [N, r]`` (unit columns, U of the
    SVD), ``variance`` the eigenvalues of the covariance, ``ratio = variance / total variance``,
    ``scores : [r, B]`` = ``Uᵀ (X − μ)``."""

    mean: np.ndarray
    components: np.ndarray
    variance: np.ndarray
    ratio: np.ndarray
    scores: np.ndarray


def pca(X: np.ndarray, n_components: int | None = None) -> PCA:
    """Principal components of ``X : [N, B]`` (samples are columns) via the SVD of the centred data.

    Signs are fixed so that each component's largest-magnitude entry is positive (the SVD's
    sign is arbitrary).
    """
    X = np.asarray(X, dtype=float)
    N, B = X.shape
    if B < 2:
        raise ValueError("PCA needs at least 2 samples")
    mean = X.mean(axis=1, keepdims=True)
    Xc = X - mean
    U, S, _ = np.linalg.svd(Xc, full_matrices=False)
    signs = np.sign(U[np.abs(U).argmax(axis=0), np.arange(U.shape[1])])
    U = U * np.where(signs == 0, 1.0, signs)
    variance = S**2 / (B - 1)
    total = float((Xc**2).sum() / (B - 1))
    r = U.shape[1] if n_components is None else int(min(n_components, U.shape[1]))
    ratio = variance / total if total > 0 else np.zeros_like(variance)
    return PCA(mean, U[:, :r], variance[:r], ratio[:r], U[:, :r].T @ Xc)
