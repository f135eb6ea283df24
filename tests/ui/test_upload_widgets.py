"""The upload boxes with hostile files and crafted names: a clear reason on the page, the name shown as
text (a code span, never a link or an image), never a traceback; the page keeps working."""
import io
import json
import zipfile

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from tests.core.test_images import dicom_with, png_header_only
from tests.pages.conftest import page_path

CRAFTED_NAME = "[![](//e.co/x.png)](//e.co).png"


def png(array) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(array).save(buf, "PNG")
    return buf.getvalue()


def run(module):
    return AppTest.from_file(page_path(module), default_timeout=300).run()


def uploader(at, key):
    return next(w for w in at.get("file_uploader") if w.key == key)


def no_traceback(at):
    assert not at.exception, [e.value for e in at.exception]
    for e in at.error:
        assert "Traceback" not in e.value and 'File "/' not in e.value


IMAGES = [
    (CRAFTED_NAME, np.random.default_rng(0).bytes(3000), "not an image"),
    ("bomb.png", png_header_only(60_000, 60_000), "decompression bomb"),
    ("wide.png", png_header_only(5_000, 10), "5,000 x 10 pixels"),
    ("cut.png", png(np.zeros((64, 64), np.uint8))[:60], "damaged or incomplete"),
    ("deflated.dcm", dicom_with(b"\0" * 2048, 32, 32, ts="1.2.840.10008.1.2.1.99"), "deflate"),
    ("short.dcm", dicom_with(b"\0\0" * 10, 6, 5), "could not be decoded"),
]


def test_pixels_upload_box_refuses_hostile_images_with_a_reason():
    at = run("pixels")
    for name, data, reason in IMAGES:
        uploader(at, "px_file").set_value((name, data, "application/octet-stream"))
        at.run()
        no_traceback(at)
        message = at.error[0].value
        assert reason in message, (name, message)
        assert at.selectbox(key="px_img").value == "syn_sax"          # the page keeps its image


def test_pixels_upload_shows_a_crafted_name_as_text():
    at = run("pixels")
    uploader(at, "px_file").set_value((CRAFTED_NAME, b"junk", "image/png"))
    at.run()
    no_traceback(at)
    assert at.error[0].value.startswith("`[![](//e.co/x.png)](//e.co).png` was not loaded")
    good = np.full((8, 8), 200, np.uint8)
    uploader(at, "px_file").set_value((CRAFTED_NAME, png(good), "image/png"))
    at.run()
    no_traceback(at)
    assert at.selectbox(key="px_img").value == "upload"
    assert any("your upload `[![](//e.co/x.png)](//e.co).png`" in c.value for c in at.caption)


def npz_with(**members) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, payload in members.items():
            zf.writestr(name, payload)
    return buf.getvalue()


def npy(array) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array)
    return buf.getvalue()


CONFIG = {"format": "deep-learning-explorer/mlp-v1", "n_in": 2, "widths": [1], "activations": ["sigmoid"]}
NETWORKS = [
    (CRAFTED_NAME.replace(".png", ".npz"), b"PK\x03\x04 not a zip", "not a valid .npz"),
    ("evil.npz", npz_with(**{"config.npy": npy(np.array(json.dumps(CONFIG))), "evil.npy": npy(np.zeros(1))}),
     "never has"),
    ("nan.npz", npz_with(**{"config.npy": npy(np.array(json.dumps(CONFIG).replace('"n_in": 2', '"n_in": NaN')))}),
     "NaN"),
    ("deep.npz", npz_with(**{"config.npy": npy(np.array(json.dumps({**CONFIG, "x": [[[[[[[[[[1]]]]]]]]]]})))}),
     "nested"),
]


def test_network_upload_box_refuses_tampered_files_with_a_reason():
    at = run("heart_finder")
    for name, data, reason in NETWORKS:
        uploader(at, "_upload_heart-finder").set_value((name, data, "application/octet-stream"))
        at.run()
        no_traceback(at)
        messages = [e.value for e in at.error]
        assert any(reason in m for m in messages), (name, messages)
    assert any(m.startswith("`[![](//e.co/x.npz)](//e.co).npz`") for m in
               [e.value for e in run_with(NETWORKS[0]).error])


def run_with(network):
    at = run("heart_finder")
    name, data, _ = network
    uploader(at, "_upload_heart-finder").set_value((name, data, "application/octet-stream"))
    return at.run()


@pytest.mark.parametrize("module, key", [("pixels", "px_file"), ("heart_finder", "_upload_heart-finder")])
def test_every_upload_box_takes_the_one_upload_limit(module, key):
    from explorer.core.limits import MAX_UPLOAD_MB
    assert uploader(run(module), key).proto.max_upload_size_mb == MAX_UPLOAD_MB == 10


PAGE_PEAK = r"""
import io, logging, resource, sys
import numpy as np
from PIL import Image
from streamlit.testing.v1 import AppTest
logging.getLogger("streamlit").setLevel(logging.ERROR)
a = np.zeros((4096, 4096, 4), np.uint8)
a[..., 3] = 255
a[::3, ::3, 0] = 255
buf = io.BytesIO()
Image.fromarray(a).save(buf, "PNG")
data = buf.getvalue()
del a
at = AppTest.from_file(sys.argv[1], default_timeout=600).run()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
next(w for w in at.get("file_uploader") if w.key == "px_file").set_value(("big.png", data, "image/png"))
at.run()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(len(at.exception), at.selectbox(key="px_img").value, (peak - base) / 1024)
"""


def test_the_largest_legal_image_costs_the_page_a_bounded_peak():
    """A 108 kB 4,096 x 4,096 RGBA PNG: measured 896 MB above the page's own before, 183 MB now."""
    import subprocess
    import sys

    from tests.pages.conftest import ROOT
    out = subprocess.run([sys.executable, "-c", PAGE_PEAK, page_path("pixels")], capture_output=True, text=True,
                         cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=900)
    assert out.returncode == 0, out.stderr[-2000:]
    exceptions, chosen, mb = out.stdout.split()
    assert exceptions == "0" and chosen == "upload"
    assert float(mb) < 300, f"{float(mb):.0f} MB"


def test_a_file_with_another_extension_gets_a_reason_not_an_exception():
    """Found by the fuzzer: with type=["npz"], Streamlit raised "Invalid file extension" on the page."""
    at = run("universal_approximation")
    uploader(at, "_upload_universal-approximation").set_value(("cut.png", b"\x89PNG\r\n", "image/png"))
    at.run()
    no_traceback(at)
    assert any("not a valid .npz" in e.value for e in at.error), [e.value for e in at.error]
