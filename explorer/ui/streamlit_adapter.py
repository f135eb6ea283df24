"""The one place that uses Streamlit internals: the query string as bound widgets see it.

Streamlit (1.67) seeds URL-bound widgets from the query string the page was opened with,
kept apart from ``st.query_params`` (``QueryParams._initial_query_params``), and it has no
public way to drop a value from that copy. :func:`url_query` wraps the internal object in
:class:`UrlQuery`, four small methods with their own tests (tests/ui/test_streamlit_adapter.py),
so a Streamlit upgrade that changes them fails those tests instead of silently letting bad
values through. At run time such a change raises :class:`InternalsChanged`, which is the only
error :func:`explorer.ui.url_state.sanitize` catches.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator


class InternalsChanged(RuntimeError):
    """Streamlit's internal query-parameter API is not what this adapter was written for."""


def _internal(method):
    """Turn an AttributeError from Streamlit's objects (an API that changed) into InternalsChanged."""
    def wrapped(self, key):
        try:
            return method(self, key)
        except AttributeError as exc:
            raise InternalsChanged(f"Streamlit's QueryParams changed: {exc}") from exc
    wrapped.__doc__, wrapped.__name__ = method.__doc__, method.__name__
    return wrapped


class UrlQuery:
    """The page's query parameters: the current ones and the ones widgets are seeded from."""

    def __init__(self, qp):
        self._qp = qp

    @_internal
    def current(self, key: str) -> list[str] | None:
        """Every value the address holds now for ``key``, or None if it has none."""
        return list(self._qp.get_all(key)) if self._qp.has_param(key) else None

    @_internal
    def initial(self, key: str) -> list[str] | None:
        """Every value the page was opened with for ``key`` (what a widget is seeded from), or None."""
        value = self._qp.get_initial_value(key)
        if value is None:
            return None
        return [value] if isinstance(value, str) else list(value)

    @_internal
    def drop(self, key: str) -> None:
        """Remove ``key`` from the address and from the values widgets are seeded from."""
        self._qp.remove_param(key)
        initial = self._qp._initial_query_params
        if not isinstance(initial, dict):
            raise InternalsChanged("QueryParams._initial_query_params is no longer a dict")
        initial.pop(key, None)


@contextmanager
def url_query() -> Iterator[UrlQuery]:
    """The running session's query parameters (changes are sent to the browser on exit)."""
    from streamlit.runtime.state.session_state_proxy import get_session_state

    try:
        manager = get_session_state().query_params()
    except AttributeError as exc:
        raise InternalsChanged(f"Streamlit's session state has no query_params(): {exc}") from exc
    with manager as qp:
        yield UrlQuery(qp)


def fragment_rerun() -> bool:
    """Whether this script run reruns only fragments (``st.fragment``), not the whole page."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    ctx = get_script_run_ctx()
    if ctx is None:
        return False
    try:
        return bool(ctx.fragment_ids_this_run)
    except AttributeError as exc:  # pragma: no cover - tests/ui/test_streamlit_adapter.py fails first
        raise InternalsChanged(f"ScriptRunContext changed: {exc}") from exc
