"""Linear regression, the lecture's first model, and gradient descent on it.

Model and loss of the slide (the loss is a *sum* over the N samples, not a mean)::

    y = w x + b
    ℓ(w, b) = Σ_{i=0}^{N-1} [y^(i) - (w x^(i) + b)]²
    min_{w, b} ℓ(w, b)

The loss is a quadratic bowl in (w, b). Its gradient and (constant) Hessian::

    ∂ℓ/∂w = -2 Σ x^(i) r^(i)        r^(i) = y^(i) - (w x^(i) + b)
    ∂ℓ/∂b = -2 Σ r^(i)
    H = 2 [[Σ x², Σ x],
           [Σ x,  N  ]]

Gradient descent ``θ ← θ - lr ∇ℓ(θ)`` converges for every start exactly when
``0 < lr < 2 / λ_max(H)`` (see :func:`max_stable_lr`) and diverges for larger
learning rates.

>>> x, y = make_line_data(50, w=2.0, b=1.0, noise=0.0, seed=0)
>>> [round(v, 6) for v in least_squares(x, y)]
[2.0, 1.0]
>>> path = gradient_descent(x, y, w0=0.0, b0=0.0, lr=0.5 * max_stable_lr(x), steps=5000)
>>> path.status
'converged'
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

Array = np.ndarray
Status = Literal["converged", "running", "diverged"]

MAX_POINTS = 1_000_000      # make_line_data refuses more samples than this
DIVERGENCE_FACTOR = 1e12    # loss above this many times the starting loss = diverged


# ---------------------------------------------------------------- data


def make_line_data(n: int, w: float = 2.0, b: float = 1.0, noise: float = 0.5,
                   seed: int | None = 0, x_range: tuple[float, float] = (0.0, 1.0)):
    """``n`` noisy samples of the line ``y = w x + b``.

    ``x^(i) ~ Uniform(x_range)`` and ``y^(i) = w x^(i) + b + ε^(i)`` with
    ``ε^(i) ~ Normal(0, noise²)``. The same ``seed`` gives the same data.

    Returns ``(x, y)``, two 1-D float arrays of length ``n``.
    """
    n = _count(n, "n")
    w, b, noise = (_finite(v, name) for v, name in ((w, "w"), (b, "b"), (noise, "noise")))
    if noise < 0:
        raise ValueError(f"noise must be 0 or more (it is a standard deviation); got {noise}.")
    lo, hi = (_finite(v, "x_range") for v in x_range)
    if not lo < hi:
        raise ValueError(f"x_range must be (low, high) with low < high; got {x_range}.")
    rng = np.random.default_rng(seed)
    x = rng.uniform(lo, hi, size=n)
    y = w * x + b + noise * rng.standard_normal(n)
    return x, y


# ---------------------------------------------------------------- loss


def sse_loss(w, b, x, y):
    """The slide's loss ``ℓ(w, b) = Σ_i [y^(i) - (w x^(i) + b)]²`` (a sum, not a mean).

    ``w`` and ``b`` may be scalars or arrays that broadcast together (a whole
    grid in one call): scalars in give a float out, arrays in give an array of
    their broadcast shape. Evaluated as the bowl around the least-squares
    line, a sum of non-negative terms (so no cancellation, and O(1) per
    (w, b) point however many samples)::

        ℓ(w, b) = ℓ* + S_xx (w - w*)² + N (ȳ - w x̄ - b)²

    with ``S_xx = Σ (x - x̄)²``, ``w* = Σ (x - x̄)(y - ȳ) / S_xx`` and
    ``ℓ* = Σ [(y - ȳ) - w* (x - x̄)]²`` (when all x are equal: ``S_xx = 0``,
    ``ℓ* = Σ (y - ȳ)²``).
    """
    x, y = _xy(x, y)
    xm, ym = x.mean(), y.mean()
    dx, dy = x - xm, y - ym
    sxx = float(dx @ dx)
    w_star = float(dx @ dy) / sxx if sxx > 0 else 0.0
    r_star = dy - w_star * dx
    loss_star = float(r_star @ r_star)
    w = np.asarray(w, dtype=float)
    b = np.asarray(b, dtype=float)
    with np.errstate(all="ignore"):
        out = loss_star + sxx * (w - w_star) ** 2 + x.size * (ym - w * xm - b) ** 2
    out = np.broadcast_to(out, np.broadcast_shapes(w.shape, b.shape))
    return np.array(out) if out.ndim else float(out)


def loss_surface(x, y, w_grid, b_grid) -> Array:
    """The loss ``ℓ(w, b)`` over a grid, in one vectorised call.

    ``w_grid`` and ``b_grid`` are 1-D arrays of the values to try. Returns
    ``L`` of shape ``[len(b_grid), len(w_grid)]`` with ``L[i, j] = ℓ(w_grid[j],
    b_grid[i])`` (rows follow b, columns follow w), which is what
    ``np.meshgrid(w_grid, b_grid)`` and a contour plot with x = w, y = b expect.
    """
    w_grid = np.asarray(w_grid, dtype=float)
    b_grid = np.asarray(b_grid, dtype=float)
    if w_grid.ndim != 1 or b_grid.ndim != 1:
        raise ValueError("w_grid and b_grid must be 1-D arrays of values to try.")
    return np.asarray(sse_loss(w_grid[None, :], b_grid[:, None], x, y))


# ---------------------------------------------------------------- closed form


def least_squares(x, y) -> tuple[float, float]:
    """The exact minimiser ``(w*, b*)`` of ``ℓ(w, b)``, in closed form::

        w* = Σ (x^(i) - x̄)(y^(i) - ȳ) / Σ (x^(i) - x̄)²
        b* = ȳ - w* x̄

    Raises ValueError when all x are equal: then every line through (x̄, ȳ)
    fits equally well and there is no unique answer.
    """
    x, y = _xy(x, y)
    if x.size < 2 or np.ptp(x) == 0:
        raise ValueError("All x values are equal, so the slope w is not determined; "
                         "use at least two different x values.")
    xm, ym = x.mean(), y.mean()
    dx = x - xm
    w = float(dx @ (y - ym) / (dx @ dx))
    return w, float(ym - w * xm)


# ---------------------------------------------------------------- gradient


def gradient(w, b, x, y):
    """The analytic gradient ``(∂ℓ/∂w, ∂ℓ/∂b)`` of the SSE loss::

        ∂ℓ/∂w = -2 Σ x^(i) [y^(i) - (w x^(i) + b)] = 2 (w Σx² + b Σx - Σxy)
        ∂ℓ/∂b = -2 Σ    [y^(i) - (w x^(i) + b)]  = 2 (w Σx  + b N  - Σy)

    ``w`` and ``b`` may be scalars (floats out) or broadcastable arrays (for a
    field of arrows over a grid).
    """
    x, y = _xy(x, y)
    sxx, sx, sxy, sy, n = x @ x, x.sum(), x @ y, y.sum(), x.size
    w = np.asarray(w, dtype=float)
    b = np.asarray(b, dtype=float)
    with np.errstate(all="ignore"):
        dw = 2.0 * (w * sxx + b * sx - sxy)
        db = 2.0 * (w * sx + b * n - sy)
    dw, db = np.broadcast_arrays(dw, db)
    if dw.ndim == 0:
        return float(dw), float(db)
    return dw.copy(), db.copy()


def hessian(x) -> Array:
    """The (constant) Hessian of ``ℓ``: ``H = 2 [[Σx², Σx], [Σx, N]]``, shape [2, 2]."""
    x = _vector(x, "x")
    return 2.0 * np.array([[x @ x, x.sum()], [x.sum(), float(x.size)]])


def max_stable_lr(x) -> float:
    """The learning-rate limit of gradient descent: ``2 / λ_max(H)``.

    On a quadratic loss each eigen-direction of H is multiplied by
    ``(1 - lr λ)`` per step, so gradient descent converges from every start
    when ``lr < 2 / λ_max``, oscillates forever at exactly that value and
    diverges above it.
    """
    lam_max = float(np.linalg.eigvalsh(hessian(x))[-1])
    return 2.0 / lam_max


# ---------------------------------------------------------------- gradient descent


@dataclass(frozen=True)
class DescentPath:
    """The result of :func:`gradient_descent`.

    ``w``, ``b``, ``loss`` hold one entry per visited point, the start
    included (so ``len(w) == steps_run + 1``); only finite points are kept.
    ``status`` is ``"converged"`` (the gradient became negligible),
    ``"running"`` (the step budget ran out first; call again from the last
    point to continue) or ``"diverged"`` (the loss blew up; stopped early).
    ``message`` is one sentence for the page.
    """

    w: Array
    b: Array
    loss: Array
    status: Status
    message: str
    lr: float
    lr_max: float

    @property
    def steps_run(self) -> int:
        return len(self.w) - 1

    @property
    def converged(self) -> bool:
        return self.status == "converged"

    @property
    def diverged(self) -> bool:
        return self.status == "diverged"


LOSS_TOL = 1e-4   # "converged": the loss within 0.01 % of the minimum, equal to the 4 digits a page shows


def gradient_descent(x, y, w0: float, b0: float, lr: float, steps: int,
                     tol: float = 1e-8, loss_tol: float = LOSS_TOL) -> DescentPath:
    """Plain gradient descent on the SSE loss::

        w ← w - lr ∂ℓ/∂w
        b ← b - lr ∂ℓ/∂b

    Runs at most ``steps`` updates and stops early when

    * converged: ``‖∇ℓ‖ / λ_max ≤ tol (1 + ‖(w, b)‖)``, i.e. even a full
      stable step would move the parameters negligibly, or the loss is within
      ``loss_tol`` (relative) of the least-squares minimum ℓ*, the accuracy a
      student reads off the page (4 significant digits); or
    * diverged: the loss is nan/inf or above ``1e12 ×`` the starting loss
      (the usual cause: ``lr > max_stable_lr(x)``).

    Divergence is reported in the returned :class:`DescentPath`, never raised,
    and emits no numpy warnings. Invalid arguments (lr ≤ 0, steps < 0, ...)
    raise ValueError.
    """
    x, y = _xy(x, y)
    w, b = _finite(w0, "w0"), _finite(b0, "b0")
    lr = _finite(lr, "lr")
    if lr <= 0:
        raise ValueError(f"The learning rate must be greater than 0; got {lr:g}.")
    steps = _count(steps, "steps", minimum=0)
    tol = _finite(tol, "tol")
    loss_tol = _finite(loss_tol, "loss_tol")
    lam_max = float(np.linalg.eigvalsh(hessian(x))[-1])
    lr_max = 2.0 / lam_max
    if x.size >= 2 and np.ptp(x) > 0:
        w_star, b_star = least_squares(x, y)
        r_star = y - (w_star * x + b_star)
    else:                     # all x equal: every line through (x̄, ȳ) is a minimum
        r_star = y - y.mean()
    loss_min = float(r_star @ r_star)

    def loss_and_grad(w, b):
        r = y - (w * x + b)
        return float(r @ r), -2.0 * float(x @ r), -2.0 * float(r.sum())

    with np.errstate(all="ignore"):
        loss, dw, db = loss_and_grad(w, b)
        ws, bs, losses = [w], [b], [loss]
        limit = DIVERGENCE_FACTOR * max(loss, np.finfo(float).tiny)
        # a minimum of (about) 0, noise-free data: "near" is then relative to the starting loss
        near = loss_tol * loss_min + 1e-12 * max(loss, np.finfo(float).tiny) if loss_tol > 0 else -np.inf

    def negligible(dw, db, w, b):
        return (np.hypot(dw, db) / lam_max <= tol * (1.0 + np.hypot(w, b))
                or losses[-1] - loss_min <= near)

    with np.errstate(all="ignore"):
        status: Status = "running" if np.isfinite(loss) else "diverged"
        for _ in range(steps if status == "running" else 0):
            if negligible(dw, db, w, b):
                status = "converged"
                break
            w, b = w - lr * dw, b - lr * db
            loss, dw, db = loss_and_grad(w, b)
            if not (np.isfinite(loss) and np.isfinite(w) and np.isfinite(b)):
                status = "diverged"      # keep only the finite points
                break
            ws.append(w)
            bs.append(b)
            losses.append(loss)
            if loss > limit:
                status = "diverged"
                break
        else:
            if status == "running" and negligible(dw, db, w, b):
                status = "converged"

    n_run = len(ws) - 1
    if status == "diverged" and not np.isfinite(losses[0]):
        message = "Diverged at the start: the loss is not finite there; choose smaller w0 and b0."
    elif status == "diverged":
        cause = (f"the learning rate {lr:.3g} is above the stable limit 2/λ_max = {lr_max:.3g}"
                 if lr > lr_max else
                 f"the learning rate {lr:.3g} is at the edge of the stable limit {lr_max:.3g}")
        message = f"Diverged after {n_run} steps: the loss blew up because {cause}."
    elif status == "converged":
        message = (f"Converged after {n_run} steps: w = {w:.4g}, b = {b:.4g}, loss = {losses[-1]:.4g}, "
                   f"within {100 * loss_tol:g} % of the minimum.")
    else:
        message = (f"Still running after {n_run} steps (loss = {losses[-1]:.4g}); "
                   "run more steps to continue.")
    return DescentPath(np.array(ws), np.array(bs), np.array(losses), status, message, lr, lr_max)


# ---------------------------------------------------------------- validation helpers


def _finite(value, name: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number; got {value!r}.") from None
    if not np.isfinite(v):
        raise ValueError(f"{name} must be a finite number; got {v}.")
    return v


def _count(value, name: str, minimum: int = 1, maximum: int = MAX_POINTS) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        if not (isinstance(value, (float, np.floating)) and float(value).is_integer()):
            raise ValueError(f"{name} must be a whole number; got {value!r}.")
    v = int(value)
    if not minimum <= v <= maximum:
        raise ValueError(f"{name} must be between {minimum} and {maximum:,}; got {v:,}.")
    return v


def _vector(a, name: str) -> Array:
    a = np.asarray(a, dtype=float)
    if a.ndim != 1:
        a = a.reshape(-1) if a.ndim == 2 and 1 in a.shape else a
    if a.ndim != 1 or a.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of samples; got shape {a.shape}.")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} contains nan or inf; every sample must be a finite number.")
    return a


def _xy(x, y) -> tuple[Array, Array]:
    x, y = _vector(x, "x"), _vector(y, "y")
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same number of samples; got {x.size} and {y.size}.")
    return x, y
