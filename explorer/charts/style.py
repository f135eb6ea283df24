"""Shared look of every figure: fonts, colour scales that survive colour blindness, labels."""
from __future__ import annotations

import plotly.graph_objects as go

FONT_SIZE = 14
PRESENTER_SCALE = 1.45

# Okabe-Ito: distinguishable with every common colour-vision deficiency.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
SEQUENTIAL = "Viridis"
DIVERGING = "RdBu"
POSITIVE, NEGATIVE = "#2166AC", "#B2182B"   # the ends of RdBu: blue > 0, red < 0
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash"]


def _merge(base: dict, extra: dict) -> dict:
    """``base`` updated by ``extra``, nested dicts merged (extra wins)."""
    out = dict(base)
    for k, v in extra.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def styled(fig: go.Figure, title: str, x: str | None = None, y: str | None = None,
           height: int = 420) -> go.Figure:
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
        style = {"tickfont": {"size": FONT_SIZE}, "title": {"font": {"size": FONT_SIZE}}}
        if label is not None and not layout.get(key, {}).get("title", {}).get("text"):
            style["title"]["text"] = label
        layout[key] = _merge(layout.get(key, {}), style)
    layout = _merge(layout, {
        "title": {"text": title, "x": 0.0, "xanchor": "left", "font": {"size": FONT_SIZE + 2}},
        "font": {"size": FONT_SIZE},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 60, "b": 50},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0,
                   "font": {"size": FONT_SIZE}},
    })
    fig.layout = layout
    return fig


def enlarge(fig: go.Figure, scale: float = PRESENTER_SCALE) -> go.Figure:
    """Every text of the figure ``scale`` times larger: for a projector."""
    size = round(FONT_SIZE * scale)
    fig.update_layout(font_size=size, legend_font_size=size, title_font_size=size + 2)
    fig.update_xaxes(tickfont_size=size, title_font_size=size)
    fig.update_yaxes(tickfont_size=size, title_font_size=size)
    fig.update_annotations(font_size=size)
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
