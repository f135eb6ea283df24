"""Downloads for slides and notebooks: tables as CSV and as a LaTeX tabular."""
from __future__ import annotations

import pandas as pd
import streamlit as st

_LATEX_ESCAPES = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                  "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                  "×": r"$\times$", "ŷ": r"$\hat{y}$", "·": r"$\cdot$"}


def latex_escape(text: str) -> str:
    return "".join(_LATEX_ESCAPES.get(ch, ch) for ch in str(text))


def latex_tabular(df: pd.DataFrame) -> str:
    """A plain ``tabular`` (booktabs rules) of the table's text, ready to paste into a slide."""
    cols = "l" * len(df.columns)
    lines = [rf"\begin{{tabular}}{{{cols}}}", r"\toprule",
             " & ".join(latex_escape(c) for c in df.columns) + r" \\", r"\midrule"]
    for _, row in df.iterrows():
        lines.append(" & ".join(latex_escape(v) for v in row) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}"]
    return "\n".join(lines) + "\n"


def table_downloads(df: pd.DataFrame, name: str, latex: bool = True) -> None:
    """Download buttons for a table: CSV, and a LaTeX tabular for slides."""
    cols = st.columns(2 if latex else 1)
    cols[0].download_button("Table as CSV", df.to_csv(index=False).encode(), f"{name}.csv", "text/csv",
                            icon=":material/download:", key=f"_csv_{name}")
    if latex:
        cols[1].download_button("Table as LaTeX", latex_tabular(df).encode(), f"{name}.tex", "text/x-tex",
                                icon=":material/download:", key=f"_tex_{name}")


def csv_download(df: pd.DataFrame, name: str, label: str = "Data as CSV") -> None:
    """One button: the data behind a figure, as CSV."""
    st.download_button(label, df.to_csv(index=False).encode(), f"{name}.csv", "text/csv",
                       icon=":material/download:", key=f"_csvdata_{name}")
