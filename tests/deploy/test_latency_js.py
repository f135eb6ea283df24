"""The browser benchmark's init script (benchmarks/browser_latency.js) under Node's test runner."""
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.web


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_browser_latency_js():
    r = subprocess.run(["node", "--test", str(ROOT / "benchmarks" / "browser_latency.test.js")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "# pass 4" in r.stdout
