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

from typing import Sequence
from urllib.parse import urlencode

import streamlit as st

from explorer.settings.declare import ParamSet, from_state, params_of
from explorer.settings.param import Param, valid_value  # noqa: F401  (Param: re-exported for pages)
from explorer.ui.safe_text import literal
from explorer.ui.streamlit_adapter import InternalsChanged, url_query



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


def open_settings(cls) -> ParamSet:
    """Start a page with settings class ``cls`` (``explorer/settings/<page>.py``): check the URL's values
    for its Params (:func:`sanitize`), show the notes, and return the Params (``P.n``, iteration)."""
    params = params_of(cls)
    sanitize(params.values(), params.page)
    show_notes(params.page)
    return params


def read(cls, **derived):
    """This run's settings as a frozen ``cls``: each widget's value (by its key), or the default."""
    return from_state(cls, st.session_state, **derived)


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
