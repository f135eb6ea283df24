"""Pictures of linear regression: the data with a line and its residuals, the loss bowl ℓ(w, b)
with a gradient-descent path on it, and the loss per step."""
from __future__ import annotations

import base64
import io
import math
import re
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import plotly.graph_objects as go
from PIL import Image
from plotly.colors import sample_colorscale
from skimage.measure import approximate_polygon, find_contours

from explorer.charts.style import FONT_SIZE, PALETTE, SEQUENTIAL, _legend_below, new_figure, styled, trace

DATA_COLOUR = PALETTE[0]       # blue: the samples
YOURS = PALETTE[1]             # orange: the user's (w, b) and line
BEST = PALETTE[5]              # vermillion: the least-squares optimum (reads on both themes)
RESIDUAL = PALETTE[3]          # reddish purple: residuals y - ŷ
PATH = "#FFFFFF"               # white on viridis: the descent path
LEVELS_PER_DECADE = 4
LEGEND_CHARS = 60          # characters of legend entries to a row under a figure
DEFAULT_BOTTOM = 50        # styled()'s bottom margin, before the legend's rows
TITLE_CLEARANCE = 0.12      # decades of colour key above the last level (room for its top tick label)
KEY_DOMAIN = (0.93, 0.96)   # where the colour key stands, in the figure's width


# Legend names write superscripts as <sup>(i)</sup>, not as the characters ⁽ⁱ⁾: the browser measures every
# legend entry, and a glyph the page's font lacks sends it to a fallback font each time (measured: about a
# third of the page's plotly time per click).
def figure(traces: list, title: str, x: str, y: str, height: int, **layout) -> go.Figure:
    """One figure from its traces and layout in a single step (quicker than adding piece by piece),
    in the shared :func:`styled` look, with the legend under the x-axis title where it hides nothing."""
    fig = styled(new_figure(traces, layout), title, x, y, height, legend_below_chars=LEGEND_CHARS)
    if any("<" in (t.name or "") for t in fig.data):   # rows counted on the text shown, not on its tags
        shown = SimpleNamespace(data=[SimpleNamespace(name=re.sub(r"<[^>]+>", "", t.name or ""),
                                                      showlegend=t.showlegend) for t in fig.data])
        fig.layout.margin.b = DEFAULT_BOTTOM + _legend_below(shown, LEGEND_CHARS)[1]
    return fig


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
        trace("scatter", x=seg_x, y=seg_y, mode="lines", name="residual y<sup>(i)</sup> − ŷ<sup>(i)</sup>",
                   line={"color": RESIDUAL, "width": 2}, hoverinfo="skip"),
        trace("scatter", x=xs, y=w_star * xs + b_star, mode="lines", name="least squares w* x + b*",
                   line={"color": BEST, "width": 2, "dash": "dash"}, hoverinfo="skip"),
        trace("scatter", x=xs, y=w * xs + b, mode="lines", name="your line ŷ = w x + b",
                   line={"color": YOURS, "width": 4}, hoverinfo="skip"),
        trace("scatter", x=x, y=y, mode="markers", name="samples (x<sup>(i)</sup>, y<sup>(i)</sup>)",
                   marker={"color": DATA_COLOUR, "size": 8, "line": {"color": "#ffffff", "width": 1}},
                   customdata=y - y_hat,
                   hovertemplate="x=%{x:.3f}, y=%{y:.3f}<br>residual %{customdata:.3f}<extra></extra>"),
    ]
    fig = figure(traces, title, "x", "y", 430, xaxis={"range": list(xs), "zeroline": False})
    span = max(abs(float(np.min(y))), abs(float(np.max(y))), abs(float(np.min(y_hat))), abs(float(np.max(y_hat))))
    return margins(fig, left_margin(len(f"{span:,.0f}") + 2))


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


@dataclass(frozen=True)
class SurfacePicture:
    """What does not change while the user moves (w, b): ℓ(w, b) over the picture's box drawn once,
    as a heat image (quarter-decade bands of log ℓ in viridis, a PNG) and its level lines (one line
    trace, None between the lines). Made per data by :func:`surface_picture` (the page caches it)."""

    w_range: tuple[float, float]
    b_range: tuple[float, float]
    png: str                        # data: URI of the banded heat image, row 0 = the largest b
    line_w: np.ndarray              # the level lines: w and b, NaN between two lines
    line_b: np.ndarray
    start: float                    # log10 ℓ of the first and the last level
    end: float


def _bands(Z: np.ndarray, start: float, end: float) -> tuple[np.ndarray, list[str]]:
    """Each pixel's band (between two quarter-decade levels) and each band's viridis colour."""
    count = max(int(round((end - start) * LEVELS_PER_DECADE)), 1)
    band = np.clip(np.floor((Z - start) * LEVELS_PER_DECADE), 0, count - 1).astype(np.intp)
    colours = sample_colorscale(SEQUENTIAL, [(k + 0.5) / count for k in range(count)], colortype="tuple")
    return band, colours


def _png(rgb: np.ndarray) -> str:
    out = io.BytesIO()
    Image.fromarray(rgb, "RGB").save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _level_lines(Z: np.ndarray, start: float, end: float, w_grid: np.ndarray,
                 b_grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The contour lines of ``Z`` at every quarter decade, simplified to a fifth of a grid cell."""
    dw, db = w_grid[1] - w_grid[0], b_grid[1] - b_grid[0]
    ws, bs = [], []
    for level in np.arange(start + 1 / LEVELS_PER_DECADE, end - 1e-9, 1 / LEVELS_PER_DECADE):
        for line in find_contours(Z, level):
            line = approximate_polygon(line, tolerance=0.2)        # rows (b), columns (w), in cells
            ws += [w_grid[0] + line[:, 1] * dw, [np.nan]]
            bs += [b_grid[0] + line[:, 0] * db, [np.nan]]
    if not ws:
        return np.array([np.nan]), np.array([np.nan])
    return np.concatenate(ws), np.concatenate(bs)


def surface_picture(w_grid: np.ndarray, b_grid: np.ndarray, L: np.ndarray, line_every: int = 3) -> SurfacePicture:
    """The heat image and level lines of ``L[i, j] = ℓ(w_grid[j], b_grid[i])`` (log scale): one pixel
    per grid point, the lines traced on every ``line_every``-th point (a smooth bowl: as exact to the eye,
    several times quicker)."""
    Z, start, end = log_levels(L)
    band, colours = _bands(Z, start, end)
    palette = np.round(np.array(colours) * 255).astype(np.uint8)
    rgb = palette[band[::-1]]                   # image rows run downwards: the largest b first
    k = max(int(line_every), 1)
    lw, lb = _level_lines(Z[::k, ::k], start, end, w_grid[::k], b_grid[::k])
    return SurfacePicture((float(w_grid[0]), float(w_grid[-1])), (float(b_grid[0]), float(b_grid[-1])),
                          _png(rgb), lw.astype(np.float32), lb.astype(np.float32), start, end)


def _colour_key(pic: SurfacePicture) -> tuple[dict, dict, dict, dict]:
    """The heat image's colour key, as a thin heatmap of its bands on an axis of its own (ticks at
    whole decades, on the right): drawn with the plot, where plotly's colour bar would move the margin
    and draw the whole figure twice. The key runs a little past the last level, so its top tick label
    stays clear of its title. Returns the trace, its two axes and its title."""
    count = max(int(round((pic.end - pic.start) * LEVELS_PER_DECADE)), 1)
    mids = pic.start + (np.arange(count) + 0.5) / LEVELS_PER_DECADE
    decades = list(range(math.ceil(pic.start), math.floor(pic.end) + 1))
    key = trace("heatmap", x=[0], y=mids, z=mids[:, None], zmin=pic.start, zmax=pic.end, colorscale=SEQUENTIAL,
                       showscale=False, xaxis="x2", yaxis="y2", hoverinfo="skip", name="ℓ(w, b)")
    x2 = {"domain": list(KEY_DOMAIN), "anchor": "y2", "visible": False, "fixedrange": True}
    y2 = {"domain": [0.0, 0.86], "anchor": "x2", "side": "right", "range": [pic.start, pic.end + TITLE_CLEARANCE],
          "tickvals": decades, "ticktext": [_decade_label(k) for k in decades], "showgrid": False,
          "zeroline": False, "fixedrange": True, "ticks": ""}
    title = {"text": "ℓ(w, b)<br>log scale", "x": sum(KEY_DOMAIN) / 2, "y": 0.88, "xref": "paper",
             "yref": "paper", "xanchor": "center", "yanchor": "bottom", "showarrow": False}
    return key, x2, y2, title


def margins(fig: go.Figure, left: int | None = None, right: int | None = None) -> go.Figure:
    """Margins wide enough for the labels from the start: when a label does not fit, plotly's automargin
    grows the margin and then draws the whole figure a second time (about half its cost). ``left``:
    room for the longest y tick label and the y-axis title."""
    if left is not None:
        fig.layout.margin.l = left
    if right is not None:
        fig.layout.margin.r = right
    return fig


def left_margin(chars: int) -> int:
    """px for y tick labels of ``chars`` characters and the y-axis title beside them."""
    return max(60, 34 + round(0.62 * FONT_SIZE * chars))


def loss_contour(pic: SurfacePicture, user: tuple[float, float], optimum: tuple[float, float],
                 path: tuple[np.ndarray, np.ndarray] | None = None,
                 title: str = "The loss surface ℓ(w, b)") -> go.Figure:
    """The loss bowl (heat image and level lines of log ℓ at quarter decades, viridis), the user's
    point (circle), the least-squares optimum (star) and a descent path (white). Only the last three
    change as the user moves: the picture is made once per data (:func:`surface_picture`)."""
    (w_lo, w_hi), (b_lo, b_hi) = pic.w_range, pic.b_range
    traces = [trace("scatter", x=pic.line_w, y=pic.line_b, mode="lines", name="levels of ℓ (quarter decades)",
                         showlegend=False, hoverinfo="skip", connectgaps=False,
                         line={"width": 0.5, "color": "rgba(255,255,255,0.35)"})]
    inside = True
    if path is not None and len(path[0]) > 1:
        pw, pb = path
        traces.append(trace("scatter", x=pw, y=pb, mode="lines+markers", name="descent path",
                                 line={"color": PATH, "width": 2},
                                 marker={"size": 5, "color": PATH, "line": {"color": "#000000", "width": 1}},
                                 customdata=np.arange(len(pw)),
                                 hovertemplate="step %{customdata}: w=%{x:.3f}, b=%{y:.3f}<extra></extra>"))
        inside = bool(np.all((pw >= w_lo) & (pw <= w_hi) & (pb >= b_lo) & (pb <= b_hi)))
    traces.append(trace("scatter", x=[optimum[0]], y=[optimum[1]], mode="markers", name="least squares (w*, b*)",
                             marker={"symbol": "star", "size": 20, "color": "#FFFFFF",
                                     "line": {"color": BEST, "width": 2}},
                             hovertemplate="w*=%{x:.4f}, b*=%{y:.4f}<extra></extra>"))
    traces.append(trace("scatter", x=[user[0]], y=[user[1]], mode="markers", name="your (w, b)",
                             marker={"symbol": "circle", "size": 15, "color": YOURS,
                                     "line": {"color": "#000000", "width": 2}},
                             hovertemplate="w=%{x:.3f}, b=%{y:.3f}<extra></extra>"))
    notes = [] if inside else [{"text": "the path leaves the plot", "x": 0.5, "y": 0.98, "xref": "paper",
                                "yref": "paper", "showarrow": False, "font": {"color": "#000000"},
                                "bgcolor": "rgba(255,255,255,0.85)"}]
    key, x2, y2, key_title = _colour_key(pic)
    traces.append(key)
    image = {"source": pic.png, "xref": "x", "yref": "y", "x": w_lo, "y": b_hi, "sizex": w_hi - w_lo,
             "sizey": b_hi - b_lo, "sizing": "stretch", "layer": "below", "xanchor": "left", "yanchor": "top"}
    fig = figure(traces, title, "w (slope)", "b (intercept)", 540, annotations=notes + [key_title], images=[image],
                 xaxis={"range": [w_lo, w_hi], "constrain": "domain", "showgrid": False, "zeroline": False,
                        "domain": [0.0, KEY_DOMAIN[0] - 0.05]},
                 yaxis={"range": [b_lo, b_hi], "scaleanchor": "x", "scaleratio": 1, "constrain": "domain",
                        "showgrid": False, "zeroline": False},
                 xaxis2=x2, yaxis2=y2)
    fig.layout.xaxis2.title.text = None        # styled() labels every axis; the key has its title above it
    fig.layout.yaxis2.title.text = None
    return margins(fig, left_margin(max(len(f"{v:g}") for v in (b_lo, b_hi)) + 1), right=70)


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
    traces = [trace("scatter", x=steps, y=loss, mode="lines+markers" if len(loss) <= 60 else "lines",
                         name="ℓ(w, b) at step t", line={"color": PALETTE[0], "width": 2}, marker={"size": 5},
                         hovertemplate="step %{x}: ℓ=%{y:.5g}<extra></extra>")]
    show_min = loss_min > 1e-12 * float(np.max(loss))   # a log axis cannot show a minimum of (about) 0
    if show_min:
        traces.append(trace("scatter", x=[0, max(len(loss) - 1, 1)], y=[loss_min, loss_min], mode="lines",
                                 name="minimum ℓ(w*, b*)", line={"color": BEST, "dash": "dash", "width": 2},
                                 hoverinfo="skip"))
    lo = min(float(np.min(loss)), loss_min) if show_min else float(np.min(loss))
    ticks = log_ticks(lo, float(np.max(loss)))
    labels = [_tick_label(t) for t in ticks]
    fig = figure(traces, title, "step t", "ℓ(w, b)  (log scale)", 540,
                 yaxis={"type": "log", "tickvals": ticks, "ticktext": labels})
    return margins(fig, left_margin(max(len(t) for t in labels)))
