"""Tests for loading images as numbers (explorer/core/images.py)."""
import io
import struct
import zlib

import numpy as np
import pydicom
import pytest
from PIL import Image
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

from explorer.core.images import (MAX_BYTES, SAMPLES, ImageError, clip_window, describe, flatten, load_sample,
                                  load_upload, mr_small_path, to_gray, window)


def encode(array: np.ndarray, fmt: str, **kwargs) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(array).save(buf, format=fmt, **kwargs)
    return buf.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares ``width x height`` 8-bit grey pixels (a decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + png_chunk(b"IEND", b""))


def dicom_bytes(with_pixels: bool = True) -> bytes:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    sop = "1.2.840.10008.5.1.4.1.1.4" if with_pixels else "1.2.840.10008.5.1.4.1.1.88.11"   # MR / basic SR
    ds.file_meta.MediaStorageSOPClassUID = sop
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.SOPClassUID, ds.SOPInstanceUID = sop, ds.file_meta.MediaStorageSOPInstanceUID
    ds.Modality = "MR" if with_pixels else "SR"
    if with_pixels:
        pixels = (np.arange(6 * 5).reshape(6, 5) * 130).astype(np.uint16)
        ds.Rows, ds.Columns = pixels.shape
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
        ds.PixelData = pixels.tobytes()
    buf = io.BytesIO()
    ds.save_as(buf, enforce_file_format=True)
    return buf.getvalue()


# -- samples -----------------------------------------------------------------------------------
@pytest.mark.parametrize("key", list(SAMPLES))
def test_every_sample_loads_as_2d_float(key):
    img = load_sample(key)
    assert img.ndim == 2 and img.dtype == np.float64 and img.size > 0
    assert np.isfinite(img).all()


def test_samples_keep_their_own_units():
    assert load_sample("camera").max() == 255
    assert load_sample("phantom").max() == pytest.approx(1.0)
    mr = load_sample("mr_small")
    assert mr.shape == (64, 64)
    np.testing.assert_array_equal(mr, pydicom.dcmread(mr_small_path()).pixel_array)
    assert load_sample("syn_sax").max() <= 4095
    cat = load_sample("cat")
    assert cat.shape == (300, 451) and np.all(cat == np.round(cat))
    with pytest.raises(KeyError):
        load_sample("dog")


# -- uploads that work -------------------------------------------------------------------------
def test_png_round_trip():
    a = (np.arange(12 * 7).reshape(12, 7) * 3).astype(np.uint8)
    np.testing.assert_array_equal(load_upload(encode(a, "PNG"), "a.png"), a)


def test_16_bit_png_keeps_its_values():
    a = (np.arange(9 * 8).reshape(9, 8) * 900).astype(np.uint16)
    out = load_upload(encode(a, "PNG"), "a16.png")
    np.testing.assert_array_equal(out, a)
    assert out.max() > 255


def test_tiff_16_bit_and_float():
    a = (np.arange(10 * 6).reshape(10, 6) * 1000).astype(np.uint16)
    np.testing.assert_array_equal(load_upload(encode(a, "TIFF"), "a.tif"), a)
    f = np.linspace(-1.5, 2.5, 12).reshape(3, 4).astype(np.float32)
    np.testing.assert_allclose(load_upload(encode(f, "TIFF"), "f.tiff"), f)


def test_jpeg_is_close_to_the_original():
    a = np.tile(np.linspace(0, 255, 32), (24, 1)).astype(np.uint8)
    out = load_upload(encode(a, "JPEG", quality=95), "a.jpg")
    assert out.shape == a.shape and np.abs(out - a).max() <= 6


def test_rgb_follows_the_documented_luminance_rule():
    rgb = np.zeros((4, 4, 3), dtype=np.uint8)
    rgb[..., 0], rgb[..., 1], rgb[..., 2] = 200, 100, 50
    out = load_upload(encode(rgb, "PNG"), "c.png")
    np.testing.assert_array_equal(out, np.full((4, 4), round(0.2125 * 200 + 0.7154 * 100 + 0.0721 * 50)))


def test_rgba_is_composited_on_black():
    rgba = np.zeros((3, 3, 4), dtype=np.uint8)
    rgba[..., :3] = 200
    rgba[..., 3] = 255
    rgba[0, 0, 3] = 0          # transparent
    rgba[1, 1, 3] = 51         # 20 % opaque
    out = load_upload(encode(rgba, "PNG"), "t.png")
    assert out[0, 0] == 0 and out[2, 2] == 200 and out[1, 1] == 40


def test_to_gray_floats_and_grey_alpha():
    np.testing.assert_allclose(to_gray(np.ones((2, 2, 3)) * 0.5), 0.5)
    la = np.zeros((2, 2, 2), dtype=np.uint8)
    la[..., 0], la[..., 1] = 100, 255
    np.testing.assert_array_equal(to_gray(la), 100)


def test_dicom_round_trip_with_and_without_preamble_name():
    data = dicom_bytes()
    expected = (np.arange(30).reshape(6, 5) * 130).astype(float)
    np.testing.assert_array_equal(load_upload(data, "scan.dcm"), expected)
    np.testing.assert_array_equal(load_upload(data, "IM0001"), expected)   # recognised by "DICM", no extension
    with open(mr_small_path(), "rb") as f:
        assert load_upload(f.read(), "MR_small.dcm").shape == (64, 64)


# -- uploads that are refused ------------------------------------------------------------------
def refused(data: bytes, name: str) -> str:
    with pytest.raises(ImageError) as info:
        load_upload(data, name)
    message = str(info.value)
    assert message and message.endswith(".") and "\n" not in message
    assert isinstance(info.value, ValueError)
    return message


def test_random_bytes():
    assert "not an image" in refused(np.random.default_rng(0).bytes(4000), "noise.png")
    assert "not an image" in refused(np.random.default_rng(1).bytes(4000), "noise.dcm")


def test_truncated_png_and_jpeg():
    a = np.random.default_rng(0).integers(0, 255, (64, 64), dtype=np.uint8)
    png = encode(a, "PNG")
    assert "damaged or incomplete" in refused(png[: len(png) // 2], "cut.png")
    jpg = encode(a, "JPEG")
    assert "damaged or incomplete" in refused(jpg[: len(jpg) // 2], "cut.jpg")


def test_truncated_header():
    png = encode(np.zeros((8, 8), np.uint8), "PNG")
    assert "damaged or incomplete" in refused(png[:20], "cut.png")
    assert "damaged or incomplete" in refused(png[:12], "cut.png")


def test_decompression_bomb_refused_from_the_header():
    msg = refused(png_header_only(8000, 8000), "bomb.png")
    assert "8,000 x 8,000" in msg and "4,096" in msg
    assert "bomb" in refused(png_header_only(20000, 20000), "bigger.png")   # PIL's own check, also caught


def test_empty_and_too_large_files():
    assert "empty" in refused(b"", "empty.png")
    assert "10 MB" in refused(b"\0" * (MAX_BYTES + 1), "huge.png")


def test_dicom_without_pixel_data():
    assert "no pixel data" in refused(dicom_bytes(with_pixels=False), "report.dcm")


def test_non_finite_values():
    f = np.array([[0.0, np.nan], [1.0, 2.0]], dtype=np.float32)
    assert "not finite" in refused(encode(f, "TIFF"), "nan.tif")


# -- windows and flattening --------------------------------------------------------------------
def test_window_is_the_sub_array_and_is_kept_inside():
    img = np.arange(20 * 30).reshape(20, 30)
    np.testing.assert_array_equal(window(img, 2, 3, 4, 5), img[2:6, 3:8])
    assert clip_window(img.shape, 18, 28, 34, 10) == (0, 20, 20, 10)   # taller than the image: shrunk, moved
    assert clip_window(img.shape, -5, -5, 3, 3) == (0, 0, 3, 3)
    assert clip_window(img.shape, 100, 100, 3, 3) == (17, 27, 3, 3)
    with pytest.raises(ValueError):
        window(img, 0, 0, 0, 5)
    with pytest.raises(ValueError):
        window(img, 0.5, 0, 3, 3)
    with pytest.raises(ValueError):
        window(np.zeros((2, 2, 3)), 0, 0, 1, 1)


def test_flatten_is_the_lectures_X():
    img = np.arange(34 * 10).reshape(34, 10).astype(float)
    X = flatten(img)
    assert X.shape == (340, 1)                              # N = H x W
    assert X[0, 0] == img[0, 0] and X[10, 0] == img[1, 0]   # row-major: the second row starts at x_W
    assert X[-1, 0] == img[-1, -1]
    np.testing.assert_array_equal(X.reshape(34, 10), img)
    np.testing.assert_array_equal(X[:, 0], img.ravel(order="C"))


def test_describe():
    d = describe(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.5]]))
    assert d == {"height": 2, "width": 3, "N": 6, "min": 1.0, "max": 6.5, "integers": False}
