"""The playground in the browser: painted frames/s, epochs/s, server CPU while playing, control latency.

Starts the real server (``streamlit run app.py``), opens the playground in headless Chromium and,
for the default network (circle, 2 -> 4 -> 2 -> 1, 200 training points) and the heaviest one the
page allows (6 hidden layers of 32 units, 1000 points), presses play and measures over
``--seconds``:

* painted frames per second (each frame trains, recomputes every unit over the 50 x 50 grid
  and repaints the diagram, the output and the loss curve: the output picture changes every frame),
* epochs per second (an epoch: every training point once),
* the Streamlit server process's CPU share while that one session plays (from /proc: user +
  system time over wall time; 100% = one core),

and, for the default network, the time from a click on "+ unit" to the next painted frame that
shows the new unit (median of ``--clicks``). Baselines in the same run: the animation-frame rate
of an empty page in the same browser (the most any page can paint here) and the server's CPU
share over the same time with the page open but paused.

Run from the repository root:  python benchmarks/playground_fps.py [--seconds 5] [--clicks 10]
Prints a Markdown table, ready to paste into the README.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server, wait_for_app  # noqa: E402

HEAVY = ("pg_points=1000&pg_L=6&pg_w1=32&pg_w2=32&pg_w3=32&pg_w4=32&pg_w5=32&pg_w6=32")
FIND = ("() => [...document.querySelectorAll('[data-testid=stBidiComponentIsolated]')]"
        ".map(e => e.shadowRoot && e.shadowRoot.querySelector('[data-testid=pg-root]')).find(r => r && r.playground)")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its children that were waited for (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(v) for v in fields[11:15])      # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def browser_cpu_seconds() -> float:
    """CPU seconds of every Chromium process this script started (descendants of this process)."""
    parents = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                parents[int(d.name)] = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    mine, todo = set(), [os.getpid()]
    while todo:
        p = todo.pop()
        for child, parent in parents.items():
            if parent == p and child not in mine:
                mine.add(child)
                todo.append(child)
    total = 0.0
    for pid in mine:
        try:
            if b"chrom" in Path(f"/proc/{pid}/cmdline").read_bytes():
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            pass
    return total


def state(page, expr: str):
    return page.evaluate(f"() => {{ const r = ({FIND})(); const pg = r.playground; return {expr}; }}")


def open_playground(page, base: str, query: str = "") -> None:
    page.goto(f"{base}/playground{'?' + query if query else ''}", wait_until="domcontentloaded")
    wait_for_app(page, timeout=120_000)
    page.wait_for_function(f"() => {{ const r = ({FIND})(); return r && r.playground.trainer; }}", timeout=120_000)


def measure_play(page, pid: int, seconds: float) -> dict:
    state(page, "(pg.setPlaying(true), 0)")
    page.wait_for_timeout(1000)                     # warm up (JIT, the first report)
    f0, e0, t0, w0ms, n0, s0 = state(page, "[pg.frames, pg.trainer.epoch, performance.now(), pg.workMs, pg.workFrames, pg.seq]")
    c0, w0, b0 = cpu_seconds(pid), time.monotonic(), browser_cpu_seconds()
    page.wait_for_timeout(seconds * 1000)
    f1, e1, t1, w1ms, n1, s1 = state(page, "[pg.frames, pg.trainer.epoch, performance.now(), pg.workMs, pg.workFrames, pg.seq]")
    c1, w1, b1 = cpu_seconds(pid), time.monotonic(), browser_cpu_seconds()
    state(page, "(pg.setPlaying(false), 0)")
    dt = (t1 - t0) / 1000
    work = 1000 * (b1 - b0) / max(1, f1 - f0)      # CPU ms of the whole browser per painted frame
    return {"fps": (f1 - f0) / dt, "epochs": (e1 - e0) / dt, "cpu": 100 * (c1 - c0) / (w1 - w0),
            "work": work, "epf": (e1 - e0) / max(1, f1 - f0), "reports": (s1 - s0) / dt,
            "cpu_per_report": 1000 * (c1 - c0) / max(1, s1 - s0)}


def measure_idle_cpu(pid: int, seconds: float) -> float:
    c0, w0 = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return 100 * (cpu_seconds(pid) - c0) / (time.monotonic() - w0)


def blank_raf_fps(browser, seconds: float) -> float:
    page = browser.new_page()
    page.set_content("<html><body>blank</body></html>")
    n = page.evaluate(f"""() => new Promise((done) => {{
        let n = 0; const end = performance.now() + {seconds * 1000};
        const tick = (t) => {{ n++; if (t < end) requestAnimationFrame(tick); else done(n); }};
        requestAnimationFrame(tick); }})""")
    page.close()
    return n / seconds


def unit_latency(page, clicks: int) -> list[float]:
    """ms from a click on layer 1's "+" (or "-") to the painted frame that shows the new width."""
    out = []
    for i in range(clicks):
        sign = "plus" if i % 2 == 0 else "minus"
        ms = page.evaluate(f"""() => new Promise((done) => {{
            const r = ({FIND})(), pg = r.playground;
            const before = pg.net.layers[0].nOut, frames = pg.frames;
            const btn = r.querySelector('[data-testid=pg-unit-{sign}-1]');
            const t0 = performance.now();
            btn.click();
            const check = () => {{
                if (pg.net.layers[0].nOut !== before && pg.frames > frames) done(performance.now() - t0);
                else requestAnimationFrame(check);
            }};
            requestAnimationFrame(check);
        }})""")
        out.append(ms)
        page.wait_for_timeout(1500)                  # let Python's answer (the seeded network) arrive
    return out


# TensorFlow Playground (built from its repository: npm install && npm run build, then --tf-playground dist/):
# count the repaints of its output heat map (one putImageData on the canvas inside #heatmap per update)
TF_COUNTER_JS = """
(() => {
  window.__tfFrames = 0;
  const put = CanvasRenderingContext2D.prototype.putImageData;
  CanvasRenderingContext2D.prototype.putImageData = function (...args) {
    if (this.canvas && this.canvas.closest && this.canvas.closest('#heatmap')) window.__tfFrames++;
    return put.apply(this, args);
  };
})();
"""


def measure_tf_playground(browser, dist: str, seconds: float) -> dict:
    """Frames/s and epochs/s of TensorFlow Playground's default (circle, 2 -> 4 -> 2 -> 1) in the same browser."""
    import functools
    import http.server
    import threading

    from tests.e2e.conftest import free_port
    port = free_port()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=dist)
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
        ctx.add_init_script(TF_COUNTER_JS)
        page = ctx.new_page()
        page.goto(f"http://127.0.0.1:{port}/index.html", wait_until="load")
        page.wait_for_selector("#play-pause-button", timeout=60_000)
        epoch_of = "() => parseInt(document.querySelector('#iter-number').textContent.replace(/[^0-9]/g, ''), 10)"
        page.click("#play-pause-button")
        page.wait_for_timeout(1000)
        f0, e0, t0 = page.evaluate(f"() => [window.__tfFrames, ({epoch_of})(), performance.now()]")
        c0 = browser_cpu_seconds()
        page.wait_for_timeout(seconds * 1000)
        f1, e1, t1 = page.evaluate(f"() => [window.__tfFrames, ({epoch_of})(), performance.now()]")
        c1 = browser_cpu_seconds()
        page.click("#play-pause-button")
        ctx.close()
        dt = (t1 - t0) / 1000
        return {"fps": (f1 - f0) / dt, "epochs": (e1 - e0) / dt, "work": 1000 * (c1 - c0) / max(1, f1 - f0)}
    finally:
        httpd.shutdown()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--clicks", type=int, default=10)
    ap.add_argument("--tf-playground", metavar="DIST", help="a built TensorFlow Playground (its dist/ folder) to "
                    "measure the same way, in the same run")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    proc, base, log = start_server(timeout=120)
    rows = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            raf = blank_raf_fps(browser, args.seconds)
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            open_playground(page, base)
            idle = measure_idle_cpu(proc.pid, args.seconds)
            default = measure_play(page, proc.pid, args.seconds)
            lat = unit_latency(page, args.clicks)
            open_playground(page, base, HEAVY)
            heavy = measure_play(page, proc.pid, args.seconds)
            tf = measure_tf_playground(browser, args.tf_playground, args.seconds) if args.tf_playground else None
            browser.close()
    finally:
        stop_server(proc)
    rows.append(("Empty page, same browser (baseline: the most any page paints here)", f"{raf:.0f}", "", "", "", ""))
    rows.append(("Playground open, paused (baseline server CPU)", "", "", "", "", f"{idle:.1f}%"))
    for name, r in (("Default: circle, 2 → 4 → 2 → 1, 200 training points", default),
                    ("Heaviest: 6 layers × 32 units, 1000 points (500 training)", heavy)):
        free = min(raf, 1000 / r["work"]) if r["work"] else float("nan")
        rows.append((name, f"{r['fps']:.0f}", f"{r['epochs']:.1f}", f"{r['work']:.1f} ms (→ {free:.0f}/s)",
                     f"{r['reports']:.1f}/s, {r['cpu_per_report']:.0f} ms each", f"{r['cpu']:.1f}%"))
    if tf:
        rows.append(("TensorFlow Playground, its default (circle, 2 → 4 → 2 → 1), same browser", f"{tf['fps']:.0f}",
                     f"{tf['epochs']:.1f}", f"{tf['work']:.1f} ms (→ {min(raf, 1000 / tf['work']):.0f}/s)", "", "(static files)"))
    print(f"Playground in headless Chromium ({args.seconds:g} s each, load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)\n")
    print("| run | painted frames/s | epochs/s | browser CPU per frame (→ frames/s on a free core) | reports to the server | server CPU (one core = 100%) |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print(f"\n'+ unit' click to the painted frame showing it (default network, {len(lat)} clicks): "
          f"median {statistics.median(lat):.1f} ms, max {max(lat):.1f} ms")


if __name__ == "__main__":
    main()
