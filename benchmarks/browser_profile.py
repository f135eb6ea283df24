"""Where the browser spends a click: Chrome's sampling profiler while a page's main control changes.

Starts the app of this checkout, opens the page (module name), changes its main control (as
benchmarks/browser_latency.py does) ``clicks`` times and prints the main thread's time per click by
script file (plotly.min.js is plotly.js, react-dom is React, "(program)" is layout and paint) and
the busiest functions.

    python benchmarks/browser_profile.py <module or baseline:two_charts> [clicks]

Also prints Chrome's main-thread metrics per click (script, style recalculation, layout).
"""
import collections
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
root = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(root))
import browser_latency as bl  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from explorer.navigation import PAGES  # noqa: E402

mod = sys.argv[1]
clicks = int(sys.argv[2]) if len(sys.argv) > 2 else 6
if mod.startswith("baseline:"):       # a bare page of benchmarks/baselines, e.g. baseline:two_charts
    name = mod.split(":", 1)[1]
    proc, url = bl.start_server(root, str(bl.BASELINES / f"{name}.py"))
    path, spec = "", bl.BASELINE_CONTROLS[name]
else:
    path, spec = {p.module: p for p in PAGES}[mod].url_path, bl.CONTROLS[mod]
    proc, url = bl.start_server(root, "app.py")
try:
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=bl.CHROMIUM, args=bl.CHROMIUM_ARGS)
        page = b.new_page(viewport=bl.VIEWPORT)
        page.add_init_script(bl.BENCH_JS)
        page.goto(f"{url}/{path}")
        bl.wait_idle(page); time.sleep(1)
        c = bl.Control(page, spec[0], spec[1], spec[2] if len(spec) > 2 else None)
        c.act(); bl.wait_idle(page); time.sleep(0.5)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        before = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        cdp.send("Profiler.enable"); cdp.send("Profiler.setSamplingInterval", {"interval": 200}); cdp.send("Profiler.start")
        t0 = time.time()
        for _ in range(clicks):
            c.act(); bl.wait_idle(page); time.sleep(0.3)
        el = time.time() - t0
        prof = cdp.send("Profiler.stop")["profile"]
        after = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        b.close()
finally:
    bl.stop_server(proc)
nodes = {n["id"]: n for n in prof["nodes"]}
dt = collections.Counter()
deltas = prof["timeDeltas"]; samples = prof["samples"]
for s, d in zip(samples, deltas[1:] + [0]):
    n = nodes[s]; cf = n["callFrame"]
    dt[(cf["url"].split("/")[-1][:40], cf["functionName"][:30])] += d / 1000
parent = {c: n["id"] for n in prof["nodes"] for c in n.get("children", [])}


def caller_file(node_id: int) -> str:
    """The script a sample's work belongs to: a native function (getBoundingClientRect, a style
    recalculation forced by script) counts to the nearest caller that has a file."""
    while node_id is not None:
        url = nodes[node_id]["callFrame"]["url"]
        if url:
            return url.split("/")[-1][:40]
        node_id = parent.get(node_id)
    return ""


bycaller = collections.Counter()
for s, d in zip(samples, deltas[1:] + [0]):
    fn = nodes[s]["callFrame"]["functionName"]
    bycaller[fn if fn in ("(idle)", "(program)", "(garbage collector)") else (caller_file(s) or "(no script)")] += d / 1000
byfile = collections.Counter()
for (f, fn), v in dt.items(): byfile[f if fn not in ("(idle)", "(program)", "(garbage collector)") else fn] += v
print(f"{mod}: {clicks} clicks, {el:.1f} s wall; ms per click by file:")
for k, v in byfile.most_common(14): print(f"  {v/clicks:8.1f}  {k}")
print("ms per click by the script that caused it (native calls such as layout counted to their caller):")
for k, v in bycaller.most_common(10): print(f"  {v/clicks:8.1f}  {k}")
print("main thread per click (Chrome's Performance metrics):")
for name in ("TaskDuration", "ScriptDuration", "RecalcStyleDuration", "LayoutDuration"):
    print(f"  {(after[name] - before[name]) * 1000 / clicks:8.1f} ms  {name}")
for name in ("RecalcStyleCount", "LayoutCount", "Nodes"):
    value = after[name] - before[name] if name != "Nodes" else after[name]
    print(f"  {value / (clicks if name != 'Nodes' else 1):8.1f}     {name}{' (now)' if name == 'Nodes' else ' per click'}")
print("top functions:")
for k, v in dt.most_common(16): print(f"  {v/clicks:8.1f}  {k}")
