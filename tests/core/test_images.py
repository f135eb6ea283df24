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


# -- hostile files: refused before anything large is decoded ------------------------------------
def dicom_with(pixel_bytes: bytes, rows: int, cols: int, ts=ExplicitVRLittleEndian, frames: int = 1,
               samples: int = 1, bits: int = 16) -> bytes:
    """A DICOM file whose header declares ``rows x cols`` and whose PixelData is ``pixel_bytes`` (as given)."""
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ts
    ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.4"
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.SOPClassUID, ds.SOPInstanceUID = "1.2.840.10008.5.1.4.1.1.4", ds.file_meta.MediaStorageSOPInstanceUID
    ds.Modality, ds.Rows, ds.Columns = "MR", rows, cols
    ds.SamplesPerPixel = samples
    ds.PhotometricInterpretation = "MONOCHROME2" if samples == 1 else "RGB"
    if samples == 3:
        ds.PlanarConfiguration = 0
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = bits, bits, bits - 1, 0
    if frames > 1:
        ds.NumberOfFrames = frames
    ds.PixelData = pixel_bytes
    if ts != ExplicitVRLittleEndian and ts != pydicom.uid.DeflatedExplicitVRLittleEndian:
        ds["PixelData"].VR = "OB"
        ds["PixelData"].is_undefined_length = True
    buf = io.BytesIO()
    ds.save_as(buf, enforce_file_format=True)
    return buf.getvalue()


def test_16_bit_and_8_bit_uploads_come_back_as_exact_float32():
    a = (np.arange(40 * 30).reshape(40, 30) * 50).astype(np.uint16)
    out = load_upload(encode(a, "PNG"), "a.png")
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, a)
    big = np.array([[0, 2**31 - 1], [-2**31, 123456789]], dtype=np.int32)    # float32 cannot hold these
    out = load_upload(encode(big, "TIFF"), "big.tif")
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, big)


def test_images_taller_than_one_band_are_converted_row_for_row():
    rgb = np.random.default_rng(3).integers(0, 256, (600, 7, 3), dtype=np.uint8)   # three bands of rows
    np.testing.assert_array_equal(load_upload(encode(rgb, "PNG"), "c.png"), to_gray(rgb))


def test_other_formats_are_refused_without_running_their_plugins():
    for fmt in ("GIF", "BMP", "WEBP", "PPM"):
        assert "not an image" in refused(encode(np.zeros((8, 8), np.uint8), fmt), f"x.{fmt.lower()}")
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n(x) show\n"     # Pillow would call Ghostscript
    assert "not an image" in refused(eps, "x.eps")


def test_huge_header_dimensions_in_every_format():
    assert "100,000 x 3" in refused(png_header_only(100_000, 3), "wide.png")
    buf = io.BytesIO()
    Image.new("L", (60000, 2)).save(buf, "TIFF", compression="tiff_deflate")
    bomb = buf.getvalue()
    assert "60,000" in refused(bomb, "wide.tif")


def test_dicom_deflated_is_refused_before_it_is_inflated():
    data = dicom_with(b"\0" * (2 * 512 * 512), 512, 512, ts=pydicom.uid.DeflatedExplicitVRLittleEndian)
    assert len(data) < 20_000                          # 512 kB of pixels deflate to a few kB
    assert "deflate" in refused(data, "bomb.dcm")


def test_dicom_wrong_dimensions_and_sizes():
    assert "could not be decoded" in refused(dicom_with(b"\0\0" * 10, 6, 5), "short.dcm")       # 30 pixels declared
    assert "limit is 4,096" in refused(dicom_with(b"\0\0" * 4, 5000, 2), "tall.dcm")
    assert "not a valid image" in refused(dicom_with(b"\0" * 30, 6, 5, samples=2, bits=8), "odd.dcm")
    assert "not a valid image" in refused(dicom_with(b"\0" * 30, 6, 5, bits=12), "odd.dcm")
    assert "no pixels" in refused(dicom_with(b"", 0, 5), "empty.dcm")


def test_dicom_rgb_and_multi_frame():
    rgb = np.zeros((4, 5, 3), np.uint8)
    rgb[..., 0] = 200
    out = load_upload(dicom_with(rgb.tobytes(), 4, 5, samples=3, bits=8), "rgb.dcm")
    np.testing.assert_array_equal(out, np.full((4, 5), round(0.2125 * 200)))
    frames = np.stack([np.full((3, 4), 7, np.uint16), np.full((3, 4), 9, np.uint16)])
    np.testing.assert_array_equal(load_upload(dicom_with(frames.tobytes(), 3, 4, frames=2), "cine.dcm"), 7)


def test_dicom_compressed_without_a_decoder_here_is_refused_by_name():
    from pydicom.encaps import encapsulate
    data = dicom_with(encapsulate([b"\xff\xd8\xff\xf7" + b"\0" * 40]), 6, 5, ts=pydicom.uid.JPEGLSLossless)
    message = refused(data, "jls.dcm")
    assert "JPEG-LS" in message and "cannot decode" in message


def rle_frame(segments: list[bytes]) -> bytes:
    header = len(segments).to_bytes(4, "little")
    offset, offsets = 64, []
    for seg in segments:
        offsets.append(offset)
        offset += len(seg)
    header += b"".join(o.to_bytes(4, "little") for o in offsets) + b"\0" * 4 * (15 - len(segments))
    return header + b"".join(segments)


def test_dicom_rle_round_trip_and_rle_bomb():
    from pydicom.encaps import encapsulate
    a = np.arange(6 * 5, dtype=np.uint8).reshape(6, 5)
    literal = b"".join(bytes([len(row) - 1]) + row.tobytes() for row in a)     # PackBits literal runs
    good = dicom_with(encapsulate([rle_frame([literal])]), 6, 5, ts=pydicom.uid.RLELossless, bits=8)
    np.testing.assert_array_equal(load_upload(good, "rle.dcm"), a)
    bomb_segment = b"\x81\x00" * 200_000                  # each 2 bytes decode to 128 zeros: 25 MB
    bomb = dicom_with(encapsulate([rle_frame([bomb_segment])]), 64, 64, ts=pydicom.uid.RLELossless, bits=8)
    assert "RLE bomb" in refused(bomb, "bomb.dcm")
    assert "damaged" in refused(dicom_with(encapsulate([b"\x01\0\0\0"]), 6, 5, ts=pydicom.uid.RLELossless, bits=8),
                                "cut.dcm")


def test_dicom_jpeg_declaring_more_pixels_than_the_header_is_refused():
    from pydicom.encaps import encapsulate
    jpeg = encode(np.zeros((64, 64), np.uint8), "JPEG")
    data = dicom_with(encapsulate([jpeg]), 8, 8, ts=pydicom.uid.JPEGBaseline8Bit, bits=8)
    assert "64 x 64" in refused(data, "big.dcm")
    ok = dicom_with(encapsulate([encode(np.full((8, 8), 90, np.uint8), "JPEG", quality=95)]), 8, 8,
                    ts=pydicom.uid.JPEGBaseline8Bit, bits=8)
    assert np.abs(load_upload(ok, "ok.dcm") - 90).max() <= 2


def test_dicom_non_finite_rescale_is_ignored_and_float_pixels_checked():
    data = dicom_bytes()
    ds = pydicom.dcmread(io.BytesIO(data))
    ds.RescaleSlope, ds.RescaleIntercept = "2", "-10"
    buf = io.BytesIO()
    ds.save_as(buf)
    expected = (np.arange(30).reshape(6, 5) * 130).astype(float) * 2 - 10
    np.testing.assert_array_equal(load_upload(buf.getvalue(), "ct.dcm"), expected)


# -- peak memory, measured in a fresh interpreter ---------------------------------------------------
PEAK_SCRIPT = r"""
import resource, sys
import numpy as np, PIL.Image, pydicom
from explorer.core.images import ImageError, load_upload
data = open(sys.argv[1], "rb").read()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    out = load_upload(data, sys.argv[2])
    result = f"{out.shape[0]}x{out.shape[1]}:{out.dtype}"
except ImageError as e:
    result = "refused:" + str(e)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(result)
print((peak - base) / 1024)
"""


def peak_mb(tmp_path, data: bytes, name: str) -> tuple[str, float]:
    """(what load_upload gave, its peak memory above the interpreter's in MB) in a fresh process."""
    import subprocess
    import sys
    from pathlib import Path
    path = tmp_path / name
    path.write_bytes(data)
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", PEAK_SCRIPT, str(path), name], capture_output=True, text=True,
                         cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, timeout=300)
    assert out.returncode == 0, out.stderr
    result, mb = out.stdout.strip().splitlines()
    return result, float(mb)


def test_peak_memory_of_the_largest_legal_files(tmp_path):
    """A 4,096² 16-bit PNG (tens of kB) and a 4,096² RGBA PNG: about 64 MB of result, never ~1 GB."""
    a = np.zeros((4096, 4096), np.uint16)
    a[::7, ::5] = 60000
    result, mb = peak_mb(tmp_path, encode(a, "PNG"), "sixteen.png")
    assert result == "4096x4096:float32"
    assert mb < 200, f"{mb:.0f} MB"           # was 240 MB (and ~0.9 GB on the page) with float64 copies
    rgba = np.zeros((4096, 4096, 4), np.uint8)
    rgba[..., 3] = 255
    rgba[::3, ::3, 0] = 255
    result, mb = peak_mb(tmp_path, encode(rgba, "PNG"), "rgba.png")
    assert result == "4096x4096:float32"
    assert mb < 200, f"{mb:.0f} MB"           # was 830 MB


def test_peak_memory_of_bombs(tmp_path):
    result, mb = peak_mb(tmp_path, png_header_only(60000, 60000), "bomb.png")
    assert result.startswith("refused:") and mb < 20, (result, mb)
    from pydicom.encaps import encapsulate
    bomb = dicom_with(encapsulate([rle_frame([b"\x81\x00" * 2_000_000])]), 4096, 4096, ts=pydicom.uid.RLELossless,
                      bits=8)                 # 4 MB that pydicom would decode to 256 MB
    result, mb = peak_mb(tmp_path, bomb, "rle.dcm")
    assert "RLE bomb" in result and mb < 40, (result, mb)
