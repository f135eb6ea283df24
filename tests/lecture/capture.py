"""What a page really sanitizes: run it once (AppTest) with a spy on ``url_state.sanitize``."""
from __future__ import annotations

from unittest import mock

from streamlit.testing.v1 import AppTest

from explorer.ui import url_state
from tests.pages.conftest import page_path


def capture(module: str) -> tuple[str, list]:
    """(the page's id, its Params in declaration order) as passed to ``sanitize`` in one default run."""
    seen: dict[str, object] = {}
    ids: list[str] = []
    real = url_state.sanitize

    def spy(params, page):
        ids.append(page)
        for p in params:
            seen.setdefault(p.key, p)
        return real(params, page)

    with mock.patch.object(url_state, "sanitize", spy):
        at = AppTest.from_file(page_path(module), default_timeout=120).run()
    if at.exception:
        raise RuntimeError(f"{module}: {[e.value for e in at.exception]}")
    return (ids[0] if ids else module), list(seen.values())
