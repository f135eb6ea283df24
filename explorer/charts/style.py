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


def styled(fig: go.Figure, title: str, x: str | None = None, y: str | None = None,
           height: int = 420) -> go.Figure:
    """Title, axis labels (the lecture's symbols), a readable font and a compact margin."""
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": FONT_SIZE + 2}},
        font={"size": FONT_SIZE},
        legend_font_size=FONT_SIZE,
        height=height,
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0},
    )
    # Streamlit's plotly theme overrides layout.font for these, so they are set one by one.
    fig.update_xaxes(tickfont_size=FONT_SIZE, title_font_size=FONT_SIZE)
    fig.update_yaxes(tickfont_size=FONT_SIZE, title_font_size=FONT_SIZE)
    if x is not None:
        fig.update_xaxes(title_text=x)
    if y is not None:
        fig.update_yaxes(title_text=y)
    return fig


def enlarge(fig: go.Figure, scale: float = PRESENTER_SCALE) -> go.Figure:
    """Every text of the figure ``scale`` times larger: for a projector."""
    size = round(FONT_SIZE * scale)
    fig.update_layout(font_size=size, legend_font_size=size, title_font_size=size + 2)
    fig.update_xaxes(tickfont_size=size, title_font_size=size)
    fig.update_yaxes(tickfont_size=size, title_font_size=size)
    fig.update_annotations(font_size=size)
    return fig
