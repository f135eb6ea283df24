"""Universal approximation's server-side picture: the final error against the width of the hidden
layer. (The live fit, its units and the error while training are drawn in the browser by
explorer/web/approximation.js.)"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from explorer.charts.style import FONT_SIZE, NEGATIVE, PALETTE, new_figure, styled, trace

FIT = PALETTE[1]              # orange: the network's output ŷ (and "your width")
GRID_MSE = PALETTE[0]


def readable(fig: go.Figure, size: int = FONT_SIZE, axes: tuple[str, ...] = ("xaxis", "yaxis")) -> go.Figure:
    """Explicit sizes for tick labels, axis titles, legend and title: Streamlit's plotly theme
    otherwise draws them at about 12 px whatever ``layout.font.size`` says."""
    font = {"tickfont": {"size": size}, "title": {"font": {"size": size}}}
    fig.update_layout(title_font_size=size + 1, legend_font_size=size, **{axis: font for axis in axes})
    return fig


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_label(k: int) -> str:
    """``10^k`` as a student reads it: 1, 10, 10⁻³ (the superscript minus and digits)."""
    return {0: "1", 1: "10"}.get(k, "10" + str(k).translate(_SUPERSCRIPT))


def log_ticks(values, at_least: int = 3) -> list[int]:
    """The powers of ten spanning ``values`` (positive, finite ones), at least ``at_least`` of them."""
    finite = [v for v in values if np.isfinite(v) and v > 0]
    if not finite:
        return [-2, -1, 0]
    lo, hi = int(np.floor(np.log10(min(finite)))), int(np.ceil(np.log10(max(finite))))
    while hi - lo + 1 < at_least:
        lo -= 1
        hi += hi - lo + 1 < at_least
    return list(range(lo, hi + 1))


def rises(widths, errors) -> list[tuple[int, int]]:
    """The steps ``(w_before, w_after)`` where the final error went up as the width grew."""
    return [(int(a), int(b)) for a, b, e0, e1 in zip(widths[:-1], widths[1:], errors[:-1], errors[1:])
            if np.isfinite(e0) and np.isfinite(e1) and e1 > e0]


def error_vs_width(widths, grid_mse, steps: int, current: int | None = None,
                   title: str | None = None, font_size: int = FONT_SIZE) -> go.Figure:
    """Final MSE on the dense grid against the hidden width (log-log; widths 1, 2, 4, ... 64).

    The y axis is labelled at every power of ten (1, 10⁻¹, 10⁻², ...), with light lines at 2 and 5
    times each; widths where the error went *up* from the previous width are ringed and named in
    the hover text (the theorem promises that small errors exist, not that a fixed budget finds them).
    """
    widths = [int(w) for w in widths]
    errors = [float(e) for e in grid_mse]
    fig = new_figure(trace("scatter", x=widths, y=errors, mode="lines+markers", name="final MSE",
                               line={"color": GRID_MSE, "width": 3}, marker={"size": 11},
                               hovertemplate="width %{x}<br>MSE %{y:.3g}<extra></extra>"))
    up = rises(widths, errors)
    if up:
        xs = [b for _, b in up]
        fig.add_trace(trace("scatter", x=xs, y=[errors[widths.index(b)] for b in xs], mode="markers",
                                 name="higher than the width before", marker={
                                     "size": 20, "symbol": "circle-open", "color": NEGATIVE, "line": {"width": 2.5}},
                                 customdata=[a for a, _ in up],
                                 hovertemplate="width %{x}: MSE %{y:.3g}, above width %{customdata}<extra></extra>"))
    if current is not None and current in widths:
        i = widths.index(current)
        fig.add_trace(trace("scatter", x=[current], y=[errors[i]], mode="markers", name=f"width {current} (yours)",
                                 marker={"color": FIT, "size": 18, "symbol": "diamond",
                                         "line": {"color": "#000000", "width": 1}},
                                 hovertemplate="width %{x}<br>MSE %{y:.3g}<extra></extra>"))
    styled(fig, title or f"Final error against width ({steps:,} Adam steps each, same seed)",
           "hidden units (width)", "MSE vs target (log scale)", height=420)
    fig.update_xaxes(type="log", tickvals=widths, ticktext=[str(w) for w in widths])
    powers = log_ticks(errors)
    fig.update_yaxes(type="log", tickvals=[10.0**k for k in powers], ticktext=[power_label(k) for k in powers],
                     range=[powers[0] - 0.15, powers[-1] + 0.15],
                     minor={"tickvals": [m * 10.0**k for k in powers[:-1] for m in (2, 5)], "showgrid": True,
                            "gridcolor": "rgba(128,128,128,0.15)"})
    fig.update_layout(legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0})
    return readable(fig, font_size)
