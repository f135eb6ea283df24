"""Streamlit replicas and an nginx balancer as plain processes on loopback, and their CPU and memory.

Used by benchmarks/load_test.py and tests/deploy: the same topology as compose.yaml (N replicas
behind nginx with sticky sessions), without Docker. nginx runs with ``deploy/nginx.conf`` itself,
rewritten only where a machine differs from the compose network: the replicas' addresses, the
port, and the paths of the pid file, logs and temporary files (all in a temporary directory, so
nothing needs root).
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NGINX_CONF = REPO / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CLK_TCK = os.sysconf("SC_CLK_TCK")
# As the Dockerfile sets them. MALLOC_ARENA_MAX: every script run is a new thread, and glibc gives
# threads their own malloc arenas, which keep freed memory: with the default, each trained network
# left ~50-100 MB behind after its session had gone; with 2 arenas, a few MB.
SERVER_ENV = {"MALLOC_ARENA_MAX": "2", "OPENBLAS_NUM_THREADS": "1"}
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health_ok(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as r:
            return r.status == 200 and r.read().decode().strip() == "ok"
    except (urllib.error.URLError, ConnectionError, OSError):
        return False


def stop_process(proc: subprocess.Popen) -> None:
    """Stop a process started in its own session: SIGTERM to its group, then SIGKILL if it lingers."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)


# -- /proc ---------------------------------------------------------------------------------------
def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, in seconds (from /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_bytes(pid: int) -> int:
    """Resident memory of a process (from /proc/<pid>/statm)."""
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE


# -- replicas ------------------------------------------------------------------------------------
@dataclass
class Replica:
    proc: subprocess.Popen
    url: str
    port: int
    log: Path

    @property
    def pid(self) -> int:
        return self.proc.pid


def start_replicas(n: int, *, root: Path = REPO, extra: list[str] = (), timeout: float = 120.0,
                   script: str = "app.py") -> list[Replica]:
    """Start n ``streamlit run app.py`` servers on free loopback ports; wait until all are healthy."""
    replicas = []
    logdir = Path(tempfile.mkdtemp(prefix="dle-replicas-"))
    try:
        for _ in range(n):
            port = free_port()
            log = logdir / f"streamlit-{port}.log"
            cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
                   "--browser.gatherUsageStats", "false", "--server.port", str(port),
                   "--server.address", "127.0.0.1", "--server.fileWatcherType", "none", *extra]
            with open(log, "wb") as out:
                proc = subprocess.Popen(cmd, cwd=root, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                        env={**SERVER_ENV, **os.environ})
            replicas.append(Replica(proc, f"http://127.0.0.1:{port}", port, log))
        deadline = time.monotonic() + timeout
        for r in replicas:
            while not health_ok(r.url):
                if r.proc.poll() is not None:
                    raise RuntimeError(f"replica on {r.port} exited with {r.proc.returncode}:\n{r.log.read_text()[-2000:]}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"replica on {r.port} not healthy within {timeout:.0f} s")
                time.sleep(0.25)
    except BaseException:
        stop_replicas(replicas)
        raise
    return replicas


def stop_replicas(replicas: list[Replica]) -> None:
    for r in replicas:
        stop_process(r.proc)


# -- nginx ---------------------------------------------------------------------------------------
def local_nginx_conf(upstreams: list[str], port: int, workdir: Path) -> str:
    """deploy/nginx.conf with this machine's replicas, port and writable paths."""
    conf = NGINX_CONF.read_text()
    servers = "".join(f"        server {u} max_fails=1 fail_timeout=5s;\n" for u in upstreams)
    conf, n = re.subn(r"(?m)^(\s*)# replicas-begin\n.*?^\s*# replicas-end\n",
                      lambda m: f"{m.group(1)}# replicas-begin\n{servers}{m.group(1)}# replicas-end\n", conf,
                      flags=re.S)
    if n != 1:
        raise ValueError("deploy/nginx.conf has no '# replicas-begin' ... '# replicas-end' block")
    conf, n = re.subn(r"(?m)^(\s*)listen\s+\d+;", rf"\1listen 127.0.0.1:{port};", conf)
    if n != 1:
        raise ValueError("deploy/nginx.conf must have exactly one 'listen <port>;'")
    conf = conf.replace("/tmp/", f"{workdir}/")
    conf = re.sub(r"(?m)^(\s*)access_log\s+/dev/stdout", rf"\1access_log {workdir}/access.log", conf)
    conf = re.sub(r"(?m)^error_log\s+/dev/stderr", f"error_log {workdir}/error.log", conf)
    if os.geteuid() == 0:   # nginx's workers drop to 'nobody' under root: keep them able to write here
        conf = "user root;\n" + conf
    return conf


@dataclass
class Balancer:
    proc: subprocess.Popen
    url: str
    workdir: Path
    upstreams: list[str] = field(default_factory=list)

    def access_log(self) -> list[str]:
        p = self.workdir / "access.log"
        return p.read_text().splitlines() if p.exists() else []


def start_nginx(upstreams: list[str], timeout: float = 30.0) -> Balancer:
    """Start nginx (foreground, own process group) balancing over ``host:port`` upstreams."""
    workdir = Path(tempfile.mkdtemp(prefix="dle-nginx-"))
    port = free_port()
    conf = workdir / "nginx.conf"
    conf.write_text(local_nginx_conf(upstreams, port, workdir))
    test = subprocess.run([NGINX, "-t", "-p", str(workdir), "-c", str(conf)], capture_output=True, text=True)
    if test.returncode != 0:
        raise RuntimeError(f"nginx -t failed:\n{test.stderr}")
    with open(workdir / "stderr.log", "wb") as out:
        proc = subprocess.Popen([NGINX, "-p", str(workdir), "-c", str(conf), "-g", "daemon off;"],
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while not health_ok(url):
        if proc.poll() is not None:
            raise RuntimeError(f"nginx exited with {proc.returncode}: {(workdir / 'stderr.log').read_text()}")
        if time.monotonic() > deadline:
            stop_process(proc)
            raise RuntimeError("nginx did not answer the health check")
        time.sleep(0.1)
    return Balancer(proc, url, workdir, list(upstreams))


def stop_nginx(balancer: Balancer) -> None:
    stop_process(balancer.proc)
