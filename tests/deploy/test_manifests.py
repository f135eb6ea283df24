"""The deployment files, checked without Docker or a cluster: Kubernetes schemas, compose, nginx, the image.

Kubernetes manifests are validated against the API's own OpenAPI schemas (kubernetes-validate ships
them offline), strictly (an unknown field is an error). compose.yaml is parsed and its services,
health checks, ports and the nginx mount checked. deploy/nginx.conf, rewritten for this machine
exactly as the topology test runs it, passes ``nginx -t``.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import topology  # noqa: E402

pytestmark = pytest.mark.deploy

K8S = ROOT / "deploy" / "k8s"
K8S_VERSION = "1.31"


def manifests() -> list[tuple[str, dict]]:
    out = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        out += [(path.name, doc) for doc in yaml.safe_load_all(path.read_text()) if doc]
    return out


def by_kind(kind: str) -> dict:
    found = [d for _, d in manifests() if d["kind"] == kind]
    assert len(found) == 1, f"expected one {kind}, found {len(found)}"
    return found[0]


# -- Kubernetes ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,doc", manifests(), ids=lambda x: x if isinstance(x, str) else "")
def test_every_manifest_matches_the_kubernetes_schema(name, doc):
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def test_the_schema_check_catches_a_wrong_field():
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    bad = by_kind("Deployment")
    bad = yaml.safe_load(yaml.safe_dump(bad))
    bad["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["pathh"] = "/x"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, K8S_VERSION, strict=True)


def test_kustomization_lists_every_manifest():
    kust = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    files = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kust["resources"]) == files


def test_deployment_probes_the_health_endpoint_and_sets_resources():
    dep = by_kind("Deployment")
    pod = dep["spec"]["template"]["spec"]
    (c,) = pod["containers"]
    port = c["ports"][0]["containerPort"]
    assert port == 8501
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        get = c[probe]["httpGet"]
        assert get["path"] == "/_stcore/health" and get["port"] in ("http", port)
    req, lim = c["resources"]["requests"], c["resources"]["limits"]
    assert {"cpu", "memory"} <= set(req) and {"cpu", "memory"} <= set(lim)
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert c["securityContext"]["readOnlyRootFilesystem"] is True
    assert any(m["mountPath"] == "/tmp" for m in c["volumeMounts"])   # the only writable path
    labels = dep["spec"]["template"]["metadata"]["labels"]
    assert dep["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert by_kind("Service")["spec"]["selector"].items() <= labels.items()


def test_ingress_has_cookie_affinity_and_long_websocket_timeouts():
    ing = by_kind("Ingress")
    a = ing["metadata"]["annotations"]
    assert a["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert a["nginx.ingress.kubernetes.io/affinity-mode"] == "persistent"
    assert int(a["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    assert int(a["nginx.ingress.kubernetes.io/proxy-send-timeout"]) >= 3600
    backend = ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == by_kind("Service")["metadata"]["name"]


def test_autoscaler_scales_the_deployment_on_cpu():
    hpa = by_kind("HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"]["name"] == by_kind("Deployment")["metadata"]["name"]
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"
    assert 2 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]


# -- compose ---------------------------------------------------------------------------------------
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_runs_two_healthy_replicas_behind_nginx():
    services = compose()["services"]
    replicas = [n for n, s in services.items() if s.get("build") == "."]
    assert len(replicas) >= 2
    for name in replicas:
        s = services[name]
        test = " ".join(s["healthcheck"]["test"])
        assert "/_stcore/health" in test
        assert "ports" not in s          # only nginx is published
    nginx = services["nginx"]
    assert nginx["ports"] == ["8080:8080"]
    assert any(v.startswith("./deploy/nginx.conf:/etc/nginx/nginx.conf") for v in nginx["volumes"])
    assert set(nginx["depends_on"]) == set(replicas)
    assert all(d["condition"] == "service_healthy" for d in nginx["depends_on"].values())


def test_nginx_conf_lists_exactly_the_compose_replicas():
    conf = topology.NGINX_CONF.read_text()
    block = re.search(r"# replicas-begin\n(.*?)# replicas-end", conf, re.S).group(1)
    servers = re.findall(r"server\s+([\w.-]+):8501", block)
    replicas = sorted(n for n, s in compose()["services"].items() if s.get("build") == ".")
    assert sorted(servers) == replicas
    assert "listen 8080;" in conf


# -- nginx -------------------------------------------------------------------------------------------
@pytest.mark.skipif(not Path(topology.NGINX).exists(), reason="nginx is not installed")
def test_nginx_accepts_the_config_rewritten_for_loopback(tmp_path):
    conf = topology.local_nginx_conf(["127.0.0.1:1", "127.0.0.1:2"], topology.free_port(), tmp_path)
    assert "replica1" not in conf and "/tmp/" not in conf.replace(str(tmp_path), "")
    (tmp_path / "nginx.conf").write_text(conf)
    r = subprocess.run([topology.NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    for directive in ("hash $sticky consistent", "proxy_set_header Upgrade $http_upgrade",
                      "proxy_set_header Connection $connection_upgrade", "add_header Set-Cookie $sticky_cookie"):
        assert directive in conf


# -- the image and the server's settings -----------------------------------------------------------------
def test_dockerfile_is_slim_non_root_and_health_checked():
    text = (ROOT / "Dockerfile").read_text()
    instructions = [l.strip() for l in text.splitlines() if l.strip() and not l.lstrip().startswith("#")]
    assert instructions[0].startswith("FROM python:3.11-slim")
    users = [l for l in instructions if l.startswith("USER ")]
    assert users and users[-1] not in ("USER root", "USER 0")
    assert any(l.startswith("HEALTHCHECK") for l in instructions) and "/_stcore/health" in text
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", "tests", "benchmarks"} <= set(ignored)


def test_production_config():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    server, client = cfg["server"], cfg["client"]
    assert server["headless"] is True
    assert server["enableXsrfProtection"] is True and server.get("enableCORS", True) is True
    assert client["showErrorDetails"] in ("none", False)
    assert cfg["browser"]["gatherUsageStats"] is False
    assert 0 < server["disconnectedSessionTTL"] <= 300


def test_upload_limit_matches_what_the_pages_accept():
    sys.path.insert(0, str(ROOT))
    from explorer.core import images
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    limit_mb = cfg["server"]["maxUploadSize"]
    assert limit_mb * 2**20 >= images.MAX_BYTES            # the largest legal image gets through
    assert limit_mb * 2**20 <= images.MAX_BYTES + 2**20    # and not much more
    body = re.search(r"client_max_body_size\s+(\d+)m;", topology.NGINX_CONF.read_text())
    assert limit_mb <= int(body.group(1)) <= limit_mb + 2  # nginx lets those through, no more
