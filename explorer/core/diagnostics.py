"""What a student should spot in a layer's activations: saturation and dead units."""
from __future__ import annotations

import numpy as np

from explorer.core.activations import ACTIVATIONS

SATURATION_MARGIN = 0.01   # an output this close to a bound is saturated (there σ' < 0.01, tanh' < 0.02)
NEGATIVE_HALF_LINE = np.array([-1e-3, -0.5, -3.0, -1e3])


def _saturation_bands() -> dict[str, tuple[float, float]]:
    """``{name: (low, high)}``: outputs at or beyond these are saturated, for every bounded activation."""
    return {name: (a.bounds[0] + SATURATION_MARGIN, a.bounds[1] - SATURATION_MARGIN)
            for name, a in ACTIVATIONS.items() if a.bounds is not None and a.elementwise}


def _dead_capable() -> frozenset[str]:
    """The activations that output exactly 0 on the whole negative half-line (a unit can die)."""
    return frozenset(name for name, a in ACTIVATIONS.items()
                     if a.elementwise and np.all(a.f(NEGATIVE_HALF_LINE) == 0.0))


SATURATION_BANDS = _saturation_bands()   # read from the activation registry's bounds
DEAD_CAPABLE = _dead_capable()           # read from the registry's functions


def layer_stats(a: np.ndarray, activation: str) -> dict:
    """Share of saturated values (sigmoid/tanh: within 0.01 of the bounds, where σ' < 0.01)
    and of dead units (ReLU: units that output 0 for every sample of the batch)."""
    a = np.asarray(a, dtype=float)
    out = {"mean": float(a.mean()), "std": float(a.std()), "saturated": None, "dead_units": None}
    if activation in SATURATION_BANDS:
        lo, hi = SATURATION_BANDS[activation]
        out["saturated"] = float(np.mean((a <= lo) | (a >= hi)))
    if activation in DEAD_CAPABLE:
        out["dead_units"] = float(np.mean(np.all(a == 0.0, axis=1)))
    return out


def histogram(values: np.ndarray, bins: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """``(counts, edges)`` of the finite values (a constant array gets one narrow bin)."""
    v = np.ravel(np.asarray(values, dtype=float))
    v = v[np.isfinite(v)]
    if v.size == 0:
        return np.zeros(1, dtype=int), np.array([0.0, 1.0])
    lo, hi = float(v.min()), float(v.max())
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    return np.histogram(v, bins=bins, range=(lo, hi))
