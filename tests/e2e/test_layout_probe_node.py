"""The layout probe's pure geometry and colour arithmetic, run under Node (``node --test``)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.web


def test_layout_probe_under_node():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    spec = Path(__file__).parent / "layout_probe.test.js"
    run = subprocess.run([node, "--test", str(spec)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "# fail 0" in run.stdout and "# pass 5" in run.stdout, run.stdout[-2000:]
