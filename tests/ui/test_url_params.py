"""Every page against its URL: hostile query strings never crash it, and a shared link restores the state.

Generic over explorer.navigation.PAGES: the widgets a page binds to the URL are found by
running the page (every keyed widget), so a new page is covered without listing it here.
"""
import random
from urllib.parse import parse_qsl, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from explorer.navigation import PAGES
from tests.pages.conftest import assert_clean, copied_link, page_path

TOPIC_PAGES = [p for p in PAGES if p.module != "home"]
WIDGET_KINDS = ("number_input", "slider", "selectbox", "radio", "toggle", "checkbox", "text_input",
                "select_slider")
HOSTILE = ["", "abc", "-1", "0", "1e400", "-1e400", "nan", "inf", "999999999999999999999999", "2.5",
           "true", "<script>alert(1)</script>", "../../etc/passwd", "__import__('os')", "８", "ß" * 50,
           "x" * 5000, "%00", "1;2", "[1,2]"]


def run(module, query=None):
    at = AppTest.from_file(page_path(module), default_timeout=90)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def keyed_widgets(at):
    out = {}
    for kind in WIDGET_KINDS:
        for w in at.get(kind):
            key = getattr(w, "key", None)
            if key and not key.startswith("_") and not key.startswith("preset"):
                out[key] = w
    return out


@pytest.fixture(scope="module")
def default_keys():
    return {p.module: sorted(keyed_widgets(run(p.module))) for p in TOPIC_PAGES}


def hostile_cases():
    """Every page with every hostile value (``-m slow``); the suite gives each page every other
    value, alternating from page to page, so that every value is still tried on half the pages."""
    cases = []
    for i, info in enumerate(TOPIC_PAGES):
        cases.append(pytest.param(info, HOSTILE[i % 2::2], id=info.module))
        cases.append(pytest.param(info, HOSTILE[(i + 1) % 2::2], id=f"{info.module}-rest", marks=pytest.mark.slow))
    return cases


@pytest.mark.parametrize("info, values", hostile_cases())
def test_hostile_values_for_every_bound_key(info, values, default_keys):
    keys = default_keys[info.module]
    assert keys, "the page binds no widget to the URL"
    for value in values:
        at = run(info.module, {k: value for k in keys})
        assert_clean(at)
        assert at.title, f"no title with every key = {value[:20]!r}"


@pytest.mark.parametrize("info", TOPIC_PAGES, ids=lambda p: p.module)
def test_random_mixtures_of_hostile_values(info, default_keys):
    rng = random.Random(info.module)
    keys = default_keys[info.module] + ["unknown", "N", "B", "L", "K"]
    for _ in range(4):
        query = {k: rng.choice(HOSTILE) for k in rng.sample(keys, min(len(keys), 6))}
        at = run(info.module, query)
        assert_clean(at)


def change(widget):
    """Move a widget away from its current value, if it can be moved generically; True if moved."""
    kind = type(widget).__name__.lower()
    if getattr(widget, "disabled", False):
        return False
    if kind in ("toggle", "checkbox"):
        widget.set_value(not widget.value)
        return True
    if kind in ("selectbox", "radio"):
        if len(widget.options) > 1:
            widget.select_index((widget.index + 1) % len(widget.options))
            return True
        return False
    if kind == "numberinput":
        step = widget.step or 1
        if widget.max is None or widget.value + step <= widget.max:
            widget.set_value(widget.value + step)
            return True
        return False
    if kind == "textinput":
        widget.input("2" if widget.value != "2" else "3")
        return True
    if kind == "slider":
        if isinstance(widget.value, (int, float)) and widget.max > widget.value:
            widget.set_value(widget.max if isinstance(widget.value, int) else (widget.value + widget.max) / 2)
            return True
    return False


def share_link(at):
    return copied_link(at)


@pytest.mark.parametrize("info", TOPIC_PAGES, ids=lambda p: p.module)
def test_shared_link_restores_the_page(info):
    at = run(info.module)
    widgets = keyed_widgets(at)
    moved = []
    for key in list(widgets)[:3]:
        w = keyed_widgets(at).get(key)
        if w is not None and change(w):
            at.run()
            assert_clean(at)
            moved.append(key)
    assert moved, "no widget could be changed"
    link = share_link(at)
    assert link and link.startswith("?"), link
    query = dict(parse_qsl(urlsplit(link).query, keep_blank_values=True))
    assert set(moved) <= set(query), (moved, query)
    fresh = run(info.module, query)
    assert_clean(fresh)
    before = {k: w.value for k, w in keyed_widgets(at).items()}
    after = {k: w.value for k, w in keyed_widgets(fresh).items()}
    assert after == before
