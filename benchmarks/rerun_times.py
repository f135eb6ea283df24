"""Server-side time of one rerun of every page, measured with Streamlit's AppTest.

For each page in ``explorer.navigation.PAGES``: run it once (warm-up: imports, ``st.cache_data``
filled), then rerun it R times with the same settings and report the median, 95th percentile and
maximum wall time of ``AppTest.run()`` (the script plus Streamlit's own work for the rerun; no
browser, no network). The page's bytecode is kept between runs, as ``streamlit run`` keeps it
(see :func:`keep_bytecode_between_runs`). The design's bar: well under 50 ms with default settings.
The "median CPU ms" column (this process's CPU time per rerun) is less disturbed by a busy machine.

Pages listed in ``LARGEST`` are measured a second time with those query parameters set before the
first run (the biggest settings their widgets allow), as extra rows "page (largest)".

Run from the repository root:  python benchmarks/rerun_times.py [--runs 30] [--pages mlp_builder ...]
Prints a Markdown table, ready to paste into the README.
"""
from __future__ import annotations

import argparse
import logging
import os
import statistics

import numpy as np
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))   # AppTest runs the pages in this process: they import `explorer`

from explorer.core.activations import NAMES  # noqa: E402
from explorer.navigation import PAGES, PageInfo  # noqa: E402

# Per page module: query parameters for its heaviest configuration ("largest settings").
LARGEST: dict[str, dict[str, str]] = {
    "mlp_builder": {"mlp_L": "6", **{f"mlp_w{i}": "512" for i in range(1, 7)}, "mlp_B": "1024",
                    # a choice travels in the URL as its label (explorer.ui.url_state.Param.choice)
                    "mlp_head": "multi-class (K units, softmax)", "mlp_K": "20"},
    "activations": {f"act_show_{name}": "true" for name in NAMES},
    "linear_collapse": {"lc_L": "6", **{f"lc_w{i}": "64" for i in range(1, 6)}, "lc_out": "8", "lc_B": "64"},
}


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), as numpy computes it (linear interpolation)."""
    return float(np.percentile(values, q))


def keep_bytecode_between_runs() -> bool:
    """Make AppTest reuse one ScriptCache, as the real server does.

    AppTest builds a new ``ScriptCache`` for every run, so each rerun would recompile the page
    (5-8 ms here) where ``streamlit run`` compiles it once. Returns False (and changes nothing)
    if this Streamlit's AppTest is built differently.
    """
    try:
        from streamlit.runtime.scriptrunner.script_cache import ScriptCache
        from streamlit.testing.v1 import app_test, local_script_runner
    except ImportError:
        return False
    if not (hasattr(app_test, "ScriptCache") and hasattr(local_script_runner, "ScriptCache")):
        return False
    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared
    return True


def script_for(info: PageInfo) -> Path:
    """The script AppTest runs for a page: the page's own file; for the home page, ``app.py``.

    The home page links to the other pages with ``st.page_link``, which only works under the
    app's ``st.navigation``; ``app.py`` runs it as its default page (plus the sidebar, a few ms).
    """
    return ROOT / "app.py" if info.url_path == "" else info.path


def measure(path: Path, runs: int, query: dict[str, str] | None = None
            ) -> tuple[list[float], list[float], list[str]]:
    """Wall and CPU times in ms of each rerun of the script at ``path``, and any problems the
    page showed. (CPU time, of this whole process, is less disturbed by a busy machine.)"""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(path), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()   # warm-up: first run fills st.cache_data
    problems = [f"exception: {e.message}" for e in at.exception]
    problems += [f"warning: {w.value[:160]}" for w in at.warning]
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    problems += [f"exception on rerun: {e.message}" for e in at.exception if f"exception: {e.message}" not in problems]
    return times, cpu, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="timed reruns per page (default 30)")
    parser.add_argument("--pages", nargs="*", help="only these page modules (default: all in PAGES)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    # AppTest warns "missing ScriptRunContext" when query params are set: noise between the rows
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())
    cached = keep_bytecode_between_runs()
    pages = [p for p in PAGES if not args.pages or p.module in args.pages]
    rows, notes = [], []
    for info in pages:
        scenarios = [(info.module, None)]
        if info.module in LARGEST:
            scenarios.append((f"{info.module} (largest)", LARGEST[info.module]))
        for name, query in scenarios:
            print(f"measuring {name} ...", file=sys.stderr, flush=True)
            times, cpu, problems = measure(script_for(info), args.runs, query)
            if problems:
                name += " ⚠"
            rows.append((name, statistics.median(times), percentile(times, 95), max(times),
                         statistics.median(cpu)))
            notes += [f"- {name}: {p}" for p in problems]

    print(f"Server-side time per rerun (AppTest, {args.runs} reruns after one warm-up run; "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}; page bytecode {'kept between runs, as the server does' if cached else 'recompiled every run'}):\n")
    print("| page | median ms | p95 ms | max ms | median CPU ms |")
    print("|---|---:|---:|---:|---:|")
    for name, med, p95, worst, med_cpu in rows:
        print(f"| {name} | {med:.1f} | {p95:.1f} | {worst:.1f} | {med_cpu:.1f} |")
    if notes:
        print("\n⚠ What the pages showed while measured (a warning may mean a setting was refused):\n")
        print("\n".join(notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
