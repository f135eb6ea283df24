"""Shared look of every figure: fonts, colour scales that survive colour blindness, labels."""
from __future__ import annotations

import os

import plotly.graph_objects as go
import plotly.io as pio

FONT_SIZE = 14
PRESENTER_SCALE = 1.45

# Okabe-Ito: distinguishable with every common colour-vision deficiency.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
SEQUENTIAL = "Viridis"
DIVERGING = "RdBu"
POSITIVE, NEGATIVE = "#2166AC", "#B2182B"   # the ends of RdBu: blue > 0, red < 0
TRANSPARENT = "rgba(0,0,0,0)"
# Colours that read on a white and on a dark page alike (Streamlit's two themes)
NEUTRAL = "#888888"              # mid grey: guides, faded copies, outlines
PRESENTER_WRAP = 38              # characters per title line in presenter mode, a figure of unknown width
PRESENTER_FULL_WRAP = 84         # ... and a figure as wide as the page (1280 px projector, sidebar closed)
LEGEND_ROW = 24                  # px per row of a horizontal legend
# plotly.js lays a figure out again for every axis with automargin (several passes each): about half a
# figure's draw time on a click. The margins above are set for the labels at FONT_SIZE instead;
# presenter mode's larger type (enlarge) turns it back on, where a projector matters more than speed.
AUTOMARGIN = False
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash"]

# The template every figure is made with (the default from the first import of this module): only
# what does not depend on the light or dark theme. The browser's figure component
# (explorer/web/figure.js) adds the theme's text, grid and hover colours to it.
TEMPLATE = go.layout.Template(layout={
    "colorway": PALETTE,
    "colorscale": {"sequential": SEQUENTIAL, "diverging": DIVERGING},
    "paper_bgcolor": TRANSPARENT, "plot_bgcolor": TRANSPARENT,
    "hovermode": "closest",
    # the spacing Streamlit's own chart theme gave every figure: tick labels kept 8 px off the
    # plot area (so an x and a y label never meet at a corner), horizontal grid lines only
    "margin": {"pad": 8},
    "xaxis": {"showgrid": False, "zeroline": False, "title": {"standoff": 20}},
    "yaxis": {"showgrid": True, "ticklabelposition": "outside", "title": {"standoff": 24}},
    "legend": {"valign": "top", "borderwidth": 0},
})
pio.templates["explorer"] = TEMPLATE
pio.templates.default = "explorer"

# plotly checks every property of a figure as it is set: for a small figure that is about 6 ms of
# the 6.5 ms it takes to build, on every click. Figures made with new_figure() from trace() dicts
# skip the check (their JSON is the same); the test suite turns it on (tests/conftest.py sets
# EXPLORER_VALIDATE_FIGURES=1), so a misspelt property or a wrong value still fails a test.
VALIDATE = os.environ.get("EXPLORER_VALIDATE_FIGURES", "") == "1"


def trace(kind: str, **props) -> dict:
    """A trace of plotly type ``kind`` ("scatter", "heatmap", "bar", ...) as a plain dict, for
    :func:`new_figure`: ``trace("scatter", x=x, y=y, mode="lines")``."""
    return {"type": kind, **props}


def new_figure(data: list | None = None, layout: dict | None = None) -> go.Figure:
    """A figure from trace dicts and a layout dict in one step, checked only under the tests
    (:data:`VALIDATE`). It is a full ``go.Figure``: styled(), enlarge() and ``fig.data[0].x`` work."""
    return go.Figure(data=data, layout=layout, _validate=VALIDATE)


def _merge(base: dict, extra: dict) -> dict:
    """``base`` updated by ``extra``, nested dicts merged (extra wins)."""
    out = dict(base)
    for k, v in extra.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def styled(fig: go.Figure, title: str, x: str | None = None, y: str | None = None,
           height: int = 420, legend_below_chars: int | None = None) -> go.Figure:
    """Title, axis labels (the lecture's symbols), a readable font and a compact margin.

    The layout is merged as one dict and set once: plotly's ``update_*`` calls
    validate path by path and cost several milliseconds a figure.
    Fonts are set per axis because Streamlit's plotly theme overrides ``layout.font`` there.
    """
    layout = fig.layout.to_plotly_json()
    layout.pop("template", None)   # re-validating plotly's whole default template is the slow part
    axes = sorted({"xaxis", "yaxis"} | {k for k in layout if k.startswith(("xaxis", "yaxis"))})
    for key in axes:
        label = x if key.startswith("x") else y
        style = {"tickfont": {"size": FONT_SIZE}, "title": {"font": {"size": FONT_SIZE}}, "automargin": AUTOMARGIN}
        if label is not None and not layout.get(key, {}).get("title", {}).get("text"):
            style["title"]["text"] = label
        layout[key] = _merge(layout.get(key, {}), style)
    layout = _merge(layout, {
        # pinned to the figure's top edge: nothing in the top margin (legend, top axis, panel titles) meets it
        "title": {"text": title, "x": 0.0, "xanchor": "left", "font": {"size": FONT_SIZE + 2},
                  "yref": "container", "y": 1.0, "yanchor": "top", "pad": {"t": 12}},
        "font": {"size": FONT_SIZE},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 60, "b": 50},
        # transparent: Streamlit's theme (light or dark) shows through, its font colours apply
        "paper_bgcolor": TRANSPARENT, "plot_bgcolor": TRANSPARENT,
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0,
                   "font": {"size": FONT_SIZE}},
    })
    if legend_below_chars:   # as legend_below(), merged here: one layout update instead of two
        legend, extra = _legend_below(fig, legend_below_chars)
        layout["legend"] = legend
        layout["margin"] = {**layout["margin"], "b": layout["margin"].get("b", 50) + extra}
    fig.layout = layout
    return fig


def _legend_below(fig: go.Figure, width_chars: int) -> tuple[dict, int]:
    """The legend entry for :func:`legend_below` and the px it adds to the bottom margin."""
    names = [t.name for t in fig.data if t.name and t.showlegend is not False]
    row, rows = 0, 1
    for name in names:
        n = len(name) + 5   # the symbol and the gap
        if row and row + n > width_chars:
            rows, row = rows + 1, 0
        row += n
    legend = {"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom", "xanchor": "left", "x": 0.0,
              "font": {"size": FONT_SIZE}}
    return legend, rows * LEGEND_ROW + 8


def wrap(text: str, width: int) -> tuple[str, int]:
    """``text`` broken at spaces into lines of at most ``width`` characters (plotly's ``<br>``);
    returns it and its number of lines. Existing ``<br>`` breaks are kept."""
    lines: list[str] = []
    for part in (text or "").split("<br>"):
        line = ""
        for word in part.split(" "):
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return "<br>".join(lines), len(lines)


def legend_below(fig: go.Figure, width_chars: int = 70) -> go.Figure:
    """A horizontal legend at the very bottom of the figure (under the x-axis title, never on it),
    with the bottom margin grown by the rows it needs (entries ``width_chars`` to a row)."""
    legend, extra = _legend_below(fig, width_chars)
    bottom = (fig.layout.margin.b if fig.layout.margin.b is not None else 50) + extra
    fig.update_layout(legend=legend, margin_b=bottom)
    return fig


def enlarge(fig: go.Figure, scale: float = PRESENTER_SCALE, share: float | None = None) -> go.Figure:
    """Every text of the figure ``scale`` times larger, for a projector: the margins grow with the
    type and a long title is broken into lines rather than cut at the figure's edge. ``share`` is
    the part of the page's width the figure gets (None: unknown, wrap short)."""
    size = round(FONT_SIZE * scale)
    m = fig.layout.margin
    width = PRESENTER_WRAP if share is None else max(24, int(PRESENTER_FULL_WRAP * share))
    title, lines = wrap(fig.layout.title.text or "", width)
    top = round((m.t if m.t is not None else 60) * scale) + (lines - 1) * (size + 8)
    # plotly anchors a title of several lines by its first line: the pad keeps the rest inside
    fig.update_layout(font_size=size, legend_font_size=size, title_font_size=size + 2, title_text=title,
                      title_pad_t=12 + 12 * (lines - 1),
                      margin={"t": top, "b": round((m.b if m.b is not None else 50) * scale),
                              "l": round((m.l if m.l is not None else 60) * scale), "r": m.r})
    if fig.layout.height:
        fig.update_layout(height=round(fig.layout.height * (1 + (scale - 1) / 2)) + (lines - 1) * (size + 8))
    # automargin back on: plotly grows the margin to fit the larger tick labels and titles at their
    # standoff, so an axis title never sits on its tick labels
    fig.update_xaxes(tickfont_size=size, title_font_size=size, automargin=True)
    fig.update_yaxes(tickfont_size=size, title_font_size=size, automargin=True)
    fig.update_annotations(font_size=size)
    for trace in fig.data:
        if "colorbar" in trace and trace.colorbar is not None:
            trace.colorbar.tickfont.size = size
            trace.colorbar.title.font.size = size
    return fig


def panels(n: int, titles: list[str], gap: float = 0.07) -> dict:
    """Layout entries for ``n`` side-by-side panels (xaxis, xaxis2, ...; yaxis, yaxis2, ...) with titles.

    The same result as ``make_subplots(rows=1, cols=n, subplot_titles=...)`` as a plain dict,
    which is several times quicker to build.
    """
    width = (1.0 - gap * (n - 1)) / n
    layout: dict = {"annotations": []}
    for i in range(n):
        suffix = "" if i == 0 else str(i + 1)
        lo = i * (width + gap)
        layout[f"xaxis{suffix}"] = {"domain": [lo, lo + width], "anchor": f"y{suffix}"}
        layout[f"yaxis{suffix}"] = {"anchor": f"x{suffix}"}
        if i < len(titles) and titles[i]:
            layout["annotations"].append({"text": titles[i], "x": lo + width / 2, "y": 1.0, "xref": "paper",
                                          "yref": "paper", "xanchor": "center", "yanchor": "bottom",
                                          "showarrow": False, "font": {"size": FONT_SIZE}})
    return layout
