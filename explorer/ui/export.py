"""Downloads for slides and notebooks: tables as CSV and as a LaTeX tabular.

The LaTeX is plain ASCII and uses only commands of core LaTeX (``tabular``, ``\\hline``, math mode):
it compiles in any document without extra packages.
"""
from __future__ import annotations

import unicodedata

import pandas as pd
import streamlit as st

_LATEX_ESCAPES = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                  "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                  "×": r"$\times$", "ŷ": r"$\hat{y}$", "·": r"$\cdot$", "−": "-", "–": "--", "—": "---",
                  "±": r"$\pm$", "≈": r"$\approx$", "→": r"$\to$", "≤": r"$\leq$", "≥": r"$\geq$",
                  "∞": r"$\infty$", "σ": r"$\sigma$", "α": r"$\alpha$", "λ": r"$\lambda$", "μ": r"$\mu$",
                  "′": "'", "‘": "`", "’": "'", "“": "``", "”": "''", "…": r"\ldots{}", "\u00a0": "~",
                  "\u202f": "~", "✓": "yes", "✗": "no"}


def latex_escape(text: str) -> str:
    """``text`` as ASCII LaTeX: specials escaped, known symbols in math mode, accents dropped."""
    out = []
    for ch in str(text):
        if ch in _LATEX_ESCAPES:
            out.append(_LATEX_ESCAPES[ch])
        elif ord(ch) < 128:
            out.append(ch)
        else:   # é -> e; anything else that core LaTeX cannot typeset without packages -> ?
            base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            out.append(latex_escape(base) if base else "?")
    return "".join(out)


def latex_tabular(df: pd.DataFrame) -> str:
    """A plain ``tabular`` of the table's text, ready to paste into a slide (no packages needed)."""
    cols = "l" * len(df.columns)
    lines = [rf"\begin{{tabular}}{{{cols}}}", r"\hline",
             " & ".join(latex_escape(c) for c in df.columns) + r" \\", r"\hline"]
    for _, row in df.iterrows():
        lines.append(" & ".join("" if pd.isna(v) else latex_escape(v) for v in row) + r" \\")
    lines += [r"\hline", r"\end{tabular}"]
    return "\n".join(lines) + "\n"


def table_downloads(df: pd.DataFrame, name: str, latex: bool = True, csv: pd.DataFrame | None = None) -> None:
    """Download buttons for a table: CSV (``csv`` if given: the numbers as numbers), and a LaTeX
    tabular of ``df`` for slides."""
    cols = st.columns(2 if latex else 1)
    table = df if csv is None else csv
    # callables: the files are made when a button is pressed, not on every rerun of the page
    cols[0].download_button("Table as CSV", lambda: table.to_csv(index=False).encode(), f"{name}.csv", "text/csv",
                            icon=":material/download:", key=f"_csv_{name}")
    if latex:
        cols[1].download_button("Table as LaTeX", lambda: latex_tabular(df).encode(), f"{name}.tex", "text/x-tex",
                                icon=":material/download:", key=f"_tex_{name}")


def csv_download(df: pd.DataFrame, name: str, label: str = "Data as CSV") -> None:
    """One button: the data behind a figure, as CSV."""
    st.download_button(label, lambda: df.to_csv(index=False).encode(), f"{name}.csv", "text/csv",
                       icon=":material/download:", key=f"_csvdata_{name}")
