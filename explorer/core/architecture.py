"""The shape of an MLP without its numbers: layer shapes, parameter counts, formulas.

Everything here is exact Python integer arithmetic, so it works for any size
(``N = 10**9`` included) without allocating a single array. The lecture's
notation: one sample is a column, a layer is ``Z = W a + b``::

    W^{[l]} : [out, in]     b^{[l]} : [out, 1]     Z^{[l]}, a^{[l]} : [out, B]

A maxout layer with ``k`` pieces has ``W : [k*out, in]`` and ``b : [k*out, 1]``,
so it holds ``k`` times the parameters of a plain layer.

>>> Architecture(4, [3, 2, 1], ["sigmoid"] * 3).n_params   # 3N+14 with N = 4
26
>>> param_formula([3, 2, 1])
'3N+14'
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from explorer.core.activations import ACTIVATIONS, LAYER_ACTIVATIONS, NAMES, OUTPUT_ACTIVATIONS

OUTPUT_ONLY = tuple(OUTPUT_ACTIVATIONS)   # ("softmax",): allowed as the last layer's activation only
BYTES_PER_FLOAT = 8              # float64 throughout
MAX_FORWARD_BYTES = 200 * 2**20  # a forward pass above this is refused (not run)


@dataclass(frozen=True)
class LayerSpec:
    """Layer ``index`` (1-based, the lecture's ``[l]``): ``n_in -> n_out`` units."""

    index: int
    n_in: int
    n_out: int
    activation: str
    pieces: int = 1  # k for maxout, 1 for every other activation

    @property
    def W_shape(self) -> tuple[int, int]:
        return (self.pieces * self.n_out, self.n_in)

    @property
    def b_shape(self) -> tuple[int, int]:
        return (self.pieces * self.n_out, 1)

    @property
    def n_params(self) -> int:
        return self.pieces * (self.n_out * self.n_in + self.n_out)

    def Z_shape(self, batch: int) -> tuple[int, int]:
        return (self.pieces * self.n_out, batch)

    def a_shape(self, batch: int) -> tuple[int, int]:
        return (self.n_out, batch)


def _check_positive_int(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{what} must be a whole number, got {value!r}")
    value = int(value)
    if value < 1:
        raise ValueError(f"{what} must be at least 1, got {value}")
    return value


class Architecture:
    """An MLP's layout: ``n_in -> widths[0] -> ... -> widths[-1]``.

    ``activations`` has one name per layer (the last may be ``"softmax"``);
    ``pieces`` is maxout's ``k`` for every maxout layer.
    """

    def __init__(self, n_in: int, widths: Sequence[int], activations: Sequence[str], pieces: int = 2):
        self.n_in = _check_positive_int(n_in, "the input size N")
        widths = [_check_positive_int(w, f"the width of layer {i + 1}") for i, w in enumerate(widths)]
        if not widths:
            raise ValueError("a network needs at least one layer (the output layer)")
        activations = list(activations)
        if len(activations) != len(widths):
            raise ValueError(f"{len(widths)} layers need {len(widths)} activations, got {len(activations)}")
        for i, name in enumerate(activations):
            last = i == len(widths) - 1
            if name in OUTPUT_ONLY and not last:
                raise ValueError(f"{name} normalises over the classes and belongs on the output layer only")
            if name not in ACTIVATIONS and name not in OUTPUT_ONLY:
                raise ValueError(f"unknown activation {name!r}; known: {', '.join(NAMES + OUTPUT_ONLY)}")
        self.pieces = _check_positive_int(pieces, "maxout's k")
        self.widths = widths
        self.activations = activations
        sizes = [self.n_in] + widths
        self.layers = [
            LayerSpec(i + 1, sizes[i], sizes[i + 1], act, self.pieces if act == "maxout" else 1)
            for i, act in enumerate(activations)
        ]

    @property
    def n_params(self) -> int:
        return sum(layer.n_params for layer in self.layers)

    @property
    def n_out(self) -> int:
        return self.widths[-1]

    def formula(self) -> str:
        """The parameter count as a formula in the input size N, e.g. ``'3N+14'``."""
        first = self.layers[0]
        coef = first.pieces * first.n_out
        const = first.pieces * first.n_out + sum(layer.n_params for layer in self.layers[1:])
        return f"{_coef(coef)}N+{const}"

    def forward_bytes(self, batch: int) -> int:
        """Memory a forward pass of ``batch`` samples holds: X, every W and b, Z and a."""
        floats = self.n_in * batch + self.n_params
        for layer in self.layers:
            floats += (layer.pieces * layer.n_out + layer.n_out) * batch
        return floats * BYTES_PER_FLOAT

    def too_large(self, batch: int, limit: int = MAX_FORWARD_BYTES) -> str | None:
        """Why a forward pass is refused (a sentence), or None if it may run."""
        need = self.forward_bytes(batch)
        if need <= limit:
            return None
        return (f"A forward pass would hold {format_bytes(need)} of arrays "
                f"(limit {format_bytes(limit)}), so it is not run here. "
                "Shapes and counts below are exact all the same.")

    def trace(self, batch: int) -> list[dict]:
        """One row per layer: the shapes and parameter count of the forward-pass table."""
        rows = []
        for layer in self.layers:
            rows.append({
                "layer": layer.index,
                "activation": layer.activation,
                "W": layer.W_shape,
                "b": layer.b_shape,
                "Z": layer.Z_shape(batch),
                "a": layer.a_shape(batch),
                "params": layer.n_params,
            })
        return rows

    def derivation(self) -> list[tuple[str, str]]:
        """The slide's line-by-line count, as (equation, count) LaTeX pairs.

        The first layer's count is symbolic in N; later ones show the arithmetic.
        """
        lines: list[tuple[str, str]] = []
        last = len(self.layers)
        for layer in self.layers:
            l = layer.index
            prev = "X" if l == 1 else f"a^{{[{l - 1}]}}"
            lines.append((f"Z^{{[{l}]}} = W^{{[{l}]}}{prev} + b^{{[{l}]}}", _count_latex(layer)))
            fname = LAYER_ACTIVATIONS[layer.activation].symbol
            lhs = rf"\hat{{y}} = a^{{[{l}]}}" if l == last else f"a^{{[{l}]}}"
            lines.append((f"{lhs} = {fname}(Z^{{[{l}]}})", "0"))
        return lines

    def total_latex(self) -> str:
        """``3N+3 + 8 + 3 = 3N+14``: the sum of the layer counts."""
        parts = [_count_value_latex(layer) for layer in self.layers]
        total = _pretty(self.formula())
        return " + ".join(parts) + (f" = {total}" if len(parts) > 1 else "")


def param_formula(widths: Sequence[int], activations: Sequence[str] | None = None, pieces: int = 2) -> str:
    """The parameter count of ``N -> widths...`` as a formula in N.

    >>> param_formula([3, 2, 1])
    '3N+14'
    >>> param_formula([5, 1])
    '5N+11'
    """
    activations = list(activations) if activations is not None else ["sigmoid"] * len(widths)
    return Architecture(1, widths, activations, pieces).formula()


def _coef(c: int) -> str:
    return "" if c == 1 else str(c)


def _pretty(formula: str) -> str:
    return formula.replace("+", " + ")


def _first_layer_term(layer: LayerSpec) -> str:
    return f"{_coef(layer.n_out)}N + {layer.n_out}"


def _count_value_latex(layer: LayerSpec) -> str:
    if layer.index == 1:
        if layer.pieces == 1:
            return _first_layer_term(layer)
        return f"{_coef(layer.pieces * layer.n_out)}N + {layer.pieces * layer.n_out}"
    return str(layer.n_params)


def _count_latex(layer: LayerSpec) -> str:
    if layer.index == 1:
        plain = _first_layer_term(layer)
        if layer.pieces == 1:
            return plain
        return rf"{layer.pieces} \times ({plain}) = {_count_value_latex(layer)}"
    plain = rf"{layer.n_out} \times {layer.n_in} + {layer.n_out}"
    if layer.pieces == 1:
        return f"{plain} = {layer.n_params}"
    return rf"{layer.pieces} \times ({plain}) = {layer.n_params}"


def format_bytes(n: int) -> str:
    """Human-readable size: 1536 -> '1.5 KB' (powers of 1024)."""
    size = float(n)
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if size < 1024 or unit == "PB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"  # pragma: no cover
