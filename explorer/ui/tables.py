"""Tables drawn as plain HTML: what ``st.table`` shows, at a small part of its cost per rerun.

Measured in headless Chromium (one 8 × 6 table that changes on every move of a slider, beside the
same page without it): ``st.table`` adds about 22 ms to every click, because each cell is a styled
React component; ``st.dataframe`` mounts a canvas grid and measures its columns, more still. The
same table as HTML through ``st.html`` adds about 2 ms. On a page with two or three tables that is
most of the gap to a bare Streamlit page.

The look is ``st.table``'s: 14 px type, a light rule around every cell, muted header text, a rounded
border; its colours are mixed from the text colour, so the light and dark themes both hold. A table
wider than its column scrolls sideways inside its own box (a phone shows every column).

Every cell and header is escaped: a table may quote what a user typed, and nothing a user sends is
rendered as markup. Tests read a table back with :func:`parse_tables`.
"""
from __future__ import annotations

import html
import numbers
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import streamlit as st

__all__ = ["TABLE_CLASS", "parse_tables", "show_table", "table_html"]

TABLE_CLASS = "explorer-table"

CSS = f"""<style>
.{TABLE_CLASS}-box {{ overflow-x: auto; max-width: 100%; margin-bottom: 0.5rem; }}
.{TABLE_CLASS} {{ border-collapse: separate; border-spacing: 0; font-size: 14px; line-height: 1.5;
  font-variant-numeric: tabular-nums; border: 1px solid color-mix(in srgb, currentColor 13%, transparent);
  border-radius: 0.5rem; }}
.{TABLE_CLASS}.stretch {{ width: 100%; }}
.{TABLE_CLASS} th, .{TABLE_CLASS} td {{ padding: 4px 8px; text-align: left; vertical-align: top;
  border-bottom: 1px solid color-mix(in srgb, currentColor 13%, transparent);
  border-right: 1px solid color-mix(in srgb, currentColor 13%, transparent); }}
.{TABLE_CLASS} th {{ font-weight: 400; color: color-mix(in srgb, currentColor 70%, transparent); }}
.{TABLE_CLASS} tr > :last-child {{ border-right: 0; }}
.{TABLE_CLASS} tbody tr:last-child > * {{ border-bottom: 0; }}
.{TABLE_CLASS} td.num {{ white-space: nowrap; }}
</style>"""


def _cell(value, float_format: str) -> tuple[str, bool]:
    """A cell's text (escaped) and whether it is a number (kept on one line)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "", False
    if isinstance(value, (bool, np.bool_)):
        return ("yes" if value else "no"), False
    if isinstance(value, numbers.Integral):
        return f"{int(value)}", True
    if isinstance(value, numbers.Real):
        return float_format.format(float(value)), True
    return html.escape(str(value)), False


def table_html(df: pd.DataFrame, *, index: bool = False, width: str = "stretch", float_format: str = "{:.4g}",
               formats: dict | None = None) -> str:
    """``df`` as an escaped HTML table. ``index``: the row labels as a first header column;
    ``width``: "stretch" (the column's width) or "content"; ``formats``: a format string per column
    for its numbers (the others use ``float_format``)."""
    formats = formats or {}
    cols = list(df.columns)
    head = ("<th></th>" if index else "") + "".join(f"<th>{html.escape(str(c))}</th>" for c in cols)
    rows = []
    for label, row in zip(df.index, df.itertuples(index=False, name=None)):
        cells = [f"<th>{html.escape(str(label))}</th>"] if index else []
        for c, value in zip(cols, row):
            text, numeric = _cell(value, formats.get(c, float_format))
            cells.append(f'<td class="num">{text}</td>' if numeric else f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    kind = "stretch" if width == "stretch" else "content"
    return (f'{CSS}<div class="{TABLE_CLASS}-box"><table class="{TABLE_CLASS} {kind}">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def show_table(df: pd.DataFrame, *, where=None, **options) -> None:
    """Draw ``df`` (see :func:`table_html` for the options) in ``where`` (a container; the page by default)."""
    (where or st).html(table_html(df, **options))


class _TableReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and TABLE_CLASS in (dict(attrs).get("class") or "").split():
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._text = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._text is not None:
            self._row.append("".join(self._text))
            self._text = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")


def parse_tables(markup: str, index: bool = False) -> list[pd.DataFrame]:
    """The tables :func:`table_html` wrote into ``markup``, read back as DataFrames of the cells' text,
    a column whose every cell is a plain number as numbers (as ``pandas.read_html`` does); with
    ``index``, the first column becomes the index."""
    reader = _TableReader()
    reader.feed(markup)
    frames = []
    for rows in reader.tables:
        header, body = rows[0], rows[1:]
        df = pd.DataFrame(body, columns=header)
        for i, c in enumerate(header):
            cells = df.iloc[:, i]
            if len(cells) and all(_NUMBER.fullmatch(v) for v in cells):
                df.isetitem(i, pd.to_numeric(cells))
        if index:
            df = df.set_index(df.columns[0]).rename_axis(None)
        frames.append(df)
    return frames
