"""Controls that several pages share, so they look and behave the same everywhere."""
from __future__ import annotations

import streamlit as st

from explorer.ui.url_state import Param, number, radio


def input_size(mode: Param, n: Param, rows: Param, cols: Param, n_label: str = "N, inputs per sample") -> int:
    """N directly, or as an image H × W with N = H·W (the lecture's heart images); returns N."""
    if radio(mode, "Input", horizontal=True) != "image":
        return int(number(n, n_label, step=1))
    c1, c2 = st.columns(2)
    with c1:
        H = int(number(rows, "H (rows)", step=1))
    with c2:
        W = int(number(cols, "W (columns)", step=1))
    N = H * W
    st.caption(f"N = H × W = {H:,} × {W:,} = {N:,} pixels. (This W is the image width, not the weight "
               "matrix **W**; the slide's grid of numbers is 34 × 10 = 340 pixels.)")
    return N
