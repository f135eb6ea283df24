"""Latency a user feels: from a control's input event to the updated page, in headless Chromium.

Starts the real server (``streamlit run app.py``, as the end-to-end tests do), opens each page
(default: the MLP builder ``/mlp`` and the activations page ``/activations``), and N times
(default 10, after 2 warm-up changes) clicks the first main-area number input's "+" (ArrowUp if
it is too narrow for step buttons; on a page without one, ArrowRight on the first slider). Each measurement runs from the browser's
own timestamp of the input event (pointerdown / keydown) to the first animation frame at which
the script run it caused has finished, nothing is stale any more, and the main area's text
differs from before. The design's bar: about 150 ms.

Run from the repository root:  python benchmarks/browser_latency.py [--runs 10] [--paths mlp activations]
Prints a Markdown table, ready to paste into the README.
"""
from __future__ import annotations

import argparse
import os
import statistics

import numpy as np
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from explorer.navigation import PAGES  # noqa: E402
from tests.e2e.conftest import (CHROMIUM, CHROMIUM_ARGS, RUN_COUNTER_JS, VIEWPORT, main_text,  # noqa: E402
                                runs_started, start_server, stop_server, wait_for_app)

MAIN = '[data-testid="stMain"]'
NUMBER_INPUT = f'{MAIN} [data-testid="stNumberInput"]'
SLIDER = f'{MAIN} [data-testid="stSlider"]'
SLIDER_THUMB = 'input[type="range"], [role="slider"]'

# The timestamp of the next user input, taken by the page itself (capture phase: before React).
INPUT_CLOCK_JS = """
() => {
  window.__inputAt = null;
  if (!window.__inputClock) {
    window.__inputClock = true;
    const mark = () => { if (window.__inputAt === null) window.__inputAt = performance.now(); };
    window.addEventListener('pointerdown', mark, true);
    window.addEventListener('keydown', mark, true);
  }
}
"""

# True (and the time noted) once the rerun caused by the input is on screen.
DONE_JS = """
([before, runsBefore]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const main = document.querySelector('[data-testid="stMain"]');
  if (!app || !main) return false;
  if ((window.__stRuns || 0) <= runsBefore) return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (main.querySelector('[data-stale="true"]')) return false;
  if (main.innerText === before) return false;
  window.__doneAt = performance.now();
  return true;
}
"""


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), as numpy computes it (linear interpolation)."""
    return float(np.percentile(values, q))


def one_change(page, act) -> float:
    """Milliseconds from the input event to the updated page, for one change made by ``act()``."""
    before = main_text(page)
    runs = runs_started(page)
    page.evaluate(INPUT_CLOCK_JS)
    act()
    page.wait_for_function(DONE_JS, arg=[before, runs], polling="raf", timeout=30_000)
    latency = page.evaluate("window.__doneAt - window.__inputAt")
    wait_for_app(page, settle=100)   # let charts finish drawing before the next change
    return float(latency)


def measure_page(browser, base_url: str, url_path: str, runs: int, warmup: int = 2) -> tuple[str, list[float]]:
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.add_init_script(RUN_COUNTER_JS)
    try:
        page = ctx.new_page()
        page.goto(f"{base_url}/{url_path}", wait_until="domcontentloaded")
        wait_for_app(page)
        if page.locator(NUMBER_INPUT).count():
            widget = page.locator(NUMBER_INPUT).first
            button = widget.locator('[data-testid="stNumberInputStepUp"]')
            has_button = button.count() > 0   # a narrow number input has none: ArrowUp steps it
            control = "number input +" if has_button else "number input ↑"

            def act():
                if has_button:
                    button.click()
                else:
                    widget.locator("input").first.focus()
                    page.keyboard.press("ArrowUp")
        elif page.locator(SLIDER).count():
            widget = page.locator(SLIDER).first
            thumb = widget.locator(SLIDER_THUMB).first
            control = "slider →"

            def act():
                thumb.focus()
                page.keyboard.press("ArrowRight")
        else:
            raise SystemExit(f"/{url_path} has no number input and no slider to change")
        widget.scroll_into_view_if_needed()
        label = widget.locator('[data-testid="stWidgetLabel"]').inner_text().strip()
        for _ in range(warmup):
            one_change(page, act)
        times = [one_change(page, act) for _ in range(runs)]
        errors = page.locator('[data-testid="stException"]').all_inner_texts()
        if errors:
            print(f"warning: /{url_path} shows an exception: {errors[0][:300]}", file=sys.stderr)
        return f"{control} ({label})", times
    finally:
        ctx.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="measured changes per page (default 10)")
    parser.add_argument("--paths", nargs="*", default=["mlp", "activations"],
                        help="url paths of the pages to measure (default: mlp activations)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    known = {p.url_path: p for p in PAGES}
    for path in args.paths:
        if path not in known:
            parser.error(f"no page at /{path}; known: {', '.join('/' + p for p in known)}")

    from playwright.sync_api import sync_playwright

    proc, base_url, _log = start_server()
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                for path in args.paths:
                    print(f"measuring /{path} ...", file=sys.stderr, flush=True)
                    control, times = measure_page(browser, base_url, path, args.runs)
                    rows.append((f"{known[path].title} (/{path})", control, times))
            finally:
                browser.close()
    finally:
        stop_server(proc)

    print(f"Browser latency, input event to updated page (headless Chromium, {args.runs} changes "
          f"per page after 2 warm-up changes; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}):\n")
    print("| page | control | median ms | p95 ms | max ms |")
    print("|---|---|---:|---:|---:|")
    for name, control, times in rows:
        print(f"| {name} | {control} | {statistics.median(times):.0f} | {percentile(times, 95):.0f} "
              f"| {max(times):.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
