"""From scores to probabilities, and the losses computed from the scores.

The scores ``Z = W X + b`` of a classifier are not probabilities: they are any
real numbers ("logits"). Binary: one unit and the sigmoid ``a = σ(z)``, whose
inverse is the logit. Multi-class: ``K`` units and the softmax along the class
axis (axis 0, the lecture's ``K``): ``Z : [K, B]`` gives ``a : [K, B]`` whose
columns sum to 1::

    softmax(Z)_i = exp(z_i) / Σ_{j=0}^{K-1} exp(z_j)

(the slide writes the sum up to K; with classes numbered 0..K-1 it ends at
K-1). It is computed as ``softmax(Z - max Z)``, the slide's trick: subtracting
any constant per column changes nothing, and subtracting the max keeps every
exp <= 1.

>>> import numpy as np
>>> softmax(np.array([1000.0, 0.0, -1000.0])).tolist()
[1.0, 0.0, 0.0]
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.core.activations import sigmoid  # noqa: F401  (σ lives there; re-exported)

Array = np.ndarray


def softmax(Z, axis: int = 0):
    """Stable softmax along ``axis`` (default 0, the class axis)::

        softmax(Z)_i = exp(z_i - max Z) / Σ_j exp(z_j - max Z)
    """
    Z = np.asarray(Z, dtype=float)
    shifted = Z - np.max(Z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(Z, axis: int = 0):
    """log softmax(Z) without forming exp(Z)::

        log softmax(Z)_i = (z_i - max Z) - log Σ_j exp(z_j - max Z)
    """
    Z = np.asarray(Z, dtype=float)
    shifted = Z - np.max(Z, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax_naive(Z, axis: int = 0):
    """The textbook formula exp(z_i) / Σ_j exp(z_j), without the trick.

    Overflows to inf/nan for logits above about 709; kept to *show* that
    (silently: it emits no numpy warnings).
    """
    Z = np.asarray(Z, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(Z)
        return e / np.sum(e, axis=axis, keepdims=True)


EXP_OVERFLOW = float(np.log(np.finfo(float).max))   # 709.78...: exp(x) is inf above it
SMALLEST_NORMAL = float(np.finfo(float).tiny)        # 2.2e-308: below it a double keeps fewer digits
EPS = float(np.finfo(float).eps)                     # 2.2e-16


@dataclass(frozen=True)
class ShiftCheck:
    """The slide's claim ``softmax(z − c) = softmax(z)`` checked in floating point, for one c.

    ``naive`` is the textbook formula applied to ``z − c`` (what a program without the trick
    computes), ``stable`` the softmax of ``z`` (with ``c = max z``), ``max_abs_diff`` the largest
    ``|naive − stable|`` and ``max_rel_diff`` the largest ``|naive_i − stable_i| / stable_i`` (both nan
    when naive is nan), ``tolerance`` the relative difference rounding alone can explain.

    ``verdict`` is one of:

    * ``"equal"``: equal up to rounding: every entry within ``tolerance`` of its size
      (entries whose true value is below the smallest normal double only within 2.2e-308);
    * ``"overflow"``: some ``z_i − c`` is above 709.78, so its exp is inf and inf / inf = nan;
    * ``"underflow_all"``: every ``exp(z_i − c)`` underflows to 0, and 0 / 0 = nan;
    * ``"underflow"``: finite, but not equal up to rounding: exp(z_i − c) fell below the smallest
      normal double (2.2e-308) for the entries in ``underflowed``, where a double keeps fewer
      digits or becomes 0, and those lost digits show in the result.

    ``reason`` says the verdict in one sentence a page can show as it is.
    """

    c: float
    shifted: np.ndarray
    naive: np.ndarray
    stable: np.ndarray
    max_abs_diff: float
    max_rel_diff: float
    tolerance: float
    verdict: str
    underflowed: np.ndarray     # indices i whose exp(z_i − c) is below the smallest normal double
    reason: str

    @property
    def equal_up_to_rounding(self) -> bool:
        return self.verdict == "equal"


def shift_check(z, c: float) -> ShiftCheck:
    """Compare the naive softmax of ``z − c`` with the stable softmax of ``z`` (one sample, ``z : [K]``).

    Rounding alone moves each ``exp(x)`` by at most ``|x|·ε/2`` (the rounding of its argument)
    plus ``ε``, so the two may differ by up to ``tolerance = 2 ε (max|z − c| + max|z − max z|)
    + (K + 4) ε`` (ε = 2.2e-16); a larger difference comes from underflow, and the verdict says
    which (see :class:`ShiftCheck`).

    >>> shift_check([1000.0, 999.0, 998.0], 0.0).verdict          # exp(1000) = inf
    'overflow'
    >>> shift_check([1000.0, 999.0, 998.0], 1000.0).verdict       # c = max z
    'equal'
    >>> shift_check([-740.0, -745.0, -1200.0], 0.0).verdict      # exp(-740) is subnormal
    'underflow'
    """
    z = np.asarray(z, dtype=float).ravel()
    if z.size == 0 or not np.all(np.isfinite(z)):
        raise ValueError("z must be a non-empty list of finite logits")
    c = float(c)
    if not np.isfinite(c):
        raise ValueError(f"c must be a finite number, got {c}")
    with np.errstate(over="ignore", under="ignore"):
        shifted = z - c
        e = np.exp(shifted)
    naive = softmax_naive(shifted)
    stable = softmax(z)
    K = z.size
    tolerance = 2.0 * EPS * (float(np.max(np.abs(shifted))) + float(np.max(z) - np.min(z))) + (K + 4) * EPS
    underflowed = np.flatnonzero(e < SMALLEST_NORMAL)
    finite = bool(np.all(np.isfinite(naive)))
    diff = float(np.max(np.abs(naive - stable))) if finite else float("nan")
    if finite:
        gap = np.abs(naive - stable)
        normal = stable >= SMALLEST_NORMAL
        rel = float(np.max(gap[normal] / stable[normal])) if np.any(normal) else 0.0
        agree = rel <= tolerance and bool(np.all(gap[~normal] < SMALLEST_NORMAL))
    else:
        rel, agree = float("nan"), False
    top = float(shifted.max())
    if np.any(np.isinf(e)):
        verdict = "overflow"
        reason = (f"Not equal: with c = {c:g} the largest z − c is {top:g}, above 709.78, so exp(z − c) "
                  "overflows to inf and inf / inf = nan.")
    elif not finite:
        verdict = "underflow_all"
        reason = (f"Not equal: with c = {c:g} every z − c is below −745 (the largest is {top:g}), so every "
                  "exp(z − c) underflows to 0 and 0 / 0 = nan.")
    elif agree:
        verdict = "equal"
        reason = (f"Equal up to rounding: every probability agrees to {rel:.1e} of its size, within what "
                  f"rounding explains ({tolerance:.1e}).")
        if underflowed.size:
            reason += (" Some exp(z_i − c) underflowed, but only where the probability itself is below "
                       "2.2e-308 anyway.")
    else:
        verdict = "underflow"
        which = ", ".join(f"i = {i}" for i in underflowed)
        reason = (f"Not equal up to rounding (largest difference {diff:.1e}, {rel:.1e} of a probability's "
                  f"size): with c = {c:g}, exp(z_i − c) for "
                  f"{which} fell below 2.2e-308, the smallest normal double, where numbers keep fewer "
                  "digits (or become 0). c = max z avoids it: the largest term is then exactly 1.")
    return ShiftCheck(c, shifted, naive, stable, diff, rel, tolerance, verdict, underflowed, reason)


def softmax_with_temperature(Z, T: float, axis: int = 0):
    """Softmax of the scores divided by a temperature ``T > 0``::

        softmax(Z / T)_i = exp(z_i / T) / Σ_j exp(z_j / T)

    ``T = 1`` is the plain softmax; large ``T`` flattens the probabilities
    towards uniform (1/K each); small ``T`` sharpens them towards a one-hot
    vector at the largest score (ties share). Computed as
    ``softmax((Z - max Z) / T)``, so even ``T = 1e-300`` gives no overflow.
    """
    try:
        T = float(T)
    except (TypeError, ValueError):
        raise ValueError(f"The temperature T must be a number; got {T!r}.") from None
    if not (np.isfinite(T) and T > 0):
        raise ValueError(f"The temperature T must be a finite number greater than 0; got {T}.")
    Z = np.asarray(Z, dtype=float)
    with np.errstate(over="ignore"):
        scaled = (Z - np.max(Z, axis=axis, keepdims=True)) / T  # <= 0, maybe -inf
    e = np.exp(scaled)
    return e / np.sum(e, axis=axis, keepdims=True)


def logit(a):
    """The inverse of the sigmoid: ``logit(a) = log(a / (1 - a))``, a in [0, 1].

    Computed as ``log(a) - log1p(-a)``, accurate near 0 and near 1; returns
    -inf at a = 0 and +inf at a = 1 without warnings, maps nan to nan, and
    raises ValueError for values outside [0, 1]. Scalars in give a float out.
    """
    a = np.asarray(a, dtype=float)
    if np.any((a < 0) | (a > 1)):
        raise ValueError("logit(a) needs probabilities 0 <= a <= 1; "
                         f"got values from {np.nanmin(a):g} to {np.nanmax(a):g}.")
    with np.errstate(divide="ignore"):
        out = np.log(a) - np.log1p(-a)
    return out if out.ndim else float(out)


def class_indices(labels, K: int) -> Array:
    """``labels`` as B class indices (int64, 1-D), checked to be whole numbers in ``0 .. K-1``.

    A single label gives one index; floats that are whole numbers (``2.0``) are accepted.
    Raises ValueError for anything else (out-of-range, fractional, non-numeric labels, or K < 1):
    a label is never wrapped or truncated into range.
    """
    if isinstance(K, bool) or not isinstance(K, (int, np.integer)) or K < 1:
        raise ValueError(f"The number of classes K must be a whole number of at least 1; got {K!r}.")
    labels = np.atleast_1d(np.asarray(labels))
    if labels.ndim != 1:
        raise ValueError(f"labels must be a 1-D list of class indices; got shape {labels.shape}.")
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        as_float = labels.astype(float) if np.issubdtype(labels.dtype, np.number) else None
        if as_float is None or not np.all(np.isfinite(as_float) & (as_float == np.round(as_float))):
            raise ValueError("labels must be whole-number class indices such as 0, 1, 2.")
        labels = as_float
    labels = labels.astype(np.int64)
    bad = (labels < 0) | (labels >= K)
    if np.any(bad):
        raise ValueError(f"Label {labels[bad][0]} is out of range: with K = {K} classes, "
                         f"labels must be between 0 and {K - 1}.")
    return labels


def one_hot(labels, K: int) -> Array:
    """One-hot targets in the lecture's layout: ``Y : [K, B]``, one column per sample::

        Y[k, b] = 1 if labels[b] == k else 0

    ``labels`` are B whole numbers in ``0 .. K-1`` (a single label gives
    ``[K, 1]``). Raises ValueError for out-of-range or non-integer labels.
    The project's only one-hot encoder: ``datasets``, ``mri`` and ``classify`` use it.
    """
    labels = class_indices(labels, K)
    Y = np.zeros((int(K), labels.size))
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def binary_cross_entropy_from_logits(z, y) -> float:
    """Mean binary cross-entropy of the scores ``z`` against targets ``y`` in [0, 1]::

        L = -(1/B) Σ_b [ y_b log σ(z_b) + (1 - y_b) log(1 - σ(z_b)) ]
          =  (1/B) Σ_b [ log(1 + exp(z_b)) - y_b z_b ]

    using ``log(1 + exp(z)) = logaddexp(0, z)``: finite for any finite z (the
    naive formula gives log(0) = -inf once σ(z) rounds to 0 or 1).
    ``z`` and ``y`` have the same shape, ``[1, B]`` or ``[B]``.
    """
    z = np.asarray(z, dtype=float)
    y = np.asarray(y, dtype=float)
    if z.shape != y.shape:
        raise ValueError(f"z and y must have the same shape; got {z.shape} and {y.shape}.")
    if z.size == 0:
        raise ValueError("The batch is empty; the loss needs at least one sample.")
    if np.any(~((y >= 0) & (y <= 1))):
        raise ValueError("Binary targets y must be between 0 and 1.")
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def cross_entropy_from_logits(Z, Y) -> float:
    """Mean cross-entropy of the scores ``Z : [K, B]`` against one-hot ``Y : [K, B]``::

        L = -(1/B) Σ_b Σ_k Y[k, b] log softmax(Z)[k, b]

    computed with :func:`log_softmax` (no exp overflow, no log of 0). Columns
    of ``Y`` may also be any probability vectors (soft targets). A 1-D ``Z``
    and ``Y`` are one sample (B = 1).
    """
    Z = np.asarray(Z, dtype=float)
    Y = np.asarray(Y, dtype=float)
    if Z.shape != Y.shape:
        raise ValueError(f"Z and Y must have the same shape [K, B]; got {Z.shape} and {Y.shape}.")
    if Z.ndim == 1:
        Z, Y = Z[:, None], Y[:, None]
    if Z.ndim != 2 or Z.shape[0] == 0 or Z.shape[1] == 0:
        raise ValueError(f"Z must be a non-empty [K, B] array; got shape {Z.shape}.")
    if np.any(~(Y >= 0)) or not np.allclose(Y.sum(axis=0), 1.0):
        raise ValueError("Each column of Y must be a one-hot vector (or probabilities summing to 1).")
    logp = log_softmax(Z, axis=0)
    with np.errstate(invalid="ignore"):
        terms = np.where(Y > 0, Y * logp, 0.0)  # 0 · log 0 counts as 0
    return float(-np.sum(terms) / Z.shape[1])
