"""Pictures of universal approximation: the fit as a sum of hidden units, the error while
training, and the final error against the width of the hidden layer."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from explorer.charts.style import FONT_SIZE, NEGATIVE, PALETTE, POSITIVE, styled

TARGET = "#000000"            # the function to approximate
FIT = PALETTE[1]              # orange: the network's output ŷ
SAMPLES = "#9A9A9A"           # grey: noisy training samples
BIAS = "#555555"              # the output bias b2
GRID_MSE, TRAIN_LOSS = PALETTE[0], PALETTE[1]


def readable(fig: go.Figure, size: int = FONT_SIZE, axes: tuple[str, ...] = ("xaxis", "yaxis")) -> go.Figure:
    """Explicit sizes for tick labels, axis titles, legend and title: Streamlit's plotly theme
    otherwise draws them at about 12 px whatever ``layout.font.size`` says."""
    font = {"tickfont": {"size": size}, "title": {"font": {"size": size}}}
    fig.update_layout(title_font_size=size + 1, legend_font_size=size, **{axis: font for axis in axes})
    return fig


def _compact(values) -> np.ndarray:
    """float32 is plenty for drawing and halves what travels to the browser on every update."""
    return np.asarray(values, dtype=np.float32)


def _range(lo: float, hi: float, pad: float = 0.2, min_span: float = 1.0) -> list[float]:
    span = max(hi - lo, min_span)
    mid = 0.5 * (lo + hi)
    return [mid - (0.5 + pad) * span, mid + (0.5 + pad) * span]


def fit_and_units(x: np.ndarray, target: np.ndarray, y_hat: np.ndarray, C: np.ndarray, b2: float,
                  w2: np.ndarray, samples: tuple[np.ndarray, np.ndarray] | None = None,
                  title: str = "The fit and the hidden units that build it",
                  font_size: int = FONT_SIZE) -> go.Figure:
    """Top: the target, the samples and ŷ(x). Bottom: every hidden unit's contribution
    ``c_j(x) = w2_j f(w1_j u + b1_j)`` as a thin line (blue: w2_j > 0, red: w2_j < 0) and b2.

    The top panel's y range is fixed by the target, so that it does not jump while training.
    """
    x = np.asarray(x, dtype=float)
    even = {"x0": float(x[0]), "dx": float(x[1] - x[0])} if len(x) > 1 else {"x": x}  # no x arrays to send
    traces = []   # plain dicts, one Figure call: several times faster than go.Scatter per unit
    if samples is not None:
        traces.append({"type": "scatter", "x": _compact(samples[0]), "y": _compact(samples[1]), "mode": "markers",
                       "name": "training samples", "marker": {"color": SAMPLES, "size": 5}, "hoverinfo": "skip"})
    traces.append({"type": "scatter", "y": _compact(target), **even, "mode": "lines", "name": "target y(x)",
                   "line": {"color": TARGET, "width": 2.5, "dash": "dash"},
                   "hovertemplate": "x=%{x:.2f}<br>y=%{y:.3f}<extra>target</extra>"})
    traces.append({"type": "scatter", "y": _compact(y_hat), **even, "mode": "lines",
                   "name": "network ŷ(x) = Σ c_j(x) + b2", "line": {"color": FIT, "width": 4},
                   "hovertemplate": "x=%{x:.2f}<br>ŷ=%{y:.3f}<extra>network</extra>"})
    thin = 1.6 if C.shape[0] <= 16 else 1.1
    shown = set()
    for j in range(C.shape[0]):
        positive = bool(w2[j] > 0)
        group = "unit with w2_j > 0" if positive else "unit with w2_j < 0"
        traces.append({"type": "scatter", "y": _compact(C[j]), **even, "mode": "lines", "name": group,
                       "legendgroup": group, "showlegend": group not in shown, "yaxis": "y2", "opacity": 0.75,
                       "line": {"color": POSITIVE if positive else NEGATIVE, "width": thin},
                       "hovertemplate": f"unit j = {j + 1}<br>x=%{{x:.2f}}<br>c_j=%{{y:.3f}}<extra></extra>"})
        shown.add(group)
    traces.append({"type": "scatter", "x": [float(x[0]), float(x[-1])], "y": [b2, b2], "mode": "lines",
                   "name": "output bias b2", "line": {"color": BIAS, "width": 2.5, "dash": "dot"}, "yaxis": "y2",
                   "hovertemplate": "b2=%{y:.3f}<extra></extra>"})
    fig = go.Figure(data=traces)
    height = 660
    styled(fig, title, height=height)
    lo, hi = float(np.min(target)), float(np.max(target))
    if samples is not None:
        lo, hi = min(lo, float(np.min(samples[1]))), max(hi, float(np.max(samples[1])))
    fig.update_layout(
        xaxis={"title": {"text": "x"}, "range": [float(x[0]), float(x[-1])], "anchor": "y2"},
        yaxis={"domain": [0.47, 1.0], "range": _range(lo, hi), "title": {"text": "y,  ŷ"}},
        yaxis2={"domain": [0.0, 0.40], "title": {"text": "c_j(x),  b2"}, "anchor": "x",
                "zeroline": True, "zerolinecolor": "#BBBBBB"},
        margin={"l": 70, "r": 20, "t": 50, "b": 40},
        # below the x tick labels and the x title, whatever the font size
        legend={"orientation": "h", "yanchor": "top", "y": -(2.5 * font_size + 20) / (height - 90),
                "xanchor": "left", "x": 0.0},
        annotations=[{"text": "hidden units: c_j(x) = w2_j · f(w1_j u + b1_j)",
                      "xref": "paper", "yref": "paper", "x": 0.0, "y": 0.415, "xanchor": "left",
                      "yanchor": "bottom", "showarrow": False, "font": {"size": font_size}}],
    )
    return readable(fig, font_size, ("xaxis", "yaxis", "yaxis2"))


def error_curve(steps: list[int], grid_mse: list[float], train_loss: list[float] | None = None,
                title: str = "Error while training", font_size: int = FONT_SIZE) -> go.Figure:
    """Mean squared error against the target (dense grid), and the training loss, per step (log y)."""
    traces = [{"type": "scatter", "x": steps, "y": grid_mse, "mode": "lines+markers",
               "name": "MSE vs target (dense grid)", "line": {"color": GRID_MSE, "width": 3}, "marker": {"size": 5},
               "hovertemplate": "step %{x}<br>MSE %{y:.3g}<extra></extra>"}]
    if train_loss is not None:
        traces.append({"type": "scatter", "x": steps, "y": train_loss, "mode": "lines",
                       "name": "training loss (samples)", "line": {"color": TRAIN_LOSS, "width": 2, "dash": "dash"},
                       "hovertemplate": "step %{x}<br>loss %{y:.3g}<extra></extra>"})
    fig = go.Figure(data=traces)
    styled(fig, title, "Adam step", "mean squared error (log)", height=300)
    fig.update_yaxes(type="log", exponentformat="power", dtick=1)
    fig.update_layout(margin={"l": 70, "r": 20, "t": 70, "b": 50})
    return readable(fig, font_size)


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
    fig = go.Figure(go.Scatter(x=widths, y=errors, mode="lines+markers", name="final MSE",
                               line={"color": GRID_MSE, "width": 3}, marker={"size": 11},
                               hovertemplate="width %{x}<br>MSE %{y:.3g}<extra></extra>"))
    up = rises(widths, errors)
    if up:
        xs = [b for _, b in up]
        fig.add_trace(go.Scatter(x=xs, y=[errors[widths.index(b)] for b in xs], mode="markers",
                                 name="higher than the width before", marker={
                                     "size": 20, "symbol": "circle-open", "color": NEGATIVE, "line": {"width": 2.5}},
                                 customdata=[a for a, _ in up],
                                 hovertemplate="width %{x}: MSE %{y:.3g}, above width %{customdata}<extra></extra>"))
    if current is not None and current in widths:
        i = widths.index(current)
        fig.add_trace(go.Scatter(x=[current], y=[errors[i]], mode="markers", name=f"width {current} (yours)",
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
