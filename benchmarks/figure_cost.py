"""What each page's figures cost: server-side bytes, and browser time to draw and to redraw them.

Every page of ``explorer.navigation.PAGES`` (or ``--pages``) is run once with its defaults in
AppTest; each plotly figure it sends is taken as the JSON Streamlit puts on the wire. Each figure
is then drawn in headless Chromium with plotly.js from the installed ``plotly`` Python package
(its ``package_data/plotly.min.js``, the copy the app's figure component loads):

* ``new ms``: ``Plotly.newPlot`` into an empty 900 x 420 div (what a remounted chart costs),
* ``react ms``: ``Plotly.react`` of the same figure with its first trace's y (or z) nudged (what
  an updated chart costs when it stays mounted).

A reference figure, two 500-point lines (baseline (b) of ``browser_latency.py``), is drawn in the same
run. Medians of ``--repeats`` draws.

    python benchmarks/figure_cost.py [--pages pixels,features] [--repeats 5] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu"]
DRAW_JS = """
async ([spec, repeats]) => {
  const fig = JSON.parse(spec);
  const nudged = JSON.parse(spec);
  const t0 = nudged.data && nudged.data[0];
  if (t0) for (const k of ['y', 'z']) if (Array.isArray(t0[k])) {
    t0[k] = t0[k].map(v => Array.isArray(v) ? v.map(u => typeof u === 'number' ? u * 1.01 : u)
                                           : (typeof v === 'number' ? v * 1.01 : v));
  }
  const layout = Object.assign({}, fig.layout || {}, {width: 900});
  const out = {newPlot: [], react: []};
  for (let i = 0; i < repeats; i++) {
    const div = document.createElement('div');
    document.body.appendChild(div);
    let t = performance.now();
    await Plotly.newPlot(div, fig.data, layout, {displaylogo: false});
    await new Promise(requestAnimationFrame);
    out.newPlot.push(performance.now() - t);
    t = performance.now();
    await Plotly.react(div, (i % 2 ? fig : nudged).data, layout, {displaylogo: false});
    await new Promise(requestAnimationFrame);
    out.react.push(performance.now() - t);
    Plotly.purge(div);
    div.remove();
  }
  return out;
}
"""


def reference_spec() -> str:
    x = np.linspace(0, 10, 500)
    data = [{"type": "scatter", "x": x.tolist(), "y": np.sin(x).tolist(), "mode": "lines"},
            {"type": "scatter", "x": x.tolist(), "y": np.cos(x).tolist(), "mode": "lines"}]
    return json.dumps({"data": data, "layout": {"height": 420}})


def page_figures(module: str) -> list[tuple[str, str]]:
    """(title, JSON spec) of every plotly chart the page sends with its defaults."""
    from streamlit.testing.v1 import AppTest
    from explorer.navigation import PAGES_DIR
    from explorer.ui.figure import shown_figures
    at = AppTest.from_file(str(PAGES_DIR / f"{module}.py"), default_timeout=120).run()
    out = []
    for fig in shown_figures(at.get("bidi_component")):
        title = (fig.get("layout", {}).get("title") or {})
        text = title.get("text", "") if isinstance(title, dict) else str(title)
        out.append((text[:48] or "(untitled)", json.dumps(fig)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", default="", help="comma-separated page modules (default: every page)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json", default="")
    args = ap.parse_args(argv)
    import logging
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    from playwright.sync_api import sync_playwright
    import plotly
    from explorer.navigation import PAGES

    modules = [m for m in args.pages.split(",") if m] or [p.module for p in PAGES]
    plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_content("<html><body></body></html>")
        page.add_script_tag(path=str(plotly_js))
        jobs = [("(reference)", "two 500-point lines", reference_spec())]
        for module in modules:
            jobs += [(module, title, spec) for title, spec in page_figures(module)]
        for module, title, spec in jobs:
            t = page.evaluate(DRAW_JS, [spec, args.repeats])
            rows.append({"page": module, "figure": title, "kb": len(spec) / 1024,
                         "new_ms": statistics.median(t["newPlot"]), "react_ms": statistics.median(t["react"])})
        browser.close()
    print(f"plotly.js {plotly.__version__} (python package), medians of {args.repeats} draws, 900 px wide\n")
    print("| page | figure | KB | new ms | react ms |\n|---|---|---:|---:|---:|")
    for r in rows:
        print(f"| {r['page']} | {r['figure']} | {r['kb']:.1f} | {r['new_ms']:.0f} | {r['react_ms']:.0f} |")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
