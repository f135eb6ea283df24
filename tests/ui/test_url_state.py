"""Unit tests for URL settings: Param parsing, widget-value checks, share links, notes that never make markup."""
import math

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from explorer.ui.safe_text import escape_markdown, literal, plain
from explorer.settings.param import MAX_VALUE_CHARS, Param, valid_value
from tests.forged_client import forge

N = Param("N", 3, "int", 1, 10)
LR = Param("lr", 0.1, "float", 0.001, 1.0)
ACT = Param.choice("act", "relu", {"relu": "ReLU", "tanh": "tanh"})
ON = Param("on", False, "bool")
NAME = Param("name", "", "text", hi=12)


@pytest.mark.parametrize("p, text, value", [
    (N, "1", 1), (N, "10", 10), (N, "7", 7),
    (LR, "0.5", 0.5), (LR, "1e-3", 0.001), (LR, "1", 1.0),
    (ACT, "ReLU", "relu"), (ACT, "tanh", "tanh"),
    (ON, "true", True), (ON, "False", False),
    (NAME, "", ""), (NAME, "hello world!", "hello world!"),
])
def test_parse_accepts_what_the_widget_would_write(p, text, value):
    assert p.parse(text) == value
    assert type(p.parse(text)) is type(value)


@pytest.mark.parametrize("p, text", [
    (N, "0"), (N, "11"), (N, "2.5"), (N, "abc"), (N, ""), (N, "1e400"), (N, "0x1"),
    (N, "9" * (MAX_VALUE_CHARS + 1)),
    (LR, "nan"), (LR, "inf"), (LR, "-inf"), (LR, "1e400"), (LR, "0"), (LR, "2"),
    (ACT, "relu"), (ACT, "Sigmoid"), (ACT, "<b>ReLU</b>"),
    (ON, "1"), (ON, "yes"),
    (NAME, "x" * 13),
])
def test_parse_refuses_bad_text(p, text):
    with pytest.raises((ValueError, OverflowError)):
        p.parse(text)


def test_describe_and_defaults_read_as_sentences():
    assert N.describe() == "a whole number from 1 to 10"
    assert LR.describe() == "a number from 0.001 to 1"
    assert ACT.describe() == "one of ReLU, tanh" and ACT.shown_default() == "ReLU"
    assert NAME.describe() == "a text of at most 12 characters" and NAME.shown_default() == "empty"


@pytest.mark.parametrize("p, value, ok", [
    (N, 3, True), (N, np.int64(3), True), (N, 3.0, True), (N, 3.5, False), (N, 11, False), (N, True, False),
    (N, "3", False), (N, None, False), (N, float("nan"), False),
    (LR, 0.5, True), (LR, math.inf, False), (LR, 5, False),
    (ACT, "relu", True), (ACT, "ReLU", True), (ACT, "sigmoid", False), (ACT, ["relu"], False), (ACT, {}, False),
    (ON, True, True), (ON, np.bool_(False), True), (ON, 1, False), (ON, "true", False),
    (NAME, "abc", True), (NAME, "x" * 13, False), (NAME, 5, False),
])
def test_valid_value_is_what_a_real_widget_can_send(p, value, ok):
    assert valid_value(p, value) is ok


# -- text that a user sent, shown inside Markdown -----------------------------------------------
@pytest.mark.parametrize("text", ["[![](//e.co/x.png)](//e.co)", "a`b", "``", "` x `", "www.e.com", "$x$",
                                  ":red[x]", "<img src=x>", "line\nbreak", "\u202eevil", "  "])
def test_literal_is_one_code_span_that_holds_the_text(text):
    out = literal(text)
    fence = out[:len(out) - len(out.lstrip("`"))]
    assert out.endswith(fence) and fence and "`" * len(fence) not in out[len(fence):-len(fence)]
    inner = out[len(fence):-len(fence)]
    if inner.startswith(" ") and inner.endswith(" ") and inner.strip():
        inner = inner[1:-1]                    # CommonMark strips one space each side
    assert inner == plain(text)
    assert "\n" not in out and "\u202e" not in out


def test_literal_cuts_long_text_and_names_empty():
    assert literal("x" * 100, 10) == "`" + "x" * 10 + "…`"
    assert literal("") == "(empty)" and literal(None) == "(empty)"


def test_escape_markdown_leaves_no_active_character():
    text = "see [a](//e.co) ![i](x) www.e.com a@b.co http://e.co :red[x] $y$ <b> *bold* `c` ~s~ |t|"
    out = escape_markdown(text)
    unescaped = [ch for i, ch in enumerate(out) if ch in "[]*`<>$~|_" and (i == 0 or out[i - 1] != "\\")]
    assert unescaped == []
    assert "www\u2060.e" in out and "a@\u2060b" in out and "http:\u2060//" in out   # no autolink can form
    assert out.replace("\u2060", "").replace("\\", "") == text
    assert escape_markdown("non-ASCII digits (0-9), e.g. 8x1.") == "non-ASCII digits (0-9), e.g. 8x1."
    for start in ("# h", "- item", "+ item", "> quote", "12. item", "3) item", "= x"):
        assert "\\" in escape_markdown(start)[:4], start


# -- in a running page ---------------------------------------------------------------------------
PAGE = '''
import streamlit as st
from explorer.ui.url_state import Param, number, sanitize, select, share_link, show_notes, slider, text, toggle
P = [Param("n", 3, "int", 1, 10), Param("lr", 0.1, "float", 0.001, 1.0),
     Param.choice("act", "relu", {"relu": "ReLU", "tanh": "tanh"}), Param("on", False, "bool"),
     Param("name", "", "text", hi=12)]
sanitize(P, "t")
show_notes("t")
values = [number(P[0], "n"), slider(P[1], "lr"), select(P[2], "act"), toggle(P[3], "on"), text(P[4], "name")]
st.session_state["_seen"] = values
st.code(share_link(P))
'''


def app(query=None):
    at = AppTest.from_string(PAGE, default_timeout=30)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def test_defaults_give_an_empty_share_link():
    at = app()
    assert not at.exception
    assert at.session_state["_seen"] == [3, 0.1, "relu", False, ""]
    assert at.code[0].value == ""


def test_a_share_link_holds_exactly_what_changed():
    at = app()
    at.number_input(key="n").set_value(7)
    at.selectbox(key="act").select("tanh")
    at.text_input(key="name").input("a b&c")
    at.run()
    assert not at.exception
    assert at.code[0].value == "?n=7&act=tanh&name=a+b%26c"
    again = app({"n": "7", "act": "tanh", "name": "a b&c"})
    assert again.session_state["_seen"] == [7, 0.1, "tanh", False, "a b&c"]
    assert not again.warning


def test_bad_url_values_are_replaced_with_notes_that_are_text():
    at = app({"n": "[![](//e.co/x.png)](//e.co)", "lr": "nan", "act": "sigmoid", "on": "1"})
    assert not at.exception
    assert at.session_state["_seen"] == [3, 0.1, "relu", False, ""]
    note = at.warning[0].value
    assert "`[![](//e.co/x.png)](//e.…`" in note           # a code span: never a link or an image
    assert note.count("the default") == 4




def test_values_only_a_modified_client_sends_are_refused_like_bad_url_values():
    at = app()
    forge(at.selectbox(key="act"), string_value="<script>")      # an option label that does not exist
    forge(at.text_input(key="name"), string_value="x" * 5000)    # longer than max_chars: Streamlit cuts it
    forge(at.number_input(key="n"), int_value=10**6)             # out of range: Streamlit's default
    at.run()
    assert not at.exception
    assert at.session_state["_seen"] == [3, 0.1, "relu", False, "x" * 12]
    at.run()                                                     # the next run: sanitize has the values
    assert at.session_state["_seen"] == [3, 0.1, "relu", False, "x" * 12]
    note = at.warning[0].value
    assert "`act` = `<script>` is not one of ReLU, tanh" in note and note.count("the default") == 1, note
