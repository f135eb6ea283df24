"""Tables as HTML: every cell escaped, numbers formatted, read back exactly."""
import numpy as np
import pandas as pd

from explorer.ui.tables import TABLE_CLASS, parse_tables, table_html

HOSTILE = '<img src="//evil.example/x.png" onerror="alert(1)">'


def test_text_a_user_sent_is_escaped_in_cells_headers_and_row_labels():
    df = pd.DataFrame({HOSTILE: [HOSTILE, "<b>bold</b>"]}, index=[HOSTILE, "&amp;"])
    markup = table_html(df, index=True)
    assert "<img" not in markup and "<b>" not in markup
    assert "&lt;img src=&quot;//evil.example/x.png&quot;" in markup
    back = parse_tables(markup, index=True)[0]
    assert list(back.columns) == [HOSTILE]                       # the text survives, as text
    assert list(back.index) == [HOSTILE, "&amp;"]
    assert list(back[HOSTILE]) == [HOSTILE, "<b>bold</b>"]


def test_numbers_are_formatted_per_column_and_read_back_as_numbers():
    df = pd.DataFrame({"n": np.array([1, 20, 300]), "x": [0.123456, 2.5, -1e-7], "y": [1 / 3, 2 / 3, 1.0],
                       "shape": ["3 × 4", "2 × 3", "1 × 2"]})
    markup = table_html(df, formats={"y": "{:.2f}"})
    assert '<td class="num">0.1235</td>' in markup                # the default {:.4g}
    assert '<td class="num">0.33</td>' in markup and '<td class="num">-1e-07</td>' in markup
    back = parse_tables(markup)[0]
    assert list(back["n"]) == [1, 20, 300] and back["n"].dtype.kind == "i"
    np.testing.assert_allclose(back["y"], [0.33, 0.67, 1.0])
    assert list(back["shape"]) == ["3 × 4", "2 × 3", "1 × 2"]    # text stays text


def test_missing_values_and_booleans():
    df = pd.DataFrame({"a": [np.nan, 1.5], "b": [True, False], "c": [None, "x"]})
    back = parse_tables(table_html(df))[0]
    assert list(back["a"]) == ["", "1.5"]          # an empty cell: the column stays text
    assert list(back["b"]) == ["yes", "no"] and list(back["c"]) == ["", "x"]


def test_width_and_class_and_several_tables_in_order():
    one = table_html(pd.DataFrame({"a": [1]}))
    two = table_html(pd.DataFrame({"b": [2]}), width="content")
    assert f'class="{TABLE_CLASS} stretch"' in one and f'class="{TABLE_CLASS} content"' in two
    assert f"{TABLE_CLASS}-box" in one            # the box that scrolls sideways on a narrow screen
    frames = parse_tables(one + "<table><tr><td>not ours</td></tr></table>" + two)
    assert [list(f.columns) for f in frames] == [["a"], ["b"]]
    assert parse_tables("<p>no table</p>") == []
