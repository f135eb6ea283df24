"""Pictures of images as numbers: the image with its window, the flattened X, the five views."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from explorer.charts.style import PALETTE, new_figure, styled, trace

GRAY = [[0.0, "#000000"], [1.0, "#ffffff"]]
WINDOW_COLOUR = PALETTE[1]      # Okabe-Ito orange: visible on black and on white
HEART_COLOUR = PALETTE[4]       # sky blue, dashed
TABLE_CSS = (".px-window td, .px-window th {padding: 3px 7px; text-align: right; white-space: nowrap; "
             "border: 1px solid rgba(128,128,128,0.25)} .px-window th {font-weight: 600; opacity: 0.75}")
MAX_SHOWN_SIDE = 256            # larger images are shown every k-th pixel (the table shows them all)


def display_range(image: np.ndarray) -> tuple[float, float]:
    """The grey scale's ends: the image's min and max (never equal)."""
    lo, hi = float(np.min(image)), float(np.max(image))
    return (lo, hi) if hi > lo else (lo, lo + 1.0)


def display_step(shape: tuple[int, int], max_side: int = MAX_SHOWN_SIDE) -> int:
    """Show every k-th pixel so that neither side exceeds ``max_side``."""
    return max(1, int(np.ceil(max(shape) / max_side)))


def _compact(values: np.ndarray) -> np.ndarray:
    """The smallest dtype that holds ``values`` exactly enough to send to the browser."""
    if np.all(np.mod(values, 1) == 0) and values.min() >= 0 and values.max() <= 65535:
        return values.astype(np.uint16)
    if np.all(np.mod(values, 1) == 0) and values.min() >= -32768 and values.max() <= 32767:
        return values.astype(np.int16)
    return values.astype(np.float32)


def image_figure(image: np.ndarray, title: str, window: tuple[int, int, int, int] | None = None,
                 heart_box: tuple[int, int, int, int] | None = None, zrange: tuple[float, float] | None = None,
                 height: int = 560) -> go.Figure:
    """The image in grey (black = smallest value), hover giving row, column and value.

    ``window`` and ``heart_box`` are ``(top, left, height, width)`` rectangles: the window
    solid orange, the heart dashed blue. Images larger than 256 pixels a side show every
    k-th pixel; the hover values are then those of the pixels shown, exactly. ``zrange``
    (black, white) defaults to the image's min and max.

    No colour bar: the page's caption names the grey scale's ends, and a colour bar is most of the
    figure's draw time in plotly.js (the figure is redrawn on every move of the window). A plotly
    image trace (a PNG) was measured slower still in Streamlit's plotly.js, so this stays a heatmap.
    """
    H, W = image.shape
    k = display_step(image.shape)
    shown = np.asarray(image[::k, ::k], dtype=float)
    lo, hi = zrange if zrange is not None else display_range(image)
    shapes, notes = [], []
    if heart_box is not None:
        t, l, h, w = heart_box
        shapes.append({"type": "rect", "x0": l - 0.5, "x1": l + w - 0.5, "y0": t - 0.5, "y1": t + h - 0.5,
                       "line": {"color": HEART_COLOUR, "width": 2, "dash": "dash"}})
        notes.append({"x": l - 0.5, "y": t - 0.5, "text": "heart", "showarrow": False, "xanchor": "left",
                      "yanchor": "bottom", "font": {"color": HEART_COLOUR}})
    if window is not None:
        t, l, h, w = window
        shapes.append({"type": "rect", "x0": l - 0.5, "x1": l + w - 0.5, "y0": t - 0.5, "y1": t + h - 0.5,
                       "line": {"color": WINDOW_COLOUR, "width": 3}})
    if k > 1:
        title += f"<br><sup>drawn at 1/{k} resolution (every {k}th row and column); the table shows every pixel</sup>"
    # plain dicts: plotly's go.* objects and update_* calls validate path by path (the figure is
    # built again at every move of the window)
    fig = new_figure({
        "data": [{"type": "heatmap", "z": _compact(shown), "x": np.arange(0, W, k), "y": np.arange(0, H, k),
                  "colorscale": GRAY, "zmin": lo, "zmax": hi, "showscale": False,
                  "hovertemplate": "row %{y}, column %{x}<br>value %{z}<extra></extra>"}],
        "layout": {"shapes": shapes, "annotations": notes,
                "yaxis": {"autorange": "reversed", "scaleanchor": "x", "scaleratio": 1, "constrain": "domain",
                          "title": {"text": "row i"}, "showgrid": False, "zeroline": False},
                # columns along the bottom: an axis title on top would sit on the chart's title
                "xaxis": {"constrain": "domain", "title": {"text": "column j"},
                          "showgrid": False, "zeroline": False}}})
    fig = styled(fig, title, height=height)
    # the bottom margin holds the column numbers and "column j" below them (no automargin pass)
    fig.layout.margin = {"l": 60, "r": 20, "t": 70 if k > 1 else 50, "b": 66}
    return fig


def cell_css(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """CSS for a table of ``values``: each cell's background is its grey on the image's scale.

    Text is white on dark cells and black on light ones, so every number stays readable.
    """
    g = np.clip((np.asarray(values, dtype=float) - lo) / (hi - lo if hi > lo else 1.0), 0.0, 1.0)
    level = np.rint(g * 255).astype(int)
    css = np.empty(level.shape, dtype=object)
    for idx, v in np.ndenumerate(level):
        text = "#000000" if v >= 128 else "#ffffff"
        css[idx] = f"background-color: rgb({v},{v},{v}); color: {text}"
    return css


def _band_outlines(N: int, width: int) -> list[float | None]:
    """x of every other row's band (rows 0, 2, 4, ...) of X as closed outlines, None between them."""
    xs: list[float | None] = []
    for start in range(0, N, 2 * width):
        a, b = start - 0.5, min(N, start + width) - 0.5
        xs += [a, b, b, a, a, None]
    return xs


def _band_heights(N: int, width: int, y0: float, y1: float) -> list[float | None]:
    return [y0, y0, y1, y1, y0, None] * len(range(0, N, 2 * width))


def window_table_html(values: np.ndarray, lo: float, hi: float, fmt: str, row0: int = 0, col0: int = 0) -> str:
    """The window as an HTML table: one cell per pixel, its background the pixel's grey (:func:`cell_css`),
    rows and columns numbered as in the image (from ``row0``, ``col0``), values written with ``fmt``.

    Only numbers go into it (never text a user sent). A plain table: the browser draws it in a few
    milliseconds, where a styled data grid takes a tenth of a second per change.
    """
    values = np.asarray(values, dtype=float)
    css = cell_css(values, lo, hi)
    head = "".join(f"<th>{col0 + j}</th>" for j in range(values.shape[1]))
    body = "".join(f"<tr><th>{row0 + i}</th>"
                   + "".join(f'<td style="{css[i, j]}">{fmt.format(values[i, j])}</td>' for j in range(values.shape[1]))
                   + "</tr>" for i in range(values.shape[0]))
    return (f"<style>{TABLE_CSS}</style>"
            f'<div class="px-window" style="overflow:auto;max-height:1230px">'
            f'<table style="border-collapse:collapse;font-size:13px;font-variant-numeric:tabular-nums">'
            f"<thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def flattened_figure(X: np.ndarray, width: int, title: str, row0: int = 0, col0: int = 0) -> go.Figure:
    """The column X (N x 1) drawn along its index i = 0 .. N-1, every other image row shaded.

    Every run of ``width`` entries is one row of the window: the picture shows that
    flattening reads the window row by row (row-major). The shaded bands are one filled trace
    (outlines separated by None): plotly.js draws it several times faster than a bar per band.
    """
    x = np.asarray(X, dtype=float).ravel()
    N = x.size
    i = np.arange(N)
    lo, hi = float(x.min()), float(x.max())
    pad = 0.05 * (hi - lo) or 1.0
    bands = {"type": "scatter", "x": _band_outlines(N, width), "y": _band_heights(N, width, lo - pad, hi + pad),
             "fill": "toself", "mode": "lines", "line": {"width": 0}, "fillcolor": "rgba(136,136,136,0.15)",
             "hoverinfo": "skip", "showlegend": False, "name": "every other row"}
    line = {"type": "scatter", "x": i, "y": x, "mode": "lines+markers" if N <= 400 else "lines",
            "line": {"color": PALETTE[0], "width": 1.5}, "marker": {"size": 4},
            "customdata": np.column_stack([row0 + i // width, col0 + i % width]), "name": "x_i", "showlegend": False,
            "hovertemplate": "x_%{x} = %{y}<br>pixel row %{customdata[0]}, column %{customdata[1]}<extra></extra>"}
    # the y tick labels stand off their axis: in big type the y axis' lowest label and the x axis' first
    # one would meet in the corner (the x labels' own room under the axis is the template's pad)
    fig = new_figure({"data": [bands, line], "layout": {"xaxis": {"range": [-0.5, N - 0.5]},
                                                       "yaxis": {"range": [lo - pad, hi + pad],
                                                                 "ticklabelstandoff": 4}}})
    return styled(fig, title, "index i in X (row-major: i = row × W + column)", "value x_i", height=300)


def views_figure(images: list[np.ndarray], names: list[str], onehots: list[str]) -> go.Figure:
    """The synthetic slices of the five classes side by side, each titled with its one-hot column Y.

    One heatmap of the tiles (each tile on its own grey scale), so that it draws quickly.
    """
    size = images[0].shape[0]
    gap = max(2, size // 5)
    tiles = []
    for img in images:
        lo, hi = display_range(img)
        tiles.append((np.asarray(img, dtype=float) - lo) / (hi - lo))
        tiles.append(np.full((size, gap), np.nan))
    strip = np.hstack(tiles[:-1])
    notes = [{"x": k * (size + gap) + (size - 1) / 2, "y": -1, "text": f"<b>{name}</b><br>Y = {vec}",
              "showarrow": False, "yanchor": "bottom", "xanchor": "center", "font": {"size": 13}}
             for k, (name, vec) in enumerate(zip(names, onehots))]
    fig = new_figure(trace("heatmap", z=strip.astype(np.float32), colorscale=GRAY, zmin=0, zmax=1, showscale=False,
                               hoverinfo="skip"),
                    layout={"annotations": notes,
                            "yaxis": {"autorange": "reversed", "scaleanchor": "x", "scaleratio": 1,
                                      "constrain": "domain", "showticklabels": False, "showgrid": False,
                                      "zeroline": False},
                            "xaxis": {"constrain": "domain", "showticklabels": False, "showgrid": False,
                                      "zeroline": False}})
    fig = styled(fig, "The lecture's five cardiac views (synthetic) and their one-hot labels",
                 "the five classes side by side (each image on its own grey scale)", "row i", height=330)
    fig.update_layout(margin={"l": 40, "r": 10, "t": 110, "b": 40})
    return fig
