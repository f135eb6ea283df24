"""Figures for the learning-landscape page: one per kind of learning (data in, go.Figure out).

Classes and clusters differ in colour (Okabe-Ito) *and* marker shape; heat maps use cividis or
RdBu; every figure has a title and labelled axes. Each figure is built in one go from plain
dicts (:func:`_figure`, the same look as :func:`explorer.charts.style.styled`): plotly's
step-by-step ``update_*`` calls would cost several milliseconds per figure on every rerun.
"""
from __future__ import annotations

import base64
import io
from typing import Sequence

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from explorer.charts.style import DASHES, DIVERGING, FONT_SIZE, PALETTE, new_figure, trace

SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "star", "triangle-down", "pentagon"]
SYMBOL_CODES = {"circle": 0, "square": 1, "diamond": 2, "cross": 3, "triangle-up": 5, "triangle-down": 6,
                "pentagon": 13, "star": 17}     # plotly's numbers for them (+100: the open symbol)
GRAY = [[0.0, "#000000"], [1.0, "#ffffff"]]
HIDDEN_COLOUR = PALETTE[1]      # orange: pixels the self-supervised task hides
PATH_COLOUR = PALETTE[5]        # vermillion: the greedy agent's path
WALL_COLOUR = "#4d4d4d"


def _axis(title: str, **extra) -> dict:
    # automargin off: the margins below are set for the labels, and plotly.js lays a figure out again for
    # each axis that has it on (plotly.py's default template turns it on): that was 40% of the draw time
    # invisible 8 px ticks: the labels stand off the plot, so the x and y labels at a corner never meet
    return {"title": {"text": title, "font": {"size": FONT_SIZE}}, "tickfont": {"size": FONT_SIZE},
            "automargin": False, "ticks": "outside", "ticklen": 8, "tickcolor": "rgba(0,0,0,0)", **extra}


RIGHT = "right"


LEGEND_BELOW_MARGIN = 110     # px under the plot: the x-axis title, then a row or two of legend
REGION_OPACITY = 0.28        # the predicted-class fills of the supervised plane
GUIDE = "#8C8C8C"             # mid grey: lines and outlines that read on the light and the dark theme


def _figure(data: list, title: str, x: str, y: str, height: int, legend_y: float | str | None = -0.16,
            xaxis: dict | None = None, yaxis: dict | None = None, **layout) -> go.Figure:
    """One figure, styled as :func:`explorer.charts.style.styled` does, with the legend below the plot
    (``legend_y``, in paper units), beside it (:data:`RIGHT`) or, for None, hidden."""
    spec = {
        "title": {"text": title, "x": 0.0, "xanchor": "left", "font": {"size": FONT_SIZE + 2}},
        "font": {"size": FONT_SIZE},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 60, "b": 50},
        "xaxis": _axis(x, **(xaxis or {})),
        "yaxis": _axis(y, **(yaxis or {})),
        "showlegend": legend_y is not None,
        # below the plot: a strip of its own at the figure's bottom edge, clear of the x-axis title
        "legend": ({"orientation": "v", "yanchor": "top", "y": 1.0, "xanchor": "left", "x": 1.02,
                    "font": {"size": FONT_SIZE}} if legend_y == RIGHT else
                   {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0.0, "xanchor": "left",
                    "x": 0.0, "font": {"size": FONT_SIZE}}),
        **layout,
    }
    if legend_y is not None and legend_y != RIGHT and "margin" not in layout:
        spec["margin"] = {**spec["margin"], "b": LEGEND_BELOW_MARGIN}
    return new_figure(data, layout=spec)


def _plane(extent: tuple[float, float, float, float]) -> tuple[dict, dict]:
    """Axes for the (x₁, x₂) plane: equal scale, the given ranges."""
    return ({"range": [extent[0], extent[1]], "constrain": "domain"},
            {"range": [extent[2], extent[3]], "constrain": "domain", "scaleanchor": "x", "scaleratio": 1})


def class_regions(g1: np.ndarray, g2: np.ndarray, regions: np.ndarray, X_train: np.ndarray, y_train: np.ndarray,
                  X_test: np.ndarray, y_test: np.ndarray, names: Sequence[str], title: str) -> go.Figure:
    """The predicted class over the plane (pale fills; ``regions : [len(g2), len(g1)]``) with the
    training points (filled markers: their labels are what the model learned from) and the test
    points (open markers, never seen in training).

    The points are two traces (training, test) whose markers take each point's class colour and
    shape; the legend's entries (one per class and part) are empty traces in the same style. plotly.js
    redraws a trace at a fixed cost, so two traces of points instead of six draw a new noise or seed
    in about half the time. The legend is a key only (clicking it hides nothing)."""
    y_train, y_test = np.asarray(y_train, dtype=int), np.asarray(y_test, dtype=int)
    K = len(names)
    # each point's class as numbers (quick for plotly to check): the symbol's code (+100: open) and a
    # colour scale that puts PALETTE[k] exactly at class k
    scale = {"cmin": 0, "cmax": max(K - 1, 1), "colorscale": [[k / max(K - 1, 1), PALETTE[k]] for k in range(K)]}
    codes = np.array([SYMBOL_CODES[SYMBOLS[k]] for k in range(K)])
    labels = np.array(list(names), dtype=object)
    data = []
    for X, y, part, fill in ((X_train, y_train, "train", True), (X_test, y_test, "test", False)):
        marker = {"symbol": codes[y] + (0 if fill else 100), "size": 8 if fill else 9, "color": y, **scale,
                  "line": {"color": "#ffffff", "width": 1} if fill else {"color": y, "width": 2, **scale}}
        data.append({"type": "scatter", "x": X[0], "y": X[1], "mode": "markers", "name": f"{part} points",
                     "showlegend": False, "customdata": labels[y].tolist(), "marker": marker,
                     "hovertemplate": f"{part} point, label %{{customdata}}<br>x₁=%{{x:.2f}}, x₂=%{{y:.2f}}<extra></extra>"})
    for k, name in enumerate(names):
        for part, fill in (("train", True), ("test", False)):
            data.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": f"{name} ({part})",
                         "hoverinfo": "skip",
                         "marker": {"symbol": SYMBOLS[k] + ("" if fill else "-open"), "size": 8 if fill else 9,
                                    "color": PALETTE[k], "line": {"color": "#ffffff", "width": 1} if fill else
                                    {"color": PALETTE[k], "width": 2}}})
    xa, ya = _plane((g1[0], g1[-1], g2[0], g2[-1]))
    fig = _figure(data, title, "x₁", "x₂", 580, RIGHT, xa, ya, images=[region_image(g1, g2, regions, len(names))])
    fig.layout.legend.update(itemclick=False, itemdoubleclick=False)
    return fig


REGION_UPSCALE = 6     # each grid cell as 6 × 6 pixels: crisp cells when the browser scales the image up


def region_image(g1: np.ndarray, g2: np.ndarray, regions: np.ndarray, K: int) -> dict:
    """The predicted classes ``regions : [len(g2), len(g1)]`` as a see-through PNG laid under the plot
    (a layout image): plotly.js draws it far quicker than a heatmap of the same cells. Class k is
    ``PALETTE[k]`` at :data:`REGION_OPACITY`, pale on the light theme, dark-tinted on the dark one."""
    rgba = np.array([[int(PALETTE[k][i:i + 2], 16) for i in (1, 3, 5)] + [round(255 * REGION_OPACITY)]
                     for k in range(K)], dtype=np.uint8)
    # a palette image (one byte a pixel, K colours with their transparency): quicker to encode and to
    # send than RGBA, the same colours once decoded
    index = np.asarray(regions, dtype=np.uint8)[::-1]               # image rows run top to bottom
    index = np.repeat(np.repeat(index, REGION_UPSCALE, axis=0), REGION_UPSCALE, axis=1)
    image = Image.frombytes("P", (index.shape[1], index.shape[0]), np.ascontiguousarray(index).tobytes())
    image.putpalette(rgba[:, :3].tobytes(), "RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", transparency=bytes(rgba[:, 3].tolist()), compress_level=6)
    return {"source": "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii"),
            "xref": "x", "yref": "y", "x": float(g1[0]), "y": float(g2[-1]), "xanchor": "left", "yanchor": "top",
            "sizex": float(g1[-1] - g1[0]), "sizey": float(g2[-1] - g2[0]), "sizing": "stretch", "layer": "below"}


# ======================================================================= k-means
def kmeans_map(X: np.ndarray, labels: np.ndarray, path: np.ndarray, title: str,
               extent: tuple[float, float, float, float]) -> go.Figure:
    """Points coloured (and shaped) by their nearest centroid; ``path : [t + 1, 2, k]`` the
    centroids from iteration 0 to t: the last are drawn large, the earlier ones as a dotted trail."""
    k = path.shape[2]
    data = []
    for j in range(k):
        m = labels == j
        data.append(trace("scatter", x=X[0, m], y=X[1, m], mode="markers", name=f"cluster {j + 1} ({int(m.sum())} points)",
                               marker={"symbol": SYMBOLS[j], "size": 7, "color": PALETTE[j],
                                       "line": {"color": "#ffffff", "width": 0.5}},
                               hovertemplate=f"cluster {j + 1}<br>x₁=%{{x:.2f}}, x₂=%{{y:.2f}}<extra></extra>"))
    if path.shape[0] > 1:   # all trails in one trace, separated by gaps
        xs = np.concatenate([np.r_[path[:, 0, j], np.nan] for j in range(k)])
        ys = np.concatenate([np.r_[path[:, 1, j], np.nan] for j in range(k)])
        data.append(trace("scatter", x=xs, y=ys, mode="lines+markers", name="centroid moves", connectgaps=False,
                               line={"color": GUIDE, "width": 1.5, "dash": "dot"},
                               marker={"size": 5, "color": GUIDE}, hoverinfo="skip"))
    now = path[-1]
    data.append(trace("scatter", x=now[0], y=now[1], mode="markers+text", name="centroids",
                           text=[str(j + 1) for j in range(k)], textposition="middle center",
                           textfont={"color": "#ffffff", "size": 12},
                           marker={"symbol": "circle", "size": 24, "color": [PALETTE[j] for j in range(k)],
                                   "line": {"color": GUIDE, "width": 2.5}},
                           hovertemplate="centroid %{text}<br>x₁=%{x:.3f}, x₂=%{y:.3f}<extra></extra>"))
    xa, ya = _plane(extent)
    return _figure(data, title, "x₁", "x₂", 580, RIGHT, xa, ya)


def objective_curve(J: np.ndarray, t: int, converged_at: int | None, title: str) -> go.Figure:
    """``J_t`` over the iterations, the shown iteration marked."""
    iters = np.arange(len(J))
    data = [trace("scatter", x=iters, y=J, mode="lines+markers", name="J at each iteration",
                       line={"color": PALETTE[0], "width": 2.5}, marker={"size": 6},
                       hovertemplate="t = %{x}: J = %{y:.4f}<extra></extra>"),
            trace("scatter", x=[t], y=[J[t]], mode="markers", name=f"shown: t = {t}",
                       marker={"symbol": "diamond", "size": 14, "color": PALETTE[1],
                               "line": {"color": "#000000", "width": 1.5}}, hoverinfo="skip")]
    shapes, notes = [], []
    if converged_at is not None:
        shapes.append({"type": "line", "x0": converged_at, "x1": converged_at, "y0": 0, "y1": 1, "yref": "paper",
                       "line": {"color": GUIDE, "dash": "dash", "width": 1.5}})
        notes.append({"x": converged_at, "y": 1, "yref": "paper", "xanchor": "left", "yanchor": "top",
                      "text": f" converged at t = {converged_at}", "showarrow": False})
    return _figure(data, title, "iteration t", "J = Σ ‖x − c‖²", 360, -0.25, shapes=shapes, annotations=notes)


# ======================================================================= PCA
def pca_scatter(a: np.ndarray, b: np.ndarray, views: np.ndarray, names: Sequence[str], x_label: str, y_label: str,
                title: str) -> go.Figure:
    """Two principal-component scores of every image, coloured and shaped by the view (labels used
    only to colour, after the fit)."""
    data = []
    for k, name in enumerate(names):
        m = views == k
        data.append(trace("scatter", x=a[m], y=b[m], mode="markers", name=name,
                               marker={"symbol": SYMBOLS[k], "size": 8, "color": PALETTE[k],
                                       "line": {"color": "#ffffff", "width": 0.5}},
                               hovertemplate=f"{name}<br>%{{x:.2f}}, %{{y:.2f}}<extra></extra>"))
    return _figure(data, title, x_label, y_label, 470, -0.17)


def variance_bars(ratio: np.ndarray, title: str, shown: int = 20) -> go.Figure:
    """The share of the variance of each component (bars) and the running total (line)."""
    r = np.asarray(ratio[:shown])
    pcs = np.arange(1, r.size + 1)
    data = [trace("bar", x=pcs, y=100 * r, name="this component", marker={"color": PALETTE[0]},
                   hovertemplate="PC%{x}: %{y:.1f}% of the variance<extra></extra>"),
            trace("scatter", x=pcs, y=100 * np.cumsum(r), mode="lines+markers", name="PC1 … PCk together",
                       line={"color": PALETTE[1], "width": 2.5, "dash": "dash"},
                       marker={"symbol": "diamond", "size": 7},
                       hovertemplate="PC1 to PC%{x}: %{y:.1f}%<extra></extra>")]
    return _figure(data, title, "principal component k", "explained variance (%)", 470, -0.17,
                   yaxis={"range": [0, 100]})


# ======================================================================= image rows
def image_row(images: Sequence[np.ndarray], titles: Sequence[str], title: str, *,
              centred: bool | Sequence[bool] = False, shared: bool = True, height: int = 300,
              hidden_colour: str | None = None, value: str = "value") -> go.Figure:
    """Same-size images side by side in one heat map per colour scale (quick to build), square pixels.

    ``centred`` (for all images, or one flag per image): RdBu around 0, else grey from the smallest
    to the largest value. ``shared=False`` scales each centred image by its own largest |value|
    (the hover still gives the true values). NaN pixels are "hidden": drawn in ``hidden_colour``
    (white if None).
    """
    n = len(images)
    flags = [bool(centred)] * n if isinstance(centred, (bool, np.bool_)) else [bool(c) for c in centred]
    H, W = np.asarray(images[0]).shape
    gap = max(1, W // 8)
    total = n * W + (n - 1) * gap
    info = np.full((H, total, 3), np.nan)        # image number, column j, true value
    hidden = np.full((H, total), np.nan)
    layers = {True: np.full((H, total), np.nan), False: np.full((H, total), np.nan)}
    ranges = {}
    for flag in (True, False):
        finite = [np.asarray(im, dtype=float)[np.isfinite(im)] for im, f in zip(images, flags) if f == flag]
        lo = min((float(v.min()) for v in finite if v.size), default=0.0)
        hi = max((float(v.max()) for v in finite if v.size), default=1.0)
        ranges[flag] = (lo, hi, max(abs(lo), abs(hi)) or 1.0)
    for k, (im, flag) in enumerate(zip(images, flags)):
        im = np.asarray(im, dtype=float)
        x0 = k * (W + gap)
        top = ranges[flag][2]
        scaled = im / (float(np.nanmax(np.abs(im))) or 1.0) * top if flag and not shared else im
        layers[flag][:, x0:x0 + W] = scaled
        info[:, x0:x0 + W, 0] = k + 1
        info[:, x0:x0 + W, 1] = np.arange(W)
        info[:, x0:x0 + W, 2] = im
        hidden[:, x0:x0 + W] = np.where(np.isfinite(im), np.nan, 1.0)
    info32 = info.astype(np.float32)
    hover = "image %{customdata[0]}: row %{y}, column %{customdata[1]}<br>"
    data = []
    for flag in (False, True):
        if flag not in flags:
            continue
        lo, hi, top = ranges[flag]
        scale = ({"colorscale": DIVERGING, "zmid": 0.0, "zmin": -top, "zmax": top} if flag else
                 {"colorscale": GRAY, "zmin": lo, "zmax": hi if hi > lo else lo + 1.0})
        data.append(trace("heatmap", z=layers[flag].astype(np.float32), customdata=info32, showscale=False, **scale,
                               hovertemplate=hover + value + " %{customdata[2]:.3f}<extra></extra>"))
    if np.isfinite(hidden).any():
        colour = hidden_colour or "#ffffff"
        data.append(trace("heatmap", z=hidden.astype(np.float32), showscale=False, zmin=0, zmax=1,
                               colorscale=[[0, colour], [1, colour]], customdata=info32,
                               hovertemplate=hover + "hidden<extra></extra>"))
    notes = [{"x": k * (W + gap) + (W - 1) / 2, "y": -0.6, "yanchor": "bottom", "showarrow": False,
              "text": f"<b>{t}</b>", "font": {"size": 13}} for k, t in enumerate(titles)]
    plain = {"showticklabels": False, "showgrid": False, "zeroline": False, "constrain": "domain"}
    return _figure(data, title, f"column j ({n} image{'s' if n > 1 else ''}, {W} × {H} pixels each)", "row i",
                   height, None, {**plain, "range": [-0.5, total - 0.5]},
                   {**plain, "autorange": "reversed", "scaleanchor": "x"},
                   annotations=notes, plot_bgcolor="rgba(0,0,0,0)", margin={"l": 50, "r": 20, "t": 80, "b": 40})


# ======================================================================= self-supervised
def accuracy_vs_labels(counts: Sequence[int], results: dict[str, np.ndarray], names: dict[str, str],
                       current: int, title: str) -> go.Figure:
    """Mean test accuracy (± one standard deviation over the draws of the labelled set) against the
    labels per class, one line per representation (colour, dash and marker all differ)."""
    x = [str(c) for c in counts]
    data = []
    for i, (key, acc) in enumerate(results.items()):
        mean, sd = 100 * acc.mean(axis=1), 100 * acc.std(axis=1)
        data.append(trace("scatter", x=x, y=mean, mode="lines+markers", name=names[key],
                               error_y={"type": "data", "array": sd, "thickness": 1.2, "width": 4},
                               line={"color": PALETTE[i], "width": 2.5, "dash": DASHES[i]},
                               marker={"symbol": SYMBOLS[i], "size": 9},
                               hovertemplate=names[key] + "<br>%{x} labels per class: %{y:.1f}%<extra></extra>"))
    at = x.index(str(current)) if str(current) in x else 0
    shapes = [{"type": "line", "x0": -0.5, "x1": len(x) - 0.5, "y0": 50, "y1": 50,
               "line": {"color": GUIDE, "dash": "dot", "width": 1.5}},
              {"type": "rect", "x0": at - 0.3, "x1": at + 0.3, "y0": 0, "y1": 1, "yref": "paper",
               "fillcolor": "#999999", "opacity": 0.15, "line": {"width": 0}}]
    notes = [{"x": len(x) - 0.5, "y": 50, "xanchor": "right", "yanchor": "bottom", "text": "guessing (50%)",
              "showarrow": False}]
    return _figure(data, title, "labelled images per class (heart / no heart)", "test accuracy, balanced (%)",
                   450, -0.22, {"type": "category", "range": [-0.5, len(x) - 0.5]}, {"range": [45, 101]},
                   shapes=shapes, annotations=notes)


# ======================================================================= reinforcement
def grid_policy(rows: Sequence[str], V: np.ndarray, arrows: np.ndarray, path: Sequence[int] | None,
                title: str, show_values: bool = True) -> go.Figure:
    """The grid world: ``V(s) = max_a Q(s, a)`` as a cividis heat map, the greedy action of each cell as
    an arrow, walls dark, the goal and pits labelled, the greedy path from S as a line.

    ``V`` and ``arrows`` are ``[H, W]``; NaN / "" where there is nothing to show.
    """
    H, W = len(rows), len(rows[0])
    finite = V[np.isfinite(V)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if hi <= lo:
        hi = lo + 1e-9
    hover = np.full((H, W), "", dtype=object)
    shapes, notes = [], []
    for r in range(H):
        for c in range(W):
            kind = rows[r][c]
            hover[r, c] = {"#": "wall", "G": "goal: +1, the episode ends", "P": "pit: −1, the episode ends"}.get(
                kind, f"V = {V[r, c]:.3f}" if np.isfinite(V[r, c]) else "never visited")
            box = {"type": "rect", "x0": c - 0.5, "x1": c + 0.5, "y0": r - 0.5, "y1": r + 0.5,
                   "line": {"color": "#ffffff", "width": 2}}
            if kind == "#":
                shapes.append({**box, "fillcolor": WALL_COLOUR})
                notes.append({"x": c, "y": r, "text": "wall", "showarrow": False,
                              "font": {"color": "#ffffff", "size": 12}})
                continue
            if kind in "GP":
                shapes.append({**box, "fillcolor": PALETTE[2] if kind == "G" else "#000000"})
                notes.append({"x": c, "y": r, "text": "<b>goal<br>+1</b>" if kind == "G" else "<b>pit<br>−1</b>",
                              "showarrow": False, "font": {"color": "#ffffff", "size": 14}})
                continue
            if not np.isfinite(V[r, c]):
                shapes.append({**box, "fillcolor": "#d9d9d9"})
            bright = not np.isfinite(V[r, c]) or (V[r, c] - lo) / (hi - lo) > 0.6
            text = f"<b>{arrows[r, c]}</b>" if arrows[r, c] else ""
            if kind == "S":
                text = "<b>S</b> " + text
            if show_values and np.isfinite(V[r, c]):
                text += f"<br><span style='font-size:11px'>{V[r, c]:.2f}</span>"
            if text:
                notes.append({"x": c, "y": r, "text": text, "showarrow": False,
                              "font": {"color": "#000000" if bright else "#ffffff", "size": 22}})
    data = [trace("heatmap", z=V, x=list(range(W)), y=list(range(H)), colorscale="Cividis", zmin=lo, zmax=hi,
                       colorbar={"title": {"text": "V(s)"}, "thickness": 14}, customdata=hover,
                       hovertemplate="row %{y}, column %{x}: %{customdata}<extra></extra>", xgap=2, ygap=2)]
    if path and len(path) > 1:
        rr, cc = np.divmod(np.asarray(path), W)
        data.append(trace("scatter", x=cc, y=rr, mode="lines", name="greedy path from S",
                               line={"color": PATH_COLOUR, "width": 5, "dash": "dot"}, opacity=0.85, hoverinfo="skip"))
    grid = {"dtick": 1, "showgrid": False, "zeroline": False, "constrain": "domain"}
    return _figure(data, title, "column", "row", max(380, 90 * H + 130), -0.12 if path else None,
                   {**grid, "range": [-0.5, W - 0.5]}, {**grid, "range": [H - 0.5, -0.5], "scaleanchor": "x"},
                   shapes=shapes, annotations=notes)


def reward_curve(returns: np.ndarray, smooth: np.ndarray, window: int, best: float | None, title: str) -> go.Figure:
    """Reward of every episode (pale points) and its moving average (thick line); ``best``: the
    return of the shortest path, the most an episode can earn."""
    ep = np.arange(1, len(returns) + 1)
    data = [trace("scatter", x=ep, y=returns.astype(np.float32), mode="markers", name="one episode",
                       marker={"size": 4, "color": PALETTE[4], "opacity": 0.5},
                       hovertemplate="episode %{x}: reward %{y:.2f}<extra></extra>"),
            trace("scatter", x=ep, y=smooth.astype(np.float32), mode="lines", name=f"mean of the last {window}",
                       line={"color": PALETTE[0], "width": 3},
                       hovertemplate="episode %{x}: mean %{y:.3f}<extra></extra>")]
    shapes, notes = [], []
    if best is not None:
        shapes.append({"type": "line", "x0": 0, "x1": 1, "xref": "paper", "y0": best, "y1": best,
                       "line": {"color": PALETTE[2], "dash": "dash", "width": 2}})
        notes.append({"x": 1, "xref": "paper", "y": best, "xanchor": "right", "yanchor": "bottom",
                      "text": f"best possible (shortest path): {best:.2f}", "showarrow": False})
    lo = float(min(returns.min(), smooth.min())) if len(returns) else -1.0
    return _figure(data, title, "episode", "reward per episode", 430, -0.22, yaxis={"range": [lo - 0.1, 1.2]},
                   shapes=shapes, annotations=notes)
