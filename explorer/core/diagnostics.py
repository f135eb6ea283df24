"""What a student should spot in a layer's activations: saturation and dead units."""
from __future__ import annotations

import numpy as np

SATURATION_BANDS = {"sigmoid": (0.01, 0.99), "tanh": (-0.99, 0.99)}
DEAD_CAPABLE = {"relu"}


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
