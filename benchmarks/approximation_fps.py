"""Universal approximation in the browser: painted frames/s of the fit while playing, beside an
empty page's frame rate in the same browser, and the training steps per second.

A frame counts as painted when the fit canvas differs from the one at the previous animation
frame (a fingerprint of every 7th pixel, cheap enough not to slow the page it measures).

Run from the repository root:  python benchmarks/approximation_fps.py [--seconds 5] [--width 16]
Prints a Markdown table, ready to paste into the README.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server, wait_for_app  # noqa: E402

COUNT_FRAMES_JS = """async (canvas, ms) => {
  const ctx = canvas ? canvas.getContext('2d') : null;
  const fingerprint = () => {
    if (!ctx) return 0;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let h = 0;
    for (let i = 0; i < data.length; i += 28) h = (h * 31 + data[i] + 7 * data[i + 1]) | 0;
    return h;
  };
  let frames = 0, painted = 0, last = fingerprint();
  const start = performance.now();
  await new Promise((done) => {
    const tick = () => {
      frames++;
      const now = fingerprint();
      if (now !== last) { painted++; last = now; }
      if (performance.now() - start < ms) requestAnimationFrame(tick); else done();
    };
    requestAnimationFrame(tick);
  });
  const seconds = (performance.now() - start) / 1000;
  return { frames: frames / seconds, painted: painted / seconds };
}"""


def steps_shown(page) -> int:
    return int(page.get_by_test_id("ua-steps").inner_text().replace(",", ""))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--width", type=int, nargs="*", default=[16, 64])
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    proc, base, _ = start_server()
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.set_content("<html><body>empty</body></html>")
            empty = page.evaluate(f"({COUNT_FRAMES_JS})(null, {args.seconds * 1000})")
            rows.append(("empty page, same browser", f"{empty['frames']:.0f}", "", ""))
            for width in args.width:
                page.goto(f"{base}/universal-approximation?ua_width={width}", wait_until="domcontentloaded")
                wait_for_app(page)
                page.get_by_test_id("ua-fit").wait_for()
                page.get_by_role("button", name="Play").click()
                page.wait_for_timeout(500)
                before = steps_shown(page)
                got = page.get_by_test_id("ua-fit").evaluate(COUNT_FRAMES_JS, args.seconds * 1000)
                steps = (steps_shown(page) - before) / args.seconds
                page.get_by_role("button", name="Pause").click()
                rows.append((f"universal approximation, 1 → {width} → 1, playing", f"{got['frames']:.0f}",
                             f"{got['painted']:.0f}", f"{steps:,.0f}"))
            browser.close()
    finally:
        stop_server(proc)
    load = os.getloadavg()[0]
    print(f"Universal approximation in headless Chromium ({args.seconds:g} s each, load average {load:.1f})\n")
    print("| run | animation frames/s | painted frames/s | Adam steps/s |\n|---|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
