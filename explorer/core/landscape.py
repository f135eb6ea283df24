"""The lecture's "Deep Learning Landscapes" slide, one small working example per kind of learning.

Numpy only (the supervised example reuses the project's :class:`~explorer.core.mlp.MLP` and
:class:`~explorer.core.train.Trainer`). Data in the lecture's layout: one sample per column,
``X : N x B``.

* **Supervised** (labelled X and Y, learn X → Y): :func:`points` and :func:`train_classifier`.
* **Unsupervised** (unlabelled X, learn a representation):

  - k-means (Lloyd's algorithm with k-means++ seeding), :func:`kmeans`. It minimises
    ``J = Σ_b ||x_b − c_{a(b)}||²`` by alternating two steps, each of which can only lower J:
    assign every point to its nearest centroid, move every centroid to the mean of its points;
  - PCA by the SVD of the centred data, :func:`pca`: ``X − μ = U S Vᵀ``; the columns of U are the
    principal directions (eigenvectors of the covariance ``C = (X − μ)(X − μ)ᵀ / (B − 1)``), with
    variances ``S² / (B − 1)``.

* **Self-supervised** (unlabelled X, make a signal from X itself): hide part of every 8 × 8 patch
  and predict it from the rest, :func:`fit_inpainter` (ridge regression
  ``Ŵ = argmin_W (1/M) ||H − W V||² + λ ||W||²`` over M patches, V the visible and H the hidden
  pixels, centred). Its top singular directions are a learned representation of a patch,
  reused by :func:`image_features` for a downstream classifier with few labels,
  :func:`few_label_accuracy`.
* **Reinforcement** (learn actions to reach a goal in an environment): a grid world,
  :class:`GridWorld`, and tabular Q-learning, :func:`q_learning`::

      Q(s, a) ← Q(s, a) + α [ r + γ max_a' Q(s', a') − Q(s, a) ]      (no max term at the end)
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from explorer.core import datasets
from explorer.core.mlp import MLP
from explorer.core.train import Trainer

# =============================================================================== 2-D points
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


def split(n: int, test_share: float = 0.5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Seeded random (train, test) column indices of ``n`` samples."""
    order = np.random.default_rng([seed, 17]).permutation(n)
    cut = int(round(n * (1.0 - test_share)))
    return np.sort(order[:cut]), np.sort(order[cut:])


# =============================================================================== supervised
def train_classifier(X: np.ndarray, labels: np.ndarray, hidden: int = 0, steps: int = 400, lr: float = 0.05,
                     seed: int = 0) -> MLP:
    """Fit ``X → labels`` by cross-entropy with Adam (full batch), return the network.

    ``hidden = 0``: logistic regression (2 classes, one sigmoid unit) or softmax regression
    (K classes), a straight boundary; ``hidden > 0``: one tanh hidden layer of that width.
    """
    labels = np.asarray(labels, dtype=int)
    K = int(labels.max()) + 1 if labels.size else 2
    K = max(K, 2)
    head = "binary" if K == 2 else "multiclass"
    Y = labels.reshape(1, -1).astype(float) if K == 2 else datasets.one_hot(labels, K)
    out = [1 if K == 2 else K]
    widths, acts = ([hidden] + out, ["tanh", "sigmoid" if K == 2 else "softmax"]) if hidden else \
        (out, ["sigmoid" if K == 2 else "softmax"])
    net = MLP(X.shape[0], widths, acts, seed=seed)
    Trainer(net, X, Y, head, optimiser="adam", lr=lr).train_steps(steps)
    return net


def predict_classes(net: MLP, X: np.ndarray) -> np.ndarray:
    """Class index per column: threshold 0.5 for one sigmoid unit, argmax for softmax."""
    out = net.forward(X)
    return (out[0] >= 0.5).astype(int) if out.shape[0] == 1 else out.argmax(axis=0)


# =============================================================================== k-means
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
    """Share of points whose cluster's most common true label is their own (1 = every cluster pure)."""
    clusters, truth = np.asarray(clusters, dtype=int), np.asarray(truth, dtype=int)
    table = np.zeros((clusters.max() + 1, truth.max() + 1), dtype=int)
    np.add.at(table, (clusters, truth), 1)
    return float(table.max(axis=1).sum() / clusters.size)


# =============================================================================== PCA
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


# =============================================================================== images
def normalise_images(X: np.ndarray, size: int) -> np.ndarray:
    """``X : [N, B]`` (flattened images) -> ``[B, size, size]``, each divided by its own mean.

    The synthetic scanner sets every image's overall brightness at random; dividing it out
    keeps that from being the first thing every method finds.
    """
    images = np.asarray(X, dtype=float).T.reshape(-1, size, size)
    return images / np.maximum(images.mean(axis=(1, 2), keepdims=True), 1e-12)


# =============================================================================== self-supervised
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

    ``W = U S Eᵀ`` (its SVD): the rows of ``Eᵀ`` are directions in the visible pixels, ordered by
    how much the prediction depends on them; the first r give the r-number code
    ``z = Eᵀ_r (v − μ_v)`` of a patch (the learned representation).
    """

    mask: np.ndarray       # [p, p], True = hidden
    W: np.ndarray          # [hidden, visible]
    mu_v: np.ndarray       # [visible, 1]
    mu_h: np.ndarray       # [hidden, 1]
    directions: np.ndarray  # Eᵀ : [rank, visible]
    strengths: np.ndarray   # singular values of W

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
    ``(1/M) ||H_c − W V_c||² + λ ||W||²``.
    """
    V, H = split_patch(np.asarray(P, dtype=float), mask)
    M = V.shape[1]
    mu_v, mu_h = V.mean(axis=1, keepdims=True), H.mean(axis=1, keepdims=True)
    Vc, Hc = V - mu_v, H - mu_h
    A = Vc @ Vc.T + l2 * M * np.eye(V.shape[0])
    W = np.linalg.solve(A, Vc @ Hc.T).T
    _, s, Et = np.linalg.svd(W, full_matrices=False)
    return Inpainter(mask, W, mu_v, mu_h, Et, s)


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
def sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


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


# =============================================================================== reinforcement
ACTIONS = ((-1, 0), (0, 1), (1, 0), (0, -1))   # up, right, down, left (row, column steps)
ARROWS = "↑→↓←"
STEP_REWARD, GOAL_REWARD, PIT_REWARD = -0.04, 1.0, -1.0

LAYOUTS = {
    "pit": ("....G",
            ".##.P",
            ".....",
            ".#P#.",
            "S...."),
    "detour": ("S.#.G",
               "..#..",
               "..#P.",
               ".....",
               "P#..."),
    "cliff": (".......",
              ".......",
              ".......",
              "SPPPPPG"),
}
LAYOUT_NAMES = {"pit": "walls and two pits", "detour": "a wall to walk around", "cliff": "the cliff"}


@dataclass(frozen=True)
class GridWorld:
    """A grid from strings: ``S`` start, ``G`` goal (+1, ends), ``P`` pit (−1, ends), ``#`` wall, ``.`` free.

    Every move costs −0.04 (so shorter is better); moving into a wall or off the grid leaves the
    agent where it is (and still costs). States are cells, numbered ``row * width + column``.
    """

    rows: tuple[str, ...]

    def __post_init__(self):
        widths = {len(r) for r in self.rows}
        if len(widths) != 1:
            raise ValueError("every row of the layout must have the same length")
        text = "".join(self.rows)
        if text.count("S") != 1 or "G" not in text:
            raise ValueError("a layout needs exactly one start S and at least one goal G")
        if set(text) - set("SGP#."):
            raise ValueError("a layout uses only the characters S, G, P, # and .")

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows), len(self.rows[0])

    @property
    def n_states(self) -> int:
        return self.shape[0] * self.shape[1]

    def cell(self, s: int) -> str:
        return self.rows[s // self.shape[1]][s % self.shape[1]]

    @property
    def start(self) -> int:
        return "".join(self.rows).index("S")

    def terminal(self, s: int) -> bool:
        return self.cell(s) in "GP"

    def move(self, s: int, a: int) -> tuple[int, float, bool]:
        """``(next state, reward, episode over)`` for action ``a`` in state ``s``."""
        H, W = self.shape
        r, c = divmod(s, W)
        r2, c2 = r + ACTIONS[a][0], c + ACTIONS[a][1]
        if not (0 <= r2 < H and 0 <= c2 < W) or self.rows[r2][c2] == "#":
            r2, c2 = r, c
        s2 = r2 * W + c2
        kind = self.cell(s2)
        if kind == "G":
            return s2, GOAL_REWARD, True
        if kind == "P":
            return s2, PIT_REWARD, True
        return s2, STEP_REWARD, False

    def tables(self) -> tuple[list, list, list]:
        """Lookup tables ``next[s][a]``, ``reward[s][a]``, ``done[s][a]`` (python lists: fast to index)."""
        moves = [[self.move(s, a) for a in range(4)] for s in range(self.n_states)]
        return ([[m[0] for m in row] for row in moves], [[m[1] for m in row] for row in moves],
                [[m[2] for m in row] for row in moves])

    def shortest_path(self) -> int | None:
        """Fewest moves from S to a goal avoiding pits (breadth-first search), None if unreachable."""
        seen, queue = {self.start: 0}, deque([self.start])
        while queue:
            s = queue.popleft()
            for a in range(4):
                s2, _, _ = self.move(s, a)
                if s2 in seen or self.cell(s2) == "P":
                    continue
                seen[s2] = seen[s] + 1
                if self.cell(s2) == "G":
                    return seen[s2]
                queue.append(s2)
        return None


@dataclass(frozen=True)
class QLearningRun:
    """What :func:`q_learning` learned and how it went, episode by episode."""

    Q: np.ndarray          # [states, 4]
    returns: np.ndarray    # total reward of each episode
    lengths: np.ndarray    # moves in each episode
    outcome: np.ndarray    # +1 reached a goal, −1 fell in a pit, 0 ran out of moves
    visits: np.ndarray     # how often each state was left by a move

    def values(self) -> np.ndarray:
        """``V(s) = max_a Q(s, a)`` (0 for states never visited)."""
        return self.Q.max(axis=1)

    def policy(self) -> np.ndarray:
        """The greedy action ``argmax_a Q(s, a)`` of every state (ties: the first of up, right, down, left)."""
        return self.Q.argmax(axis=1)


def q_learning(world: GridWorld, episodes: int = 500, alpha: float = 0.5, gamma: float = 0.95,
               epsilon: float = 0.1, seed: int = 0, max_steps: int = 100) -> QLearningRun:
    """Tabular Q-learning with an ε-greedy behaviour policy, from ``Q = 0``.

    Each episode starts at S and ends at a goal, a pit, or after ``max_steps`` moves. At each
    move: with probability ε a random action, else the greedy one (ties broken at random);
    then ``Q(s, a) ← Q(s, a) + α [r + γ max_a' Q(s', a') − Q(s, a)]`` (just ``r`` when the move ends
    the episode). Seeded: the same arguments give the same run.
    """
    if not (0 <= alpha <= 1 and 0 <= gamma <= 1 and 0 <= epsilon <= 1):
        raise ValueError("alpha, gamma and epsilon must each be between 0 and 1")
    episodes, max_steps = int(episodes), int(max_steps)
    nxt, rew, done = world.tables()
    Q = [[0.0] * 4 for _ in range(world.n_states)]
    visits = [0] * world.n_states
    returns, lengths, outcome = np.zeros(episodes), np.zeros(episodes, dtype=int), np.zeros(episodes, dtype=int)
    rng = np.random.default_rng([seed, 31])
    block, pos = 8192, 8192
    coin = acts = ties = None
    start = world.start
    for ep in range(episodes):
        s, total, moves, end = start, 0.0, 0, 0
        while moves < max_steps:
            if pos >= block:
                coin, acts = rng.random(block).tolist(), rng.integers(0, 4, block).tolist()
                ties = rng.random(block).tolist()
                pos = 0
            q = Q[s]
            if coin[pos] < epsilon:
                a = acts[pos]
            else:
                best = max(q)
                if q.count(best) == 1:
                    a = q.index(best)
                else:
                    options = [i for i in range(4) if q[i] == best]
                    a = options[int(ties[pos] * len(options))]
            pos += 1
            s2, r, d = nxt[s][a], rew[s][a], done[s][a]
            target = r if d else r + gamma * max(Q[s2])
            q[a] += alpha * (target - q[a])
            visits[s] += 1
            total += r
            moves += 1
            s = s2
            if d:
                end = 1 if r == GOAL_REWARD else -1
                break
        returns[ep], lengths[ep], outcome[ep] = total, moves, end
    return QLearningRun(np.array(Q), returns, lengths, outcome, np.array(visits))


def greedy_path(world: GridWorld, Q: np.ndarray, max_steps: int = 100) -> tuple[list[int], int]:
    """Follow ``argmax_a Q`` from S: ``(states visited, outcome)``; outcome +1 goal, −1 pit, 0 stuck
    (a state repeats, so the greedy agent loops for ever, or ``max_steps`` ran out)."""
    s, path = world.start, [world.start]
    seen = {s}
    for _ in range(max_steps):
        s, r, d = world.move(s, int(np.argmax(Q[s])))
        path.append(s)
        if d:
            return path, 1 if r == GOAL_REWARD else -1
        if s in seen:
            return path, 0
        seen.add(s)
    return path, 0


def moving_average(x: np.ndarray, window: int) -> np.ndarray:
    """Mean of the last ``window`` values at each point (fewer at the start): same length as ``x``."""
    x = np.asarray(x, dtype=float)
    window = max(1, int(window))
    c = np.cumsum(np.r_[0.0, x])
    i = np.arange(1, x.size + 1)
    lo = np.maximum(0, i - window)
    return (c[i] - c[lo]) / (i - lo)
