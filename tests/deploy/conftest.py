"""Fixtures of the deployment tests: replicas (and nginx) on loopback, stopped even when a test fails."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import topology  # noqa: E402

SESSION_TTL = 2      # s: server.disconnectedSessionTTL of the servers started here


@pytest.fixture(scope="module")
def replica():
    """One `streamlit run app.py` with a short disconnected-session TTL."""
    try:
        (r,) = topology.start_replicas(1, extra=["--server.disconnectedSessionTTL", str(SESSION_TTL)])
    except RuntimeError as e:
        pytest.fail(str(e), pytrace=False)
    try:
        yield r
    finally:
        topology.stop_replicas([r])


@pytest.fixture(scope="module")
def balanced():
    """Two replicas behind nginx (deploy/nginx.conf rewritten for loopback): (balancer, replicas)."""
    if not Path(topology.NGINX).exists():
        pytest.skip("nginx is not installed")
    try:
        replicas = topology.start_replicas(2, extra=["--server.disconnectedSessionTTL", str(SESSION_TTL)])
    except RuntimeError as e:
        pytest.fail(str(e), pytrace=False)
    try:
        lb = topology.start_nginx([f"127.0.0.1:{r.port}" for r in replicas])
        try:
            yield lb, replicas
        finally:
            topology.stop_nginx(lb)
    finally:
        topology.stop_replicas(replicas)
