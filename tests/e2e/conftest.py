"""End-to-end fixtures: the real Streamlit server, one headless Chromium, a fresh page per test.

The server is started exactly as a user would (``python -m streamlit run app.py``) on a free
port, and stopped at the end of the session, also when a test fails. Playwright cannot download
its own browser here, so Debian's ``/usr/bin/chromium`` is launched.

Helpers (plain functions, importable by tests and benchmarks):

* :func:`start_server` / :func:`stop_server`: the server as a context-free pair.
* :func:`wait_for_app` waits until the Streamlit app has finished running a script.
* :func:`main_text` reads what the main area shows.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SERVER_START_TIMEOUT = 60.0      # s, until /_stcore/health answers "ok"
APP_RUN_TIMEOUT = 30_000         # ms, until a script run has finished
VIEWPORT = {"width": 1280, "height": 720}

# Counts script-state changes in the page, so that a test can wait for "the run my click started"
# rather than sleeping: every change of stApp's data-test-script-state grows the counter.
RUN_COUNTER_JS = """
(() => {
  window.__stRuns = 0;
  const watch = () => {
    // Count changes, not "is running now": a fast run may already be over when this is called.
    const obs = new MutationObserver((records) => {
      for (const r of records) {
        if (r.target.getAttribute && r.target.getAttribute('data-testid') === 'stApp') {
          window.__stRuns += 1;
        }
      }
    });
    obs.observe(document.documentElement, {attributes: true, subtree: true,
                                           attributeFilter: ['data-test-script-state']});
  };
  if (document.documentElement) { watch(); }
  else { document.addEventListener('DOMContentLoaded', watch); }
})();
"""


# -- the server ----------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _health_ok(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as r:
            return r.status == 200 and r.read().decode().strip() == "ok"
    except (urllib.error.URLError, ConnectionError, OSError):
        return False


def start_server(timeout: float = SERVER_START_TIMEOUT) -> tuple[subprocess.Popen, str, Path]:
    """Start ``streamlit run app.py`` on a free port; return (process, base URL, log file).

    Raises RuntimeError (after stopping the process) if the health check does not answer "ok"
    within ``timeout`` seconds or the process exits early.
    """
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"streamlit-e2e-{port}.log"
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py",
           "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--server.fileWatcherType", "none"]
    log_file = open(log, "wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT,
                            start_new_session=True)  # own process group: stopped as a whole
    log_file.close()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}:\n{log.read_text()[-3000:]}")
        if _health_ok(base_url):
            return proc, base_url, log
        time.sleep(0.25)
    stop_server(proc)
    raise RuntimeError(f"streamlit did not answer {base_url}/_stcore/health within {timeout:.0f} s:\n"
                       f"{log.read_text()[-3000:]}")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server's process group: SIGTERM, then SIGKILL if it lingers."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)


# -- waiting for the app --------------------------------------------------------------------
def runs_started(page) -> int:
    """How many script runs this page has started (see RUN_COUNTER_JS)."""
    return int(page.evaluate("window.__stRuns || 0"))


def wait_for_app(page, timeout: int = APP_RUN_TIMEOUT, runs_before: int | None = None,
                 settle: int = 150) -> None:
    """Wait until the app is connected and its script has finished running.

    With ``runs_before`` (from :func:`runs_started` before an action), first wait (up to 5 s) for
    a new script run to start, so a test never mistakes "the rerun has not started yet" for
    "the rerun is done". Then: connected, script state ``notRunning``, no status-widget running
    indicator, no stale (greyed-out) elements, no skeleton placeholders, no spinner; then a short
    settle for the front end to draw what arrived, and every figure shown drawn.
    """
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    if runs_before is not None:
        try:
            page.wait_for_function(f"(window.__stRuns || 0) > {runs_before}", timeout=5_000)
        except Exception:
            pass  # no rerun was started: the caller's assertions will tell
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=timeout)
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            if (!app) return false;
            const state = app.getAttribute('data-test-script-state');
            if (state !== 'notRunning') return false;
            if (document.querySelector('[data-testid="stStatusWidgetRunningIcon"], '
                + '[data-testid="stStatusWidgetRunningManIcon"]')) return false;
            if (document.querySelector('[data-testid="stMain"] [data-stale="true"]')) return false;
            if (document.querySelector('[data-testid="stMain"] [data-testid="stSkeleton"]')) return false;
            if (document.querySelector('[data-testid="stMain"] [data-testid="stSpinner"]')) return false;
            return true;
        }""",
        timeout=timeout, polling=50)
    if settle:
        page.wait_for_timeout(settle)
    wait_for_figures(page, timeout)


# Every figure's element (class st-key-fig_..., explorer/ui/figure.py) that is shown holds a drawn
# plotly figure, none still being drawn (explorer/web/figure.js marks those data-pending). Figures off
# screen wait to be redrawn until they are scrolled to (data-deferred): drawAll() draws them now, so
# that a test reads the whole page as it is.
FIGURES_DRAWN_JS = """() => {
    if (window.explorerFigures) window.explorerFigures.drawAll();
    return [...document.querySelectorAll('[data-testid="stMain"] [class*="st-key-fig_"]')]
        .every((box) => !box.checkVisibility()
               || box.querySelector('.explorer-figure:not([data-pending]):not([data-deferred]) .main-svg'));
}"""


def wait_for_figures(page, timeout: int = APP_RUN_TIMEOUT) -> None:
    """Wait until every figure shown on the page is drawn (plotly.js loads and draws after the run)."""
    page.wait_for_function(FIGURES_DRAWN_JS, timeout=timeout, polling=50)


def main_text(page) -> str:
    """The visible text of the main area (not the sidebar)."""
    return page.locator('[data-testid="stMain"]').inner_text(timeout=10_000)


def exceptions(page) -> list[str]:
    """The text of every exception box on screen."""
    return page.locator('[data-testid="stException"]').all_inner_texts()


# -- fixtures ----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def server():
    """Base URL of a running `streamlit run app.py`; stopped at the end of the session."""
    try:
        proc, base_url, log = start_server()
    except RuntimeError as e:
        pytest.fail(str(e), pytrace=False)
    try:
        yield base_url
    finally:
        stop_server(proc)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


# Every request URL any test's browser made, by the page module the test was parametrised with
# (tests take a ``PageInfo`` argument named ``info``); the offline test checks them all.
REQUESTS_BY_PAGE: dict[str, list[str]] = {}


@pytest.fixture
def new_context(browser, request):
    """Factory for fresh browser contexts (own cookies, own Streamlit session); all closed after.

    Every request of every page in these contexts is recorded in :data:`REQUESTS_BY_PAGE`.
    """
    info = getattr(getattr(request.node, "callspec", None), "params", {}).get("info")
    seen = REQUESTS_BY_PAGE.setdefault(info.module if info is not None else "", [])
    made = []

    def make(viewport: dict | None = None):
        ctx = browser.new_context(viewport=viewport or VIEWPORT)
        ctx.add_init_script(RUN_COUNTER_JS)
        ctx.set_default_timeout(APP_RUN_TIMEOUT)
        ctx.on("request", lambda req: seen.append(req.url))
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        try:
            ctx.close()
        except Exception:
            pass


@pytest.fixture
def page(new_context):
    """A new 1280x720 page in a context of its own."""
    return new_context().new_page()


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ignore = SCREENSHOTS / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*.png\n")
    return SCREENSHOTS
