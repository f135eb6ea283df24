"""Figures for image classification: HOG pictures, weight templates, confusion matrices,
test samples with their probabilities, training curves and the sliding-window heat map."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from explorer.charts.style import DIVERGING, PALETTE, SEQUENTIAL, new_figure, styled, trace

GRAY = [[0.0, "#000000"], [1.0, "#ffffff"]]
HEART_COLOUR = PALETTE[4]      # sky blue, dashed: the true heart box
BEST_COLOUR = PALETTE[1]       # orange, solid: the most confident window
RIGHT, WRONG = "✓", "✗"
OUTLINE = "#8C8C8C"            # mid grey: reads on the light and the dark theme


def picture(image: np.ndarray, title: str, colorscale=GRAY, height: int | None = None, hover: str = "value",
            clip: float | None = None) -> go.Figure:
    """An image as a heatmap: row i down, column j across, square pixels, hover with the value.

    Black is the smallest value, white the largest (or the ``clip`` percentile, so that a
    few bright pixels do not darken everything else).
    """
    image = np.asarray(image, dtype=float)
    lo = float(image.min())
    hi = float(np.percentile(image, clip)) if clip is not None else float(image.max())
    if hi <= lo:
        hi = float(image.max()) if image.max() > lo else lo + 1.0
    if height is None:   # about as tall as the image is when it fills a half-page column
        height = int(np.clip(110 + 400 * image.shape[0] / image.shape[1], 300, 520))
    # built from plain dicts (plotly's update_* calls validate path by path: 4x slower; the feature
    # page builds one at every move of a HOG slider)
    fig = new_figure({"data": [{"type": "heatmap", "z": image.astype(np.float32), "colorscale": colorscale,
                               "zmin": lo, "zmax": hi, "showscale": False,
                               "hovertemplate": "row %{y}, column %{x}<br>" + hover + " %{z:.3g}<extra></extra>"}],
                     "layout": {"yaxis": {"autorange": "reversed", "scaleanchor": "x", "scaleratio": 1,
                                          "constrain": "domain"},
                                "xaxis": {"constrain": "domain"}}})
    fig = styled(fig, title, "column j", "row i", height=height)
    fig.layout.margin = {"l": 55, "r": 10, "t": 50, "b": 45}
    return fig


def accuracy_bars(rows: Sequence[dict], title: str) -> go.Figure:
    """Grouped bars: train and test accuracy of each model (``rows``: ``model``, ``train``, ``test``,
    optionally ``test_min`` and ``test_max``, drawn as a range on the test bar).

    Train bars are plain, test bars hatched, so the two differ without colour.
    """
    models = [r["model"] for r in rows]
    fig = new_figure()
    for key, name, colour, pattern in (("train", "train accuracy", PALETTE[0], ""),
                                       ("test", "test accuracy", PALETTE[1], "/")):
        values = [100 * r[key] if np.isfinite(r[key]) else None for r in rows]
        error = None
        if key == "test" and all("test_min" in r for r in rows):
            error = {"type": "data", "symmetric": False, "color": "#333333", "thickness": 1.5, "width": 4,
                     "array": [100 * (r["test_max"] - r["test"]) if np.isfinite(r["test"]) else 0 for r in rows],
                     "arrayminus": [100 * (r["test"] - r["test_min"]) if np.isfinite(r["test"]) else 0 for r in rows]}
        fig.add_trace(trace("bar", x=models, y=values, name=name, marker={"color": colour, "pattern": {"shape": pattern}},
                             error_y=error, hovertemplate="%{x}<br>" + name + " %{y:.1f}%<extra></extra>"))
    for r in rows:
        if not np.isfinite(r["test"]):
            fig.add_annotation(x=r["model"], y=4, text="not<br>computable", showarrow=False, yanchor="bottom",
                               font={"size": 11, "color": "#555555"})
    fig.add_trace(trace("scatter", x=[models[0], models[-1]], y=[50, 50], mode="lines", name="chance (50%)",
                             line={"dash": "dot", "color": "#555555", "width": 2}, hoverinfo="skip"))
    fig.update_layout(barmode="group", yaxis={"range": [0, 115]})
    fig = styled(fig, title, "data set · features the neuron sees", "accuracy (%)", height=440)
    fig.update_layout(margin={"l": 60, "r": 20, "t": 60, "b": 40})
    fig.update_xaxes(tickangle=0)
    from explorer.charts.style import legend_below
    return legend_below(fig, width_chars=60)   # under the axis title, not on it


def weight_images(images: Sequence[np.ndarray], titles: Sequence[str], title: str, height: int = 300,
                  shared: bool = True, colorscale=DIVERGING, centred: bool = True, per_row: int = 6) -> go.Figure:
    """Images side by side (weights reshaped as images), by default RdBu centred on 0 (blue w > 0, red w < 0).

    ``shared``: one colour range for all (so that their sizes compare), else each image's own.
    ``centred=False`` (with e.g. a grey scale) shows plain images from their smallest to largest value.
    """
    n = len(images)
    cols = min(n, per_row)
    rows = -(-n // cols)
    fig = make_subplots(rows, cols, subplot_titles=[f"<b>{t}</b>" for t in titles],
                        horizontal_spacing=0.02 + 0.06 / cols, vertical_spacing=0.12 if rows > 1 else 0.0)
    top = max(float(np.max(np.abs(im))) for im in images) or 1.0
    for k, im in enumerate(images, start=1):
        row, col = (k - 1) // cols + 1, (k - 1) % cols + 1
        im = np.asarray(im, dtype=float)
        if centred:
            m = top if shared else (float(np.max(np.abs(im))) or 1.0)
            scale = {"zmid": 0, "zmin": -m, "zmax": m, "showscale": k == n,
                     "colorbar": {"title": {"text": "w"}, "thickness": 12}}
            hover = f"{titles[k - 1]}<br>row %{{y}}, column %{{x}}<br>w = %{{z:.3g}}<extra></extra>"
        else:
            lo, hi = float(im.min()), float(im.max())
            scale = {"zmin": lo, "zmax": hi if hi > lo else lo + 1, "showscale": False}
            hover = f"{titles[k - 1]}<br>row %{{y}}, column %{{x}}<br>value %{{z:.0f}}<extra></extra>"
        fig.add_trace(trace("heatmap", z=im.astype(np.float32), colorscale=colorscale, hovertemplate=hover, **scale),
                      row, col)
        fig.update_yaxes(autorange="reversed", scaleanchor="x" if k == 1 else f"x{k}", constrain="domain",
                         showticklabels=False, row=row, col=col)
        fig.update_xaxes(constrain="domain", showticklabels=False, row=row, col=col)
    fig.update_xaxes(title_text="column j", row=rows, col=1)
    fig.update_yaxes(title_text="row i", row=1, col=1)
    fig = styled(fig, title, height=height * rows if rows > 1 else height)
    fig.update_layout(margin={"l": 50, "r": 20, "t": 90, "b": 40})
    fig.update_annotations(font_size=13)
    return fig


def confusion(C: np.ndarray, names: Sequence[str], title: str) -> go.Figure:
    """Counts ``C[true, predicted]`` with the number on every cell (viridis); true classes down."""
    C = np.asarray(C)
    names = list(names)
    top = float(C.max()) or 1.0
    text_colour = [["#000000" if v > 0.6 * top else "#ffffff" for v in row] for row in C]
    fig = new_figure(trace("heatmap", z=C, x=names, y=names, colorscale=SEQUENTIAL, zmin=0, zmax=top,
                               colorbar={"title": {"text": "images"}, "thickness": 12},
                               hovertemplate="true %{y}, predicted %{x}: %{z} images<extra></extra>"))
    for i, row in enumerate(C):
        for j, v in enumerate(row):
            fig.add_annotation(x=names[j], y=names[i], text=f"<b>{int(v)}</b>", showarrow=False,
                               font={"color": text_colour[i][j], "size": 16})
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="bottom")
    fig = styled(fig, title, "predicted class", "true class", height=420 if len(names) > 2 else 340)
    # room on the left for the longest class name and the axis title beside it
    fig.update_layout(margin={"l": 30 + 9 * max(len(str(n)) for n in names)})
    return fig


def training_curves(history: Sequence[dict], title: str, epochs_per_step: float | None = None) -> go.Figure:
    """Accuracy (left) and loss (right) on the training and the test set, over the Adam steps."""
    steps = [m["step"] for m in history]
    fig = make_subplots(1, 2, subplot_titles=["accuracy", "loss (cross-entropy)"], horizontal_spacing=0.12)
    for col, key in ((1, "accuracy"), (2, "loss")):
        for split, colour, dash in (("train", PALETTE[0], "solid"), ("test", PALETTE[1], "dash")):
            values = [m.get(f"{split}_{key}", np.nan) for m in history]
            if key == "accuracy":
                values = [100 * v for v in values]
            fig.add_trace(trace("scatter", x=steps, y=values, mode="lines+markers", name=split, legendgroup=split,
                                     showlegend=col == 1, line={"color": colour, "dash": dash, "width": 2.5},
                                     marker={"size": 5, "symbol": "circle" if split == "train" else "square"},
                                     hovertemplate=f"step %{{x}}<br>{split} {key} %{{y:.3g}}"
                                                   + ("%" if key == "accuracy" else "") + "<extra></extra>"),
                          1, col)
    fig.update_yaxes(title_text="accuracy (%)", range=[0, 104], row=1, col=1)
    fig.update_yaxes(title_text="loss", rangemode="tozero", row=1, col=2)
    x_title = "Adam step" + (f" (1 step ≈ {epochs_per_step:.2g} epochs)" if epochs_per_step else "")
    fig.update_xaxes(title_text=x_title, row=1, col=1)
    fig.update_xaxes(title_text="Adam step", row=1, col=2)
    fig = styled(fig, title, height=400)
    fig.update_layout(legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0.0,
                              "xanchor": "left", "x": 0.0},
                      margin={"l": 72, "r": 20, "t": 70, "b": 95})
    return fig


def samples(images: Sequence[np.ndarray], P: np.ndarray, true: Sequence[int], predicted: Sequence[int],
            names: Sequence[str], title: str, per_row: int = 5) -> go.Figure:
    """Test images, each with its class probabilities as bars below it.

    Each image is titled on one line, ``✓ true`` or ``✗ true → predicted``; the bar of the true
    class is solid and outlined, the others pale, so right and wrong read without colour (and in
    either theme). Class names label the bars of the first column only (the order is the same in
    every column); a probability is printed inside its bar when the bar is long, else just after it,
    so no label reaches the next panel.
    """
    n = len(images)
    rows = -(-n // per_row)
    K = len(names)
    # per row of samples: images, their bars, and (between rows) an empty spacer for the next titles
    grid = 3 * rows - 1
    titles = []
    for r in range(rows):
        for c in range(per_row):
            i = r * per_row + c
            if i < n:
                if predicted[i] == true[i]:
                    titles.append(f"{RIGHT} <b>{names[true[i]]}</b>")
                else:
                    titles.append(f"{WRONG} <b>{names[true[i]]}</b> → {names[predicted[i]]}")
            else:
                titles.append("")
        titles += [""] * per_row * (2 if r < rows - 1 else 1)
    fig = make_subplots(grid, per_row, subplot_titles=titles, vertical_spacing=0.015,
                        horizontal_spacing=0.03, row_heights=([1.0, 0.75, 0.45] * rows)[:grid])
    for i in range(n):
        r, c = 3 * (i // per_row) + 1, i % per_row + 1
        im = np.asarray(images[i], dtype=float)
        lo, hi = float(im.min()), float(im.max())
        fig.add_trace(trace("heatmap", z=im.astype(np.float32), colorscale=GRAY, zmin=lo, zmax=hi if hi > lo else lo + 1,
                                 showscale=False, hovertemplate="row %{y}, column %{x}: %{z:.0f}<extra></extra>"),
                      r, c)
        axis = (r - 1) * per_row + c
        fig.update_yaxes(autorange="reversed", scaleanchor="x" if axis == 1 else f"x{axis}",
                         constrain="domain", showticklabels=False, row=r, col=c)
        fig.update_xaxes(constrain="domain", showticklabels=False, row=r, col=c)
        p = P[:, i]
        fig.add_trace(trace("bar", y=list(range(K)), x=p, orientation="h",
                             marker={"color": [PALETTE[k % len(PALETTE)] for k in range(K)],
                                     "opacity": [1.0 if k == true[i] else 0.45 for k in range(K)],
                                     "line": {"color": OUTLINE, "width": [2.5 if k == true[i] else 0 for k in range(K)]}},
                             text=[f"{v:.2f}" if v >= 0.05 else "" for v in p],
                             textposition=["inside" if v >= 0.55 else "outside" for v in p],
                             insidetextanchor="end", textfont={"size": 11}, cliponaxis=True, showlegend=False,
                             customdata=list(names), hovertemplate="P(%{customdata}) = %{x:.3f}<extra></extra>"),
                      r + 1, c)
        fig.update_xaxes(range=[0, 1.02], tickvals=[0, 0.5, 1], ticktext=["0", ".5", "1"], showticklabels=True,
                         tickfont={"size": 10}, row=r + 1, col=c)
        fig.update_yaxes(tickvals=list(range(K)), ticktext=list(names), autorange="reversed",
                         showticklabels=c == 1, tickfont={"size": 10 if K > 2 else 11}, row=r + 1, col=c)
    for r in range(3, grid + 1, 3):           # the spacer rows: no axes
        fig.update_xaxes(visible=False, row=r)
        fig.update_yaxes(visible=False, row=r)
    fig.update_annotations(font_size=13)
    fig = styled(fig, title, height=380 * rows + 90)
    fig.update_layout(margin={"l": 75, "r": 20, "t": 90, "b": 30}, bargap=0.15)
    return fig


def _box_shape(box, colour: str, dash: str, xref: str = "x", yref: str = "y") -> dict:
    t, l, h, w = box
    return {"type": "rect", "x0": l - 0.5, "x1": l + w - 0.5, "y0": t - 0.5, "y1": t + h - 0.5, "xref": xref,
            "yref": yref, "line": {"color": colour, "width": 3, "dash": dash}}


def heat_map(image: np.ndarray, P: np.ndarray, centres_r: np.ndarray, centres_c: np.ndarray,
             heart_box, best_box, title: str) -> go.Figure:
    """Left: the chest with the true heart box (dashed blue) and the most confident window (orange).
    Right: P(heart) of every window, drawn at the window's centre, with the same boxes."""
    image = np.asarray(image, dtype=float)
    H, W = image.shape
    fig = make_subplots(1, 2, subplot_titles=["the chest image (synthetic)", "P(heart) of the window centred here"],
                        horizontal_spacing=0.13)
    fig.add_trace(trace("heatmap", z=image.astype(np.float32), colorscale=GRAY, showscale=False,
                             hovertemplate="row %{y}, column %{x}: %{z:.0f}<extra></extra>"), 1, 1)
    fig.add_trace(trace("heatmap", z=P.astype(np.float32), x=centres_c, y=centres_r, zmin=0, zmax=1, colorscale=SEQUENTIAL,
                             colorbar={"title": {"text": "P(heart)"}, "thickness": 12},
                             hovertemplate="window centred at row %{y:.0f}, column %{x:.0f}<br>"
                                           "P(heart) = %{z:.3f}<extra></extra>"), 1, 2)
    for col in (1, 2):
        x = "x" if col == 1 else "x2"
        y = "y" if col == 1 else "y2"
        fig.add_shape(_box_shape(heart_box, HEART_COLOUR, "dash", x, y))
        fig.add_shape(_box_shape(best_box, BEST_COLOUR, "solid", x, y))
        fig.update_xaxes(range=[-0.5, W - 0.5], constrain="domain", title_text="column j", row=1, col=col)
        fig.update_yaxes(range=[H - 0.5, -0.5], constrain="domain", title_text="row i",
                         scaleanchor="x" if col == 1 else "x2", row=1, col=col)
    # legend entries for the two boxes (lines drawn off-screen carry the names)
    for name, colour, dash in (("true heart box", HEART_COLOUR, "dash"),
                               ("most confident window", BEST_COLOUR, "solid")):
        fig.add_trace(trace("scatter", x=[None], y=[None], mode="lines", name=name,
                                 line={"color": colour, "dash": dash, "width": 3}), 1, 1)
    fig = styled(fig, title, height=480)
    fig.update_xaxes(showgrid=False, zeroline=False)
    fig.update_yaxes(showgrid=False, zeroline=False)
    # the legend in its own strip at the bottom edge, below the x-axis titles
    fig.update_layout(plot_bgcolor="#3a3a3a", legend={"yref": "container", "y": 0.0, "yanchor": "bottom", "x": 0,
                                                      "xanchor": "left"},
                      margin={"l": 60, "r": 20, "t": 90, "b": 100})
    fig.update_annotations(yshift=6)     # the panel titles clear of the image frames
    return fig


def learning_curves(sizes: Sequence[int], curves: dict[str, Sequence[float]], title: str,
                    chance: float = 0.5) -> go.Figure:
    """Test accuracy (%) against the number of training images, one line per representation
    (``curves``: name -> accuracies, 0..1), markers and dashes differing as well as colours."""
    from explorer.charts.style import DASHES, legend_below

    symbols = ["circle", "square", "diamond", "triangle-up"]
    data = [trace("scatter", x=list(sizes), y=[100 * v for v in values], mode="lines+markers", name=name,
                       line={"color": PALETTE[i], "width": 3, "dash": DASHES[i]},
                       marker={"size": 10, "symbol": symbols[i % len(symbols)]},
                       hovertemplate=f"{name}<br>%{{x}} training images: %{{y:.1f}}%<extra></extra>")
            for i, (name, values) in enumerate(curves.items())]
    data.append(trace("scatter", x=[sizes[0], sizes[-1]], y=[100 * chance] * 2, mode="lines", name="guessing",
                           line={"dash": "dot", "color": "#888888", "width": 2}, hoverinfo="skip"))
    fig = new_figure(data=data, layout={"xaxis": {"type": "log", "tickvals": list(sizes)},
                                       "yaxis": {"range": [40, 102]}})
    fig = styled(fig, title, "training images (log scale)", "test accuracy (%)", height=420)
    return legend_below(fig, width_chars=70)
