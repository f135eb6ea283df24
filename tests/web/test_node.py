"""The browser engine's own unit tests (tests/web/*.test.mjs), run by Node's built-in test runner."""
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.web
ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None, reason="Node.js is not installed (CI installs Debian's nodejs)")
def test_node_unit_tests_pass():
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "web").glob("*.test.mjs"))
    assert files, "no tests/web/*.test.mjs found"
    proc = subprocess.run([NODE, "--test", *files], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"node --test failed:\n{proc.stdout[-8000:]}\n{proc.stderr[-4000:]}"
    assert "# fail 0" in proc.stdout and "# pass " in proc.stdout
