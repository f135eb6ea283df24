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
from dataclasses import dataclass
from typing import Any, Sequence

import streamlit as st

MAX_VALUE_CHARS = 64   # longer URL values are refused before parsing


@dataclass(frozen=True)
class Param:
    """One URL-bound setting: ``kind`` is "int", "float", "choice" or "bool"."""

    key: str
    default: Any
    kind: str = "int"
    lo: float | None = None
    hi: float | None = None
    choices: tuple = ()

    def describe(self) -> str:
        if self.kind in ("int", "float"):
            whole = "a whole number" if self.kind == "int" else "a number"
            return f"{whole} from {_fmt(self.lo)} to {_fmt(self.hi)}"
        if self.kind == "bool":
            return "true or false"
        shown = ", ".join(str(c) for c in self.choices[:8])
        return f"one of {shown}" + (", ..." if len(self.choices) > 8 else "")

    def parse(self, text: str) -> Any:
        """The value ``text`` stands for; ValueError if it is not valid for this setting."""
        if len(text) > MAX_VALUE_CHARS:
            raise ValueError("too long")
        if self.kind == "bool":
            low = text.strip().lower()
            if low in ("true", "1", "yes", "on"):
                return True
            if low in ("false", "0", "no", "off"):
                return False
            raise ValueError("not a boolean")
        if self.kind == "choice":
            for choice in self.choices:
                if text == str(choice):
                    return choice
            raise ValueError("not a known choice")
        value = float(text.strip())   # accepts '3', '3.0', '1e3'; rejects 'abc', ''
        if not math.isfinite(value):
            raise ValueError("not finite")
        if self.kind == "int":
            if value != int(value):
                raise ValueError("not whole")
            value = int(value)
        if (self.lo is not None and value < self.lo) or (self.hi is not None and value > self.hi):
            raise ValueError("out of range")
        return value


def _fmt(x) -> str:
    if x is None:
        return "any"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:g}"


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def sanitize(params: Sequence[Param], page: str) -> list[str]:
    """Drop invalid values for ``params`` from the URL before widgets read it.

    Returns (and remembers for this page in the session) one sentence per
    dropped value. Parameters a widget already owns are the widget's business.
    """
    qp = st.query_params
    notes_key = f"_url_notes_{page}"
    notes = list(st.session_state.get(notes_key, []))
    for p in params:
        try:
            if p.key not in qp or qp.is_bound(p.key):
                continue
            values = qp.get_all(p.key)
        except Exception:  # a hostile query string must never break the page
            continue
        problem = None
        if len(values) != 1:
            problem = "was given more than once"
        else:
            try:
                p.parse(values[0])
            except (ValueError, OverflowError):
                problem = f"= '{_short(values[0])}' is not {p.describe()}"
        if problem:
            try:
                del qp[p.key]
            except Exception:
                pass
            notes.append(f"`{p.key}` {problem}; the default ({p.default}) is used instead.")
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
def slider(p: Param, label: str, **kwargs):
    return st.slider(label, min_value=p.lo, max_value=p.hi, value=p.default, key=p.key,
                     bind="query-params", **kwargs)


def number(p: Param, label: str, **kwargs):
    return st.number_input(label, min_value=p.lo, max_value=p.hi, value=p.default, key=p.key,
                           bind="query-params", **kwargs)


def select(p: Param, label: str, format_func=str, **kwargs):
    options = list(p.choices)
    return st.selectbox(label, options, index=options.index(p.default), key=p.key,
                        format_func=format_func, bind="query-params", **kwargs)


def radio(p: Param, label: str, format_func=str, **kwargs):
    options = list(p.choices)
    return st.radio(label, options, index=options.index(p.default), key=p.key,
                    format_func=format_func, bind="query-params", **kwargs)


def toggle(p: Param, label: str, **kwargs):
    return st.toggle(label, value=p.default, key=p.key, bind="query-params", **kwargs)


def current(p: Param):
    """The setting's value this run (the widget's, or the default before the widget exists)."""
    return st.session_state.get(p.key, p.default)
