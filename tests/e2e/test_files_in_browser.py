"""Files through the real browser: image uploads (good and broken) and a trained network's round trip."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from explorer.core.serialize import load_network
from explorer.navigation import PAGES
from tests.e2e.conftest import exceptions, main_text, runs_started, wait_for_app

pytestmark = pytest.mark.e2e
UPLOAD_INPUT = '[data-testid="stFileUploader"] input[type="file"]'


def url(server: str, module: str) -> str:
    return f"{server}/{next(p for p in PAGES if p.module == module).url_path}"


def open_page(page, address: str) -> None:
    page.goto(address, wait_until="domcontentloaded")
    wait_for_app(page)


def upload(page, name: str, data: bytes, mime: str, index: int = 0) -> None:
    runs = runs_started(page)
    page.locator(UPLOAD_INPUT).nth(index).set_input_files({"name": name, "mimeType": mime, "buffer": data})
    wait_for_app(page, runs_before=runs)


def png_bytes(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(array).save(buf, format="PNG")
    return buf.getvalue()


def test_image_upload_good_and_broken(server, page):
    open_page(page, url(server, "pixels"))
    ramp = (np.add.outer(np.arange(40), np.arange(30)) * 3).astype(np.uint8)   # 40 x 30, values 0..207
    upload(page, "ramp.png", png_bytes(ramp), "image/png")
    assert not exceptions(page)
    text = main_text(page)
    assert "ramp.png" in text and "40 × 30" in text.replace("x", "×"), text[:2000]

    upload(page, "broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/png")
    assert not exceptions(page)
    alerts = " ".join(page.locator('[data-testid="stAlert"]').all_inner_texts())
    assert "broken.png" in alerts, alerts
    assert "ramp.png" in main_text(page), "a failed upload must keep the previous image"


def metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_trained_network_round_trip(server, new_context, tmp_path):
    """Train a few steps, download the .npz, upload it into a fresh session: the same error."""
    first = new_context().new_page()
    open_page(first, url(server, "universal_approximation"))
    for _ in range(3):
        runs = runs_started(first)
        first.get_by_role("button", name="Step").click()
        wait_for_app(first, runs_before=runs)
    trained = metric(first, "MSE vs target")
    with first.expect_download() as info:
        first.get_by_role("button", name="Trained network (.npz)").click()
    path = tmp_path / "net.npz"
    info.value.save_as(path)
    net, config = load_network(path.read_bytes())
    assert config["page"] == "universal-approximation" and config["steps"] == 150
    assert net.n_in == 1 and net.arch.widths == [16, 1]

    fresh = new_context().new_page()
    open_page(fresh, url(server, "universal_approximation"))
    untrained = metric(fresh, "MSE vs target")
    assert untrained != trained
    upload(fresh, "net.npz", path.read_bytes(), "application/octet-stream")
    assert not exceptions(fresh)
    assert metric(fresh, "MSE vs target") == trained

    upload(fresh, "junk.npz", b"not a network", "application/octet-stream")
    alerts = " ".join(fresh.locator('[data-testid="stAlert"]').all_inner_texts())
    assert "junk.npz" in alerts and "not a valid .npz" in alerts, alerts
