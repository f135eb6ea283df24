"""Layout quality of every page, measured in headless Chromium against the real server.

For every page of ``explorer.navigation.PAGES`` (ids = module names):

* **overlap / clipping** at 1440 x 900, and at 1280 x 720 in presenter mode (``?present=true``),
  with the defaults and with the heavy settings of :data:`HEAVY`: the box of every text of
  every plotly figure (titles, axis titles, tick labels, legends, annotations, colour bars, data
  labels) and of the page's own text is measured; two texts that overlap by more than 1 px, or a
  text cut off by its figure's box or by a clipping container, fail with the page, the figure and
  both texts named. Hidden texts (plotly hides tick labels it has no room for) are skipped.
  In presenter mode the body text is at least 19 px and the header's Try/Notice lines are gone.
* **dark theme**: the browser prefers a dark colour scheme, which is how Streamlit's default
  theme setting ("Use system setting") picks its dark theme for a user. No figure or custom
  component (image, st.html block, canvas, iframe) may be a bright box on the dark page (the
  mean luminance of a ring along its border, sampled from a screenshot), and every text keeps a
  contrast of at least :data:`MIN_CONTRAST` against what is behind it.
* **phone**: at 390 px wide nothing scrolls sideways.

The measuring is done by ``layout_probe.js`` (pure geometry tested under Node). One browser
context per mode serves every page of that mode; screenshots of every page in every mode go to
``tests/e2e/screenshots/layout_<mode>_<page>[_<variant>].png`` to be looked at.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from explorer.navigation import PAGES, PageInfo
from tests.e2e.conftest import APP_RUN_TIMEOUT, RUN_COUNTER_JS, exceptions, main_text, wait_for_app

pytestmark = pytest.mark.e2e

PROBE_JS = (Path(__file__).parent / "layout_probe.js").read_text()
TOLERANCE = 1.0          # px two texts may share, or a text may stick out of its box
MIN_CONTRAST = 3.0       # WCAG's ratio for large text and graphics
BRIGHT_RING = 0.45       # mean relative luminance of a component's border ring that makes it a bright box
RING = 6                 # px: the width of that ring
BRIGHT_PIXEL = 0.6       # relative luminance of a bright pixel (Streamlit's dark background is 0.006)
BRIGHT_SHARE = 0.4       # a component more than this share bright is a bright box (a white plot area)
FULL_HEIGHT_CAP = 8000   # px: the tallest full-page screenshot

# Heavy settings, as the query strings a user's link would carry: the wide or deep networks,
# large counts and long shapes that crowd a figure's text.
HEAVY: dict[str, dict[str, str]] = {
    "mlp_builder": {"deep": "mlp_L=6&" + "&".join(f"mlp_w{i}=512" for i in range(1, 7))},
    "playground": {"deep": "pg_L=6"},
    "linear_map": {"big": "lm_N=999999999&lm_K=20&lm_B=1024"},
    "linear_regression": {"diverging": "lr_n=500&lr_rate=1.0&lr_steps=500"},
    "broadcasting": {"long": "bc_a=8x1x6x1x3x1&bc_b=7x1x5x1x2&bc_c=1x1x1x1x1x1"},
    "softmax": {"wide": "sm_K=10&sm_T=10"},
    "pixels": {"big": "px_h=64&px_w=64"},
    "linear_collapse": {"deep": "lc_L=6&lc_N=64"},
    "features": {"fine": "fe_orient=18&fe_ppc=4&fe_cpb=4"},
}


@dataclass(frozen=True)
class Mode:
    name: str
    width: int
    height: int
    query: str = ""
    dark: bool = False


MODES = {m.name: m for m in [
    Mode("wide", 1440, 900),
    Mode("present", 1280, 720, query="present=true"),
    Mode("dark", 1440, 900, dark=True),
    Mode("phone", 390, 844),
]}


def cases(mode: str, heavy: bool, heavy_is_slow: bool = False):
    """Every page in `mode` with its defaults, and with its HEAVY settings where `heavy`; those
    marked slow where `heavy_is_slow` (the suite runs them in one mode, `pytest -m slow` in all)."""
    out = []
    marks = [pytest.mark.slow] if heavy_is_slow else []
    for info in PAGES:
        out.append(pytest.param(mode, info, "", id=f"{mode}-{info.module}"))
        if heavy:
            for variant, query in HEAVY.get(info.module, {}).items():
                out.append(pytest.param(mode, info, variant, id=f"{mode}-{info.module}-{variant}", marks=marks))
    return out


# -- one context and one tab per mode, for the whole module -------------------------------------
@pytest.fixture(scope="module")
def tabs(browser):
    made: dict[str, object] = {}

    def get(mode: Mode):
        if mode.name not in made:
            ctx = browser.new_context(viewport={"width": mode.width, "height": mode.height},
                                      color_scheme="dark" if mode.dark else "light")
            ctx.add_init_script(RUN_COUNTER_JS)
            ctx.set_default_timeout(APP_RUN_TIMEOUT)
            made[mode.name] = (ctx, ctx.new_page())
        return made[mode.name][1]

    yield get
    for ctx, _ in made.values():
        try:
            ctx.close()
        except Exception:
            pass


def open_in(tabs, server: str, mode: Mode, info: PageInfo, variant: str):
    page = tabs(mode)
    page.set_viewport_size({"width": mode.width, "height": mode.height})
    query = "&".join(q for q in (mode.query, HEAVY.get(info.module, {}).get(variant, "")) if q)
    page.goto(f"{server}/{info.url_path}" + (f"?{query}" if query else ""), wait_until="domcontentloaded")
    wait_for_app(page)
    # plotly draws after the script run has finished: wait until every chart has its SVG
    # (a chart in a tab not shown is drawn when the tab opens)
    page.wait_for_function("""() => [...document.querySelectorAll('.explorer-figure')]
        .every((c) => c.querySelector('.main-svg') || !c.checkVisibility())""", timeout=2 * APP_RUN_TIMEOUT, polling=100)
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(250)   # plotly's resize to the column width
    page.evaluate(PROBE_JS)
    found = exceptions(page)
    assert not found, f"{info.module} [{mode.name}]: exception on screen:\n" + "\n---\n".join(found)
    return page


def save_screenshot(page, mode: Mode, info: PageInfo, variant: str, screenshots_dir: Path) -> Path:
    """A full-height screenshot (Streamlit's main area scrolls inside the window: the window is
    made as tall as the content, then put back)."""
    height = page.evaluate("""() => {
        const m = document.querySelector('[data-testid="stMain"]');
        return Math.max(window.innerHeight, m ? m.scrollHeight : 0);
    }""")
    page.set_viewport_size({"width": mode.width, "height": int(min(height, FULL_HEIGHT_CAP))})
    page.wait_for_timeout(300)
    name = f"layout_{mode.name}_{info.module}" + (f"_{variant}" if variant else "") + ".png"
    path = screenshots_dir / name
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": mode.width, "height": mode.height})
    return path


def report(info: PageInfo, mode: Mode, variant: str, problems: list[str]) -> str:
    what = f"{info.module} [{mode.name}{', ' + variant if variant else ''}]"
    return f"{what}: {len(problems)} layout problem(s):\n  " + "\n  ".join(problems)


# -- overlap and clipping ------------------------------------------------------------------------
@pytest.mark.parametrize("mode_name, info, variant", cases("wide", True) + cases("present", True, heavy_is_slow=True))
def test_no_text_overlaps_or_is_clipped(server, tabs, screenshots_dir, mode_name, info, variant):
    mode = MODES[mode_name]
    page = open_in(tabs, server, mode, info, variant)
    result = page.evaluate("window.__layoutProbe.scan({tol: %s})" % TOLERANCE)
    save_screenshot(page, mode, info, variant, screenshots_dir)
    assert result["texts"] > 0, f"{info.module}: the probe found no text at all"
    problems = [p["text"] for p in result["problems"]]
    assert not problems, report(info, mode, variant, problems)
    if mode.name == "present":
        assert_presenter_type(page, info)


def assert_presenter_type(page, info: PageInfo) -> None:
    """Presenter mode (for a projector at 1280 x 720): larger type, fewer words."""
    size = page.evaluate("""() => {
        const p = document.querySelector('[data-testid="stMain"] [data-testid="stMarkdownContainer"] p');
        return p ? parseFloat(getComputedStyle(p).fontSize) : 0;
    }""")
    assert size >= 19, f"{info.module}: body text is {size}px in presenter mode"
    if info.url_path:
        assert "Notice:" not in main_text(page), f"{info.module}: presenter mode should drop the header's Try/Notice lines"


# -- dark theme ----------------------------------------------------------------------------------
def ring_luminance(png: bytes, ring: int = RING) -> tuple[float, float]:
    """Mean relative luminance (0..1) of the border ring of a screenshot, and the fraction of
    all its pixels that are bright (luminance above :data:`BRIGHT_PIXEL`)."""
    import numpy as np
    from PIL import Image

    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.float64) / 255.0
    lin = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    lum = lin @ np.array([0.2126, 0.7152, 0.0722])
    h, w = lum.shape
    r = max(1, min(ring, h // 4, w // 4))
    mask = np.zeros_like(lum, dtype=bool)
    mask[:r, :] = mask[-r:, :] = True
    mask[:, :r] = mask[:, -r:] = True
    return float(lum[mask].mean()), float((lum > BRIGHT_PIXEL).mean())


@pytest.mark.parametrize("mode_name, info, variant", cases("dark", False))
def test_dark_theme_has_no_bright_boxes(server, tabs, screenshots_dir, mode_name, info, variant):
    mode = MODES[mode_name]
    page = open_in(tabs, server, mode, info, variant)
    result = page.evaluate("window.__layoutProbe.scan({tol: %s, contrast: %s})" % (TOLERANCE, MIN_CONTRAST))
    r, g, b = result["background"]
    assert max(r, g, b) < 80, f"the dark theme did not apply: the page's background is rgb({r}, {g}, {b})"
    problems = [p["text"] for p in result["problems"] if p["kind"] == "faint"]
    boxes = page.evaluate("window.__layoutProbe.components()")
    main = page.locator('[data-testid="stMain"]')
    for box in boxes:
        # scroll the component into view, then screenshot exactly its box
        page.evaluate("([top]) => { const m = document.querySelector('[data-testid=\"stMain\"]'); "
                      "m.scrollBy(0, top - 80); }", [box["top"]])
        page.wait_for_timeout(50)
        fresh = [c for c in page.evaluate("window.__layoutProbe.components()") if c["name"] == box["name"]]
        if not fresh:
            continue
        c = fresh[0]
        height = min(c["height"], mode.height - max(c["top"], 0))
        if height < 2 * RING or c["top"] < 0:
            continue
        png = page.screenshot(clip={"x": c["left"], "y": c["top"], "width": c["width"], "height": height})
        ring, share = ring_luminance(png)
        if ring > BRIGHT_RING or share > BRIGHT_SHARE:
            problems.append(f"{c['name']} is a bright box on the dark page (border luminance {ring:.2f}, "
                            f"{100 * share:.0f}% of it bright)")
    main.evaluate("m => m.scrollTo(0, 0)")
    save_screenshot(page, mode, info, variant, screenshots_dir)
    assert not problems, report(info, mode, variant, problems)


# -- phone -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode_name, info, variant", cases("phone", False))
def test_phone_does_not_scroll_sideways(server, tabs, screenshots_dir, mode_name, info, variant):
    mode = MODES[mode_name]
    page = open_in(tabs, server, mode, info, variant)
    w = page.evaluate("window.__layoutProbe.widths()")
    save_screenshot(page, mode, info, variant, screenshots_dir)
    assert w["document"] <= w["inner"] + 1 and w["main"] <= w["inner"] + 1, (
        f"{info.module} [phone]: the page scrolls sideways at {w['inner']} px: document "
        f"{w['document']} px, main area {w['main']} px wide; too wide: {'; '.join(w['wide']) or '?'}")
