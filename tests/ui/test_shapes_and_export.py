"""The layer table for a spreadsheet, the LaTeX table, and numbers with separators."""
import io
import re

import pandas as pd
import pytest

from explorer.core.architecture import Architecture
from explorer.charts.network import layer_headers
from explorer.ui.export import latex_escape, latex_tabular
from explorer.ui.shapes import formula_text, group_digits, layer_records, layer_table, total_lines

# What a LaTeX document without \usepackage lines understands (core LaTeX, math mode included).
CORE_COMMANDS = {"begin", "end", "hline", "times", "hat", "cdot", "textbackslash", "textasciitilde",
                 "textasciicircum", "pm", "approx", "to", "leq", "geq", "infty", "sigma", "alpha", "lambda",
                 "mu", "ldots", "&", "%", "$", "#", "_", "{", "}", "\\"}


def deep():
    return Architecture(999_999_999, (512, 512, 512, 20), ("leaky_relu", "maxout", "sigmoid", "softmax"), 3)


def test_csv_has_every_dimension_as_an_integer_column():
    arch = deep()
    df = layer_records(arch, 8)
    back = pd.read_csv(io.StringIO(df.to_csv(index=False)))
    assert list(back.columns) == ["layer", "f", "W_out", "W_in", "b_out", "Z_out", "Z_B", "a_out", "a_B",
                                  "parameters"]
    assert back["a_out"][0] == 999_999_999 and back["a_B"][0] == 8 and back["parameters"][0] == 0
    assert pd.isna(back["W_out"][0])                      # the input has no W
    row = back.iloc[2]                                     # the maxout layer: W is [k·out, in]
    assert (row["W_out"], row["W_in"], row["parameters"]) == (3 * 512, 512, 3 * (512 * 512 + 512))
    assert back["parameters"].sum() == arch.n_params       # numbers a spreadsheet can add
    assert not back.drop(columns="f").map(lambda v: isinstance(v, str)).any().any()
    assert "×" not in df.to_csv(index=False)


def test_latex_table_is_ascii_and_needs_no_package():
    tex = latex_tabular(layer_table(deep(), 8))
    tex.encode("ascii")                                      # raises on any non-ASCII character
    commands = set(re.findall(r"\\([A-Za-z]+|.)", tex))
    assert commands <= CORE_COMMANDS, commands - CORE_COMMANDS
    assert "toprule" not in tex and "usepackage" not in tex
    assert tex.count(r"\begin{tabular}") == 1 and tex.rstrip().endswith(r"\end{tabular}")
    # every row has as many cells as the header
    rows = [line for line in tex.splitlines() if line.endswith(r"\\")]
    assert len({line.count(" & ") for line in rows}) == 1
    assert r"999,999,999 $\times$ 8" in tex and r"leaky\_relu" in tex


@pytest.mark.parametrize("text, expected", [("±3", r"$\pm$3"), ("café", "cafe"), ("a—b", "a---b"),
                                            ("σ′", r"$\sigma$'"), ("☃", "?"), ("50%", r"50\%")])
def test_latex_escape(text, expected):
    assert latex_escape(text) == expected


def test_large_numbers_print_with_separators():
    assert group_digits("2 \\times 512 = 262656") == "2 \\times 512 = 262{,}656"
    assert group_digits("999999999") == "999{,}999{,}999"
    assert formula_text("512N+1586708") == "512N + 1,586,708"
    assert formula_text("3N+14") == "3N + 14"
    t = layer_table(Architecture(999_999_999, (3, 2, 1), ("sigmoid",) * 3, 2), 8)
    assert t["a [out, B]"][0] == "999,999,999 × 8" and t["parameters"].iloc[-1] == "3,000,000,011"


def test_a_long_total_wraps_and_a_short_one_stays_on_one_line():
    long = total_lines(deep().total_latex())
    assert long.count(r"\\") >= 2 and "&=" in long
    short = total_lines(Architecture(4, (3, 2, 1), ("sigmoid",) * 3, 2).total_latex())
    assert short == r"\text{total} = 3N + 3 + 8 + 3 = 3N + 14"


def test_layer_headers_are_short_enough_for_eight_columns():
    heads = layer_headers(999_999_999, (512,) * 6 + (20,),
                          ("leaky_relu", "softplus", "maxout", "gelu", "silu", "sigmoid", "softmax"))
    assert len(heads) == 8
    for h in heads:
        lines = h.split("<br>")
        assert len(lines) == 3 and max(len(x) for x in lines) <= len("N = 999,999,999")
    assert heads[1] == "a[1]<br>512<br>LReLU" and heads[-1].startswith("ŷ<br>20<br>softmax")
