"""The forward-pass table and the line-by-line parameter count: one rendering for every page."""
from __future__ import annotations

import re

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


def layer_records(arch: Architecture, batch: int) -> pd.DataFrame:
    """The same table for a spreadsheet: every dimension its own integer column (no "4 × 8" text).

    ``layer`` is 0 for the input X; the input row has no W, b or Z (empty cells); the total row is
    left out (a spreadsheet sums ``parameters`` itself).
    """
    none = {"W_out": None, "W_in": None, "b_out": None, "Z_out": None, "Z_B": None}
    rows = [{"layer": 0, "f": "", **none, "a_out": arch.n_in, "a_B": batch, "parameters": 0}]
    for r in arch.trace(batch):
        rows.append({"layer": r["layer"], "f": r["activation"], "W_out": r["W"][0], "W_in": r["W"][1],
                     "b_out": r["b"][0], "Z_out": r["Z"][0], "Z_B": r["Z"][1], "a_out": r["a"][0],
                     "a_B": r["a"][1], "parameters": int(r["params"])})
    df = pd.DataFrame(rows)
    for col in ("W_out", "W_in", "b_out", "Z_out", "Z_B"):
        df[col] = df[col].astype("Int64")       # integers with an empty cell for the input row
    return df


_LONG_NUMBER = re.compile(r"(?<![\d{,])\d{4,}")
TERMS_PER_LINE = 4


def group_digits(latex: str) -> str:
    """``262656`` -> ``262{,}656`` in LaTeX (a thousands separator that adds no space in math mode)."""
    return _LONG_NUMBER.sub(lambda m: f"{int(m.group()):,}".replace(",", "{,}"), latex)


def formula_text(formula: str) -> str:
    """``512N+1586708`` -> ``512N + 1,586,708``: the count in N as a person reads it."""
    return re.sub(r"\d{4,}", lambda m: f"{int(m.group()):,}", formula.replace("+", " + "))


def total_lines(total: str, per_line: int = TERMS_PER_LINE) -> str:
    """``a + b + c + ... = r`` as an ``aligned`` block with at most ``per_line`` terms a line,
    so that a deep network's sum wraps instead of running off the page."""
    if " = " not in total:
        return r"\text{total} = " + group_digits(total)
    lhs, rhs = total.rsplit(" = ", 1)
    terms = lhs.split(" + ")
    chunks = [" + ".join(terms[i:i + per_line]) for i in range(0, len(terms), per_line)]
    if len(chunks) == 1:
        return group_digits(r"\text{total} = " + total)
    rows = [r"\text{total} &= " + chunks[0]] + [r"&\quad + " + c for c in chunks[1:]] + [r"&= " + rhs]
    return group_digits(r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}")


def derivation(arch: Architecture) -> None:
    """The slides' count, one line per equation, and the total (LaTeX), numbers with separators."""
    lines = [f"{eq.replace(' = ', ' &= ', 1)} && {count}" for eq, count in arch.derivation()]
    # one formula (one element for the browser to lay out on every change): the lines, an empty row, the
    # total (not \\[1em]: Streamlit's Markdown would read \[ as the start of a display formula)
    st.latex(r"\begin{gathered}" + group_digits(r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}")
             + r" \\ {} \\ " + total_lines(arch.total_latex()) + r"\end{gathered}")
