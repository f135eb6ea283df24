"""Helpers for AppTest page tests, defined once: import them (``from tests.pages.conftest import metric``)."""
import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from explorer.ui.figure import shown_figures
from explorer.ui.tables import parse_tables

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


def metric(at: AppTest, label: str, exact: bool = False) -> str:
    """The value of the metric whose label starts with ``label`` (equals it, with ``exact``)."""
    found = [m.value for m in at.metric if (m.label == label if exact else m.label.startswith(label))]
    assert found, f"no metric {label!r} among {[m.label for m in at.metric]}"
    return found[0]


def tables(at: AppTest, index: bool = False) -> list:
    """Every table on the page (explorer.ui.tables), in order, as DataFrames of the cells' text."""
    return [t for h in at.get("html") for t in parse_tables(h.proto.body, index=index)]


def figures(at: AppTest) -> list[dict]:
    """Every plotly figure on the page, as the JSON sent to the browser."""
    return shown_figures(at.get("bidi_component"))


def title(fig: dict) -> str:
    t = fig.get("layout", {}).get("title") or {}
    return t.get("text", "") if isinstance(t, dict) else str(t)


def figure(at: AppTest, title_start: str) -> dict:
    """The one figure whose title starts with ``title_start``."""
    found = [f for f in figures(at) if title(f).startswith(title_start)]
    assert len(found) == 1, f"{len(found)} figures titled {title_start!r} among {[title(f) for f in figures(at)]}"
    return found[0]


def values(array) -> np.ndarray:
    """A plotly JSON array as numpy: a list, or (plotly 6) a typed array {"dtype", "bdata", "shape"}."""
    if isinstance(array, dict):
        out = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
        shape = array.get("shape")
        return out.reshape([int(d) for d in str(shape).split(",")]) if shape else out
    return np.asarray(array, dtype=float)


def copied_link(at: AppTest) -> str | None:
    """The link the sidebar's "Copy link to this view" box falls back to (the server-built share link;
    in a browser the box shows the address bar, which Streamlit keeps equal to it)."""
    from streamlit.testing.v1.element_tree import UnknownElement

    def walk(node):
        for child in getattr(node, "children", {}).values():
            yield child
            yield from walk(child)

    for el in walk(at._tree):
        if isinstance(el, UnknownElement) and el.type == "bidi_component" and el.proto.component_name == "explorer.copylink":
            return json.loads(el.proto.json)["fallback"]
    return None


def live_component(at: AppTest, js: str):
    """The page's one component whose script is ``js`` (e.g. "playground.js")."""
    found = [c for c in at.get("bidi_component") if c.proto.js_source_path == js]
    assert len(found) == 1, f"{len(found)} components with {js}"
    return found[0]
