"""A classroom on one server (or a school on several): N concurrent Streamlit sessions, measured.

Each session is a real Streamlit session spoken to at the protocol level (benchmarks/streamlit_client.py:
a websocket client sending Streamlit's own BackMsg protobufs and reading its ForwardMsgs; no browser).
A session opens a page, changes its main control about once a second (the control of each page is
the one benchmarks/browser_latency.py declares), moves to the next page after a few changes, and so
on through the app; ``--trainers`` of the sessions stay on the heart finder and press Train, then
slide the trained classifier over the chest a few times, then train again.

Reported: click latency (BackMsg rerun_script sent -> script_finished received) p50 / p95 / max for
control changes, page changes and training separately; errors (exceptions on a page, a rerun not
answered, a connection lost); the server's CPU (cores busy) and resident memory over time, from
/proc; memory per session (resident memory with the class connected minus before, divided by the
sessions) and the memory left after every session has closed and the disconnected-session TTL has
passed.

    python benchmarks/load_test.py [--sessions 30] [--duration 120] [--trainers 3]
                                   [--url http://host:port | --replicas N] [--json out.json]

Without --url it starts its own server(s) on loopback (``--replicas 2`` or more: behind nginx with
deploy/nginx.conf). Bounded: at most 200 sessions and 30 minutes, loopback addresses only.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import streamlit_client as sc  # noqa: E402
import topology  # noqa: E402
from browser_latency import BASELINE_CONTROLS, BASELINES, CONTROLS  # noqa: E402  (the main control of each page)

MAX_SESSIONS = 200
MAX_DURATION = 1800.0
TRAIN_KEY = "hf_train"
FINDER_KEYS = ("hf_stride", "hf_view")
DEFAULT_TTL = 10     # s: server.disconnectedSessionTTL of the servers this script starts


@dataclass
class Click:
    t: float          # seconds since the start of the load
    session: int
    page: str
    kind: str         # connect, change, page, train
    seconds: float
    kbytes: float
    error: str = ""


@dataclass
class Sample:
    t: float
    cpu: list[float]          # cores busy per replica since the previous sample
    rss_mb: list[float]


@dataclass
class Report:
    clicks: list[Click] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    notes: dict = field(default_factory=dict)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), numpy's linear interpolation; nan for no values."""
    return float(np.percentile(values, q)) if len(values) else float("nan")


def page_paths(root: Path) -> dict[str, str]:
    sys.path.insert(0, str(root))
    from explorer.navigation import PAGES
    return {p.module: p.url_path for p in PAGES}


# -- one student ---------------------------------------------------------------------------------
async def student(i: int, url: str, route: list[tuple[str, str]], trainer: bool, t0: float, deadline: float,
                  report: Report, rng: random.Random, changes_per_page: tuple[int, int] = (5, 10),
                  controls: dict = CONTROLS) -> None:
    """Click through ``route`` (module, url path) until ``deadline``; every rerun noted in ``report``."""
    def note(page, kind, run=None, error=""):
        report.clicks.append(Click(time.monotonic() - t0, i, page, kind, run.seconds if run else float("nan"),
                                   run.bytes / 1024 if run else 0.0,
                                   error or ("; ".join(run.exceptions) if run and run.exceptions else "")))

    async def pause(since: float):
        # about once a second: a student looks at the result, then moves the control again
        wait = rng.uniform(0.7, 1.3) - (time.monotonic() - since)
        await asyncio.sleep(max(0.05, wait))

    start = route[0][1] if not trainer else "heart-finder"
    s = sc.Session(url, start, client_id=f"student-{i}", timeout=120)
    try:
        try:
            run = await s.connect()
            note(start, "connect", run)
        except Exception as e:
            note(start, "connect", error=f"{type(e).__name__}: {e}")
            return
        stop = 0
        while time.monotonic() < deadline:
            if trainer:
                since = time.monotonic()
                run = await s.press(TRAIN_KEY)
                note("heart-finder", "train", run)
                await pause(since)
                for _ in range(rng.randint(*changes_per_page)):
                    if time.monotonic() >= deadline:
                        break
                    since = time.monotonic()
                    run = await s.change(rng.choice(FINDER_KEYS), rng.choice((1, -1)))
                    note("heart-finder", "change", run)
                    await pause(since)
                continue
            module, path = route[stop % len(route)]
            if stop > 0 and len(route) > 1:
                since = time.monotonic()
                run = await s.goto(path)
                note(path, "page", run)
                await pause(since)
            kind, key, *values = controls[module]
            direction = 1
            for n in range(rng.randint(*changes_per_page)):
                if time.monotonic() >= deadline:
                    break
                since = time.monotonic()
                if kind == "text":
                    run = await s.set_text(key, values[0][n % len(values[0])])
                else:
                    run = await s.change(key, direction)
                note(path, "change", run)
                await pause(since)
            stop += 1
    except Exception as e:
        note(s.page, "error", error=f"{type(e).__name__}: {e}")
    finally:
        try:
            await s.close()
        except Exception:
            pass


# -- the server's side ----------------------------------------------------------------------------
async def monitor(pids: list[int], t0: float, report: Report, stop: asyncio.Event, every: float = 1.0) -> None:
    last = [(time.monotonic(), topology.cpu_seconds(p)) for p in pids]
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), every)
        except asyncio.TimeoutError:
            pass
        now = time.monotonic()
        cpu, rss = [], []
        for k, p in enumerate(pids):
            try:
                c = topology.cpu_seconds(p)
                cpu.append((c - last[k][1]) / max(1e-6, now - last[k][0]))
                last[k] = (now, c)
                rss.append(topology.rss_bytes(p) / 2**20)
            except (FileNotFoundError, ProcessLookupError):
                cpu.append(float("nan"))
                rss.append(float("nan"))
        report.samples.append(Sample(now - t0, cpu, rss))


def total_rss_mb(pids: list[int]) -> float:
    return sum(topology.rss_bytes(p) for p in pids) / 2**20


def caches_mb(urls: list[str]) -> float | None:
    """Memory of the shared caches (st.cache_data, st.cache_resource, media files), from /_stcore/metrics.

    (Its st_session_state figure is not used: Streamlit measures session state shallowly.)
    """
    total = 0.0
    try:
        for url in urls:
            for line in server_metrics(url):
                if line.startswith("cache_memory_bytes{") and 'cache_type="st_session_state"' not in line:
                    total += float(line.rsplit(" ", 1)[1])
    except Exception:
        return None
    return total / 2**20


def server_metrics(url: str) -> list[str]:
    """The lines of a server's /_stcore/metrics (OpenMetrics text)."""
    with urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=30) as r:
        return r.read().decode().splitlines()


def active_sessions(url: str) -> int:
    """How many sessions the server counts as connected (its active_sessions gauge)."""
    for line in server_metrics(url):
        if line.startswith("active_sessions "):
            return int(float(line.split()[1]))
    raise ValueError("the server reports no active_sessions metric")


async def warm_up(url: str, paths: dict[str, str], train: bool) -> None:
    """One visit of every page (imports, st.cache_data) and one training: a server after its first class."""
    s = sc.Session(url, "", timeout=300)
    await s.connect()
    for module, path in paths.items():
        if module in CONTROLS and path:
            await s.goto(path)
    if train:
        await s.goto("heart-finder")
        await s.press(TRAIN_KEY)
    await s.close()


async def run_load(url: str, sessions: int, duration: float, trainers: int, paths: dict[str, str],
                   pids: list[int], replica_urls: list[str], ttl: float | None, seed: int = 0,
                   changes_per_page: tuple[int, int] = (5, 10), warm: bool = True,
                   controls: dict = CONTROLS) -> Report:
    """The whole load: warm-up, the class, and (with ``ttl``) the memory after it has left.

    ``paths`` (module -> url path) are the pages the students go through.
    """
    report = Report()
    rng = random.Random(seed)
    route_all = [(m, p) for m, p in paths.items() if m in controls and (m != "home" or len(paths) == 1)]
    if warm:
        await warm_up(url, paths, train=trainers > 0)
    if ttl is not None:
        await asyncio.sleep(ttl + 1)
        await sc_probe(url)       # a connect + close: lets the server drop the warm-up session
    report.notes["rss_before_mb"] = total_rss_mb(pids)
    cpu_start = [topology.cpu_seconds(p) for p in pids]
    client_cpu_start = time.process_time()   # this script's own CPU: it shares the machine with the server
    t0 = time.monotonic()
    deadline = t0 + duration
    stop = asyncio.Event()
    mon = asyncio.create_task(monitor(pids, t0, report, stop))
    tasks = []
    trainer_ids = {round(k * sessions / trainers) for k in range(trainers)} if trainers else set()
    for i in range(sessions):
        trainer = i in trainer_ids
        k = rng.randrange(len(route_all))
        route = route_all[k:] + route_all[:k]
        tasks.append(asyncio.create_task(student(i, url, route, trainer, t0, deadline, report,
                                                 random.Random(seed * 1000 + i), changes_per_page, controls)))
        await asyncio.sleep(0.1)     # a class opening the link within a few seconds
    # memory with the whole class connected: sampled in the last third of the run
    await asyncio.sleep(max(0.0, deadline - time.monotonic()) * 0.5)
    report.notes["caches_mb"] = caches_mb(replica_urls)
    await asyncio.gather(*tasks)
    if pids:
        report.notes["cpu_seconds"] = sum(topology.cpu_seconds(p) - c for p, c in zip(pids, cpu_start))
    report.notes["client_cores"] = (time.process_time() - client_cpu_start) / max(1e-6, time.monotonic() - t0)
    report.notes["rss_with_class_mb"] = max(
        (sum(s.rss_mb) for s in report.samples if s.t > duration * 0.5), default=float("nan"))
    report.notes["rss_end_of_class_mb"] = total_rss_mb(pids)
    if ttl is not None:
        await asyncio.sleep(ttl + 1)
        await sc_probe(url)
        await asyncio.sleep(1)
        report.notes["rss_after_ttl_mb"] = total_rss_mb(pids)
    stop.set()
    await mon
    return report


async def sc_probe(url: str) -> None:
    s = sc.Session(url, "", timeout=120)
    try:
        await s.connect()
    finally:
        await s.close()


# -- the report --------------------------------------------------------------------------------------
def summarise(report: Report, sessions: int, duration: float, replicas: int) -> dict:
    out: dict = {"sessions": sessions, "duration_s": duration, "replicas": replicas,
                 "cpus": os.cpu_count(), "load_average": os.getloadavg(), **report.notes}
    by_kind = defaultdict(list)
    errors = [c for c in report.clicks if c.error]
    for c in report.clicks:
        if not c.error:
            by_kind[c.kind].append(c)
    for kind, cs in by_kind.items():
        t = [c.seconds * 1000 for c in cs]
        out[kind] = {"n": len(t), "p50_ms": percentile(t, 50), "p95_ms": percentile(t, 95), "max_ms": max(t),
                     "kb_median": statistics.median(c.kbytes for c in cs)}
    per_page = defaultdict(list)
    for c in by_kind.get("change", []):
        per_page[c.page].append(c.seconds * 1000)
    out["change_by_page"] = {p: {"n": len(t), "p50_ms": percentile(t, 50), "p95_ms": percentile(t, 95)}
                             for p, t in sorted(per_page.items())}
    out["errors"] = len(errors)
    out["error_examples"] = sorted({c.error[:200] for c in errors})[:10]
    cpu = [sum(x for x in s.cpu if x == x) for s in report.samples]
    out["cpu_cores_mean"] = statistics.fmean(cpu) if cpu else float("nan")
    out["cpu_cores_max"] = max(cpu) if cpu else float("nan")
    if replicas > 1 and report.samples and len(report.samples[0].cpu) == replicas:
        out["cpu_share_per_replica"] = [statistics.fmean(s.cpu[k] for s in report.samples) for k in range(replicas)]
    if "rss_with_class_mb" in out and "rss_before_mb" in out:
        out["mb_per_session"] = (out["rss_with_class_mb"] - out["rss_before_mb"]) / sessions
    answered = sum(len(v) for v in by_kind.values())
    if "cpu_seconds" in out and answered:
        out["cpu_ms_per_rerun"] = 1000 * out["cpu_seconds"] / answered
    changes = len(by_kind.get("change", []))
    out["changes_per_second"] = changes / duration if duration else float("nan")
    return out


def print_summary(s: dict, report: Report) -> None:
    print(f"\nLoad: {s['sessions']} sessions for {s['duration_s']:.0f} s on {s['replicas']} replica(s), "
          f"{s['cpus']} CPUs, load average {s['load_average'][0]:.1f} / {s['load_average'][1]:.1f} / "
          f"{s['load_average'][2]:.1f} (1/5/15 min, at the end)\n")
    print("| reruns | count | p50 ms | p95 ms | max ms | KB median |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind in ("change", "page", "train", "connect"):
        if kind in s:
            k = s[kind]
            print(f"| {kind} | {k['n']} | {k['p50_ms']:.0f} | {k['p95_ms']:.0f} | {k['max_ms']:.0f} | {k['kb_median']:.1f} |")
    print(f"\nerrors: {s['errors']}" + (f" (e.g. {s['error_examples'][:3]})" if s["errors"] else ""))
    print(f"control changes per second (all sessions): {s['changes_per_second']:.1f}")
    if "cpu_ms_per_rerun" in s:
        print(f"server CPU per answered rerun: {s['cpu_ms_per_rerun']:.0f} ms "
              f"(so one core answers about {1000 / s['cpu_ms_per_rerun']:.1f} reruns a second)")
    print(f"server CPU: {s['cpu_cores_mean']:.2f} cores busy on average, {s['cpu_cores_max']:.2f} at most"
          + (f"; per replica {', '.join(f'{x:.2f}' for x in s['cpu_share_per_replica'])}"
             if "cpu_share_per_replica" in s else ""))
    if "client_cores" in s:
        print(f"the load generator itself (every protocol client, one Python process on the same machine): "
              f"{s['client_cores']:.2f} cores busy on average")
    mem = [f"resident memory before the class {s.get('rss_before_mb', float('nan')):.0f} MB",
           f"with the class {s.get('rss_with_class_mb', float('nan')):.0f} MB"]
    if "mb_per_session" in s:
        mem.append(f"{s['mb_per_session']:.1f} MB per session")
    if s.get("caches_mb") is not None:
        mem.append(f"of which shared caches (st.cache_data/resource, media) {s['caches_mb']:.1f} MB")
    if "rss_after_ttl_mb" in s:
        mem.append(f"after all closed and the TTL passed {s['rss_after_ttl_mb']:.0f} MB")
    print("memory: " + "; ".join(mem))
    print("\nchange latency by page (p50 / p95 ms): " + ", ".join(
        f"{p} {v['p50_ms']:.0f}/{v['p95_ms']:.0f}" for p, v in s["change_by_page"].items()))
    print("\nserver over time (every ~10 s): t s, cores busy, resident MB")
    for smp in report.samples[::10]:
        print(f"  {smp.t:6.0f}  {sum(x for x in smp.cpu if x == x):5.2f}  {sum(smp.rss_mb):7.0f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--duration", type=float, default=120.0, help="seconds of load (default 120)")
    ap.add_argument("--trainers", type=int, default=3, help="sessions that press Train on the heart finder")
    ap.add_argument("--url", help="an already running server (loopback only); default: start our own")
    ap.add_argument("--replicas", type=int, default=1, help="servers to start; 2 or more: behind nginx")
    ap.add_argument("--ttl", type=float, default=DEFAULT_TTL,
                    help=f"server.disconnectedSessionTTL of the servers started here (default {DEFAULT_TTL} s)")
    ap.add_argument("--root", type=Path, default=HERE.parent, help="the app checkout to serve")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--baseline", action="store_true",
                    help="serve benchmarks/baselines/two_charts.py instead (a slider and two 500-point charts): "
                         "the same load on Streamlit's floor, for comparison")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--server-option", action="append", default=[], metavar="NAME=VALUE",
                    help="a Streamlit option for the servers started here, e.g. runner.postScriptGC=false")
    args = ap.parse_args(argv)
    if not 1 <= args.sessions <= MAX_SESSIONS:
        ap.error(f"--sessions must be 1..{MAX_SESSIONS}")
    if not 1 <= args.duration <= MAX_DURATION:
        ap.error(f"--duration must be 1..{MAX_DURATION:.0f} s")
    if args.trainers > args.sessions:
        ap.error("--trainers cannot exceed --sessions")
    paths = page_paths(args.root.resolve())
    controls, script = CONTROLS, "app.py"
    if args.baseline:
        paths, controls, script = {"two_charts": ""}, BASELINE_CONTROLS, str(BASELINES / "two_charts.py")
        args.trainers = 0
    replicas, balancer, pids = [], None, []
    try:
        if args.url:
            host = urllib.parse.urlsplit(args.url).hostname
            if host not in ("127.0.0.1", "localhost", "::1"):
                ap.error("--url must be a loopback address")
            url, replica_urls, ttl = args.url.rstrip("/"), [args.url.rstrip("/")], None
            print("note: no server process to watch with --url; CPU and memory are not reported", file=sys.stderr)
        else:
            print(f"starting {args.replicas} replica(s) ...", file=sys.stderr, flush=True)
            replicas = topology.start_replicas(args.replicas, root=args.root.resolve(), script=script,
                                               extra=["--server.disconnectedSessionTTL", str(int(args.ttl)),
                                                      *[a for o in args.server_option
                                                        for a in (f"--{o.split('=', 1)[0]}", o.split("=", 1)[1])]])
            pids = [r.pid for r in replicas]
            replica_urls = [r.url for r in replicas]
            url = replica_urls[0]
            if args.replicas > 1:
                balancer = topology.start_nginx([f"127.0.0.1:{r.port}" for r in replicas])
                url = balancer.url
            ttl = args.ttl
        print(f"load: {args.sessions} sessions, {args.duration:.0f} s, against {url} ...", file=sys.stderr, flush=True)
        report = asyncio.run(run_load(url, args.sessions, args.duration, args.trainers, paths, pids,
                                      replica_urls, ttl, args.seed, warm=not args.baseline, controls=controls))
        if balancer is not None:
            report.notes["balancer"] = balancer_summary(balancer, [f"127.0.0.1:{r.port}" for r in replicas])
    finally:
        if balancer is not None:
            topology.stop_nginx(balancer)
        topology.stop_replicas(replicas)
    summary = summarise(report, args.sessions, args.duration, max(1, len(replicas)))
    print_summary(summary, report)
    if "balancer" in summary:
        print(f"\nbalancer: {summary['balancer']}")
    if args.json:
        args.json.write_text(json.dumps({"summary": summary, "clicks": [asdict(c) for c in report.clicks],
                                         "samples": [asdict(s) for s in report.samples]}, indent=1, default=str))
    return 0 if summary["errors"] == 0 else 1


def balancer_summary(balancer: topology.Balancer, upstreams: list[str]) -> dict:
    """From nginx's access log: websockets per replica, and clients that reached more than one replica."""
    ws_per_replica = {u: 0 for u in upstreams}
    replicas_of_client = defaultdict(set)
    for line in balancer.access_log():
        fields = dict(f.split("=", 1) for f in line.split() if "=" in f and not f.startswith('"'))
        up, client = fields.get("upstream", "-"), fields.get("client", "-")
        if "/_stcore/stream" in line and up in ws_per_replica:
            ws_per_replica[up] += 1
        if client not in ("-", ""):
            replicas_of_client[client].add(up)
    return {"websockets_per_replica": ws_per_replica,
            "clients": len(replicas_of_client),
            "clients_on_more_than_one_replica": sorted(c for c, u in replicas_of_client.items() if len(u) > 1)}


if __name__ == "__main__":
    sys.exit(main())
