"""Universal approximation live in the browser: the canvas animates while playing, and what the
browser sends back on pause and step is what the page shows (explorer/web/approximation.js)."""
from __future__ import annotations

import pytest

from explorer.navigation import PAGES
from tests.e2e.conftest import APP_RUN_TIMEOUT, RUN_COUNTER_JS, VIEWPORT, exceptions, runs_started, wait_for_app

pytestmark = pytest.mark.e2e
PATH = next(p for p in PAGES if p.module == "universal_approximation").url_path

# A short fingerprint of what the fit canvas shows, and how much of it is not background.
CANVAS_STATE = """(canvas) => {
  const ctx = canvas.getContext('2d');
  const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  let hash = 0, ink = 0;
  const [r0, g0, b0] = [data[0], data[1], data[2]];
  for (let i = 0; i < data.length; i += 4) {
    hash = (hash * 31 + data[i] + 7 * data[i + 1] + 13 * data[i + 2]) | 0;
    if (data[i] !== r0 || data[i + 1] !== g0 || data[i + 2] !== b0) ink++;
  }
  return { hash, ink, background: [r0, g0, b0] };
}"""


def metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def shown_steps(page) -> int:
    return int(page.get_by_test_id("ua-steps").inner_text().replace(",", ""))


def settled(page, steps: int) -> None:
    """Wait until Python shows ``steps`` (the report may follow a periodic one still being handled)."""
    for _ in range(100):
        wait_for_app(page, settle=0)
        if metric(page, "Adam steps") == f"{steps:,}":
            return
        page.wait_for_timeout(100)


def open_live(page, server) -> None:
    page.goto(f"{server}/{PATH}", wait_until="domcontentloaded")
    wait_for_app(page)
    page.get_by_test_id("ua-fit").wait_for()


def test_play_animates_pause_and_step_send_back_what_is_shown(server, page):
    open_live(page, server)
    fit = page.get_by_test_id("ua-fit")
    before = fit.evaluate(CANVAS_STATE)
    assert before["ink"] > 5000                                    # the untrained fit is drawn at once
    assert shown_steps(page) == 0 and metric(page, "Adam steps") == "0"

    page.get_by_role("button", name="Play").click()
    frames = []
    for _ in range(6):                                              # over about a second of playing
        page.wait_for_timeout(170)
        frames.append(fit.evaluate(CANVAS_STATE))
    assert all(f["ink"] > 5000 for f in frames), "a blank frame while playing"
    assert len({f["hash"] for f in frames} | {before["hash"]}) >= 4, "the picture did not change while playing"
    assert shown_steps(page) > 0

    runs = runs_started(page)
    page.get_by_role("button", name="Pause").click()
    wait_for_app(page, runs_before=runs)
    paused = shown_steps(page)
    assert paused > 0
    settled(page, paused)
    assert metric(page, "Adam steps") == f"{paused:,}"              # what Python got back is what is shown
    assert page.get_by_test_id("ua-mse").inner_text() == metric(page, "MSE vs target")
    still = fit.evaluate(CANVAS_STATE)["hash"]
    page.wait_for_timeout(300)
    assert fit.evaluate(CANVAS_STATE)["hash"] == still               # paused means paused

    runs = runs_started(page)
    page.get_by_role("button", name="Step").click()
    wait_for_app(page, runs_before=runs)
    assert shown_steps(page) == paused + 50
    settled(page, paused + 50)
    assert metric(page, "Adam steps") == f"{paused + 50:,}"

    runs = runs_started(page)
    page.get_by_role("button", name="Reset").click()
    wait_for_app(page, runs_before=runs)
    settled(page, 0)
    assert shown_steps(page) == 0 and metric(page, "Adam steps") == "0"
    assert fit.evaluate(CANVAS_STATE)["hash"] == before["hash"]      # the same seeded start, drawn the same
    assert not exceptions(page)


def test_the_canvas_follows_the_dark_theme(server, browser):
    ctx = browser.new_context(viewport=VIEWPORT, color_scheme="dark")
    try:
        ctx.add_init_script(RUN_COUNTER_JS)
        ctx.set_default_timeout(APP_RUN_TIMEOUT)
        page = ctx.new_page()
        open_live(page, server)
        state = page.get_by_test_id("ua-fit").evaluate(CANVAS_STATE)
        app_bg = page.evaluate("""() => getComputedStyle(document.querySelector('[data-testid="stApp"]'))
                                       .backgroundColor.match(/\\d+/g).slice(0, 3).map(Number)""")
        assert state["background"] == app_bg and sum(app_bg) < 150      # dark, and the page's own colour
        assert state["ink"] > 5000
    finally:
        ctx.close()
