"""The forward-pass table and the line-by-line parameter count: one rendering for every page."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from explorer.core.architecture import Architecture


def shape(t: tuple) -> str:
    """``(3, 4096)`` -> ``'3 × 4,096'``."""
    return " × ".join(f"{d:,}" for d in t)


def layer_table(arch: Architecture, batch: int, with_Z: bool = True) -> pd.DataFrame:
    """One row per layer, like a Keras/torchinfo summary in the lecture's notation."""
    blank = {"f": "", "W [out, in]": "", "b [out, 1]": ""} | ({"Z [out, B]": ""} if with_Z else {})
    rows = [{"layer": "input X", **blank, "a [out, B]": shape((arch.n_in, batch)), "parameters": "0"}]
    last = len(arch.layers)
    for r in arch.trace(batch):
        row = {"layer": f"{r['layer']}" + (" (output)" if r["layer"] == last else ""), "f": r["activation"],
               "W [out, in]": shape(r["W"]), "b [out, 1]": shape(r["b"])}
        if with_Z:
            row["Z [out, B]"] = shape(r["Z"])
        rows.append({**row, "a [out, B]": shape(r["a"]), "parameters": f"{r['params']:,}"})
    rows.append({"layer": "total", **blank, "a [out, B]": "", "parameters": f"{arch.n_params:,}"})
    return pd.DataFrame(rows)


def derivation(arch: Architecture) -> None:
    """The slides' count, one line per equation, and the total (LaTeX)."""
    lines = [f"{eq.replace(' = ', ' &= ', 1)} && {count}" for eq, count in arch.derivation()]
    st.latex(r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}")
    st.latex(r"\text{total} = " + arch.total_latex())
