"""Pictures of Z = W X + b: the shapes as proportioned blocks, and the numbers of a small example."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from explorer.charts.style import DIVERGING, FONT_SIZE, NEUTRAL, PALETTE, TRANSPARENT, new_figure, styled, trace

INNER = PALETTE[1]    # orange: N, the inner size that must match
ROWS = PALETTE[0]     # blue: K, rows of W, b and Z
COLS = PALETTE[2]     # green: B, columns of X and Z
FILL = {"W": "rgba(0,114,178,0.16)", "X": "rgba(0,158,115,0.16)", "b": "rgba(204,121,167,0.22)",
        "Z": "rgba(230,159,0,0.18)"}
LINEAR_UP_TO = 24     # every size at most this: sides proportional to the sizes
SQRT_UP_TO = 2_000    # otherwise, largest size at most this: sides proportional to √size
MIN_SIDE_PX = 16     # no side is drawn thinner, so that a size of 1 stays visible


# ---------------------------------------------------------------- the shapes as blocks


@dataclass(frozen=True)
class Scale:
    """How sizes become lengths in the block picture, and how the title says so."""

    kind: str   # "linear", "sqrt" or "log"

    def __call__(self, d: int) -> float:
        if self.kind == "linear":
            return float(d)
        if self.kind == "sqrt":
            return math.sqrt(d)
        return 1.0 + 2.0 * math.log10(d)

    @property
    def note(self) -> str:
        return {"linear": "sides proportional to the sizes",
                "sqrt": "sides ∝ √size, since the sizes differ a lot",
                "log": "sides ∝ 1 + 2·log₁₀ size, since the sizes differ hugely: not to scale"}[self.kind]


def choose_scale(*sizes: int) -> Scale:
    """Linear while every size is small, √ for medium sizes, log beyond (e.g. N = 10⁹ next to K = 1)."""
    biggest = max(sizes)
    if biggest <= LINEAR_UP_TO:
        return Scale("linear")
    if biggest <= SQRT_UP_TO:
        return Scale("sqrt")
    return Scale("log")


def _label(symbol: str, size: int) -> str:
    return f"{symbol} = {size:,}" if symbol not in ("1", "") else f"{size:,}"


def _block(block, x: float, side: dict, ppu: float, B: int, shapes: list, notes: list) -> tuple:
    """One block of the picture at ``x`` (its rectangle, name, sizes and shape below it) appended to
    ``shapes`` and ``notes``; returns its x0, x1 (b's broadcast included), height and, for b, the px of
    the text left-anchored at it."""
    name, (row_sym, rows), (col_sym, cols) = block
    font = {"size": FONT_SIZE + 2}
    colour = {"K": ROWS, "B": COLS, "N": INNER, "1": NEUTRAL}
    width, height = side[col_sym], side[row_sym]
    x0, x1, y0, y1 = x, x + width, -height, 0.0
    shapes.append({"type": "rect", "x0": x0, "x1": x1, "y0": y0, "y1": y1, "fillcolor": FILL[name],
                   "line": {"color": NEUTRAL, "width": 1.5}})
    big = min(width, height) * ppu >= 34
    notes.append({"x": (x0 + x1) / 2, "y": (y0 + y1) / 2, "text": f"<b>{name}</b>",
                  "font": {"size": FONT_SIZE + (8 if big else 0)}})
    notes.append({"x": (x0 + x1) / 2, "y": y1, "yshift": 5, "text": _label(col_sym, cols),
                  "font": {**font, "color": colour[col_sym]}, "yanchor": "bottom"})
    tall = height * ppu > 90
    notes.append({"x": x0, "y": (y0 + y1) / 2, "xshift": -5, "text": _label(row_sym, rows),
                  "font": {**font, "color": colour[row_sym]}, "xanchor": "right",
                  "textangle": -90 if tall else 0})
    if name == "W":       # the inner size: W's columns ...
        shapes.append({"type": "line", "x0": x0, "x1": x1, "y0": y1, "y1": y1, "line": {"color": INNER, "width": 6}})
    if name == "X":       # ... must match X's rows
        shapes.append({"type": "line", "x0": x0, "x1": x0, "y0": y0, "y1": y1, "line": {"color": INNER, "width": 6}})
    below, label_px = f"{rows:,} × {cols:,}", 0.0
    if name == "b" and B > 1:   # broadcast: the one column is repeated over the B columns
        x1 = x0 + max(side["B"], width)
        shapes.append({"type": "rect", "x0": x0 + width, "x1": x1, "y0": y0, "y1": y1,
                       "line": {"color": PALETTE[3], "width": 1.5, "dash": "dash"},
                       "fillcolor": "rgba(204,121,167,0.07)"})
        below = f"{rows:,} × 1, broadcast<br>to {rows:,} × {B:,}"
    if name == "b":
        label_px = 11.0 * max(len(line) for line in below.split("<br>"))   # room for presenter type too
    # in the theme's text colour (None), the broadcast note in b's purple
    note_font = {"size": FONT_SIZE - 1, **({"color": PALETTE[3]} if name == "b" and B > 1 else {})}
    notes.append({"x": x0 if name == "b" else (x0 + x1) / 2, "xanchor": "left" if name == "b" else "center",
                  "y": y0, "yshift": -5, "yanchor": "top", "text": below, "font": note_font})
    return x0, x1, height, label_px


def shape_blocks(N: int, K: int, B: int, title: str = "Shapes of Z = W X + b",
                 plot_px: float = 780.0, max_plot_height: float = 380.0) -> go.Figure:
    """Z (K × B) = W (K × N) · X (N × B) + b (K × 1) as rectangles whose sides follow the sizes.

    Each block carries its name and shape; each side its size (K blue, B green, the matching
    inner N orange and drawn thick on W and X). b is drawn with a dashed outline repeating it
    over the B columns: broadcasting. ``plot_px`` is the expected width of the plot in pixels,
    used to leave room (in data units) for the labels and signs between the blocks; a side is
    never drawn thinner than ``MIN_SIDE_PX`` so that a size of 1 stays visible.
    """
    scale = choose_scale(N, K, B)
    gap_px, top_px, bottom_px = 100.0, 34.0, 56.0
    raw = {"N": scale(N), "K": scale(K), "B": scale(B), "1": scale(1)}
    body = raw["B"] + raw["N"] + raw["B"] + max(raw["B"], raw["1"])     # Z, W, X, b and its broadcast
    tallest = max(raw["K"], raw["N"])
    ppu = min((plot_px - 4.6 * gap_px) / body, max_plot_height / tallest)   # pixels per unit of size
    side = {d: max(v, MIN_SIDE_PX / ppu) for d, v in raw.items()}
    gap = gap_px / ppu
    blocks = [("Z", ("K", K), ("B", B)), ("W", ("K", K), ("N", N)), ("X", ("N", N), ("B", B)),
              ("b", ("K", K), ("1", 1))]
    ops = ["=", "·", "+"]
    x = 0.0
    shapes, notes = [], []
    label_px = 0.0    # the widest text left-anchored at the last block: the axis must reach its end
    for i, block in enumerate(blocks):
        x0, x1, height, extra_px = _block(block, x, side, ppu, B, shapes, notes)
        label_px = max(label_px, extra_px)
        if i < len(ops):      # the sign: in the gap, clear of the next block's row label
            next_height = side[blocks[i + 1][1][0]]
            notes.append({"x": x1, "xshift": 0.2 * gap_px, "y": -min(height, next_height) / 2, "text": ops[i],
                          "font": {"size": FONT_SIZE + (24 if ops[i] == "·" else 14)}})
        x_last = x0
        x = x1 + gap
    for note in notes:
        note.setdefault("showarrow", False)
    fig = new_figure(layout={
        "shapes": shapes, "annotations": notes,
        "xaxis": {"visible": False,
                  "range": [-0.75 * gap, max(x - gap + 0.3 * gap, x_last + label_px / ppu + 0.1 * gap)]},
        "yaxis": {"visible": False, "range": [-max(side["K"], side["N"]) - bottom_px / ppu, top_px / ppu],
                  "scaleanchor": "x", "scaleratio": 1}})
    height = int(max(side["K"], side["N"]) * ppu + top_px + bottom_px + 90)
    styled(fig, f"{title}  ({scale.note})", height=max(height, 220))
    # transparent, the theme's text colour for names and signs: the =, · and + read in the dark theme
    # (set as two properties: update_layout validates path by path and costs several ms more)
    fig.layout.plot_bgcolor = TRANSPARENT
    fig.layout.margin = {"l": 10, "r": 10, "t": 60, "b": 10}
    return fig


# ---------------------------------------------------------------- the numbers


@dataclass(frozen=True)
class Panel:
    """One matrix to print: its name, values, row and column tick labels and axis titles."""

    name: str
    values: np.ndarray
    rows: list[str]
    cols: list[str]
    row_title: str = ""
    col_title: str = ""
    colours: str = DIVERGING
    faded_from: int | None = None   # columns from here on are drawn faded (copies)


def number_panels(panels: list[Panel], ops: list[str], title: str, plot_px: float = 850.0) -> go.Figure:
    """Matrices side by side as heatmap-tables, every value printed in its cell, joined by ``ops``.

    Column widths follow the number of columns and each panel's height its number of rows (top
    aligned), so that cells stay about square and a K × 1 column looks like one. The figure is
    built in one go (no subplot helper), which keeps a page rerun fast.
    """
    n_rows = max(p.values.shape[0] for p in panels)
    widths = [max(p.values.shape[1], 1.4) for p in panels]
    spacing = min(0.12, 110.0 / plot_px)
    free = 1.0 - spacing * (len(panels) - 1)
    cell = float(np.clip(plot_px * free / sum(widths), 30, 58))
    text_size = FONT_SIZE + 1 if cell >= 40 else FONT_SIZE - 1
    traces, notes, layout = [], [], {}
    left = 0.0
    domains = []
    for i, (p, width) in enumerate(zip(panels, widths), start=1):
        right = left + free * width / sum(widths)
        domains.append((left, right))
        v = p.values.astype(float)
        rows, cols = v.shape
        span = float(np.max(np.abs(v))) or 1.0
        colour = {"colorscale": p.colours, "zmin": -span, "zmax": span} if p.colours == DIVERGING else \
            {"colorscale": p.colours, "zmin": float(v.min()), "zmax": max(float(v.max()), float(v.min()) + 1)}
        pieces = [(0, cols, 1.0)] if p.faded_from is None else [(0, p.faded_from, 1.0), (p.faded_from, cols, 0.45)]
        for first, stop, opacity in pieces:
            if stop <= first:
                continue
            traces.append(trace("heatmap", 
                z=v[:, first:stop], x=list(range(first, stop)), y=list(range(rows)), xaxis=f"x{i}", yaxis=f"y{i}",
                text=p.values[:, first:stop], customdata=np.array(p.rows)[:, None].repeat(stop - first, 1),
                texttemplate="%{text}", textfont={"size": text_size}, showscale=False, opacity=opacity,
                xgap=2, ygap=2, hovertemplate=f"{p.name}: row %{{customdata}}, column %{{x}}: %{{text}}<extra></extra>",
                **colour))
        layout[f"xaxis{i}"] = {"domain": [left, right], "anchor": f"y{i}", "tickvals": list(range(cols)),
                               "ticktext": p.cols, "tickangle": 0, "showgrid": False, "zeroline": False,
                               "title": {"text": p.col_title, "standoff": 10}}
        layout[f"yaxis{i}"] = {"domain": [1 - rows / n_rows, 1], "anchor": f"x{i}", "autorange": "reversed",
                               "tickvals": list(range(rows)), "ticktext": p.rows, "showgrid": False,
                               "zeroline": False, "title": {"text": p.row_title, "standoff": 4}}
        notes.append({"x": (left + right) / 2, "y": 1.0, "xref": "paper", "yref": "paper", "yanchor": "bottom",
                      "yshift": 6, "showarrow": False, "text": f"<b>{p.name}</b>  ({rows} × {cols})",
                      "font": {"size": FONT_SIZE + 1}})
        left = right + spacing
    for i, op in enumerate(ops):
        rows = min(panels[i].values.shape[0], panels[i + 1].values.shape[0])
        x_end, x_next = domains[i][1], domains[i + 1][0]
        notes.append({"x": x_end + 0.25 * (x_next - x_end), "y": 1 - rows / n_rows / 2, "xref": "paper",
                      "yref": "paper", "showarrow": False, "text": f"<b>{op}</b>", "font": {"size": FONT_SIZE + 12}})
    layout["annotations"] = notes
    fig = new_figure(data=traces, layout=layout)
    styled(fig, title, height=int(cell * n_rows + 150))
    fig.layout.margin = {"l": 60, "r": 20, "t": 80, "b": 60}
    fig.layout.plot_bgcolor = TRANSPARENT
    return fig
