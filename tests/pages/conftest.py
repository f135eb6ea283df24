"""Helpers for AppTest page tests."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def page_path(module: str) -> str:
    return str(ROOT / "explorer" / "pages" / f"{module}.py")


def run_page(module: str, query: dict | None = None, timeout: float = 60) -> AppTest:
    at = AppTest.from_file(page_path(module), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def texts(at: AppTest) -> str:
    """Everything written as markdown, metrics, captions, latex: to search the page's words."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [x.value for x in at.latex]
    parts += [f"{m.label}: {m.value}" for m in at.metric]
    parts += [w.value for w in at.warning] + [i.value for i in at.info] + [s.value for s in at.success]
    return "\n".join(str(p) for p in parts)


@pytest.fixture
def run():
    return run_page
