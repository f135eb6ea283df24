"""Image classification with the project's own networks: data, training, evaluation, detection.

Everything in the lecture's layout: a data set is ``X : N x B`` (one flattened image per
column), labels are class indices ``0 .. K-1``. Two classes use **one sigmoid unit**
(logistic regression, ``Y : 1 x B`` of 0/1, class 1 = "yes"); more use **K softmax units**
(softmax regression, one-hot ``Y : K x B``); an optional hidden layer makes it an MLP::

    logistic regression   a = σ(W X + b)          W : 1 x N
    softmax regression    ŷ = softmax(W X + b)     W : K x N   (one row, one template, per class)
    MLP                   ŷ = softmax(W2 ReLU(W1 X + b1) + b2)

Inputs are standardised with the training set's mean and standard deviation per feature
(``(X - μ) / s``), and trained with Adam on minibatches by :class:`explorer.core.train.Trainer`.

A trained binary classifier becomes a (simple) detector by sliding it over a larger image:
:func:`heat_map` takes every window at once (``skimage.util.view_as_windows``), and
computes ``P(class 1)`` for all of them with one matrix product.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np

from explorer.core.mlp import MLP
from explorer.core.probability import class_indices, one_hot
from explorer.core.train import Trainer

BATCH = 64                      # images per Adam step
FACE_NAMES = ("non-face", "face")
HEART_NAMES = ("no heart", "heart")
MAX_WINDOW_VALUES = 4_000_000   # windows x pixels handled per matrix product in heat_map


# -- data ----------------------------------------------------------------------------------------
def faces() -> tuple[np.ndarray, np.ndarray]:
    """The LFW subset of scikit-image (``skimage.data.lfw_subset()``): ``(images, labels)``.

    ``images : [200, 25, 25]`` grey values in [0, 1]: the first 100 are faces (label 1),
    the last 100 are non-faces (label 0: patches of other photographs).
    """
    from skimage import data

    images = np.asarray(data.lfw_subset(), dtype=float)
    labels = np.r_[np.ones(100, dtype=int), np.zeros(len(images) - 100, dtype=int)]
    return images, labels


def to_columns(images) -> np.ndarray:
    """A stack ``[B, H, W]`` as the lecture's ``X : N x B`` (each image flattened row by row)."""
    images = np.asarray(images, dtype=float)
    if images.ndim != 3:
        raise ValueError(f"images must be a stack [B, H, W], got shape {images.shape}")
    return images.reshape(images.shape[0], -1).T.copy()


def to_images(X, shape: tuple[int, int]) -> np.ndarray:
    """``X : N x B`` back to ``[B, H, W]`` (``N = H * W``)."""
    X = np.asarray(X)
    return X.T.reshape(X.shape[1], *shape)


def heart_vs_none(X: np.ndarray, labels: np.ndarray, other: int | None = None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A balanced heart / no-heart set from a five-view set (``explorer.core.mri.make_dataset``).

    Every slice of class ``other`` (no heart; by default ``mri.NO_HEART``, the index of "Other"
    in ``mri.CLASSES``) is a negative; as many positives are taken from the heart views in turn
    (in the order of ``mri.CLASSES``: CH3, CH2, CH4, SAX, CH3, ...), so that both classes are
    equally common and every view is represented. Returns ``(X, y, views)``: ``y`` is 1 for
    heart, 0 for no heart; ``views`` the original class of each column.
    """
    if other is None:
        from explorer.core.mri import NO_HEART as other
    labels = np.asarray(labels, dtype=int)
    negatives = np.flatnonzero(labels == other)
    heart_views = [k for k in np.unique(labels) if k != other]
    pools = [list(np.flatnonzero(labels == k)) for k in heart_views]
    positives = []
    while len(positives) < len(negatives) and any(pools):
        for pool in pools:
            if pool and len(positives) < len(negatives):
                positives.append(pool.pop(0))
    keep = np.sort(np.r_[negatives, np.array(positives, dtype=int)])
    return X[:, keep], (labels[keep] != other).astype(int), labels[keep]


def split(labels, test_fraction: float = 0.25, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Stratified, seeded train / test split: ``(train_idx, test_idx)``, sorted.

    ``labels``: the class of every sample, or a whole number ``n`` for ``n`` samples without
    classes (one plain random split). Each class gives ``round(test_fraction * count)`` of its
    samples to the test set, but keeps at least one for training (and gives at least one to the
    test set when it has two). The project's only train / test split of samples.
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1, got {test_fraction}")
    if isinstance(labels, (int, np.integer)) and not isinstance(labels, bool):
        labels = np.zeros(int(labels), dtype=int)
    labels = np.asarray(labels).ravel()
    rng = np.random.default_rng([int(seed), 11])
    train, test = [], []
    for k in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == k))
        n_test = int(round(test_fraction * idx.size))
        n_test = min(max(n_test, 1 if idx.size >= 2 else 0), idx.size - 1)
        test.extend(idx[:n_test])
        train.extend(idx[n_test:])
    return np.sort(np.array(train, dtype=int)), np.sort(np.array(test, dtype=int))


def targets(labels, K: int) -> np.ndarray:
    """``Y`` for the network: ``1 x B`` of 0/1 when ``K == 2``, else one-hot ``K x B``.

    The binary row is row 1 ("class 1") of the one-hot table; labels outside ``0..K-1`` are errors.
    """
    Y = one_hot(labels, K)
    return Y[1:] if K == 2 else Y


@dataclass(frozen=True)
class Standardiser:
    """``(X - mean) / std`` per feature (row), with the statistics of the training set."""

    mean: np.ndarray     # N x 1
    std: np.ndarray      # N x 1 (features that never change get 1)

    @classmethod
    def fit(cls, X: np.ndarray) -> "Standardiser":
        X = np.asarray(X, dtype=float)
        std = X.std(axis=1, keepdims=True)
        return cls(X.mean(axis=1, keepdims=True), np.where(std > 1e-12, std, 1.0))

    @classmethod
    def identity(cls, n: int) -> "Standardiser":
        return cls(np.zeros((n, 1)), np.ones((n, 1)))

    def __call__(self, X: np.ndarray) -> np.ndarray:
        return (np.asarray(X, dtype=float) - self.mean) / self.std


# -- models --------------------------------------------------------------------------------------
def head_for(K: int) -> str:
    return "binary" if K == 2 else "multiclass"


def build_network(n_in: int, K: int, hidden: int | None = None, seed: int = 0,
                  hidden_activation: str = "relu") -> MLP:
    """One sigmoid unit (K = 2) or K softmax units, after an optional hidden layer (ReLU by default).

    The project's only "classifier for this head" builder: the heart finder, the feature
    comparison and the landscape's 2-D points all use it.
    """
    if K < 2:
        raise ValueError(f"a classifier needs at least 2 classes, got {K}")
    out, f = (1, "sigmoid") if K == 2 else (K, "softmax")
    if hidden:
        return MLP(n_in, [int(hidden), out], [hidden_activation, f], seed=seed)
    return MLP(n_in, [out], [f], seed=seed)


def predict_classes(net: MLP, X: np.ndarray) -> np.ndarray:
    """Class index of every column of ``X`` for a classifier network: threshold 0.5 for one
    sigmoid unit (class 1 when ``a >= 0.5``), argmax over the K softmax units otherwise."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return classes_of(net.forward(X))


def classes_of(out: np.ndarray) -> np.ndarray:
    """Classes from a classifier's outputs ``[1, B]`` (σ: threshold 0.5) or ``[K, B]`` (argmax)."""
    return (out[0] >= 0.5).astype(int) if out.shape[0] == 1 else out.argmax(axis=0)


def describe_network(n_in: int, K: int, hidden: int | None = None) -> str:
    """E.g. ``'1,024 → 5 (softmax)'`` or ``'1,024 → 32 (ReLU) → 1 (sigmoid)'``."""
    out = "1 (sigmoid)" if K == 2 else f"{K} (softmax)"
    return f"{n_in:,} → " + (f"{hidden} (ReLU) → " if hidden else "") + out


@dataclass
class Classifier:
    """A network with the standardisation of its inputs and the names of its classes."""

    net: MLP
    scaler: Standardiser
    names: tuple[str, ...]

    @property
    def K(self) -> int:
        return len(self.names)

    @property
    def head(self) -> str:
        return head_for(self.K)

    @property
    def hidden(self) -> int | None:
        return self.net.arch.widths[0] if len(self.net.layers) > 1 else None

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        """``K x B``: the probability of every class for every column of the raw ``X``.

        Binary: the rows are ``1 - a`` and ``a = σ(W X + b)`` (class 0, class 1).
        """
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            out = self.net.forward(self.scaler(X))
        return np.vstack([1.0 - out, out]) if self.K == 2 else out

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Class index of every column (threshold 0.5 for binary, argmax otherwise)."""
        return predict_classes(self.net, self.scaler(X))

    def first_weights(self) -> np.ndarray:
        """``W^{[1]}``: one row per unit of the first layer (per class without a hidden layer)."""
        return self.net.layers[0].W

    def folded(self) -> MLP:
        """The same network taking raw inputs: the standardisation folded into the first layer.

        ``W (X - μ) / s + b = (W / s^T) X + (b - W (μ / s))``: the network a file should carry.
        """
        net = MLP(self.net.n_in, list(self.net.arch.widths), list(self.net.arch.activations), seed=0)
        for src, dst in zip(self.net.layers, net.layers):
            dst.W[...] = src.W
            dst.b[...] = src.b
        first, W = net.layers[0], self.net.layers[0].W
        first.W[...] = W / self.scaler.std.T
        first.b[...] = self.net.layers[0].b - W @ (self.scaler.mean / self.scaler.std)
        return net


def network_problem(net: MLP, size: int, K: int, sizes: Sequence[int] = ()) -> str | None:
    """Why ``net`` cannot classify ``size x size`` images into ``K`` classes here, or None if it can.

    It must take ``N = size * size`` inputs and end in one sigmoid unit (K = 2) or K softmax
    units. ``sizes``: the image sizes a page offers, to suggest the right one.
    """
    n_in = net.n_in
    if n_in != size * size:
        side = int(round(np.sqrt(n_in)))
        hint = (f" It was made for {side} × {side} images: choose that image size to use it."
                if side * side == n_in and side in sizes else "")
        return (f"This network takes N = {n_in:,} inputs, but the images here are {size} × {size} = "
                f"{size * size:,} pixels.{hint}")
    out, f = net.arch.widths[-1], net.arch.activations[-1]
    want = (1, "sigmoid") if K == 2 else (K, "softmax")
    if (out, f) != want:
        what = "one sigmoid unit (heart / no heart)" if K == 2 else f"{K} softmax units (one per class)"
        return f"This network ends in {out} {f} unit{'s' if out != 1 else ''}; this task needs {what}."
    return None


def start_training(X_train, y_train, X_test, y_test, names: Sequence[str], hidden: int | None = None,
                   lr: float = 0.01, seed: int = 0, batch_size: int = BATCH) -> tuple[Classifier, Trainer]:
    """A fresh, seeded classifier and the :class:`Trainer` (Adam, minibatches) that trains it.

    ``X_*`` are raw ``N x B`` inputs; they are standardised with the training set's statistics.
    """
    names = tuple(names)
    K = len(names)
    scaler = Standardiser.fit(X_train)
    net = build_network(np.asarray(X_train).shape[0], K, hidden, seed)
    trainer = Trainer(net, scaler(X_train), targets(y_train, K), head_for(K), optimiser="adam", lr=lr,
                      batch_size=batch_size, seed=seed, X_test=scaler(X_test), Y_test=targets(y_test, K))
    return Classifier(net, scaler, names), trainer


def checkpoints(steps: int, updates: int = 20) -> list[int]:
    """At most ``updates`` step counts from 1 to ``steps``: two thirds spaced geometrically (dense
    early, where the accuracy changes fastest), one third evenly (so that progress keeps moving),
    e.g. ``checkpoints(300, 15) = [1, 2, 4, 7, 13, 24, 45, 60, 84, 120, 159, 180, 240, 300]``."""
    steps, updates = int(steps), max(1, int(updates))
    if steps < 1:
        return []
    even = updates // 3
    early = np.geomspace(1, steps, max(1, updates - even))
    late = np.linspace(steps / max(even, 1), steps, even) if even else []
    marks = np.unique(np.round(np.r_[early, late]).astype(int).clip(1, steps))
    return [int(m) for m in marks]


def run(trainer: Trainer, steps: int, updates: int = 20) -> Iterator[dict]:
    """Train ``steps`` steps, yielding the metrics at about ``updates`` :func:`checkpoints`.

    The metrics before any training (step 0) are yielded first. Stops early, after
    yielding, if training diverges (``trainer.status == "diverged"``).
    """
    start = trainer.steps
    if not trainer.history:
        first = trainer.evaluate()
        trainer.history.append(first)
        yield first
    done = 0
    for mark in checkpoints(steps, updates):
        metrics = trainer.step(mark - done)
        done = mark
        yield metrics
        if trainer.status == "diverged":
            return
    assert trainer.steps - start == done


def train(X_train, y_train, X_test, y_test, names: Sequence[str], hidden: int | None = None, lr: float = 0.01,
          steps: int = 300, seed: int = 0, batch_size: int = BATCH) -> tuple[Classifier, Trainer]:
    """:func:`start_training` then ``steps`` steps; the metrics are in ``trainer.history``."""
    clf, trainer = start_training(X_train, y_train, X_test, y_test, names, hidden, lr, seed, batch_size)
    for _ in run(trainer, steps):
        pass
    return clf, trainer


def confusion_matrix(true, predicted, K: int) -> np.ndarray:
    """``C[i, j]`` = how many samples of true class ``i`` were predicted as class ``j`` (``K x K``).

    Every label must be a class index ``0 .. K-1``: anything else is a ValueError, never wrapped.
    """
    true, predicted = np.atleast_1d(np.asarray(true)).ravel(), np.atleast_1d(np.asarray(predicted)).ravel()
    if true.shape != predicted.shape:
        raise ValueError(f"true and predicted must have the same length, got {true.size} and {predicted.size}")
    true, predicted = class_indices(true, K), class_indices(predicted, K)
    C = np.zeros((K, K), dtype=int)
    np.add.at(C, (true, predicted), 1)
    return C


def accuracy_of(true, predicted) -> float:
    """Share of samples predicted right (nan for none)."""
    true, predicted = np.asarray(true).ravel(), np.asarray(predicted).ravel()
    return float(np.mean(true == predicted)) if true.size else float("nan")


def most_confused(C: np.ndarray) -> tuple[int, int, int] | None:
    """``(true, predicted, count)`` of the largest off-diagonal entry, or None if there are no mistakes."""
    off = np.array(C, dtype=int)
    np.fill_diagonal(off, 0)
    if off.max() <= 0:
        return None
    i, j = np.unravel_index(off.argmax(), off.shape)
    return int(i), int(j), int(off[i, j])


def pick_samples(true, predicted, per_class: int = 2, mistakes_first: bool = False) -> np.ndarray:
    """Indices of up to ``per_class`` samples of every class, in class order (round robin).

    With ``mistakes_first`` the wrongly classified samples of each class come before the right ones.
    """
    true, predicted = np.asarray(true).ravel(), np.asarray(predicted).ravel()
    chosen = []
    for k in np.unique(true):
        idx = np.flatnonzero(true == k)
        if mistakes_first:
            idx = np.r_[idx[predicted[idx] != k], idx[predicted[idx] == k]]
        chosen.append(idx[:per_class])
    rounds = [c[i] for i in range(per_class) for c in chosen if i < c.size]
    return np.array(rounds, dtype=int)


# -- feature engineering vs learning ------------------------------------------------------------
def compare_features(images, labels, hog_settings: tuple[int, int, int], names: Sequence[str] = ("no", "yes"),
                     steps: int = 300, lr: float = 0.01, seed: int = 0, repeats: int = 1,
                     test_fraction: float = 0.25) -> dict:
    """Logistic regression on the raw pixels and on HOG features of the same images and splits.

    ``hog_settings = (orientations, pixels_per_cell, cells_per_block)``. Each representation
    is trained on ``repeats`` random train / test splits (seeds ``seed, seed + 1, ...``; the
    same splits for both). Returns ``{"rows": [...], "weights": .., "n_train": .., "n_test": ..}``:
    each row has ``features``, ``N`` (the input length), ``train`` and ``test`` (mean
    accuracies), ``test_min``, ``test_max`` and ``note`` (why HOG could not be computed, or a
    divergence message; else ""). ``weights`` is the raw-pixel neuron's ``W`` of the first split,
    reshaped to the images' shape (it acts on standardised pixels).
    """
    from explorer.core import hog_features as hf

    images = np.asarray(images, dtype=float)
    labels = np.asarray(labels, dtype=int)
    splits = [split(labels, test_fraction, seed + r) for r in range(max(1, int(repeats)))]
    reason = hf.too_small(images.shape[1:], hog_settings[1], hog_settings[2])
    features = {"raw pixels": to_columns(images)}
    if reason is None:
        features["HOG"] = hf.hog_matrix(images, *hog_settings)
    rows, weights = [], None
    nan = float("nan")
    for name in ("raw pixels", "HOG"):
        if name not in features:
            rows.append({"features": name, "N": 0, "train": nan, "test": nan, "test_min": nan, "test_max": nan,
                         "note": reason})
            continue
        X = features[name]
        train_acc, test_acc, note = [], [], ""
        for r, (tr, te) in enumerate(splits):
            clf, trainer = train(X[:, tr], labels[tr], X[:, te], labels[te], names, lr=lr, steps=steps, seed=seed + r)
            m = trainer.history[-1]
            train_acc.append(m.get("train_accuracy", nan))
            test_acc.append(m.get("test_accuracy", nan))
            if trainer.status == "diverged":
                note = trainer.message
            if name == "raw pixels" and weights is None:
                weights = clf.first_weights()[0].reshape(images.shape[1:])
        rows.append({"features": name, "N": int(X.shape[0]), "train": float(np.mean(train_acc)),
                     "test": float(np.mean(test_acc)), "test_min": float(np.min(test_acc)),
                     "test_max": float(np.max(test_acc)), "note": note})
    return {"rows": rows, "weights": weights, "n_train": int(splits[0][0].size), "n_test": int(splits[0][1].size),
            "repeats": len(splits)}


# -- sliding window ------------------------------------------------------------------------------
@dataclass(frozen=True)
class HeatMap:
    """``P[r, c]``: the classifier's P(class 1) for the window whose top-left corner is
    ``(tops[r], lefts[c])`` in the original image's pixels; every window is ``window`` pixels wide."""

    P: np.ndarray
    tops: np.ndarray
    lefts: np.ndarray
    window: float
    stride: float          # in the original image's pixels
    scale: float           # original pixels per input pixel (the image was shrunk by this factor)
    products: int = 1      # matrix products it took (windows are classified in blocks)

    def best(self) -> tuple[int, int, int, int]:
        """``(top, left, height, width)`` of the window with the largest P (rounded to pixels)."""
        r, c = np.unravel_index(np.argmax(self.P), self.P.shape)
        w = int(round(self.window))
        return int(round(self.tops[r])), int(round(self.lefts[c])), w, w


def shrink(image, scale: float) -> np.ndarray:
    """The image shrunk by ``scale`` (anti-aliased, values kept): ``round(H / scale) x round(W / scale)``."""
    from skimage.transform import resize

    image = np.asarray(image, dtype=float)
    if scale == 1:
        return image
    shape = tuple(max(1, int(round(s / scale))) for s in image.shape)
    return resize(image, shape, order=1, anti_aliasing=scale > 1, preserve_range=True, mode="edge")


def heat_map(image, clf: Classifier, size: int, stride: int = 1, scale: float = 1.0,
             positive: int = 1) -> HeatMap:
    """Slide ``clf`` (trained on ``size x size`` images) over ``image``: P(class ``positive``) per window.

    The image is first shrunk by ``scale`` (a window of ``size * scale`` original pixels then
    becomes ``size x size`` input pixels: one resize for all windows), then every
    ``size x size`` window, ``stride`` input pixels apart, is taken with
    ``skimage.util.view_as_windows``, flattened into a column of ``X : N x B`` and classified
    with one matrix product (in chunks of at most ``MAX_WINDOW_VALUES`` numbers).
    """
    from skimage.util import view_as_windows

    size, stride = int(size), int(stride)
    if size * size != clf.net.n_in:
        raise ValueError(f"the classifier takes N = {clf.net.n_in:,} inputs, not {size} × {size} = {size * size:,}")
    if stride < 1 or scale <= 0:
        raise ValueError(f"stride must be at least 1 and scale positive, got {stride} and {scale}")
    small = shrink(image, scale)
    if small.shape[0] < size or small.shape[1] < size:
        raise ValueError(f"the image, shrunk to {small.shape[0]} × {small.shape[1]}, is smaller than one "
                         f"{size} × {size} window")
    windows = view_as_windows(small, (size, size), step=stride)      # [rows, cols, size, size], a view
    n_rows, n_cols = windows.shape[:2]
    P = np.empty((n_rows, n_cols))
    rows_per_chunk = max(1, MAX_WINDOW_VALUES // (n_cols * size * size))
    products = 0
    for r0 in range(0, n_rows, rows_per_chunk):
        products += 1
        block = windows[r0:r0 + rows_per_chunk]
        X = block.reshape(-1, size * size).T                          # N x B: one window per column
        P[r0:r0 + block.shape[0]] = clf.probabilities(X)[positive].reshape(block.shape[0], n_cols)
    fy, fx = image.shape[0] / small.shape[0], image.shape[1] / small.shape[1]
    return HeatMap(P, np.arange(n_rows) * stride * fy, np.arange(n_cols) * stride * fx,
                   size * (fy + fx) / 2, stride * (fy + fx) / 2, (fy + fx) / 2, products)


def overlap(a: Sequence[float], b: Sequence[float]) -> float:
    """Intersection over union of two boxes ``(top, left, height, width)``: 0 (apart) to 1 (equal)."""
    at, al, ah, aw = a
    bt, bl, bh, bw = b
    h = max(0.0, min(at + ah, bt + bh) - max(at, bt))
    w = max(0.0, min(al + aw, bl + bw) - max(al, bl))
    inter = h * w
    union = ah * aw + bh * bw - inter
    return float(inter / union) if union > 0 else 0.0


def centre(box: Sequence[float]) -> tuple[float, float]:
    """``(row, column)`` of a box's centre (pixel centres at whole numbers)."""
    t, l, h, w = box
    return t + (h - 1) / 2, l + (w - 1) / 2


def centre_distance(a: Sequence[float], b: Sequence[float]) -> float:
    """Distance in pixels between the centres of two boxes ``(top, left, height, width)``."""
    (ra, ca), (rb, cb) = centre(a), centre(b)
    return float(np.hypot(ra - rb, ca - cb))


def inside(point: Sequence[float], box: Sequence[float]) -> bool:
    """Whether ``(row, column)`` lies in the box ``(top, left, height, width)``."""
    r, c = point
    t, l, h, w = box
    return bool(t - 0.5 <= r <= t + h - 0.5 and l - 0.5 <= c <= l + w - 0.5)
