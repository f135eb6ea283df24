"""Every page of the app, driven in headless Chromium against the real server.

Each test is parametrised over ``explorer.navigation.PAGES`` (ids = module names), so a page
added to that list is tested without touching this file:

* renders without an exception, shows its title in an h1 (a screenshot for a human to look at);
  then one control changed (first number input's "+" or ArrowUp, else first slider's ArrowRight,
  else a text typed into the first text input;
  main area first, then the sidebar) updates the main area;
* the changed state is in the address, and that address restores it in a fresh browser
  (four pages; all with ``-m slow``);
* a hostile query string neither crashes it nor hides it (three pages; all with ``-m slow``);
* it fetches nothing from the internet.

Presenter mode, the dark theme and the phone are checked page by page in test_layout_quality.py.
"""
from __future__ import annotations

import difflib
import json
import re
import string
from urllib.parse import quote, urlsplit

import pytest

from explorer.navigation import PAGES, PageInfo
from explorer.settings import params_of_module
from tests.e2e.conftest import REQUESTS_BY_PAGE, exceptions, main_text, runs_started, wait_for_app

pytestmark = pytest.mark.e2e

IDS = [p.module for p in PAGES]
MAIN = '[data-testid="stMain"]'
SIDEBAR = '[data-testid="stSidebar"]'
SCOPES = [MAIN, SIDEBAR]   # where to look for a control to change, in this order
NUMBER_WIDGET = '[data-testid="stNumberInput"]'
TEXT_WIDGET = '[data-testid="stTextInput"]'
TYPED_TEXT = "3x1"   # typed into a text input when a page has nothing to step (a valid shape, too)
SLIDER_WIDGET = '[data-testid="stSlider"]'
# react-aria renders the thumb as a visually hidden <input type="range">; older builds as role=slider
SLIDER_THUMB = 'input[type="range"], [role="slider"]'


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


def first_changeable(page):
    """The control to change: in the main area, the first number input that can be stepped up
    (its "+" is enabled; or, too narrow for step buttons, it is below its maximum), else
    the first slider not at its maximum; failing both, the same search in the sidebar (a page may
    keep its controls there, beside its figures). Returns (locator, kind, scope, index among the
    controls of that kind in that scope), kind "number input", "slider" or "text input"; or None."""
    found = page.evaluate(f"""() => {{
        const enabled = (b) => b && !b.disabled && b.getAttribute('aria-disabled') !== 'true';
        const numberOk = (w) => {{
            const input = w.querySelector('input');
            if (!input || input.disabled) return false;
            const up = w.querySelector('[data-testid="stNumberInputStepUp"]');
            if (up) return enabled(up);
            // a narrow number input has no step buttons: it is stepped with ArrowUp instead
            return !(input.max !== '' && parseFloat(input.value) >= parseFloat(input.max));
        }};
        const sliderOk = (w) => {{
            const t = w.querySelector('{SLIDER_THUMB}');
            if (!t || t.disabled || t.getAttribute('aria-disabled') === 'true') return false;
            const value = parseFloat(t.getAttribute('aria-valuenow') ?? t.value);
            const max = parseFloat(t.getAttribute('aria-valuemax') ?? t.max);
            return !(value >= max);
        }};
        for (const scope of {json.dumps(SCOPES)}) {{
            const n = [...document.querySelectorAll(scope + ' {NUMBER_WIDGET}')].findIndex(numberOk);
            if (n >= 0) return ['number input', scope, n];
            const s = [...document.querySelectorAll(scope + ' {SLIDER_WIDGET}')].findIndex(sliderOk);
            if (s >= 0) return ['slider', scope, s];
        }}
        const textOk = (w) => {{
            const input = w.querySelector('input');
            return input && !input.disabled && input.value !== {json.dumps(TYPED_TEXT)};
        }};
        const t = [...document.querySelectorAll('{MAIN} {TEXT_WIDGET}')].findIndex(textOk);
        if (t >= 0) return ['text input', '{MAIN}', t];
        return null;
    }}""")
    if found is None:
        return None
    kind, scope, i = found
    return control_locator(page, kind, scope, i), kind, scope, i


def control_locator(page, kind: str, scope: str, index: int):
    widget = {"number input": NUMBER_WIDGET, "slider": SLIDER_WIDGET, "text input": TEXT_WIDGET}[kind]
    return page.locator(f"{scope} {widget}").nth(index)


def change_one_control(page, info: PageInfo) -> dict:
    """Step the first number input up (or the first slider right, see :func:`first_changeable`);
    wait for the rerun.

    Returns what the page showed before and after: ``before``/``after`` are the main text without
    the changed widget's own text (so a slider's thumb value alone does not count as an update),
    ``after_full`` is the whole main text, ``value`` is the widget's value after the change.
    """
    found = first_changeable(page)
    if found is None:
        pytest.skip(f"{info.module} has no number input, slider or text input (main area or sidebar) "
                    f"that can be stepped up")
    widget, kind, scope, index = found
    widget.scroll_into_view_if_needed()
    label = widget.locator('[data-testid="stWidgetLabel"]').inner_text().strip()

    def visible_text() -> str:
        return main_text(page).replace(widget.inner_text().strip(), "", 1)

    def value() -> str:
        if kind in ("number input", "text input"):
            return widget.locator("input").first.input_value()
        return widget.locator(SLIDER_THUMB).first.get_attribute("aria-valuetext") or \
            widget.locator(SLIDER_THUMB).first.get_attribute("value") or ""

    before, value_before = visible_text(), value()
    runs = runs_started(page)
    if kind == "number input":
        up = widget.locator('[data-testid="stNumberInputStepUp"]')
        if up.count():
            up.click()
        else:   # too narrow for step buttons: ArrowUp steps (and commits) the value
            widget.locator("input").first.focus()
            page.keyboard.press("ArrowUp")
    elif kind == "text input":
        box = widget.locator("input").first
        box.fill(TYPED_TEXT)
        box.press("Enter")
        box.evaluate("e => e.blur()")   # a focused box shows a character counter the link cannot restore
    else:
        widget.locator(SLIDER_THUMB).first.focus()
        page.keyboard.press("ArrowRight")
    wait_for_app(page, runs_before=runs)
    return {"kind": kind, "scope": scope, "index": index, "label": label, "before": before, "after": visible_text(),
            "after_full": main_text(page), "value_before": value_before, "value": value()}


DURATION = re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:ms|µs|s)\b")


def without_timings(text: str) -> str:
    """``text`` with measured durations ("80 ms", "1.2 s") masked: a page may report how long
    its update took, which differs from run to run and is not state a link carries."""
    return DURATION.sub("<duration>", text)


def text_diff(a: str, b: str, name_a: str, name_b: str, limit: int = 60) -> str:
    lines = difflib.unified_diff(a.splitlines(), b.splitlines(), name_a, name_b, n=1, lineterm="")
    return "\n".join(list(lines)[:limit])


# -- tests -------------------------------------------------------------------------------------
def pages_in_suite_only(modules: set[str]) -> list:
    """Every page as a parameter, those not in ``modules`` marked slow (run with ``-m slow``)."""
    return [pytest.param(p, id=p.module, marks=[] if p.module in modules else [pytest.mark.slow]) for p in PAGES]


# What test_page_renders_and_changing_one_control_updates_it saw, by module: the link test starts from it
# (and makes the change itself when run alone), which saves a page load per page.
CHANGES: dict[str, dict] = {}


@pytest.mark.parametrize("info", PAGES, ids=IDS)
def test_page_renders_and_changing_one_control_updates_it(server, page, info, screenshots_dir):
    """The page with its defaults (a screenshot at 1280 x 720; full-height ones in every mode come
    from test_layout_quality.py), then one control stepped."""
    open_page(page, url_of(server, info))
    assert_no_exception(page, f"{info.module} with defaults")
    assert_heading(page, info)
    page.screenshot(path=str(screenshots_dir / f"{info.module}_720.png"))
    change = change_one_control(page, info)
    change["link"] = page.url
    assert_no_exception(page, f"{info.module} after stepping {change['label']!r}")
    assert change["value"] != change["value_before"], (
        f"{info.module}: {change['kind']} {change['label']!r} did not change ({change['value_before']})")
    assert change["after"] != change["before"], (
        f"{info.module}: stepping {change['kind']} {change['label']!r} from {change['value_before']} "
        f"to {change['value']} changed nothing else on the page")
    CHANGES[info.module] = change


# The suite follows the link in a fresh browser for four pages (among them controls inside a
# fragment and the page the browser engine draws); `-m slow` for every page. Every page's
# link restores it through AppTest (tests/ui/test_url_params.py::test_shared_link_restores_the_page).
LINK_IN_SUITE = {"mlp_builder", "linear_regression", "softmax", "playground"}


@pytest.mark.parametrize("info", pages_in_suite_only(LINK_IN_SUITE))
def test_changed_state_travels_with_the_link(server, new_context, info):
    change = CHANGES.get(info.module)
    if change is None:   # run on its own: make the change here
        page = new_context().new_page()
        open_page(page, url_of(server, info))
        change = change_one_control(page, info)
        assert_no_exception(page, f"{info.module} after stepping {change['label']!r}")
        change["link"] = page.url
    link = change["link"]
    assert urlsplit(link).query, (
        f"{info.module}: after changing {change['label']!r} the address has no query string: {link}")

    fresh = new_context().new_page()
    open_page(fresh, link)
    assert_no_exception(fresh, f"{info.module} opened from {link}")
    widget = control_locator(fresh, change["kind"], change["scope"], change["index"])
    if change["kind"] in ("number input", "text input"):
        restored_value = widget.locator("input").first.input_value()
    else:
        thumb = widget.locator(SLIDER_THUMB).first
        restored_value = thumb.get_attribute("aria-valuetext") or thumb.get_attribute("value") or ""
    assert restored_value == change["value"], (
        f"{info.module}: {change['label']!r} was {change['value']} when the link {link} was copied, "
        f"but the link opens it at {restored_value}")
    shown, restored = without_timings(change["after_full"]), without_timings(main_text(fresh))
    if restored != shown:
        pytest.fail(f"{info.module}: the link {link} does not restore what the page showed:\n"
                    + text_diff(shown, restored, "shown when the link was copied", "shown from the link"),
                    pytrace=False)


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
    """The URL keys a page declares in its settings module (``explorer/settings/<module>.py``; none for
    home). Widgets that are not settings are not bound to the URL (every ``bind="query-params"``
    widget is a declared setting), so their keys in an address do nothing."""
    params = params_of_module(info.module)
    return [p.key for p in params] if params is not None else []


# The suite opens three pages with a hostile address in the browser (through the real server's
# query parsing); `-m slow` opens every page. The values themselves are tried key by key on every
# page through AppTest (tests/ui/test_url_params.py).
HOSTILE_IN_SUITE = {"home", "mlp_builder", "heart_finder"}


@pytest.mark.parametrize("info", pages_in_suite_only(HOSTILE_IN_SUITE))
def test_hostile_url_does_not_break_the_page(server, page, info):
    """Common keys with bad values, unknown keys, a 3000-character value, a repeated key, and a
    bad value for every key the page declares: one address, no exception, the title still there."""
    url = url_of(server, info, hostile_query(declared_keys(info)))
    open_page(page, url)
    assert_no_exception(page, f"{info.module} with hostile query values ({url[:400]}...)")
    assert_heading(page, info)


LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
LOCAL_SCHEMES = {"data", "blob", "about"}


@pytest.mark.parametrize("info", PAGES, ids=IDS)
def test_page_fetches_nothing_from_the_internet(server, page, info):
    """Checks every request the browser made for this page in all the tests above (default and
    tall windows, a control change, the link in a fresh browser, hostile URLs); run alone, it
    loads the page and changes a control itself."""
    if not any(urlsplit(u).path.startswith("/_stcore/") for u in REQUESTS_BY_PAGE.get(info.module, [])):
        open_page(page, url_of(server, info))
        try:
            change_one_control(page, info)   # a rerun may load more (charts, fonts)
        except pytest.skip.Exception:
            pass
        page.wait_for_timeout(300)
    seen = REQUESTS_BY_PAGE.get(info.module, [])
    assert seen, "no request was recorded"
    outside = [u for u in seen
               if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname not in LOCAL_HOSTS]
    assert not outside, (f"{info.module} requested outside the machine:\n"
                         + "\n".join(sorted(set(outside))))
