"""The linear mapping of the lecture, for one image and for a batch.

The slides build it up in three steps::

    z = W X + b        one image:  W : 1 x N,  X : N x 1,  b : 1 x 1,  z : 1 x 1
    Z = W X + b        a batch:    X : N x B (one image per column), Z : 1 x B
    Z = W X + b        K classes:  W : K x N (row k holds W_k), b : K x 1, Z : K x B

``N = H x W`` is the number of pixels of an H x W image. The bias ``b`` has one
column; numpy *broadcasts* it: the column is repeated B times so that the
same ``b_k`` is added to every entry of row k of ``W X``.

Shapes and counts here are Python ints, exact for any size (``N = 10**9`` is
fine); arrays are only built by :func:`example`, which refuses big sizes.

>>> s = shapes(N=340, K=5, B=8)
>>> s.W, s.X, s.b, s.Z
((5, 340), (340, 8), (5, 1), (5, 8))
>>> s.n_params
1705
>>> W, X, b = example(N=3, K=2, B=4, seed=0)
>>> parts = affine_parts(W, X, b)
>>> parts.Z.shape, bool((parts.b_broadcast == b).all())
((2, 4), True)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.core.architecture import format_bytes

MAX_EXAMPLE_ELEMENTS = 1_000_000    # example() builds at most this many numbers (W, X, b, Z together)
BYTES_PER_NUMBER = 4                # float32, as images usually are on a GPU
W_RANGE = (-3, 3)                   # example weights: small integers, readable
X_RANGE = (0, 9)                    # example pixels: small non-negative integers
B_RANGE = (-5, 5)                   # example biases


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        if not (isinstance(value, (float, np.floating)) and float(value).is_integer()):
            raise ValueError(f"{name} must be a whole number; got {value!r}.")
    v = int(value)
    if v < 1:
        raise ValueError(f"{name} must be at least 1; got {v:,}.")
    return v


def image_pixels(H: int, W: int) -> int:
    """``N = H x W``: the number of pixels (features) of an H x W image, as a Python int."""
    return _positive_int(H, "H") * _positive_int(W, "W")


@dataclass(frozen=True)
class Shapes:
    """Every shape of ``Z = W X + b`` for N inputs, K outputs and a batch of B (Python ints)."""

    N: int
    K: int
    B: int

    @property
    def W(self) -> tuple[int, int]:
        return (self.K, self.N)

    @property
    def X(self) -> tuple[int, int]:
        return (self.N, self.B)

    @property
    def b(self) -> tuple[int, int]:
        return (self.K, 1)

    @property
    def WX(self) -> tuple[int, int]:
        return (self.K, self.B)

    @property
    def Z(self) -> tuple[int, int]:
        return (self.K, self.B)

    @property
    def n_params(self) -> int:
        """Weights and biases: ``K N + K`` (independent of the batch size B)."""
        return self.K * self.N + self.K

    @property
    def multiply_adds(self) -> int:
        """Multiplications in ``W X``: each of the ``K B`` entries is a sum of N products."""
        return self.K * self.N * self.B

    @property
    def n_numbers(self) -> int:
        """How many numbers W, X, b and Z hold together."""
        return self.K * self.N + self.N * self.B + self.K + self.K * self.B

    def nbytes(self, bytes_per_number: int = BYTES_PER_NUMBER) -> int:
        return self.n_numbers * bytes_per_number

    def too_large(self, limit: int = MAX_EXAMPLE_ELEMENTS) -> str | None:
        """Why :func:`example` refuses these sizes (one sentence), or None when it can build them."""
        if self.n_numbers <= limit:
            return None
        return (f"W, X, b and Z together hold {self.n_numbers:,} numbers "
                f"({format_bytes(self.nbytes())} as float32), more than the {limit:,} built here; "
                "the shapes are exact all the same.")


def shapes(N: int, K: int = 1, B: int = 1) -> Shapes:
    """The shapes of ``Z = W X + b``: W is K x N, X is N x B, b is K x 1, Z is K x B.

    Nothing is allocated, so any size is fine. ValueError unless N, K and B
    are whole numbers of at least 1.
    """
    return Shapes(_positive_int(N, "N"), _positive_int(K, "K"), _positive_int(B, "B"))


@dataclass(frozen=True)
class Parts:
    """The pieces of ``Z = W X + b``: ``WX`` (K x B), ``b_broadcast`` (b repeated over the B columns), ``Z``."""

    WX: np.ndarray
    b_broadcast: np.ndarray
    Z: np.ndarray


def affine_parts(W, X, b) -> Parts:
    """Compute ``Z = W X + b`` in its two steps, returning every part.

    1. ``WX = W @ X``: entry (k, j) is row k of W times column j of X,
       ``Σ_n W[k, n] X[n, j]``; the inner sizes (N) must match.
    2. ``b`` (K x 1) is broadcast to K x B, column j is a copy of b, and added:
       ``Z = WX + b_broadcast``. This is what numpy does for ``W @ X + b``.

    ``X`` may be a 1-D vector of N pixels (one image); it is treated as N x 1.
    ``b`` may be K x 1, a 1-D vector of K, or a scalar when K = 1. A mismatch
    raises ValueError with the shapes in the message.
    """
    W = np.asarray(W)
    X = np.asarray(X)
    b = np.asarray(b)
    if W.ndim != 2:
        raise ValueError(f"W must be a K x N matrix; got shape {W.shape}.")
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise ValueError(f"X must be an N x B matrix (one image per column); got shape {X.shape}.")
    K, N = W.shape
    if X.shape[0] != N:
        raise ValueError(f"The inner sizes differ: W is {K} x {N} but X is {X.shape[0]} x {X.shape[1]}; "
                         f"W X needs X to have N = {N} rows, one per column of W.")
    if b.ndim == 0 or b.shape == (K,):
        b = b.reshape(-1, 1) if b.ndim else np.full((K, 1), b)
    if b.shape != (K, 1):
        raise ValueError(f"b must be K x 1 = {K} x 1 (one bias per row of W); got shape {b.shape}.")
    WX = W @ X
    b_broadcast = np.broadcast_to(b, WX.shape).copy()
    return Parts(WX=WX, b_broadcast=b_broadcast, Z=WX + b_broadcast)


def example(N: int, K: int = 1, B: int = 1, seed: int = 0,
            limit: int = MAX_EXAMPLE_ELEMENTS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Seeded small integers ``(W, X, b)`` of shapes K x N, N x B, K x 1, easy to check by hand.

    W in -3..3, X in 0..9 (like pixel intensities), b in -5..5, as int64
    arrays. The same seed gives the same numbers; W, X and b come from three
    separate streams of that seed, so X does not depend on K, the first rows of
    W and b do not depend on K, and the first columns of X do not depend on B
    (changing the number of classes never redraws the images). Refuses (ValueError, with the reason) sizes whose
    arrays would exceed ``limit`` numbers.
    """
    s = shapes(N, K, B)
    reason = s.too_large(limit)
    if reason:
        raise ValueError(reason)
    rng_w, rng_x, rng_b = (np.random.default_rng([seed, stream]) for stream in range(3))
    W = rng_w.integers(W_RANGE[0], W_RANGE[1] + 1, size=s.W)       # row by row: more classes add rows
    b = rng_b.integers(B_RANGE[0], B_RANGE[1] + 1, size=s.b)
    # Column by column, so that a bigger batch only appends images.
    X = rng_x.integers(X_RANGE[0], X_RANGE[1] + 1, size=(s.B, s.N)).T.copy()
    return W.astype(np.int64), X.astype(np.int64), b.astype(np.int64)
