"""The playground trains and draws in the browser: play, pause, step, add a unit, add a point,
the weights Python received, and a reload from the copy link (headless Chromium, real server).

The component lives in a shadow root; Playwright's CSS locators reach into it. The component's
element carries a ``playground`` property (its state) that these tests read.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest

from tests.e2e.conftest import exceptions, wait_for_app

pytestmark = pytest.mark.e2e
ROOT = "[data-testid=pg-root]"
FIND_JS = ("() => [...document.querySelectorAll('[data-testid=stBidiComponentIsolated]')]"
           ".map(e => e.shadowRoot && e.shadowRoot.querySelector('[data-testid=pg-root]')).find(r => r && r.playground)")


def app_state(page, expr: str):
    """Evaluate ``expr`` with ``pg`` bound to the component's state object."""
    return page.locator(ROOT).evaluate(f"(el) => {{ const pg = el.playground; return {expr}; }}")


def epoch(page) -> int:
    return int(page.locator("[data-testid=pg-epoch]").inner_text().replace(",", ""))


def picture(page) -> str:
    return page.locator("[data-testid=pg-output]").evaluate("(c) => c.toDataURL()")


def open_playground(page, base: str, query: str = "") -> None:
    page.goto(f"{base}/playground{query}", wait_until="domcontentloaded")
    wait_for_app(page)
    page.wait_for_function("() => { const h = [...document.querySelectorAll('[data-testid=stBidiComponentIsolated]')]"
                           ".map(e => e.shadowRoot && e.shadowRoot.querySelector('[data-testid=pg-root]'));"
                           " return h.some(r => r && r.playground && r.playground.trainer); }", timeout=60_000)


def test_play_pause_step_unit_point_weights_and_link(server, page):
    open_playground(page, server)
    assert epoch(page) == 0
    before = picture(page)
    frames0 = int(page.locator(ROOT).get_attribute("data-frames"))

    # play: the counter and the picture change while no element goes stale and no "Running..."
    page.locator("[data-testid=pg-play]").click()
    page.wait_for_function(f"() => {{ const r = [...document.querySelectorAll('[data-testid=stBidiComponentIsolated]')]"
                           f".map(e => e.shadowRoot && e.shadowRoot.querySelector('{ROOT}')).find(Boolean);"
                           f" return r && r.playground.trainer.epoch >= 5; }}", timeout=30_000)
    stale = []
    for _ in range(16):
        # Streamlit marks the elements of a running fragment data-stale and fades them only after
        # half a second; what a student sees is the opacity
        stale.append(page.evaluate("() => Math.min(1, ...[...document.querySelectorAll("
                                   "'[data-testid=stMain] [data-testid=stElementContainer]')]"
                                   ".map(e => parseFloat(getComputedStyle(e).opacity)))"))
        page.wait_for_timeout(120)
    assert epoch(page) >= 5
    assert picture(page) != before
    assert int(page.locator(ROOT).get_attribute("data-frames")) > frames0 + 5
    assert min(stale) > 0.95, f"elements faded while playing: opacity {min(stale)}"
    assert not exceptions(page)

    # pause: the epoch stays; step: exactly one more epoch
    page.locator("[data-testid=pg-play]").click()
    paused = app_state(page, "pg.trainer.epoch")
    page.wait_for_timeout(400)
    assert app_state(page, "pg.trainer.epoch") == paused and not app_state(page, "pg.playing")
    page.locator("[data-testid=pg-step]").click()
    assert app_state(page, "pg.trainer.epoch") == paused + 1
    wait_for_app(page)

    # hover a unit: its picture, large, over the output
    box = page.locator("[data-testid=pg-network]").bounding_box()
    ux, uy = app_state(page, "[pg.layout.cols[1].units[0].x, pg.layout.cols[1].units[0].y]")
    page.mouse.move(box["x"] + ux, box["y"] + uy)
    page.wait_for_function(f"() => ({FIND_JS})().playground.hover !== null", timeout=10_000)
    assert "a[1]" in app_state(page, "pg.outTitle.textContent")
    page.mouse.move(box["x"] + 2, box["y"] + 2)

    # click a weight: read it, set it; the picture follows and Python gets it
    x0, y0, x1, y1 = app_state(page, "(() => { const a = pg.layout.cols[0].units[0], b = pg.layout.cols[1].units[1], h = pg.layout.size / 2;"
                                     " return [a.x + h, a.y, b.x - h, b.y]; })()")
    page.mouse.click(box["x"] + (x0 + x1) / 2, box["y"] + (y0 + y1) / 2)
    page.wait_for_selector("[data-testid=pg-weight-input]", timeout=10_000)
    layer, index = app_state(page, "[pg.editing.layer, pg.editing.index]")
    page.locator("[data-testid=pg-weight-input]").fill("1.5")
    page.locator("[data-testid=pg-weight-input]").press("Enter")
    assert app_state(page, f"pg.net.layers[{layer}].W[{index}]") == 1.5
    wait_for_app(page)

    # the weights Python received are the ones the browser shows: compare with the numpy script
    page.get_by_text("Show the code").click()        # a toggle: the code is written on demand
    wait_for_app(page)
    code = page.locator("[data-testid=stCode]", has_text="W1 = np.array").first.inner_text()
    match = re.search(r"W1 = np\.array\(\[\[([^\]]*)\]", code)
    assert match, code[:500]
    shown = [float(v) for v in match.group(1).split(",")]            # W1's first row, as the page shows it
    browser_W1 = app_state(page, "pg.net.toJSON().layers[0].W")
    np.testing.assert_allclose(shown, browser_W1[0], rtol=1e-12)

    # add a unit to layer 1: the diagram changes at once, the sidebar and the address follow
    page.locator("[data-testid=pg-unit-plus-1]").click()
    assert app_state(page, "pg.net.layers[0].nOut") == 5
    page.wait_for_function("() => new URLSearchParams(location.search).get('pg_w1') === '5'", timeout=30_000)
    wait_for_app(page)
    assert app_state(page, "pg.provisional") is False      # Python's seeded 5-unit network arrived
    assert app_state(page, "pg.net.layers[0].nOut") == 5

    # add a point: click the plane
    n_before = app_state(page, "pg.points.train.x1.length")
    box = page.locator("[data-testid=pg-output]").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.3)
    assert app_state(page, "pg.points.train.x1.length") == n_before + 1
    page.wait_for_function("() => true")
    wait_for_app(page)
    assert app_state(page, "String(pg.dataId).startsWith('own-')")

    # reload from the copy link: the layout comes back
    link = page.url
    assert parse_qs(urlsplit(link).query).get("pg_w1") == ["5"]
    page.goto(link, wait_until="domcontentloaded")
    wait_for_app(page)
    open_playground(page, server, "?" + urlsplit(link).query)
    assert app_state(page, "pg.settings.widths") == [5, 2]
    assert app_state(page, "pg.net.layers[0].nOut") == 5
    assert epoch(page) == 0
