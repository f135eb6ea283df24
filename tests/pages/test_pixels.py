"""AppTest for the "Pixels are numbers" page (explorer/pages/pixels.py)."""
import io
import re

import numpy as np
import pandas as pd
import pydicom
import pytest
from PIL import Image

from explorer.core.images import mr_small_path
from explorer.core.mri import make_slice
from tests.pages.conftest import assert_clean, figure, figures, metric, run_page, texts, values


def table(at) -> pd.DataFrame:
    """The window's table (an HTML table of numbers) as a DataFrame: index = image rows, columns = image columns."""
    html = next(h.value for h in at.get("html") if 'class="px-window"' in h.value)
    head, body = html.split("<tbody>")
    columns = re.findall(r"<th>(\d+)</th>", head)
    rows = re.findall(r"<tr><th>(\d+)</th>(.*?)</tr>", body)
    cells = [[float(v) for v in re.findall(r"<td[^>]*>([^<]*)</td>", row)] for _, row in rows]
    return pd.DataFrame(cells, index=[int(r) for r, _ in rows], columns=columns)


def png(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(array).save(buf, format="PNG")
    return buf.getvalue()


def upload(at, name: str, data: bytes, mime: str = "image/png"):
    at.get("file_uploader")[0].set_value((name, data, mime))
    return at.run()


def test_defaults_show_the_slides_34_by_10_window_of_a_synthetic_sax():
    at = run_page("pixels")
    assert_clean(at)
    t = table(at)
    assert t.shape == (34, 10)
    assert list(t.index)[0] == 42 and list(t.columns)[0] == "72"
    expected = make_slice("SAX", 128, seed=0)[42:76, 72:82]
    np.testing.assert_array_equal(t.to_numpy(), expected)
    assert metric(at, "N = H × W") == "340"
    assert metric(at, "Shape of X") == "340 × 1"
    assert metric(at, "Image H × W") == "128 × 128"
    assert any("x_{339}" in x.value for x in at.latex)
    assert "Y = 1" in texts(at)
    assert len(figures(at)) == 3           # the image, X flattened, the five views
    image = figure(at, "Synthetic SAX: hover")
    np.testing.assert_array_equal(values(image["data"][0]["z"]), make_slice("SAX", 128, seed=0))
    window = image["layout"]["shapes"][-1]
    assert (window["x0"], window["x1"], window["y0"], window["y1"]) == (71.5, 81.5, 41.5, 75.5)
    flat = figure(at, "X, the window flattened: N = 340")
    np.testing.assert_array_equal(values(flat["data"][1]["y"]), expected.ravel())
    assert flat["data"][0]["x"][:6] == [-0.5, 9.5, 9.5, -0.5, -0.5, None]     # row 0's band, then row 2's
    assert flat["data"][0]["x"][6] == 19.5 and len(flat["data"][0]["x"]) == 6 * 17


def test_the_top_row_moves_the_window_on_the_image_and_the_flattened_x():
    at = run_page("pixels")
    at.slider(key="px_top").set_value(43).run()
    assert_clean(at)
    window = figure(at, "Synthetic SAX: hover")["layout"]["shapes"][-1]
    assert (window["y0"], window["y1"]) == (42.5, 76.5)
    flat = figure(at, "X, the window flattened: N = 340")
    np.testing.assert_array_equal(values(flat["data"][1]["y"]), make_slice("SAX", 128, seed=0)[43:77, 72:82].ravel())
    assert values(flat["data"][1]["customdata"])[0].tolist() == [43, 72]


def test_changing_the_window_changes_the_table_and_N():
    at = run_page("pixels")
    at.slider(key="px_h").set_value(20).run()
    at.slider(key="px_w").set_value(8).run()
    at.slider(key="px_top").set_value(5).run()
    at.slider(key="px_left").set_value(60).run()
    assert_clean(at)
    t = table(at)
    assert t.shape == (20, 8) and list(t.index)[0] == 5 and list(t.columns)[0] == "60"
    np.testing.assert_array_equal(t.to_numpy(), make_slice("SAX", 128, seed=0)[5:25, 60:68])
    assert metric(at, "N = H × W") == "160"
    assert any("x_{159}" in x.value for x in at.latex)


def test_changing_the_image_changes_the_numbers_and_keeps_the_window_inside():
    at = run_page("pixels")
    at.selectbox(key="px_img").set_value("mr_small").run()
    assert_clean(at)
    assert metric(at, "Image H × W") == "64 × 64"
    t = table(at)
    assert t.shape == (34, 10)
    top, left = list(t.index)[0], int(t.columns[0])
    assert top == 64 - 34                      # the default top row 42 no longer fits: moved inside
    mr = pydicom.dcmread(mr_small_path()).pixel_array
    np.testing.assert_array_equal(t.to_numpy(), mr[top:top + 34, left:left + 10])
    assert "Y unknown" in texts(at)
    at.radio(key="px_y").set_value("1").run()
    assert "Y = 1** (set by you)" in texts(at)


def test_a_small_image_shrinks_the_window():
    at = run_page("pixels")
    at.selectbox(key="px_img").set_value("face").run()
    assert_clean(at)
    assert table(at).shape == (25, 10)
    assert metric(at, "N = H × W") == "250"


def test_synthetic_seed_and_views():
    at = run_page("pixels")
    before = table(at).to_numpy().copy()
    at.slider(key="px_seed").set_value(7).run()
    assert not np.array_equal(before, table(at).to_numpy())
    at.selectbox(key="px_img").set_value("syn_other").run()
    assert_clean(at)
    assert "Y = 0" in texts(at)
    at.selectbox(key="px_img").set_value("chest").run()
    assert_clean(at)
    assert "dashed box" in texts(at)


def test_link_values_open_the_page_in_that_state():
    at = run_page("pixels", {"px_img": "Real MRI (MR_small.dcm)", "px_top": "10", "px_left": "5",
                             "px_h": "12", "px_w": "6"})
    assert_clean(at)
    t = table(at)
    assert t.shape == (12, 6) and list(t.index)[0] == 10 and list(t.columns)[0] == "5"
    assert not at.warning


@pytest.mark.parametrize("query, shape, corner", [
    ({"px_img": "dog"}, (34, 10), (42, 72)), ({"px_h": "0"}, (34, 10), (42, 72)),
    ({"px_w": "1e9"}, (34, 10), (42, 72)), ({"px_top": "-3"}, (34, 10), (42, 72)),
    ({"px_seed": "abc"}, (34, 10), (42, 72)), ({"px_y": "maybe"}, (34, 10), (42, 72)),
    ({"px_left": "nan"}, (34, 10), (42, 72)), ({"px_top": "100"}, (34, 10), (42, 72)),
    ({"px_img": "Face (LFW)", "px_h": "40"}, (25, 10), (0, 15))])
def test_bad_url_values(query, shape, corner):
    at = run_page("pixels", query)
    assert_clean(at)
    key = list(query)[-1]
    assert f"`{key}`" in texts(at)
    t = table(at)
    assert t.shape == shape and (list(t.index)[0], int(t.columns[0])) == corner


def test_upload_png_is_shown_and_chosen():
    at = run_page("pixels")
    image = (np.arange(40 * 30).reshape(40, 30) % 251).astype(np.uint8)
    upload(at, "mine.png", png(image))
    assert_clean(at)
    assert at.selectbox(key="px_img").value == "upload"
    assert metric(at, "Image H × W") == "40 × 30"
    t = table(at)
    top, left = list(t.index)[0], int(t.columns[0])
    np.testing.assert_array_equal(t.to_numpy(), image[top:top + 34, left:left + 10])
    assert "Y unknown" in texts(at)


def test_16_bit_upload_keeps_its_values():
    at = run_page("pixels")
    image = (np.arange(50 * 40).reshape(50, 40) * 30).astype(np.uint16)
    upload(at, "deep.png", png(image))
    assert_clean(at)
    assert metric(at, "Smallest value") == "0" and metric(at, "Largest value") == str(int(image.max()))


BAD_UPLOADS = [("noise.png", np.random.default_rng(0).bytes(3000)), ("empty.png", b""),
               ("cut.png", png(np.random.default_rng(1).integers(0, 255, (64, 64), dtype=np.uint8))[:900])]


def test_bad_uploads_say_why_and_keep_the_previous_choice():
    at = run_page("pixels")
    at.selectbox(key="px_img").set_value("mr_small").run()
    before = table(at).to_numpy().copy()
    for name, data in BAD_UPLOADS:          # random bytes, an empty file, a truncated PNG
        upload(at, name, data)
        assert_clean(at)
        assert at.error and name in at.error[0].value and "was not loaded" in at.error[0].value
        assert at.selectbox(key="px_img").value == "mr_small"
        np.testing.assert_array_equal(table(at).to_numpy(), before)


def test_bad_upload_after_a_good_one_keeps_the_good_one():
    at = run_page("pixels")
    good = np.full((20, 20), 77, dtype=np.uint8)
    upload(at, "good.png", png(good))
    upload(at, "bad.png", b"not an image at all")
    assert_clean(at)
    assert at.selectbox(key="px_img").value == "upload"
    assert metric(at, "Image H × W") == "20 × 20" and np.all(table(at).to_numpy() == 77)
    assert "bad.png" in at.error[0].value


def test_choosing_upload_without_a_file_explains():
    at = run_page("pixels")
    at.selectbox(key="px_img").set_value("upload").run()
    assert_clean(at)
    assert "No image uploaded" in texts(at)
    assert metric(at, "Image H × W") == "128 × 128"


def test_tiny_and_flat_uploads_still_work():
    at = run_page("pixels")
    for shape in [(1, 1), (3, 700), (2, 2)]:
        upload(at, f"tiny{shape}.png", png(np.full(shape, 9, dtype=np.uint8)))
        assert_clean(at)
        assert table(at).shape == (min(shape[0], 34), min(shape[1], 10))
        assert metric(at, "Image H × W") == f"{shape[0]} × {shape[1]}"


def test_the_slides_window_returns_after_a_small_image():
    """34 x 10 at row 42, column 72 on the MRI; the face (25 rows) shrinks it; back on the MRI it is
    the slide's window again (issue 11)."""
    at = run_page("pixels")
    at.selectbox(key="px_img").set_value("face").run()
    assert table(at).shape == (25, 10)
    at.selectbox(key="px_img").set_value("syn_sax").run()
    assert_clean(at)
    t = table(at)
    assert t.shape == (34, 10) and list(t.index)[0] == 42 and list(t.columns)[0] == "72"
    # a window the user chose on the small image is kept as the new wish
    at.selectbox(key="px_img").set_value("face").run()
    at.slider(key="px_h").set_value(12).run()
    at.selectbox(key="px_img").set_value("syn_sax").run()
    t = table(at)
    assert t.shape == (12, 10) and list(t.index)[0] == 42
