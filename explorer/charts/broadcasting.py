"""Broadcasting pictures: shapes aligned from the right, one coloured and labelled cell per size.

Every cell says what happens in words or symbols as well as in colour (colour-blind safe):
``7`` equal, ``1→7`` stretched from 1, ``(1)`` missing (treated as 1), ``6 ✗`` incompatible.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import plotly.graph_objects as go

from explorer.charts.style import NEUTRAL, TRANSPARENT, _legend_below, new_figure, styled, trace
from explorer.core.broadcasting import EQUAL, INCOMPATIBLE, MISSING, STRETCHED, BroadcastExplanation

# fill, border, text colour (None: the theme's), legend label: Okabe-Ito hues, half-transparent
# fills, so the cells and the theme's text read on Streamlit's light and dark pages alike
STATUS_STYLE = {
    EQUAL: ("rgba(128,128,128,0.25)", "#7F7F7F", None, "7 = size used as is"),
    STRETCHED: ("rgba(230,159,0,0.40)", "#E69F00", None, "1→7 = a 1 stretched (repeated)"),
    MISSING: ("rgba(86,180,233,0.30)", "#56B4E9", None, "(1) = missing, treated as 1"),
    INCOMPATIBLE: ("rgba(213,94,0,0.85)", "#8A3D00", "#FFFFFF", "6 ✗ = incompatible: neither is 1"),
}
RESULT_STYLE = ("rgba(0,158,115,0.35)", "#009E73", None, "result size")
FAIL_RESULT_STYLE = ("rgba(213,94,0,0.12)", "#D55E00", "#D55E00", "no result")
LEGEND_CHARS = 90     # characters of legend entries to a row under the figure
SHORT = {EQUAL: "equal", STRETCHED: "stretched", MISSING: "missing", INCOMPATIBLE: "✗ clash"}


def _cell_text(size: int | None, status: str, result: int | None, wordy: bool) -> str:
    if status == MISSING:
        main = "(1)" if result in (None, 1) else f"(1)→{result:,}"
    elif status == STRETCHED:
        main = "1" if result is None else f"1→{result:,}"
    elif status == INCOMPATIBLE:
        main = f"{size:,} ✗"
    else:
        main = f"{size:,}"
    return f"{main}<br><span style='font-size:0.8em'>{SHORT[status]}</span>" if wordy else main


@dataclass
class _Cells:
    """The alignment's cells: a colour code per cell (z) and one label per cell, with its colour and hover."""

    z: np.ndarray
    xs: list = field(default_factory=list)
    ys: list = field(default_factory=list)
    texts: list = field(default_factory=list)
    colours: list = field(default_factory=list)
    hovers: list = field(default_factory=list)

    def add(self, x: int, y: int, text: str, colour: str | None, hover: str) -> None:
        self.xs.append(x)
        self.ys.append(y)
        self.texts.append(text)
        self.colours.append(colour)
        self.hovers.append(hover)


def _cells(steps, names: list[str], wordy: bool) -> _Cells:
    """One cell per input and dimension (row 0 is the result), coded by what happens to it."""
    rows = len(names) + 1
    code = {EQUAL: 0, STRETCHED: 1, MISSING: 2, INCOMPATIBLE: 3}
    cells = _Cells(np.zeros((rows, len(steps))))
    for step in steps:
        col = step.axis_from_left
        for r, name in enumerate(names):
            size, status = step.sizes[r], step.statuses[r]
            cells.z[rows - 1 - r, col] = code[status]
            cells.add(col, rows - 1 - r, _cell_text(size, status, step.result, wordy), STATUS_STYLE[status][2],
                      f"{name}, dimension {step.axis_from_right} (axis {col}): "
                      f"{'none' if size is None else f'{size:,}'} → {status}")
        cells.z[0, col] = 4 if step.ok else 5
        text = f"<b>{step.result:,}</b>" if step.ok else "<b>✗</b>"
        if not step.ok and wordy:
            present = [s for s in step.sizes if s is not None and s != 1]
            text += "<br><span style='font-size:0.8em'>" + " ≠ ".join(
                f"{s:,}" for s in dict.fromkeys(present)) + "</span>"
        cells.add(col, 0, text, (RESULT_STYLE if step.ok else FAIL_RESULT_STYLE)[2],
                  f"result, dimension {step.axis_from_right}: " + (f"{step.result:,}" if step.ok else "incompatible"))
    return cells


def _traces(cells: _Cells, steps, font: int) -> list:
    """The cell colours (one heatmap), their words (text traces) and a legend of the kinds present."""
    styles = [STATUS_STYLE[EQUAL], STATUS_STYLE[STRETCHED], STATUS_STYLE[MISSING],
              STATUS_STYLE[INCOMPATIBLE], RESULT_STYLE, FAIL_RESULT_STYLE]
    scale = []
    for i, style in enumerate(styles):   # a step colour scale: code i -> its fill
        scale += [[i / len(styles), style[0]], [(i + 1) / len(styles), style[0]]]
    data = [trace("heatmap", z=cells.z, zmin=-0.5, zmax=len(styles) - 0.5, colorscale=scale, showscale=False,
                       xgap=6, ygap=6, hoverinfo="skip")]
    # the cells' words: in the theme's text colour, except where a style names one (white on vermillion)
    for own in (False, True):
        idx = [i for i, c in enumerate(cells.colours) if (c is not None) == own]
        if idx:
            data.append(trace("scatter", 
                x=[cells.xs[i] for i in idx], y=[cells.ys[i] for i in idx], mode="text",
                text=[cells.texts[i] for i in idx],
                textfont={"size": font, **({"color": [cells.colours[i] for i in idx]} if own else {})},
                hovertext=[cells.hovers[i] for i in idx], hoverinfo="text", showlegend=False))
    shown = {status for step in steps for status in step.statuses}
    for status in (EQUAL, STRETCHED, MISSING, INCOMPATIBLE):   # legend: the kinds of cell present
        if status in shown:
            fill, line, _, label = STATUS_STYLE[status]
            data.append(trace("scatter", x=[None], y=[None], mode="markers", name=label,
                                   marker={"symbol": "square", "size": 16, "color": fill,
                                           "line": {"color": line, "width": 2}}))
    return data


def alignment(explanation: BroadcastExplanation, names: list[str], title: str | None = None) -> go.Figure:
    """One row per input and one for the result; columns are dimensions, aligned right.

    ``names`` label the inputs (e.g. ``["A", "B"]``). The column of the first failing dimension
    gets a thick outline; the step numbers above the columns count from the right, as the rule works.
    Drawn as one heatmap (the cell colours) and one text trace (the cell labels): quick to build.
    """
    steps = sorted(explanation.steps, key=lambda s: s.axis_from_left)   # left to right on screen
    ndim, rows = len(steps), len(names) + 1
    wordy = ndim <= 8
    font = 17 if ndim <= 6 else 14 if ndim <= 12 else 10
    data = _traces(_cells(steps, names, wordy), steps, font)
    # a line between the inputs and the result, like a written sum; the first failing column outlined
    shapes = [{"type": "line", "x0": -0.5, "x1": ndim - 0.5, "y0": 0.5, "y1": 0.5,
               "line": {"color": NEUTRAL, "width": 3}}]
    first_fail = next((s for s in explanation.steps if not s.ok), None)  # steps run from the right
    if first_fail is not None:
        col = first_fail.axis_from_left
        shapes.append({"type": "rect", "x0": col - 0.5, "x1": col + 0.5, "y0": -0.5, "y1": rows - 0.5,
                       "line": {"color": "#D55E00", "width": 4}})
    step_labels = [f"dim {s.axis_from_right}<br>step {-s.axis_from_right}" if wordy else f"{s.axis_from_right}"
                   for s in steps]
    row_labels = ["<b>result</b>"] + [f"<b>{n}</b>" for n in reversed(names)]
    fig = new_figure(data=data, layout={
        "shapes": shapes, "plot_bgcolor": TRANSPARENT, "hovermode": "closest",
        "xaxis": {"range": [-0.55, ndim - 0.45], "tickvals": list(range(ndim)), "ticktext": step_labels,
                  "side": "top", "showgrid": False, "zeroline": False, "fixedrange": True,
                  "tickfont": {"size": 13 if wordy else 11}},
        "yaxis": {"range": [-0.55, rows - 0.45], "tickvals": list(range(rows)), "ticktext": row_labels,
                  "showgrid": False, "zeroline": False, "fixedrange": True,
                  "tickfont": {"size": 16}},
    })
    verdict = "the shapes broadcast" if explanation.ok else "the shapes do not broadcast"
    # styled() sets the layout in one step (update_layout validates path by path, ~3x slower)
    styled(fig, title or f"Aligned from the right (trailing dimension): {verdict}", height=150 + 85 * rows,
           legend_below_chars=LEGEND_CHARS)
    fig.layout.margin = {"l": 80, "r": 20, "t": 110, "b": 20 + legend_rows_px(fig)}
    return fig


def legend_rows_px(fig: go.Figure) -> int:
    """The px the legend under the figure takes (what styled() added to its default bottom margin)."""
    return _legend_below(fig, LEGEND_CHARS)[1]


def copies_mask(input_shape: tuple[int, ...], result_shape: tuple[int, ...]) -> np.ndarray:
    """True where an entry of the input stretched to ``result_shape`` is a repeat, not an original.

    A dimension of the input that is 1 (or missing) but larger in the result is repeated; every
    index other than 0 along it is a copy.
    """
    ndim = len(result_shape)
    padded = (1,) * (ndim - len(input_shape)) + tuple(input_shape)
    mask = np.zeros(result_shape, dtype=bool)
    if mask.size == 0:
        return mask
    grids = np.indices(result_shape, sparse=True)
    for axis, (size_in, size_out) in enumerate(zip(padded, result_shape)):
        if size_in == 1 and size_out > 1:
            mask = mask | (grids[axis] > 0)
    return np.broadcast_to(mask, result_shape)


def matrix_latex(values: np.ndarray, grey: np.ndarray | None = None) -> str:
    """A 0-, 1- or 2-D integer array as a LaTeX bmatrix (1-D as one row); grey entries are copies."""
    v = np.asarray(values)
    g = np.zeros(v.shape, dtype=bool) if grey is None else np.asarray(grey)
    if v.ndim == 0:
        return str(int(v))
    if v.ndim == 1:
        v, g = v[None, :], g[None, :]
    rows = []
    for i in range(v.shape[0]):
        cells = [rf"\color{{#A0A0A0}}{{{int(x)}}}" if gg else str(int(x)) for x, gg in zip(v[i], g[i])]
        rows.append(" & ".join(cells))
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"
