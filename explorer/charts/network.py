"""The network as a picture: nodes per layer, edges coloured by the sign of the weight."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from explorer.charts.style import NEGATIVE, POSITIVE, new_figure, styled, trace
from explorer.core.activations import get

MAX_NODES = 8   # a wider layer is drawn as its first 4 units, an ellipsis and its last 3


def layer_headers(n_in: int, widths, activations) -> list[str]:
    """One header per column of the diagram, three short lines each: the name, the width, f (its short
    symbol from the activation registry, so that eight columns fit side by side)."""
    last = len(widths)
    out = [f"X<br>N = {n_in:,}<br> "]
    for i, (w, f) in enumerate(zip(widths, activations), start=1):
        out.append(f"{'ŷ' if i == last else f'a[{i}]'}<br>{w:,}<br>{get(f, output=i == last).text_symbol}")
    return out


def shown_units(n: int, max_nodes: int = MAX_NODES) -> list[int]:
    """Indices of the units drawn for a layer of n units (all, or head ... tail)."""
    if n <= max_nodes:
        return list(range(n))
    return [0, 1, 2, 3, n - 3, n - 2, n - 1]


def _y_positions(n: int, shown: list[int]) -> dict[int, float]:
    slots = len(shown) + (1 if len(shown) < n else 0)
    ys = np.linspace(1, -1, slots) if slots > 1 else np.array([0.0])
    ys = ys * min(1.0, slots / MAX_NODES)
    pos, k = {}, 0
    for i, unit in enumerate(shown):
        if i == 4 and len(shown) < n:
            k += 1  # leave the slot for the ellipsis
        pos[unit] = float(ys[k])
        k += 1
    return pos


def _edge_traces(positions, weights) -> list[dict]:
    """The edges, one trace per (colour, width) bin: lines separated by None."""
    wmax = max((float(np.abs(W).max()) for W in weights or [] if W.size), default=1.0) or 1.0
    bins: dict[tuple[str, int], tuple[list, list]] = {}
    for l in range(len(positions) - 1):
        (src, ysrc), (dst, ydst) = positions[l], positions[l + 1]
        for jj, j in enumerate(dst):
            for ii, i in enumerate(src):
                if weights is not None:
                    w = float(weights[l][jj, ii])
                    key = (POSITIVE if w >= 0 else NEGATIVE, min(3, int(4 * abs(w) / wmax)))
                else:
                    key = ("#9a9a9a", 0)
                xs, ys = bins.setdefault(key, ([], []))
                xs += [l, l + 1, None]
                ys += [ysrc[i], ydst[j], None]
    return [{"type": "scatter", "x": xs, "y": ys, "mode": "lines", "hoverinfo": "skip", "showlegend": False,
             "line": {"color": colour, "width": 0.8 + 1.4 * width}, "opacity": 0.35 + 0.15 * width}
            for (colour, width), (xs, ys) in sorted(bins.items())]


def _node_traces(sizes, positions, headers, header_size: int) -> list[dict]:
    """Every drawn unit (one trace), the ellipses of wide layers and the column headers (one text trace
    each: an annotation apiece cost plotly.js more than all the edges)."""
    x, y, colours, hover, dots_x, dots_y = [], [], [], [], [], []
    for col, (n, (shown, ys)) in enumerate(zip(sizes, positions)):
        x += [col] * len(shown)
        y += [ys[u] for u in shown]
        colours += ["#ffffff" if col == 0 else "#E69F00"] * len(shown)
        hover += [f"{headers[col].split('<br>')[0]}: unit {u + 1} of {n:,}" for u in shown]
        if len(shown) < n:
            dots_x.append(col)
            dots_y.append((ys[shown[3]] + ys[shown[4]]) / 2)
    nodes = {"type": "scatter", "x": x, "y": y, "mode": "markers", "showlegend": False, "hovertext": hover,
             "hoverinfo": "text", "marker": {"size": 22, "color": colours, "line": {"color": "#333333", "width": 2}}}
    dots = {"type": "scatter", "x": dots_x, "y": dots_y, "text": ["⋮"] * len(dots_x), "mode": "text",
            "textfont": {"size": 26}, "hoverinfo": "skip", "showlegend": False}
    heads = {"type": "scatter", "x": list(range(len(sizes))), "y": [1.15] * len(sizes), "text": headers,
             "mode": "text", "textposition": "top center", "textfont": {"size": header_size}, "hoverinfo": "skip",
             "showlegend": False, "cliponaxis": False}
    return [nodes, dots, heads] if dots_x else [nodes, heads]


def diagram(sizes: list[int], headers: list[str], weights: list[np.ndarray] | None = None,
            title: str = "Network") -> go.Figure:
    """Columns of nodes for ``sizes`` (input first).

    ``weights[l]`` holds layer l+1's weights between the *drawn* units only:
    ``W[np.ix_(shown_units(out), shown_units(in))]`` (see :func:`shown_units`).

    Edge colour is the weight's sign (blue > 0, red < 0), its width grows with |w|.
    Without weights, edges are grey. Wide layers show an ellipsis and their size.
    """
    positions = [(shown, _y_positions(n, shown)) for n, shown in ((n, shown_units(n)) for n in sizes)]
    header_size = 14 if len(sizes) <= 6 else 12
    traces = _edge_traces(positions, weights) + _node_traces(sizes, positions, headers, header_size)
    # plain dicts (plotly's go.Scatter objects validate each property: several times slower)
    fig = new_figure({"data": traces, "layout": {
        "xaxis": {"visible": False, "range": [-0.5, len(sizes) - 0.5]},
        "yaxis": {"visible": False, "range": [-1.25, 1.75]}}})
    styled(fig, title, height=400)
    fig.layout.margin = {"l": 10, "r": 10, "t": 50, "b": 10}
    for axis in (fig.layout.xaxis, fig.layout.yaxis):
        axis.automargin = False    # invisible axes: nothing to make room for
    return fig
