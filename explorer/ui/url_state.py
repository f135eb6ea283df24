"""Every setting a user makes lives in the URL: the one mechanism for it.

A page declares its settings once, as :class:`Param` objects (name, type,
range, default), like TensorFlow Playground's ``state.ts``. Then:

1. :func:`sanitize` runs before any widget reads the URL. It checks every
   declared query parameter and removes the ones that are malformed or out of
   range (so Streamlit's own parser never sees them), and returns a note for
   each, which :func:`show_notes` puts on the page. Unknown keys are left alone.
2. The widget helpers (:func:`slider`, :func:`number`, :func:`select`, ...) create
   the widget with ``key=param.key, bind="query-params"``, so Streamlit keeps
   the widget and the address in sync both ways.

Nothing read from the URL is evaluated: values are parsed as numbers, compared
against a fixed list of choices, or length-checked text.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any, Sequence
from urllib.parse import urlencode

import numpy as np
import streamlit as st

from explorer.ui.safe_text import literal
from explorer.ui.streamlit_adapter import InternalsChanged, url_query

MAX_VALUE_CHARS = 64   # longer URL values are refused before parsing


@dataclass(frozen=True)
class Param:
    """One URL-bound setting: ``kind`` is "int", "float", "choice", "bool" or "text".

    A text setting is checked for length only (``hi`` characters at most); the
    page reads the text itself and says under the box what is wrong with it.

    A choice is shown (and written in the URL, as Streamlit does) by its label:
    ``labels`` runs parallel to ``choices``; without labels the label is ``str(choice)``.
    """

    key: str
    default: Any
    kind: str = "int"
    lo: float | None = None
    hi: float | None = None
    choices: tuple = ()
    labels: tuple = ()

    @classmethod
    def choice(cls, key: str, default, options: dict) -> "Param":
        """A choice from ``{value: label}``; the label is what the page and the URL show."""
        return cls(key, default, "choice", choices=tuple(options), labels=tuple(options.values()))

    def shown_default(self) -> str:
        """The default as a person reads it in a note."""
        if self.kind == "choice":
            return self.label_of(self.default)
        if self.kind == "text" and not self.default:
            return "empty"
        return str(self.default)

    def label_of(self, choice) -> str:
        if self.labels:
            return self.labels[self.choices.index(choice)]
        return str(choice)

    def describe(self) -> str:
        if self.kind in ("int", "float"):
            whole = "a whole number" if self.kind == "int" else "a number"
            return f"{whole} from {_fmt(self.lo)} to {_fmt(self.hi)}"
        if self.kind == "bool":
            return "true or false"
        if self.kind == "text":
            return f"a text of at most {_fmt(self.hi)} characters"
        shown = ", ".join(self.label_of(c) for c in self.choices[:8])
        return f"one of {shown}" + (", ..." if len(self.choices) > 8 else "")

    def parse(self, text: str) -> Any:
        """The value ``text`` stands for; ValueError if it is not valid for this setting."""
        if len(text) > (self.hi if self.kind == "text" else MAX_VALUE_CHARS):
            raise ValueError("too long")
        if self.kind == "text":
            return text
        # The same rules as Streamlit's own URL parsing, so that what passes here
        # is what the widget will take.
        if self.kind == "bool":
            low = text.lower()
            if low in ("true", "false"):
                return low == "true"
            raise ValueError("not a boolean")
        if self.kind == "choice":
            for choice in self.choices:
                if text == self.label_of(choice):
                    return choice
            raise ValueError("not a known choice")
        value = int(text) if self.kind == "int" else float(text)  # 'abc', '2.5' (int) raise
        if not math.isfinite(value):
            raise ValueError("not finite")
        if (self.lo is not None and value < self.lo) or (self.hi is not None and value > self.hi):
            raise ValueError("out of range")
        return value


def _fmt(x) -> str:
    if x is None:
        return "any"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:g}"


def _check(p: Param, values: list[str]) -> str | None:
    """Why ``values`` (all given for ``p.key``) are not acceptable, or None."""
    if len(values) != 1:
        return "was given more than once"
    try:
        p.parse(values[0])
    except (ValueError, OverflowError):
        return f"= {literal(values[0], 24)} is not {p.describe()}"
    return None


def valid_value(p: Param, value) -> bool:
    """Whether ``value`` (a widget's value, as Python) is one that ``p`` allows.

    A real browser only sends what its widget offers; a modified client can send anything
    (an option label that does not exist, a number outside the range, a huge text), and
    Streamlit passes some of that on (a selectbox returns an unknown label as it came).
    """
    try:
        if p.kind == "bool":
            return isinstance(value, (bool, np.bool_))
        if p.kind == "text":
            return isinstance(value, str) and (p.hi is None or len(value) <= p.hi)
        if p.kind == "choice":
            return value in p.choices or (bool(p.labels) and value in p.labels)
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            return False
        number = float(value)
        if not math.isfinite(number) or (p.kind == "int" and not number.is_integer()):
            return False
        return (p.lo is None or number >= p.lo) and (p.hi is None or number <= p.hi)
    except (TypeError, ValueError, OverflowError):    # unhashable or strange objects
        return False


def sanitize(params: Sequence[Param], page: str) -> list[str]:
    """Drop invalid values for ``params`` from the URL and from the session before widgets read them.

    Streamlit seeds bound widgets from the query string the page was opened with
    (kept apart from ``st.query_params``), and its own parsers do not catch every
    bad value (``?N=1e400`` raises OverflowError inside Streamlit 1.67). So the
    check runs on both copies, here, once (through :mod:`explorer.ui.streamlit_adapter`).
    Widget values already in the session (sent by the browser) are checked too: one
    that a real widget could not have sent is replaced by the default, with a note.
    Returns (and remembers for this page in the session) one sentence per dropped
    value. A value a bound widget wrote is always valid, so it stays.
    """
    notes_key = f"_url_notes_{page}"
    notes = list(st.session_state.get(notes_key, []))
    try:
        with url_query() as query:
            for p in params:
                problem = None
                for values in (query.current(p.key), query.initial(p.key)):
                    if values is not None and problem is None:
                        problem = _check(p, values)
                if problem:
                    query.drop(p.key)
                    notes.append(f"`{p.key}` {problem}; the default ({p.shown_default()}) is used instead.")
    except InternalsChanged:  # pragma: no cover - tests/ui/test_streamlit_adapter.py fails first
        pass
    for p in params:
        if p.key in st.session_state and not valid_value(p, st.session_state[p.key]):
            shown = literal(st.session_state[p.key], 24)
            st.session_state[p.key] = p.default
            notes.append(f"`{p.key}` = {shown} is not {p.describe()}; the default ({p.shown_default()}) is used "
                         "instead.")
    st.session_state[notes_key] = notes[-6:]
    return notes


def show_notes(page: str) -> None:
    """Show this page's URL notes (from :func:`sanitize`), with a way to dismiss them."""
    notes_key = f"_url_notes_{page}"
    notes = st.session_state.get(notes_key) or []
    if not notes:
        return
    st.warning("Some settings in the link were not valid and were replaced:\n\n"
               + "\n".join(f"- {n}" for n in notes), icon=":material/link_off:")
    if st.button("Dismiss", key=f"_dismiss_{page}"):
        st.session_state[notes_key] = []
        st.rerun()


# -- widgets bound to the URL ------------------------------------------------------
def _checked(p: Param, value):
    """The widget's value if ``p`` allows it, else the default (sanitize notes it on the next run)."""
    return value if valid_value(p, value) else p.default


def slider(p: Param, label: str, **kwargs):
    return _checked(p, st.slider(label, min_value=p.lo, max_value=p.hi, value=p.default, key=p.key,
                                 bind="query-params", **kwargs))


def number(p: Param, label: str, **kwargs):
    return _checked(p, st.number_input(label, min_value=p.lo, max_value=p.hi, value=p.default, key=p.key,
                                       bind="query-params", **kwargs))


def select(p: Param, label: str, **kwargs):
    options = list(p.choices)
    return _checked(p, st.selectbox(label, options, index=options.index(p.default), key=p.key,
                                    format_func=p.label_of, bind="query-params", **kwargs))


def radio(p: Param, label: str, **kwargs):
    options = list(p.choices)
    return _checked(p, st.radio(label, options, index=options.index(p.default), key=p.key,
                                format_func=p.label_of, bind="query-params", **kwargs))


def text(p: Param, label: str, **kwargs):
    return _checked(p, st.text_input(label, value=p.default, key=p.key, max_chars=int(p.hi), bind="query-params",
                                     **kwargs))


def toggle(p: Param, label: str, **kwargs):
    return _checked(p, st.toggle(label, value=p.default, key=p.key, bind="query-params", **kwargs))


def current(p: Param):
    """The setting's value this run (the widget's, or the default before the widget exists)."""
    return _checked(p, st.session_state.get(p.key, p.default))


def share_link(params: Sequence[Param], extra: Sequence[Param] = ()) -> str:
    """The address that reopens this page as it is now: every setting that differs from its default.

    Built from the declared settings (not from the browser), so it is exact even
    before the address bar has caught up.
    """
    query = {}
    for p in list(params) + list(extra):
        value = st.session_state.get(p.key, p.default)
        if p.kind == "choice" and value not in p.choices and value in p.labels:
            value = p.choices[p.labels.index(value)]   # widgets such as st.tabs keep the label
        if value == p.default or (p.kind == "choice" and value not in p.choices):
            continue
        if p.kind == "choice":
            query[p.key] = p.label_of(value)
        elif p.kind == "text":
            query[p.key] = str(value)
        elif p.kind == "bool":
            query[p.key] = "true" if value else "false"
        else:
            query[p.key] = f"{value:g}" if p.kind == "float" else str(int(value))
    base = ""
    try:
        base = st.context.url or ""
    except Exception:  # pragma: no cover - no browser context (tests, bare mode)
        base = ""
    return base + ("?" + urlencode(query) if query else "")
