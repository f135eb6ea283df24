"""Every page of the app, driven in headless Chromium against the real server.

Each test is parametrised over ``explorer.navigation.PAGES`` (ids = module names), so a page
added to that list is tested without touching this file:

* renders without an exception, shows its title in an h1; screenshots for a human to look at;
* one control changed (first number input's "+", else first slider's ArrowRight) updates it;
* the changed state is in the address, and that address restores it in a fresh browser;
* a hostile query string neither crashes it nor hides it;
* it fetches nothing from the internet.
"""
from __future__ import annotations

import re
import string
from urllib.parse import quote, urlsplit

import pytest

from explorer.navigation import PAGES, PageInfo
from tests.e2e.conftest import exceptions, main_text, runs_started, wait_for_app

pytestmark = pytest.mark.e2e

IDS = [p.module for p in PAGES]
MAIN = '[data-testid="stMain"]'
NUMBER_INPUT = f'{MAIN} [data-testid="stNumberInput"]'
SLIDER = f'{MAIN} [data-testid="stSlider"]'
# react-aria renders the thumb as a visually hidden <input type="range">; older builds as role=slider
SLIDER_THUMB = 'input[type="range"], [role="slider"]'
FULL_HEIGHT_CAP = 8000   # px: the tallest full-page screenshot


def url_of(base: str, info: PageInfo, query: str = "") -> str:
    return f"{base}/{info.url_path}" + (f"?{query}" if query else "")


def heading(info: PageInfo) -> str:
    return "Deep Learning Explorer" if info.url_path == "" else info.title


def open_page(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app(page)


def assert_no_exception(page, what: str) -> None:
    found = exceptions(page)
    assert not found, f"{what}: exception on screen:\n" + "\n---\n".join(found)


def assert_heading(page, info: PageInfo) -> None:
    h1 = page.locator(f"{MAIN} h1", has_text=heading(info))
    assert h1.count() >= 1 and h1.first.is_visible(), (
        f"no visible h1 with {heading(info)!r}; h1s: {page.locator('h1').all_inner_texts()}")


def change_one_control(page, info: PageInfo) -> dict:
    """Step the first main-area number input up (or the first slider right); wait for the rerun.

    Returns what the page showed before and after: ``before``/``after`` are the main text without
    the changed widget's own text (so a slider's thumb value alone does not count as an update),
    ``after_full`` is the whole main text, ``value`` is the widget's value after the change.
    """
    if page.locator(NUMBER_INPUT).count():
        widget = page.locator(NUMBER_INPUT).first
        kind = "number input"
    elif page.locator(SLIDER).count():
        widget = page.locator(SLIDER).first
        kind = "slider"
    else:
        pytest.skip(f"{info.module} has no number input and no slider in its main area")
    widget.scroll_into_view_if_needed()
    label = widget.locator('[data-testid="stWidgetLabel"]').inner_text().strip()

    def visible_text() -> str:
        return main_text(page).replace(widget.inner_text().strip(), "", 1)

    def value() -> str:
        if kind == "number input":
            return widget.locator("input").first.input_value()
        return widget.locator(SLIDER_THUMB).first.get_attribute("aria-valuetext") or \
            widget.locator(SLIDER_THUMB).first.get_attribute("value") or ""

    before, value_before = visible_text(), value()
    runs = runs_started(page)
    if kind == "number input":
        widget.locator('[data-testid="stNumberInputStepUp"]').click()
    else:
        widget.locator(SLIDER_THUMB).first.focus()
        page.keyboard.press("ArrowRight")
    wait_for_app(page, runs_before=runs)
    return {"kind": kind, "label": label, "before": before, "after": visible_text(),
            "after_full": main_text(page), "value_before": value_before, "value": value()}


# -- tests -------------------------------------------------------------------------------------
@pytest.mark.parametrize("info", PAGES, ids=IDS)
def test_page_renders(server, page, info, screenshots_dir):
    open_page(page, url_of(server, info))
    assert_no_exception(page, f"{info.module} with defaults")
    assert_heading(page, info)
    page.screenshot(path=str(screenshots_dir / f"{info.module}_720.png"))

    # Streamlit's main area scrolls inside the window: make the window as tall as the content.
    height = page.evaluate(f"""() => {{
        const m = document.querySelector('{MAIN}');
        return Math.max(window.innerHeight, m ? m.scrollHeight : 0);
    }}""")
    page.set_viewport_size({"width": 1280, "height": int(min(max(height, 2400), FULL_HEIGHT_CAP))})
    page.wait_for_timeout(300)   # let charts follow the resize
    wait_for_app(page)
    page.screenshot(path=str(screenshots_dir / f"{info.module}.png"), full_page=True)
    assert_no_exception(page, f"{info.module} in a tall window")


@pytest.mark.parametrize("info", PAGES, ids=IDS)
def test_changing_one_control_updates_the_page(server, page, info):
    open_page(page, url_of(server, info))
    change = change_one_control(page, info)
    assert_no_exception(page, f"{info.module} after stepping {change['label']!r}")
    assert change["value"] != change["value_before"], (
        f"{info.module}: {change['kind']} {change['label']!r} did not change ({change['value_before']})")
    assert change["after"] != change["before"], (
        f"{info.module}: stepping {change['kind']} {change['label']!r} from {change['value_before']} "
        f"to {change['value']} changed nothing else on the page")


@pytest.mark.parametrize("info", PAGES, ids=IDS)
def test_changed_state_travels_with_the_link(server, page, new_context, info):
    open_page(page, url_of(server, info))
    change = change_one_control(page, info)
    assert_no_exception(page, f"{info.module} after stepping {change['label']!r}")
    link = page.url
    assert urlsplit(link).query, (
        f"{info.module}: after changing {change['label']!r} the address has no query string: {link}")

    fresh = new_context().new_page()
    open_page(fresh, link)
    assert_no_exception(fresh, f"{info.module} opened from {link}")
    widget = fresh.locator(NUMBER_INPUT if change["kind"] == "number input" else SLIDER).first
    if change["kind"] == "number input":
        restored_value = widget.locator("input").first.input_value()
    else:
        thumb = widget.locator(SLIDER_THUMB).first
        restored_value = thumb.get_attribute("aria-valuetext") or thumb.get_attribute("value") or ""
    assert restored_value == change["value"], (
        f"{info.module}: {change['label']!r} was {change['value']} when the link {link} was copied, "
        f"but the link opens it at {restored_value}")
    restored = main_text(fresh)
    assert restored == change["after_full"], (
        f"{info.module}: the link {link} does not restore what the page showed.\n"
        f"--- shown before copying ---\n{change['after_full'][:2000]}\n"
        f"--- shown from the link ---\n{restored[:2000]}")


HOSTILE_VALUES = ["abc", "-5", "999999999999999999999", "nan", "1e400", "<script>alert(1)</script>",
                  "", "inf", "-0", "0x10", "1.5", "true", "%00", "[]", "' OR 1=1 --", "é€😀"]
LONG_VALUE = ("".join(string.ascii_letters + string.digits) * 60)[:3000]


def hostile_query(keys: list[str]) -> str:
    """``key=value`` pairs of malformed, out-of-range and oversized values, URL-encoded."""
    fixed = [("N", "abc"), ("B", "-5"), ("L", "999999999999999999999"), ("seed", "nan"), ("K", "1e400"),
             ("act", "<script>"), ("present", "maybe"), ("x", LONG_VALUE), ("N", "3"),   # N twice
             ("zz_unknown", "1"), ("🙂", "🙂"), ("a[b]", "c")]
    pairs = fixed + [(k, HOSTILE_VALUES[i % len(HOSTILE_VALUES)]) for i, k in enumerate(keys)]
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)


def declared_keys(info: PageInfo) -> list[str]:
    """The URL keys a page declares as string literals (``Param("key", ...)``), read from its source."""
    try:
        source = info.path.read_text(encoding="utf-8")
    except OSError:
        return []
    keys = re.findall(r"""Param\(\s*["']([A-Za-z0-9_]+)["']""", source)
    return list(dict.fromkeys(keys))


@pytest.mark.parametrize("info", PAGES, ids=IDS)
def test_hostile_url_does_not_break_the_page(server, page, info):
    queries = {"common keys": hostile_query([]),
               "the page's own keys": hostile_query(declared_keys(info))}
    if not declared_keys(info):
        queries.pop("the page's own keys")
    for what, query in queries.items():
        url = url_of(server, info, query)
        open_page(page, url)
        assert_no_exception(page, f"{info.module} with hostile values for {what} ({url[:300]}...)")
        assert_heading(page, info)


LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
LOCAL_SCHEMES = {"data", "blob", "about"}


@pytest.mark.parametrize("info", PAGES, ids=IDS)
def test_page_fetches_nothing_from_the_internet(server, page, info):
    open_page(page, url_of(server, info))
    try:
        change_one_control(page, info)   # a rerun may load more (charts, fonts)
    except pytest.skip.Exception:
        pass
    page.wait_for_timeout(500)
    outside = [u for u in page.requests_seen
               if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname not in LOCAL_HOSTS]
    assert not outside, f"{info.module} requested outside the machine:\n" + "\n".join(sorted(set(outside)))
