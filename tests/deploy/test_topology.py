"""Two replicas behind nginx on loopback (compose.yaml's topology, without Docker): the load is shared
and no session is broken by the balancer.

nginx runs deploy/nginx.conf itself (addresses, port and paths rewritten). Eight students click
through two pages, each with its own cookie jar as a browser has; nginx's access log says which
replica served each request.
"""
from __future__ import annotations

import asyncio
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import load_test  # noqa: E402
import streamlit_client as sc  # noqa: E402
import topology  # noqa: E402

pytestmark = pytest.mark.deploy

SESSIONS = 8
SECONDS = 8
PAGES = {"activations": "activations", "linear_collapse": "collapse"}


def parse_log(lines: list[str]) -> list[dict]:
    out = []
    for line in lines:
        fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
        fields["request"] = line.split('"')[1] if '"' in line else ""
        out.append(fields)
    return out


def test_the_balancer_shares_the_class_and_keeps_every_session_on_its_replica(balanced):
    lb, replicas = balanced
    cpu_before = [topology.cpu_seconds(r.pid) for r in replicas]
    pids = [r.pid for r in replicas]
    for r in replicas:          # imports and caches, as after a first class: the clicks below are answered in time
        asyncio.run(load_test.warm_up(r.url, PAGES, train=False))
    report = asyncio.run(load_test.run_load(lb.url, SESSIONS, SECONDS, 0, PAGES, pids, [], ttl=None,
                                            changes_per_page=(2, 3), warm=False))
    summary = load_test.summarise(report, SESSIONS, SECONDS, 2)
    assert summary["errors"] == 0, summary["error_examples"]
    answered = {c.session for c in report.clicks if c.kind == "change"}
    assert answered == set(range(SESSIONS))

    log = parse_log(lb.access_log())
    upstreams = {f"127.0.0.1:{r.port}" for r in replicas}
    by_client = defaultdict(set)
    sockets = defaultdict(int)
    for entry in log:
        client = entry.get("client", "-")
        if client.startswith("student-"):
            by_client[client].add(entry["upstream"])
            if entry["request"].startswith("GET /_stcore/stream"):
                assert entry["status"] == "101", entry      # the websocket upgrade went through
                sockets[entry["upstream"]] += 1
    assert len(by_client) == SESSIONS
    # sticky: the page and the websocket of each student reached one and the same replica
    assert all(len(u) == 1 for u in by_client.values()), dict(by_client)
    assert all(u <= upstreams for u in by_client.values())
    # shared: both replicas hold students and did work
    assert set(sockets) == upstreams, sockets
    cpu_used = [topology.cpu_seconds(r.pid) - b for r, b in zip(replicas, cpu_before)]
    assert all(c > 0 for c in cpu_used), cpu_used
    assert all(share > 0 for share in summary["cpu_share_per_replica"])


def test_the_balancer_sets_the_sticky_cookie_once_and_follows_it(balanced):
    lb, replicas = balanced

    async def visit():
        s = sc.Session(lb.url, "activations", client_id="cookie-check")
        await s.connect()
        cookie = s.cookies.get("dle_replica")
        await s.change("act_xr")
        await s.close()
        # a second tab of the same browser (same cookie) lands on the same replica
        t = sc.Session(lb.url, "activations", client_id="cookie-check")
        t.cookies = dict(s.cookies)
        await t.connect()
        await t.close()
        return cookie

    cookie = asyncio.run(visit())
    assert cookie and len(cookie) == 32
    mine = [e for e in parse_log(lb.access_log()) if e.get("client") == "cookie-check"]
    assert len(mine) >= 4                    # two pages, two websockets
    assert {e["sticky"] for e in mine} == {cookie}
    assert len({e["upstream"] for e in mine}) == 1
