"""Latency a user feels on every page: from a control's input event to the updated page, in headless Chromium.

For each page of ``explorer.navigation.PAGES`` (or ``--pages``), the real server of the checkout at
``--root`` (``streamlit run app.py``) is opened with the page's defaults; its main control (declared in
:data:`CONTROLS` below) is changed ``--clicks`` times (after 2 warm-up changes), moving one step at
a time and turning back at the ends of its range. Each measurement runs from the browser's own
timestamp of the input event (pointerdown / keydown) to the first animation frame at which the
script run it caused has finished and nothing is stale any more ("run done ms": until the message
that says the run finished, the server's part; the rest is the browser drawing). The bytes the server sent for
the change (websocket frames received by the page, until the page has settled) are counted too.

In the same run, two bare Streamlit pages are measured the same way (``benchmarks/baselines/``):
(a) one slider and a line of text, (b) a slider and two 500-point plotly charts. Baselines are
measured before and after the pages and their samples pooled, so a drift in the machine's load
shows in both. The issue's bar: each page's median within 1.5x of (b)'s median and its p95
within 2x of (b)'s median.

    python benchmarks/browser_latency.py [--root PATH] [--pages mod1,mod2] [--clicks 10] [--json out.json]

``--pages`` takes module names (``mlp_builder``) or url paths (``mlp``). Prints a Markdown table.
Self-contained: only the checkout's ``explorer.navigation`` is imported (for the page list).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from topology import free_port, health_ok as _health_ok, stop_process   # benchmarks/ is on sys.path

HERE = Path(__file__).resolve().parent
BASELINES = HERE / "baselines"
BENCH_JS = (HERE / "browser_latency.js").read_text()

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 720}
TIMEOUT_MS = 60_000      # for a rerun to finish
ACTION_TIMEOUT_MS = 15_000   # for a widget to be found and acted on
WARMUP = 2
QUIET_MS = 150           # a change is done once the document has not changed for this long

# The main control of each page (by module name): (kind, widget key, values for "text").
# kind: slider (arrow keys on the thumb), number (the +/- buttons), select (the next option),
# radio (the next option), toggle (a click), text (type the next of ``values`` and press Enter).
CONTROLS: dict[str, tuple] = {
    "home": ("toggle", "present"),                      # the sidebar's presenter mode
    "linear_regression": ("slider", "lr_w"),            # w (slope) of the hand fit
    "linear_map": ("slider", "lm_K"),                   # K outputs
    "broadcasting": ("text", "bc_a", ["8x1x6x2", "8x1x6x1"]),   # shape of A
    "softmax": ("slider", "sm_z"),                      # score z of the sigmoid tab
    "pixels": ("slider", "px_top"),                     # top row of the window
    "features": ("slider", "fe_orient"),                # HOG orientations
    "landscape": ("slider", "ls_noise"),                # noise of the supervised tab's points
    "heart_finder": ("number", "hf_n"),                 # images per class
    "activations": ("slider", "act_xr"),                # x range
    "mlp_builder": ("slider", "mlp_L"),                 # hidden layers
    "linear_collapse": ("slider", "lc_L"),              # layers L
    "universal_approximation": ("slider", "ua_width"),  # hidden units
    "playground": ("slider", "pg_noise"),               # noise of the data (sidebar)
}
BASELINE_CONTROLS = {"one_widget": ("slider", "value"), "two_charts": ("slider", "freq")}


# -- servers ---------------------------------------------------------------------------------------
def start_server(root: Path, script: str, timeout: float = 90.0) -> tuple[subprocess.Popen, str]:
    """``streamlit run script`` in ``root`` (so root's .streamlit/config.toml applies) on a free port."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"streamlit-latency-{port}.log"
    cmd = [sys.executable, "-m", "streamlit", "run", script,
           "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--server.fileWatcherType", "none"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=root, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit run {script} exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        if _health_ok(base_url):
            return proc, base_url
        time.sleep(0.25)
    stop_server(proc)
    raise RuntimeError(f"streamlit run {script} did not become healthy in {timeout:.0f} s")


stop_server = stop_process

# -- one page ------------------------------------------------------------------------------------
@dataclass
class Result:
    name: str
    control: str
    times: list[float] = field(default_factory=list)     # ms per change
    kbytes: list[float] = field(default_factory=list)    # KB received per change
    runs: list[float] = field(default_factory=list)      # ms from the input to the run's finished message
    error: str = ""
    exceptions: list[str] = field(default_factory=list)

    def add(self, other: "Result") -> None:
        self.times += other.times
        self.kbytes += other.kbytes
        self.runs += other.runs
        self.error = self.error or other.error
        self.exceptions += other.exceptions


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), numpy's linear interpolation; nan for no values."""
    return float(np.percentile(values, q)) if len(values) else float("nan")


def wait_idle(page, timeout: int = TIMEOUT_MS) -> None:
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_function("() => window.__bench.idle()", timeout=timeout, polling=50)


class Control:
    """One control of a page, changed one step at a time, turning back at the ends of its range."""

    def __init__(self, page, kind: str, key: str, values: list | None = None):
        self.page, self.kind, self.key, self.values = page, kind, key, values or []
        self.box = page.locator(f".st-key-{key}").first
        self.up = True
        self.count = 0

    def label(self) -> str:
        lab = self.box.locator('[data-testid="stWidgetLabel"]')
        text = lab.first.inner_text().strip() if lab.count() else self.key
        return f"{self.kind} {text}"

    def _arm(self) -> None:
        self.page.evaluate("() => window.__bench.arm()")

    def act(self) -> None:
        """Make one change; arm the input clock just before the event that commits it."""
        page, box = self.page, self.box
        box.scroll_into_view_if_needed()
        self.count += 1
        if self.kind == "slider":
            thumb = box.locator('input[type="range"], [role="slider"]').first
            now, lo, hi = thumb.evaluate("e => [e.value ?? e.getAttribute('aria-valuenow'), "
                                         "e.min ?? e.getAttribute('aria-valuemin'), "
                                         "e.max ?? e.getAttribute('aria-valuemax')].map(Number)")
            if self.up and now >= hi:
                self.up = False
            elif not self.up and now <= lo:
                self.up = True
            thumb.focus()
            self._arm()
            page.keyboard.press("ArrowRight" if self.up else "ArrowLeft")
        elif self.kind == "number":
            plus = box.locator('[data-testid="stNumberInputStepUp"]')
            minus = box.locator('[data-testid="stNumberInputStepDown"]')
            if plus.count() and minus.count():
                if self.up and plus.is_disabled():
                    self.up = False
                elif not self.up and minus.is_disabled():
                    self.up = True
                self._arm()
                (plus if self.up else minus).click()
            else:   # too narrow for step buttons: the arrow keys step it
                box.locator("input").first.focus()
                self._arm()
                page.keyboard.press("ArrowUp" if self.count % 2 else "ArrowDown")
        elif self.kind == "select":
            box.locator('[data-baseweb="select"]').first.click()
            options = page.locator('[role="option"]')
            options.first.wait_for()
            n = options.count()
            current = next((i for i in range(n) if options.nth(i).get_attribute("aria-selected") == "true"), 0)
            self._arm()
            options.nth((current + 1) % n).click()
        elif self.kind == "radio":
            labels = box.locator("label")
            n = labels.count()
            current = next((i for i in range(n) if labels.nth(i).locator("input").is_checked()), 0)
            self._arm()
            labels.nth((current + 1) % n).click()
        elif self.kind == "toggle":
            self._arm()
            box.locator("label").first.click()
        elif self.kind == "text":
            field_ = box.locator("input").first
            field_.fill(str(self.values[(self.count - 1) % len(self.values)]))
            self._arm()
            field_.press("Enter")
        else:
            raise ValueError(f"unknown control kind {self.kind!r}")


def measure(browser, url: str, name: str, spec: tuple, clicks: int) -> Result:
    kind, key, *rest = spec
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.add_init_script(BENCH_JS)
    ctx.set_default_timeout(ACTION_TIMEOUT_MS)
    received = [0]

    def on_ws(ws):
        ws.on("framereceived", lambda payload: received.__setitem__(0, received[0] + len(payload)))

    result = Result(name, f"{kind} {key}")
    try:
        page = ctx.new_page()
        page.on("websocket", on_ws)
        page.goto(url, wait_until="domcontentloaded")
        wait_idle(page)
        page.wait_for_timeout(300)
        wait_idle(page)
        control = Control(page, kind, key, rest[0] if rest else None)
        if not control.box.count():
            raise RuntimeError(f"no widget with key {key!r} on {url}")
        result.control = control.label()
        for i in range(WARMUP + clicks):
            received[0] = 0
            control.act()
            try:
                page.wait_for_function(f"() => window.__bench.done({QUIET_MS})", polling=10, timeout=TIMEOUT_MS)
            except Exception as e:
                state = page.evaluate("() => [window.__bench.finished, window.__bench.inputAt, window.__bench.idle(),"
                                      " window.__bench.messages]")
                raise RuntimeError(f"change {i + 1}: no finished rerun (runs finished {state[0]}, input seen: "
                                   f"{state[1] is not None}, idle: {state[2]}, messages {state[3]}): {e}") from None
            latency, run = page.evaluate("() => [window.__bench.latency(), window.__bench.runTime()]")
            wait_idle(page)
            if i >= WARMUP:
                result.times.append(float(latency))
                result.runs.append(float(run))
                result.kbytes.append(received[0] / 1024)
        result.exceptions = [e[:300] for e in page.locator('[data-testid="stException"]').all_inner_texts()]
    except Exception as e:   # one broken page must not hide the others' figures
        result.error = f"{type(e).__name__}: {str(e).splitlines()[0][:300]}"
    finally:
        ctx.close()
    return result


# -- the run ---------------------------------------------------------------------------------------
def load_pages(root: Path):
    sys.path.insert(0, str(root))
    from explorer.navigation import PAGES  # the checkout's own list
    return PAGES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=HERE.parent, help="the app checkout to measure (default: this one)")
    parser.add_argument("--pages", default="", help="comma-separated module names or url paths (default: all)")
    parser.add_argument("--clicks", type=int, default=10, help="measured changes per page (default 10)")
    parser.add_argument("--json", type=Path, help="also write every sample to this JSON file")
    args = parser.parse_args(argv)
    if args.clicks < 1:
        parser.error("--clicks must be at least 1")
    root = args.root.resolve()
    if not (root / "app.py").exists():
        parser.error(f"{root} has no app.py")
    pages = load_pages(root)
    if args.pages:
        wanted = [w.strip() for w in args.pages.split(",") if w.strip()]
        by_name = {p.module: p for p in pages} | {p.url_path: p for p in pages if p.url_path}
        unknown = [w for w in wanted if w not in by_name]
        if unknown:
            parser.error(f"unknown page(s) {unknown}; known: {', '.join(p.module for p in pages)}")
        pages = [by_name[w] for w in wanted]
    missing = [p.module for p in pages if p.module not in CONTROLS]
    if missing:   # e.g. the lecture page: its controls are links and a selectbox this script cannot step yet
        print(f"not measured (no control declared in CONTROLS): {', '.join(missing)}")
        pages = [p for p in pages if p.module in CONTROLS]

    from playwright.sync_api import sync_playwright

    servers = []
    load_before = os.getloadavg()[0]
    try:
        app_proc, app_url = start_server(root, "app.py")
        servers.append(app_proc)
        base_urls = {}
        for name in BASELINE_CONTROLS:
            proc, url = start_server(root, str(BASELINES / f"{name}.py"))
            servers.append(proc)
            base_urls[name] = url
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                baselines = {name: Result(name, "") for name in BASELINE_CONTROLS}
                half = max(1, (args.clicks + 1) // 2)
                rows = []

                def run_baselines(n: int) -> None:
                    for name, spec in BASELINE_CONTROLS.items():
                        print(f"measuring baseline {name} ...", file=sys.stderr, flush=True)
                        r = measure(browser, base_urls[name], name, spec, n)
                        baselines[name].control = r.control
                        baselines[name].add(r)

                run_baselines(half)
                if pages:   # discarded: the first page after the baselines paid for the app's first load
                    print("warming up the app ...", file=sys.stderr, flush=True)
                    measure(browser, f"{app_url}/{pages[0].url_path}", pages[0].module, CONTROLS[pages[0].module], 2)
                for info in pages:
                    print(f"measuring {info.module} (/{info.url_path}) ...", file=sys.stderr, flush=True)
                    rows.append((info, measure(browser, f"{app_url}/{info.url_path}", info.module,
                                               CONTROLS[info.module], args.clicks)))
                run_baselines(max(1, args.clicks - half))
            finally:
                browser.close()
    finally:
        for proc in servers:
            stop_server(proc)
    load_after = os.getloadavg()[0]

    b = baselines["two_charts"]
    b_med = statistics.median(b.times) if b.times else float("nan")
    print(f"\nBrowser latency, input event to updated page (headless Chromium, {args.clicks} changes per page "
          f"after {WARMUP} warm-up changes; {os.cpu_count()} CPUs, load average {load_before:.1f} before, "
          f"{load_after:.1f} after). Target: median <= 1.5x and p95 <= 2x the median of baseline (b).\n")
    print("| page | control | median ms | p95 ms | median / (b) | p95 / (b) | run done ms | KB per click | target |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    out = {"clicks": args.clicks, "cpus": os.cpu_count(), "load_before": load_before, "load_after": load_after,
           "root": str(root), "baselines": {}, "pages": {}}

    def line(label: str, r: Result, is_page: bool) -> dict:
        if r.error or not r.times:
            print(f"| {label} | {r.control} | error: {r.error or 'no samples'} | | | | | | |")
            return {"control": r.control, "error": r.error}
        med, p95 = statistics.median(r.times), percentile(r.times, 95)
        kb = statistics.median(r.kbytes)
        ok = med <= 1.5 * b_med and p95 <= 2.0 * b_med
        verdict = ("met" if ok else "missed") if is_page else "baseline"
        if r.exceptions:
            verdict += " (exception on page)"
        print(f"| {label} | {r.control} | {med:.0f} | {p95:.0f} | {med / b_med:.2f} | {p95 / b_med:.2f} "
              f"| {statistics.median(r.runs):.0f} | {kb:.1f} | {verdict} |")
        return {"control": r.control, "times_ms": r.times, "run_ms": r.runs, "kbytes": r.kbytes, "median_ms": med, "p95_ms": p95,
                "median_ratio": med / b_med, "p95_ratio": p95 / b_med, "kb_per_click": kb, "target_met": ok,
                "exceptions": r.exceptions}

    out["baselines"]["one_widget"] = line("(a) bare: one slider", baselines["one_widget"], False)
    out["baselines"]["two_charts"] = line("(b) bare: slider + two 500-point plotly charts", b, False)
    for info, r in rows:
        out["pages"][info.module] = line(f"{info.title} (/{info.url_path})", r, True)
    for info, r in rows:
        for e in r.exceptions:
            print(f"warning: /{info.url_path} shows an exception: {e}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 1 if any(r.error for _, r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
