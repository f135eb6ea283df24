"""What every page shares on screen: the header, figures, presenter mode."""
from __future__ import annotations

import re

import plotly.graph_objects as go
import streamlit as st

from explorer.charts.style import PRESENTER_SCALE

PRESENTER_KEY = "present"

_PRESENTER_CSS = """
<style>
html, body, [data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
[data-testid="stWidgetLabel"] p, [data-testid="stMetricValue"], .stDataFrame {
  font-size: 1.3rem !important;
}
[data-testid="stMetricValue"] { font-size: 2.2rem !important; }
h1 { font-size: 2.6rem !important; }
</style>
"""


def presenter() -> bool:
    """True when presenter mode (big type for a projector) is on."""
    return bool(st.session_state.get(PRESENTER_KEY, False))


def apply_presenter_css() -> None:
    if presenter():
        st.html(_PRESENTER_CSS)


def page_header(title: str, what: str, try_this: str, notice: str) -> None:
    """Title and the three lines every page answers: what is this, what to try, what to notice."""
    st.title(title)
    st.markdown(f"{what}\n\n**Try:** {try_this}  \n**Notice:** {notice}")


def show_figure(fig: go.Figure, name: str, key: str | None = None) -> None:
    """Plot a figure full width, with a PNG download at slide resolution named after it."""
    if presenter():
        fig.update_layout(font_size=fig.layout.font.size * PRESENTER_SCALE if fig.layout.font.size else 20)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "figure"
    config = {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": slug, "scale": 3},
    }
    st.plotly_chart(fig, config=config, key=key, width="stretch")
