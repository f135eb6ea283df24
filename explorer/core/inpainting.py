"""Self-supervised learning: make a training signal from unlabelled images themselves.

Hide part of every 8 × 8 patch and predict it from the rest (in-painting), with ridge
regression over M patches (V the visible, H the hidden pixels, both centred)::

    Ŵ = argmin_W (1/M) ||H − W V||² + λ ||W||²          (:func:`fit_inpainter`)

The directions of the visible pixels that move its prediction most on real patches (the top
singular vectors of ``Cov(ĥ, v) = Ŵ C_vv``: a patch's brightness, then its gradient) are a
learned representation of a patch, reused by
:func:`image_features` for a downstream classifier that has few labels
(:func:`few_label_accuracy`, :func:`compare_representations`), against raw pixels and
against random directions of the same shape (the control).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.core.activations import sigmoid

PATCH = 8
MASKS = {"centre": "hide the centre 4 × 4", "right": "hide the right half"}


def patch_mask(kind: str = "centre", p: int = PATCH) -> np.ndarray:
    """Boolean ``[p, p]``: True where a pixel is hidden (the centre p/2 × p/2, or the right half)."""
    m = np.zeros((p, p), dtype=bool)
    if kind == "centre":
        m[p // 4:p - p // 4, p // 4:p - p // 4] = True
    elif kind == "right":
        m[:, p // 2:] = True
    else:
        raise ValueError(f"unknown mask {kind!r}; known: {', '.join(MASKS)}")
    return m


def patches(images: np.ndarray, p: int = PATCH, stride: int = PATCH // 2) -> np.ndarray:
    """Every ``p x p`` patch at the given stride: ``[B, positions, p*p]`` (row-major inside a patch)."""
    images = np.asarray(images, dtype=float)
    _, H, W = images.shape
    out = [images[:, r:r + p, c:c + p].reshape(images.shape[0], -1)
           for r in range(0, H - p + 1, stride) for c in range(0, W - p + 1, stride)]
    return np.stack(out, axis=1)


@dataclass(frozen=True)
class Inpainter:
    """A linear predictor of a patch's hidden pixels h from its visible pixels v: ``ĥ = W (v − μ_v) + μ_h``.

    Its learned representation is the r-number code ``z = Eᵀ_r (v − μ_v)`` of a patch: the rows of
    ``Eᵀ`` are the directions in the visible pixels that move the prediction most *on real
    patches*, the right singular vectors of the covariance of the prediction with the input::

        Cov(ĥ, v) = W C_vv = U S Eᵀ          C_vv = V_c V_cᵀ / M (the visible pixels' covariance)

    (for a small ridge λ this is the cross-covariance ``H_c V_cᵀ / M`` of the hidden and visible
    pixels: the visible patterns that co-vary most with what is hidden). The singular vectors
    of ``W`` alone would not do: ``W = C_hv (C_vv + λI)⁻¹`` has its largest gains along the
    directions in which patches hardly vary (pixel noise, fine checkerboards), useful for
    predicting and useless for describing a patch. The first two directions are a patch's
    brightness and its brightness gradient: what a hidden centre is predicted from.
    """

    mask: np.ndarray       # [p, p], True = hidden
    W: np.ndarray          # [hidden, visible]
    mu_v: np.ndarray       # [visible, 1]
    mu_h: np.ndarray       # [hidden, 1]
    directions: np.ndarray  # Eᵀ : [rank, visible], unit rows, each one's largest entry positive
    strengths: np.ndarray   # singular values S of Cov(ĥ, v) = W C_vv

    def predict(self, V: np.ndarray) -> np.ndarray:
        """``V : [visible, M]`` -> predicted hidden pixels ``[hidden, M]``."""
        return self.W @ (V - self.mu_v) + self.mu_h

    def encode(self, V: np.ndarray, r: int) -> np.ndarray:
        """``[visible, M]`` -> ``[r, M]``: the patch's code along the top r directions."""
        return self.directions[:r] @ (V - self.mu_v)


def split_patch(P: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Patches ``[M, p*p]`` -> ``(V : [visible, M], H : [hidden, M])``: columns are patches."""
    m = mask.ravel()
    return P[:, ~m].T, P[:, m].T


def fit_inpainter(P: np.ndarray, mask: np.ndarray, l2: float = 1e-3) -> Inpainter:
    """Ridge regression of the hidden pixels on the visible ones over patches ``P : [M, p*p]``.

    ``W = H_c V_cᵀ (V_c V_cᵀ + λ M I)⁻¹`` with centred ``V_c``, ``H_c`` minimises
    ``(1/M) ||H_c − W V_c||² + λ ||W||²``. The code directions are those of
    ``Cov(ĥ, v) = W V_c V_cᵀ / M`` (see :class:`Inpainter`).
    """
    V, H = split_patch(np.asarray(P, dtype=float), mask)
    M = V.shape[1]
    mu_v, mu_h = V.mean(axis=1, keepdims=True), H.mean(axis=1, keepdims=True)
    Vc, Hc = V - mu_v, H - mu_h
    C_vv = Vc @ Vc.T / M
    W = np.linalg.solve(C_vv + l2 * np.eye(V.shape[0]), Vc @ Hc.T / M).T
    _, s, Et = np.linalg.svd(W @ C_vv, full_matrices=False)
    signs = np.sign(Et[np.arange(Et.shape[0]), np.abs(Et).argmax(axis=1)])
    return Inpainter(mask, W, mu_v, mu_h, Et * np.where(signs == 0, 1.0, signs)[:, None], s)


def inpaint_errors(model: Inpainter, P: np.ndarray) -> dict:
    """Mean squared error on patches ``P`` of the predictor and of always predicting the training mean
    μ_h (the baseline a useless predictor reaches), and ``R² = 1 − mse / mse_mean``."""
    V, H = split_patch(np.asarray(P, dtype=float), model.mask)
    mse = float(np.mean((model.predict(V) - H) ** 2))
    base = float(np.mean((model.mu_h - H) ** 2))
    return {"mse": mse, "mse_mean": base, "r2": 1.0 - mse / base if base > 0 else 0.0}


def inpaint_image(model: Inpainter, image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Tile ``image`` with non-overlapping patches, hide each one's masked pixels and predict them.

    Returns ``(masked, filled)``: masked has NaN where pixels are hidden; filled has the
    predictions there. Pixels outside whole tiles are left as they are.
    """
    p = model.mask.shape[0]
    H, W = image.shape
    masked, filled = image.astype(float).copy(), image.astype(float).copy()
    m = model.mask.ravel()
    for r in range(0, H - p + 1, p):
        for c in range(0, W - p + 1, p):
            tile = image[r:r + p, c:c + p].astype(float).ravel()
            guess = model.predict(tile[~m].reshape(-1, 1))[:, 0]
            t_mask, t_fill = tile.copy(), tile.copy()
            t_mask[m], t_fill[m] = np.nan, guess
            masked[r:r + p, c:c + p] = t_mask.reshape(p, p)
            filled[r:r + p, c:c + p] = t_fill.reshape(p, p)
    return masked, filled


def image_features(images: np.ndarray, directions: np.ndarray, mask: np.ndarray, mu_v: np.ndarray) -> np.ndarray:
    """``[B, positions * r]``: ``|z|`` for every overlapping patch of every image, ``z = Eᵀ_r (v − μ_v)``
    with ``directions = Eᵀ_r : [r, visible]``.

    The size ``|z|`` says how strongly a patch shows each pattern whatever its sign (an edge
    dark-to-bright or bright-to-dark): one fixed nonlinearity, the same for learned and random
    directions.
    """
    P = patches(images, mask.shape[0])
    Vis = P[:, :, ~mask.ravel()] - mu_v[:, 0]
    return np.abs(np.einsum("rv,bpv->bpr", directions, Vis)).reshape(len(images), -1)


# -- the downstream classifier ------------------------------------------------------------------
def fit_logistic(F: np.ndarray, y: np.ndarray, l2: float = 1.0, iters: int = 50) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression, ``P(y = 1 | f) = σ(wᵀ f + b)``, rows of ``F`` are samples.

    Minimises ``Σ_i log(1 + exp(−ỹ_i (wᵀf_i + b))) + (λ/2) ||w||²`` (b not penalised) by Newton's
    method. With fewer samples n than features the optimum w lies in the span of the centred
    samples, so the problem is solved there, in n dimensions, exactly.
    """
    F = np.asarray(F, dtype=float)
    y = np.asarray(y, dtype=float)
    mu = F.mean(axis=0)
    Fc = F - mu
    K = Fc @ Fc.T
    evals, U = np.linalg.eigh(K)
    keep = evals > 1e-10 * max(float(evals.max()), 1e-300)
    s = np.sqrt(evals[keep])
    U = U[:, keep]
    G = np.c_[U * s, np.ones(len(y))]           # Fc w = (U s) β for w = Fcᵀ U β / s
    reg = np.r_[np.full(G.shape[1] - 1, l2), 0.0]
    beta = np.zeros(G.shape[1])
    for _ in range(iters):
        p = sigmoid(G @ beta)
        grad = G.T @ (p - y) + reg * beta
        hess = (G.T * (p * (1 - p))) @ G + np.diag(reg) + 1e-9 * np.eye(len(beta))
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.max(np.abs(step)) < 1e-10:
            break
    w = Fc.T @ (U @ (beta[:-1] / s))
    return w, float(beta[-1] - mu @ w)


def balanced_accuracy(pred: np.ndarray, y: np.ndarray) -> float:
    """Mean over the two classes of the share predicted right (always answering one class scores 0.5)."""
    pred, y = np.asarray(pred), np.asarray(y)
    return float(np.mean([np.mean(pred[y == c] == c) for c in (0, 1) if np.any(y == c)]))


def few_label_accuracy(F: np.ndarray, y: np.ndarray, pool: np.ndarray, test: np.ndarray, n_per_class: int,
                       draws: int = 20, seed: int = 0, l2: float = 1.0) -> np.ndarray:
    """Test balanced accuracy of :func:`fit_logistic` trained on ``n_per_class`` labelled samples of each
    class drawn from ``pool``, once for each of ``draws`` seeded draws (the same draws for any F).

    Features are standardised with the mean and spread of the whole (unlabelled) pool.
    """
    F = np.asarray(F, dtype=float)
    mu, sd = F[pool].mean(axis=0), F[pool].std(axis=0) + 1e-8
    Fs = (F - mu) / sd
    rng = np.random.default_rng([seed, 23, n_per_class])
    pos, neg = pool[y[pool] == 1], pool[y[pool] == 0]
    n = int(min(n_per_class, len(pos), len(neg)))
    out = []
    for _ in range(draws):
        idx = np.r_[rng.choice(pos, n, replace=False), rng.choice(neg, n, replace=False)]
        w, b = fit_logistic(Fs[idx], y[idx], l2)
        out.append(balanced_accuracy((Fs[test] @ w + b > 0).astype(int), y[test]))
    return np.array(out)


def random_directions(r: int, visible: int, seed: int = 0) -> np.ndarray:
    """``[r, visible]`` orthonormal rows drawn at random: the control for learned directions."""
    A = np.random.default_rng([seed, 41]).normal(size=(visible, max(int(r), 1)))
    Qm, _ = np.linalg.qr(A)
    return Qm[:, :r].T


LABEL_COUNTS = (2, 3, 5, 10, 20, 30)


def compare_representations(images: np.ndarray, y: np.ndarray, pool: np.ndarray, test: np.ndarray,
                            model: Inpainter, r: int, label_counts=LABEL_COUNTS, draws: int = 20,
                            seed: int = 0) -> dict[str, np.ndarray]:
    """Downstream test accuracy with few labels, for three ways of describing an image:

    * ``"pixels"``: the raw (normalised) pixels, ``H * W`` numbers;
    * ``"learned"``: every overlapping 8 × 8 patch coded by the inpainter's top ``r`` directions
      (:func:`image_features`);
    * ``"random"``: the same, with ``r`` random orthonormal directions (the control).

    Returns ``{name: [len(label_counts), draws]}`` balanced accuracies; the labelled samples of
    every draw are the same for the three.
    """
    features = {
        "pixels": images.reshape(len(images), -1),
        "learned": image_features(images, model.directions[:r], model.mask, model.mu_v),
        "random": image_features(images, random_directions(r, model.mu_v.shape[0], seed), model.mask, model.mu_v),
    }
    return {name: np.stack([few_label_accuracy(F, y, pool, test, n, draws, seed) for n in label_counts])
            for name, F in features.items()}
