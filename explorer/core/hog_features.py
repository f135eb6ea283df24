"""Histogram of oriented gradients (HOG): the lecture's example of a human-designed feature.

Dalal and Triggs' recipe, as ``skimage.feature.hog`` computes it:

1. gradients of the image (how fast the brightness changes, and in which direction);
2. the image cut into **cells** of ``pixels_per_cell x pixels_per_cell`` pixels; in each cell
   a histogram of the gradient directions with ``orientations`` bins (0 to 180 degrees),
   each gradient voting with its strength;
3. **blocks** of ``cells_per_block x cells_per_block`` neighbouring cells, sliding one cell
   at a time; each block's histograms normalised together (L2-Hys), so that the feature
   does not care how bright or contrasted the image is;
4. every block's normalised histograms, one after the other: the feature vector.

Its length follows from the settings alone (``floor`` because the last, partial cell is
dropped)::

    n_cells  = floor(size / pixels_per_cell)                 (per side)
    n_blocks = n_cells - cells_per_block + 1                 (per side)
    length   = n_blocks_row * n_blocks_col * cells_per_block**2 * orientations

>>> hog_length((25, 25), orientations=9, pixels_per_cell=8, cells_per_block=2)
144
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

BLOCK_NORM = "L2-Hys"     # skimage's default, Dalal and Triggs' choice


class HogLayout(NamedTuple):
    """How an image of ``shape`` is cut up, and how long its HOG feature vector is."""

    shape: tuple[int, int]
    orientations: int
    pixels_per_cell: int
    cells_per_block: int
    n_cells: tuple[int, int]       # (rows, columns) of whole cells
    n_blocks: tuple[int, int]      # (rows, columns) of block positions
    per_block: int                 # cells_per_block**2 * orientations numbers per block
    length: int                    # the feature vector's length


def _whole(value, name: str, lo: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < lo:
        raise ValueError(f"{name} must be a whole number of at least {lo}, got {value!r}")
    return int(value)


def layout(shape, orientations: int = 9, pixels_per_cell: int = 8, cells_per_block: int = 2) -> HogLayout:
    """The cells, blocks and feature length for an image of ``shape = (rows, columns)``.

    ``length`` is 0 when the image holds fewer whole cells than a block needs (then
    :func:`too_small` says why and ``skimage.feature.hog`` would refuse the image).
    """
    rows, cols = (_whole(int(s), "the image size") for s in tuple(shape)[:2])
    o = _whole(orientations, "orientations")
    p = _whole(pixels_per_cell, "pixels_per_cell")
    c = _whole(cells_per_block, "cells_per_block")
    n_cells = (rows // p, cols // p)
    n_blocks = tuple(max(n - c + 1, 0) for n in n_cells)
    per_block = c * c * o
    return HogLayout((rows, cols), o, p, c, n_cells, n_blocks, per_block, n_blocks[0] * n_blocks[1] * per_block)


def hog_length(shape, orientations: int = 9, pixels_per_cell: int = 8, cells_per_block: int = 2) -> int:
    """``n_blocks_row * n_blocks_col * cells_per_block**2 * orientations`` (0 if the image is too small)."""
    return layout(shape, orientations, pixels_per_cell, cells_per_block).length


def too_small(shape, pixels_per_cell: int, cells_per_block: int) -> str | None:
    """Why an image of ``shape`` has no complete block for these settings, or None if it has one."""
    lay = layout(shape, 1, pixels_per_cell, cells_per_block)
    if lay.length:
        return None
    need = pixels_per_cell * cells_per_block
    rows, cols = lay.shape
    return (f"a {rows} × {cols} image holds {lay.n_cells[0]} × {lay.n_cells[1]} whole cells of "
            f"{pixels_per_cell} × {pixels_per_cell} pixels, fewer than one block of {cells_per_block} × "
            f"{cells_per_block} cells (a block needs at least {need} × {need} pixels)")


def derivation(lay: HogLayout) -> list[tuple[str, str]]:
    """The formula's steps for ``lay`` as ``(what, worked numbers)`` lines, for a page to show."""
    (rows, cols), p, c, o = lay.shape, lay.pixels_per_cell, lay.cells_per_block, lay.orientations

    def blocks(n_cells: int, n_blocks: int) -> str:
        if n_cells - c + 1 < 0:    # fewer cells than a block: no position at all
            return f"{n_cells} − {c} + 1 < 0, so {n_blocks}"
        return f"{n_cells} − {c} + 1 = {n_blocks}"

    return [
        ("cells per side", f"⌊{rows} / {p}⌋ = {lay.n_cells[0]} rows, ⌊{cols} / {p}⌋ = {lay.n_cells[1]} columns"),
        ("block positions per side", f"{blocks(lay.n_cells[0], lay.n_blocks[0])} rows, "
                                     f"{blocks(lay.n_cells[1], lay.n_blocks[1])} columns"),
        ("numbers per block", f"{c}² cells × {o} orientations = {lay.per_block}"),
        ("feature length", f"{lay.n_blocks[0]} × {lay.n_blocks[1]} × {lay.per_block} = {lay.length:,}"),
    ]


def _check_image(image) -> np.ndarray:
    image = np.asarray(image, dtype=float)
    if image.ndim != 2:
        raise ValueError(f"HOG here needs a 2-D grey image, got shape {image.shape}")
    if not np.isfinite(image).all():
        raise ValueError("the image holds values that are not finite")
    return image


def _check(shape, orientations, pixels_per_cell, cells_per_block) -> HogLayout:
    lay = layout(shape, orientations, pixels_per_cell, cells_per_block)
    reason = too_small(shape, pixels_per_cell, cells_per_block)
    if reason:
        raise ValueError(reason)
    return lay


def hog_features(image, orientations: int = 9, pixels_per_cell: int = 8, cells_per_block: int = 2) -> np.ndarray:
    """The HOG feature vector of a 2-D image (``skimage.feature.hog``, L2-Hys blocks)."""
    from skimage.feature import hog

    image = _check_image(image)
    lay = _check(image.shape, orientations, pixels_per_cell, cells_per_block)
    return hog(image, orientations=lay.orientations, pixels_per_cell=(lay.pixels_per_cell,) * 2,
               cells_per_block=(lay.cells_per_block,) * 2, block_norm=BLOCK_NORM, feature_vector=True)


def hog_picture(image, orientations: int = 9, pixels_per_cell: int = 8,
                cells_per_block: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """``(features, picture)``: the feature vector and skimage's drawing of it (``visualize=True``).

    The picture has the image's size; in each cell, one line per orientation bin, brighter
    for a stronger histogram bin, drawn across the gradient (along the edge it votes for).

    The features are ``skimage.feature.hog``'s; the picture is the same array skimage draws
    (value for value), drawn a whole orientation bin at a time for every cell at once instead
    of one ``skimage.draw.line`` per cell and bin (tens of thousands of calls on a photo).
    """
    from skimage.feature import hog

    image = _check_image(image)
    lay = _check(image.shape, orientations, pixels_per_cell, cells_per_block)
    try:
        histogram = _cell_histograms(image, lay.orientations, lay.pixels_per_cell)
    except ImportError:     # another scikit-image: its own, slower drawing
        return hog(image, orientations=lay.orientations, pixels_per_cell=(lay.pixels_per_cell,) * 2,
                   cells_per_block=(lay.cells_per_block,) * 2, block_norm=BLOCK_NORM,
                   visualize=True, feature_vector=True)
    features = hog(image, orientations=lay.orientations, pixels_per_cell=(lay.pixels_per_cell,) * 2,
                   cells_per_block=(lay.cells_per_block,) * 2, block_norm=BLOCK_NORM, feature_vector=True)
    return features, draw_histograms(histogram, image.shape, lay.pixels_per_cell)


def _cell_histograms(image: np.ndarray, orientations: int, pixels_per_cell: int) -> np.ndarray:
    """Every cell's orientation histogram ``[cell rows, cell columns, orientations]``, computed by
    skimage's own routines (the ones its ``hog`` uses before it normalises the blocks)."""
    from skimage.feature import _hoghistogram
    from skimage.feature._hog import _hog_channel_gradient

    g_row, g_col = (g.astype(float, copy=False) for g in _hog_channel_gradient(image))
    rows, cols = image.shape
    p = pixels_per_cell
    out = np.zeros((rows // p, cols // p, orientations), dtype=float)
    _hoghistogram.hog_histograms(g_col, g_row, p, p, cols, rows, cols // p, rows // p, orientations, out)
    return out


def draw_histograms(histogram: np.ndarray, shape: tuple[int, int], pixels_per_cell: int) -> np.ndarray:
    """skimage's HOG picture of the cell histograms ``[cell rows, cell columns, orientations]`` on an
    image of ``shape``: in each cell, one line per bin, of half-length ``pixels_per_cell // 2 - 1``
    across the bin's middle direction, adds the bin's value to its pixels.

    skimage draws one ``skimage.draw.line`` per cell and bin. Here a bin's lines are drawn for every
    cell at once: a line's end points (skimage's ``int(centre ± offset)``, computed the same way)
    differ from its cell's centre by the same whole numbers in almost every cell, so one line is
    drawn per distinct pair of end offsets and moved to its cells. A bin's lines in different cells
    never share a pixel, and every pixel sums its bins in skimage's order: the same numbers."""
    from skimage.draw import line

    n_rows, n_cols, orientations = histogram.shape
    p = pixels_per_cell
    radius = p // 2 - 1
    mid = np.pi * (np.arange(orientations) + 0.5) / orientations
    centre_r = np.arange(n_rows) * p + p // 2
    centre_c = np.arange(n_cols) * p + p // 2
    picture = np.zeros(shape, dtype=float)
    for o, (dr, dc) in enumerate(zip(radius * np.sin(mid), radius * np.cos(mid))):
        # skimage: line(int(r - dc), int(c + dr), int(r + dc), int(c - dr)) around the centre (r, c)
        ends_r = np.stack([np.trunc(centre_r - dc), np.trunc(centre_r + dc)], 1).astype(int) - centre_r[:, None]
        ends_c = np.stack([np.trunc(centre_c + dr), np.trunc(centre_c - dr)], 1).astype(int) - centre_c[:, None]
        for er in np.unique(ends_r, axis=0):
            rows = np.flatnonzero((ends_r == er).all(1))
            for ec in np.unique(ends_c, axis=0):
                cols = np.flatnonzero((ends_c == ec).all(1))
                rr, cc = line(int(er[0]), int(ec[0]), int(er[1]), int(ec[1]))
                picture[centre_r[rows, None, None] + rr, centre_c[None, cols, None] + cc] += \
                    histogram[rows[:, None], cols[None, :], o][:, :, None]
    return picture


def hog_matrix(images, orientations: int = 9, pixels_per_cell: int = 8, cells_per_block: int = 2) -> np.ndarray:
    """HOG of a stack of images ``[B, H, W]`` in the lecture's layout: ``F x B``, one column per image."""
    images = np.asarray(images, dtype=float)
    if images.ndim != 3:
        raise ValueError(f"images must be a stack [B, H, W], got shape {images.shape}")
    lay = _check(images.shape[1:], orientations, pixels_per_cell, cells_per_block)
    out = np.empty((lay.length, images.shape[0]))
    for b, image in enumerate(images):
        out[:, b] = hog_features(image, orientations, pixels_per_cell, cells_per_block)
    return out


def learning_curve(images, labels, settings: tuple[int, int, int], sizes, steps: int = 300, lr: float = 0.01,
                   seed: int = 0, repeats: int = 3, test_fraction: float = 0.25) -> dict:
    """One neuron (logistic regression) on raw pixels and on HOG, for growing training sets.

    For each of ``repeats`` random train / test splits (seeds ``seed, seed + 1, ...``; the same for
    both representations and every size), the neuron is trained on the first ``n`` images of a
    class-balanced shuffle of the training split, for every ``n`` in ``sizes`` (capped at the
    split's size), and tested on the whole test split. Returns ``{"sizes": [n, ...],
    "raw": [mean test accuracy, ...], "hog": [...], "raw_train": [...], "hog_train": [...],
    "n_test": int, "N_raw": int, "N_hog": int, "weights": the raw-pixel W of the largest size, first
    split, shaped like an image}``. Refuses HOG settings too large for the images (ValueError).
    """
    from explorer.core import classify

    images = np.asarray(images, dtype=float)
    labels = np.asarray(labels, dtype=int)
    reason = too_small(images.shape[1:], settings[1], settings[2])
    if reason:
        raise ValueError(reason)
    features = {"raw": classify.to_columns(images), "hog": hog_matrix(images, *settings)}
    splits = [classify.split(labels, test_fraction, seed + r) for r in range(max(1, int(repeats)))]
    n_max = min(len(tr) for tr, _ in splits)
    sizes = sorted({min(int(n), n_max) for n in sizes if int(n) >= 2})
    test = {k: np.zeros((len(splits), len(sizes))) for k in features}
    train = {k: np.zeros((len(splits), len(sizes))) for k in features}
    weights = None
    for r, (tr, te) in enumerate(splits):
        rng = np.random.default_rng([seed, r])
        # alternate the classes so that every prefix is balanced (as far as the classes allow)
        per_class = [rng.permutation(tr[labels[tr] == c]) for c in np.unique(labels[tr])]
        order = np.array([i for group in zip(*per_class) for i in group]
                         + [i for group in per_class for i in group[min(map(len, per_class)):]])
        for j, n in enumerate(sizes):
            sub = order[:n]
            for name, X in features.items():
                clf, trainer = classify.train(X[:, sub], labels[sub], X[:, te], labels[te], ("no", "yes"),
                                              lr=lr, steps=steps, seed=seed + r)
                last = trainer.history[-1]
                test[name][r, j] = last.get("test_accuracy", np.nan)
                train[name][r, j] = last.get("train_accuracy", np.nan)
                if name == "raw" and r == 0 and j == len(sizes) - 1:
                    weights = clf.first_weights()[0].reshape(images.shape[1:])
    return {"sizes": sizes, "raw": test["raw"].mean(0).tolist(), "hog": test["hog"].mean(0).tolist(),
            "raw_train": train["raw"].mean(0).tolist(), "hog_train": train["hog"].mean(0).tolist(),
            "n_test": int(len(splits[0][1])), "N_raw": int(features["raw"].shape[0]),
            "N_hog": int(features["hog"].shape[0]), "weights": weights, "repeats": len(splits)}
