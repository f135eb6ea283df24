"""Pictures of linear regression: the data with a line and its residuals, the loss bowl ℓ(w, b)
with a gradient-descent path on it, and the loss per step."""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from explorer.charts.style import PALETTE, SEQUENTIAL, legend_below, styled

DATA_COLOUR = PALETTE[0]       # blue: the samples
YOURS = PALETTE[1]             # orange: the user's (w, b) and line
BEST = PALETTE[5]              # vermillion: the least-squares optimum (reads on both themes)
RESIDUAL = PALETTE[3]          # reddish purple: residuals y - ŷ
PATH = "#FFFFFF"               # white on viridis: the descent path
LEVELS_PER_DECADE = 4


def figure(traces: list, title: str, x: str, y: str, height: int, **layout) -> go.Figure:
    """One figure from its traces and layout in a single step (quicker than adding piece by piece),
    in the shared :func:`styled` look, with the legend under the x-axis title where it hides nothing."""
    return legend_below(styled(go.Figure(data=traces, layout=layout), title, x, y, height), width_chars=60)


def data_fit(x: np.ndarray, y: np.ndarray, w: float, b: float, w_star: float, b_star: float,
             title: str) -> go.Figure:
    """The samples, the user's line ŷ = w x + b, the least-squares line, and each residual
    y⁽ⁱ⁾ − (w x⁽ⁱ⁾ + b) as a vertical segment from the sample to the user's line."""
    lo, hi = float(np.min(x)), float(np.max(x))
    pad = 0.05 * (hi - lo or 1.0)
    xs = np.array([lo - pad, hi + pad])
    y_hat = w * x + b
    seg_x = np.column_stack([x, x, np.full_like(x, np.nan)]).ravel()
    seg_y = np.column_stack([y, y_hat, np.full_like(x, np.nan)]).ravel()
    traces = [
        go.Scatter(x=seg_x, y=seg_y, mode="lines", name="residual y⁽ⁱ⁾ − ŷ⁽ⁱ⁾",
                   line={"color": RESIDUAL, "width": 2}, hoverinfo="skip"),
        go.Scatter(x=xs, y=w_star * xs + b_star, mode="lines", name="least squares w* x + b*",
                   line={"color": BEST, "width": 2, "dash": "dash"}, hoverinfo="skip"),
        go.Scatter(x=xs, y=w * xs + b, mode="lines", name="your line ŷ = w x + b",
                   line={"color": YOURS, "width": 4}, hoverinfo="skip"),
        go.Scatter(x=x, y=y, mode="markers", name="samples (x⁽ⁱ⁾, y⁽ⁱ⁾)",
                   marker={"color": DATA_COLOUR, "size": 8, "line": {"color": "#ffffff", "width": 1}},
                   customdata=y - y_hat,
                   hovertemplate="x=%{x:.3f}, y=%{y:.3f}<br>residual %{customdata:.3f}<extra></extra>"),
    ]
    return figure(traces, title, "x", "y", 430, xaxis={"range": list(xs), "zeroline": False})


def log_levels(L: np.ndarray, floor_ratio: float = 1e-6) -> tuple[np.ndarray, float, float]:
    """``log10 ℓ`` clipped below at a positive floor (ℓ* can be 0 when the data has no noise),
    and the first and last contour level (whole quarter decades)."""
    top = float(np.max(L))
    floor = max(float(np.min(L)), top * floor_ratio, np.finfo(float).tiny)
    Z = np.log10(np.maximum(L, floor))
    start = math.floor(float(Z.min()) * LEVELS_PER_DECADE) / LEVELS_PER_DECADE
    end = math.ceil(float(Z.max()) * LEVELS_PER_DECADE) / LEVELS_PER_DECADE
    return Z, start, end


def _decade_label(k: int) -> str:
    return f"{10.0 ** k:,.0f}" if 0 <= k <= 6 else (f"{10.0 ** k:g}" if -3 <= k < 0 else f"1e{k}")


def loss_contour(w_grid: np.ndarray, b_grid: np.ndarray, L: np.ndarray, user: tuple[float, float],
                 optimum: tuple[float, float], path: tuple[np.ndarray, np.ndarray] | None = None,
                 title: str = "The loss surface ℓ(w, b)") -> go.Figure:
    """Contours of ``L[i, j] = ℓ(w_grid[j], b_grid[i])`` at quarter decades (log scale, viridis),
    the user's point (circle), the least-squares optimum (star) and a descent path (white)."""
    Z, start, end = log_levels(L)
    decades = list(range(math.ceil(start), math.floor(end) + 1))
    traces = [go.Contour(
        x=w_grid, y=b_grid, z=Z, customdata=L, colorscale=SEQUENTIAL,
        contours={"start": start, "end": end, "size": 1 / LEVELS_PER_DECADE, "coloring": "fill"},
        line={"width": 0.5, "color": "rgba(255,255,255,0.35)"},
        colorbar={"title": {"text": "ℓ(w, b)<br>log scale", "side": "top"}, "thickness": 14,
                  "tickvals": decades, "ticktext": [_decade_label(k) for k in decades]},
        hovertemplate="w=%{x:.2f}, b=%{y:.2f}<br>ℓ=%{customdata:.4g}<extra></extra>", name="ℓ(w, b)")]
    inside = True
    if path is not None and len(path[0]) > 1:
        pw, pb = path
        traces.append(go.Scatter(x=pw, y=pb, mode="lines+markers", name="descent path",
                                 line={"color": PATH, "width": 2},
                                 marker={"size": 5, "color": PATH, "line": {"color": "#000000", "width": 1}},
                                 customdata=np.arange(len(pw)),
                                 hovertemplate="step %{customdata}: w=%{x:.3f}, b=%{y:.3f}<extra></extra>"))
        inside = bool(np.all((pw >= w_grid[0]) & (pw <= w_grid[-1]) & (pb >= b_grid[0]) & (pb <= b_grid[-1])))
    traces.append(go.Scatter(x=[optimum[0]], y=[optimum[1]], mode="markers", name="least squares (w*, b*)",
                             marker={"symbol": "star", "size": 20, "color": "#FFFFFF",
                                     "line": {"color": BEST, "width": 2}},
                             hovertemplate="w*=%{x:.4f}, b*=%{y:.4f}<extra></extra>"))
    traces.append(go.Scatter(x=[user[0]], y=[user[1]], mode="markers", name="your (w, b)",
                             marker={"symbol": "circle", "size": 15, "color": YOURS,
                                     "line": {"color": "#000000", "width": 2}},
                             hovertemplate="w=%{x:.3f}, b=%{y:.3f}<extra></extra>"))
    notes = [] if inside else [{"text": "the path leaves the plot", "x": 0.5, "y": 0.98, "xref": "paper",
                                "yref": "paper", "showarrow": False, "font": {"color": "#000000"},
                                "bgcolor": "rgba(255,255,255,0.85)"}]
    return figure(traces, title, "w (slope)", "b (intercept)", 540, annotations=notes,
                  xaxis={"range": [w_grid[0], w_grid[-1]], "constrain": "domain"},
                  yaxis={"range": [b_grid[0], b_grid[-1]], "scaleanchor": "x", "scaleratio": 1,
                         "constrain": "domain"})


def log_ticks(lo: float, hi: float, most: int = 8) -> list[float]:
    """Tick values for a log axis from ``lo`` to ``hi``: 1-2-5 steps, or whole decades if that is too many."""
    lo = max(lo, np.finfo(float).tiny)   # a loss of exactly 0 (a perfect fit) still gets an axis
    hi = max(hi, lo)
    k0, k1 = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    for mantissas in ((1, 2, 5), (1,)):
        ticks = [m * 10.0 ** k for k in range(k0, k1 + 1) for m in mantissas if lo <= m * 10.0 ** k <= hi]
        if len(ticks) <= most:
            break
    else:
        step = math.ceil((k1 - k0 + 1) / most)
        ticks = [10.0 ** k for k in range(k0, k1 + 1, step) if lo <= 10.0 ** k <= hi]
    if len(ticks) < 2:      # a narrow range: label its ends
        ticks = sorted({float(f"{lo:.3g}"), float(f"{hi:.3g}")} | set(ticks))
    return ticks


def _tick_label(v: float) -> str:
    if 1e-3 <= v < 1e6:
        return f"{v:,.6g}"
    mantissa, exponent = f"{v:.1e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


def loss_per_step(loss: np.ndarray, loss_min: float, title: str) -> go.Figure:
    """ℓ after each gradient-descent step on a log axis, with the minimum ℓ* as a dashed line."""
    steps = np.arange(len(loss))
    traces = [go.Scatter(x=steps, y=loss, mode="lines+markers" if len(loss) <= 60 else "lines",
                         name="ℓ(w, b) at step t", line={"color": PALETTE[0], "width": 2}, marker={"size": 5},
                         hovertemplate="step %{x}: ℓ=%{y:.5g}<extra></extra>")]
    show_min = loss_min > 1e-12 * float(np.max(loss))   # a log axis cannot show a minimum of (about) 0
    if show_min:
        traces.append(go.Scatter(x=[0, max(len(loss) - 1, 1)], y=[loss_min, loss_min], mode="lines",
                                 name="minimum ℓ(w*, b*)", line={"color": BEST, "dash": "dash", "width": 2},
                                 hoverinfo="skip"))
    lo = min(float(np.min(loss)), loss_min) if show_min else float(np.min(loss))
    ticks = log_ticks(lo, float(np.max(loss)))
    return figure(traces, title, "step t", "ℓ(w, b)  (log scale)", 540,
                  yaxis={"type": "log", "tickvals": ticks, "ticktext": [_tick_label(t) for t in ticks]})
