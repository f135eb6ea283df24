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
from urllib.parse import urlencode
from dataclasses import dataclass
from typing import Any, Sequence

import streamlit as st
from streamlit.runtime.state.session_state_proxy import get_session_state

from explorer.ui.safe_text import literal

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


def sanitize(params: Sequence[Param], page: str) -> list[str]:
    """Drop invalid values for ``params`` from the URL before widgets read it.

    Streamlit seeds bound widgets from the query string the page was opened
    with (kept apart from ``st.query_params``), and its own parsers do not
    catch every bad value (``?N=1e400`` raises OverflowError inside
    Streamlit 1.67). So the check runs on both copies, here, once.
    Returns (and remembers for this page in the session) one sentence per
    dropped value. A value a bound widget wrote is always valid, so it stays.
    """
    notes_key = f"_url_notes_{page}"
    notes = list(st.session_state.get(notes_key, []))
    try:
        with get_session_state().query_params() as qp:
            for p in params:
                current_values = qp.get_all(p.key) if qp.has_param(p.key) else None
                initial = qp.get_initial_value(p.key)
                initial_values = None if initial is None else ([initial] if isinstance(initial, str) else initial)
                problem = None
                for values in (current_values, initial_values):
                    if values is not None and problem is None:
                        problem = _check(p, list(values))
                if problem:
                    qp.remove_param(p.key)
                    qp._initial_query_params.pop(p.key, None)  # what widgets are seeded from
                    notes.append(f"`{p.key}` {problem}; the default ({p.shown_default()}) is used instead.")
    except Exception:  # pragma: no cover - a hostile query string must never break the page
        pass
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


def select(p: Param, label: str, **kwargs):
    options = list(p.choices)
    return st.selectbox(label, options, index=options.index(p.default), key=p.key,
                        format_func=p.label_of, bind="query-params", **kwargs)


def radio(p: Param, label: str, **kwargs):
    options = list(p.choices)
    return st.radio(label, options, index=options.index(p.default), key=p.key,
                    format_func=p.label_of, bind="query-params", **kwargs)


def text(p: Param, label: str, **kwargs):
    return st.text_input(label, value=p.default, key=p.key, max_chars=int(p.hi), bind="query-params", **kwargs)


def toggle(p: Param, label: str, **kwargs):
    return st.toggle(label, value=p.default, key=p.key, bind="query-params", **kwargs)


def current(p: Param):
    """The setting's value this run (the widget's, or the default before the widget exists)."""
    return st.session_state.get(p.key, p.default)


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
