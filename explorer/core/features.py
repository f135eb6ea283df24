"""Input features: what the network sees of a point (x1, x2), as in TensorFlow Playground.

A feature map turns the points ``X : [2, B]`` into ``Φ : [F, B]``, one row per
chosen feature; the network's input size is then ``N = F``::

    x1, x2, x1², x2², x1·x2, sin(x1), sin(x2)

With x1² and x2² a single linear unit can already draw a circle; with x1·x2,
XOR. Engineered features let a smaller network do the job: the lecture's
"feature engineering" next to "data driven".

>>> import numpy as np
>>> feature_map(np.array([[2.0], [3.0]]), ("x1", "x1x2", "x2sq"))
array([[2.],
       [6.],
       [9.]])
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np


@dataclass(frozen=True)
class Feature:
    name: str       # the short name used in settings and URLs
    label: str      # how it is written on the page
    latex: str
    f: Callable[[np.ndarray, np.ndarray], np.ndarray]


FEATURES: dict[str, Feature] = {ft.name: ft for ft in (
    Feature("x1", "x₁", "x_1", lambda x1, x2: x1),
    Feature("x2", "x₂", "x_2", lambda x1, x2: x2),
    Feature("x1sq", "x₁²", "x_1^2", lambda x1, x2: x1 * x1),
    Feature("x2sq", "x₂²", "x_2^2", lambda x1, x2: x2 * x2),
    Feature("x1x2", "x₁x₂", "x_1 x_2", lambda x1, x2: x1 * x2),
    Feature("sin1", "sin(x₁)", r"\sin(x_1)", lambda x1, x2: np.sin(x1)),
    Feature("sin2", "sin(x₂)", r"\sin(x_2)", lambda x1, x2: np.sin(x2)),
)}
NAMES: tuple[str, ...] = tuple(FEATURES)
DEFAULT: tuple[str, ...] = ("x1", "x2")


def check(names: Sequence[str]) -> tuple[str, ...]:
    """``names`` as a tuple, in the order given; ValueError if empty, repeated or unknown."""
    names = tuple(names)
    if not names:
        raise ValueError("choose at least one input feature")
    unknown = [n for n in names if n not in FEATURES]
    if unknown:
        raise ValueError(f"unknown feature(s) {', '.join(map(repr, unknown))}; known: {', '.join(NAMES)}")
    if len(set(names)) != len(names):
        raise ValueError(f"each feature may be chosen once, got {names}")
    return names


def feature_map(X: np.ndarray, names: Sequence[str] = DEFAULT) -> np.ndarray:
    """``Φ : [F, B]`` from points ``X : [2, B]``: row i is feature ``names[i]`` of every point."""
    names = check(names)
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[0] != 2:
        raise ValueError(f"X must be [2, B] (one point (x1, x2) per column), got {X.shape}")
    x1, x2 = X[0], X[1]
    return np.stack([FEATURES[n].f(x1, x2) for n in names])


def labels(names: Sequence[str]) -> list[str]:
    """The page's way of writing ``names``: ``['x₁', 'x₂', 'sin(x₁)']``."""
    return [FEATURES[n].label for n in check(names)]
