"""Images as numbers: bundled samples, safe loading of uploads, windows and flattening.

"Computer sees the number, not content": every loader here returns a plain 2-D float
array of the values stored in the file (no rescaling to 0..1), so that a page can show the
numbers a network would get. Flattening follows the lecture: an ``H x W`` image becomes
``X`` of shape ``N x 1`` with ``N = H x W``, row by row (row-major, numpy's ``C`` order).

Colour is turned into one grey value per pixel by the luminance rule of ITU-R BT.709
(the one ``skimage.color.rgb2gray`` uses), but *in the file's own units*:
``Y = 0.2125 R + 0.7154 G + 0.0721 B``. Transparency (RGBA, LA) is composited on black:
each value is multiplied by ``alpha / alpha_max``, so a fully transparent pixel is 0.
Integer files give whole numbers (the grey value rounded to the nearest integer).
16-bit greyscale files keep their values (0..65535); Pillow reads 16-bit *colour* PNGs as
8-bit colour. DICOM files give their stored values with the modality rescale (slope,
intercept) applied when the file has one (e.g. Hounsfield units for CT), the first frame of
a multi-frame file, and MONOCHROME1 values as they are (there, small values mean white).

Nothing here writes files or evaluates anything from a file; uploads are refused, with a
one-sentence reason in :class:`ImageError`, before any large decoding happens.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Callable

import numpy as np

from explorer.core.limits import MAX_UPLOAD_BYTES

MAX_BYTES = MAX_UPLOAD_BYTES           # 10 MB, the app's one upload limit
MAX_SIDE = 4096                       # pixels, each side
MAX_PIXELS = MAX_SIDE * MAX_SIDE
LUMA = (0.2125, 0.7154, 0.0721)       # ITU-R BT.709, as skimage.color.rgb2gray
FORMATS = "PNG, JPEG, TIFF or DICOM"


class ImageError(ValueError):
    """An upload that cannot be used; ``str(error)`` is one sentence for the user."""


# -- samples ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sample:
    """A bundled image: ``load()`` gives the 2-D float array; ``heart`` is Y when known."""

    key: str
    label: str
    load: Callable[[], np.ndarray]
    source: str
    units: str
    heart: int | None = None      # Y = 1 if the heart is imaged, 0 if not, None if unknown


def _camera():
    from skimage import data
    return data.camera().astype(float)


def _phantom():
    from skimage import data
    return data.shepp_logan_phantom().astype(float)


def _chelsea():
    from skimage import data
    return to_gray(data.chelsea())


def _face():
    from skimage import data
    return data.lfw_subset()[0].astype(float)


def mr_small_path() -> str:
    from pydicom.data import get_testdata_file
    return get_testdata_file("MR_small.dcm")


def _mr_small():
    with open(mr_small_path(), "rb") as f:
        return load_upload(f.read(), "MR_small.dcm")


def _synthetic(view: str, size: int = 128):
    def load():
        from explorer.core.mri import make_slice
        return make_slice(view, size=size, seed=0).astype(float)
    return load


def _chest():
    from explorer.core.mri import make_chest
    return make_chest(128, seed=0)[0].astype(float)


SAMPLES: dict[str, Sample] = {s.key: s for s in [
    Sample("camera", "Cameraman photo", _camera, "scikit-image data.camera(): a classic test photograph",
           "8-bit grey levels, 0 to 255"),
    Sample("phantom", "Shepp-Logan phantom", _phantom,
           "scikit-image data.shepp_logan_phantom(): the standard CT test object", "floats from 0 to 1"),
    Sample("cat", "Cat photo (Chelsea)", _chelsea,
           "scikit-image data.chelsea(): the cat Chelsea (the slide's \"Is a cat?\"), a colour photo turned grey", "8-bit grey levels, 0 to 255"),
    Sample("face", "Face (LFW)", _face,
           "scikit-image data.lfw_subset(): a 25 x 25 face from Labeled Faces in the Wild",
           "floats from 0 to 1"),
    Sample("mr_small", "Real MRI (MR_small.dcm)", _mr_small,
           "pydicom's test file MR_small.dcm: a real 64 x 64 MR slice (a spin-echo scan), as stored in the file",
           "16-bit signed stored values"),
    *[Sample(f"syn_{v.lower()}", f"Synthetic {v}", _synthetic(v),
             f"explorer.core.mri.make_slice('{v}', 128): a synthetic cartoon cine-MRI slice", "12-bit, 0 to 4095",
             1 if v != "Other" else 0)
      for v in ("SAX", "CH4", "CH2", "CH3", "Other")],
    Sample("chest", "Synthetic chest (find the heart)", _chest,
           "explorer.core.mri.make_chest(128): a wider synthetic slice with the heart somewhere in it",
           "12-bit, 0 to 4095", 1),
]}


def load_sample(key: str) -> np.ndarray:
    """The sample ``key`` of :data:`SAMPLES` as a 2-D float64 array (values as stored)."""
    if key not in SAMPLES:
        raise KeyError(f"unknown sample {key!r}; known: {', '.join(SAMPLES)}")
    return np.asarray(SAMPLES[key].load(), dtype=float)


# -- conversion --------------------------------------------------------------------------------
def to_gray(pixels: np.ndarray, alpha_max: float | None = None) -> np.ndarray:
    """Any ``H x W``, ``H x W x 3`` (RGB) or ``H x W x 4`` (RGBA) array -> ``H x W`` float64.

    RGB: ``0.2125 R + 0.7154 G + 0.0721 B`` in the input's units. RGBA and grey+alpha: the
    result times ``alpha / alpha_max`` (composited on black); ``alpha_max`` defaults to the
    largest value of the dtype (255 for uint8, 65535 for uint16) or 1 for floats. Integer
    input gives whole numbers (rounded to the nearest), as a greyscale file would hold.
    """
    a = np.asarray(pixels)
    if a.ndim == 2:
        return a.astype(float)
    if a.ndim != 3 or a.shape[2] not in (2, 3, 4):
        raise ImageError(f"An image must have one, three or four values per pixel; this one has shape {a.shape}.")
    if alpha_max is None:
        alpha_max = float(np.iinfo(a.dtype).max) if np.issubdtype(a.dtype, np.integer) else 1.0
    values = a.astype(float)
    channels = values.shape[2]
    if channels in (3, 4):
        gray = values[..., 0] * LUMA[0] + values[..., 1] * LUMA[1] + values[..., 2] * LUMA[2]
    else:
        gray = values[..., 0]
    if channels in (2, 4):
        gray = gray * (values[..., -1] / alpha_max)
    if np.issubdtype(a.dtype, np.integer):
        gray = np.rint(gray)                     # whole numbers in, whole numbers out
    return gray


# -- uploads -----------------------------------------------------------------------------------
# Memory is bounded before anything is decoded: the header is read first (size, pixel format,
# compression) and the file is refused when its image is larger than MAX_SIDE x MAX_SIDE or one
# decoded frame would exceed MAX_DECODED_BYTES. Decoded pixels then become grey values one band
# of rows at a time, written straight into the result, which is float32 whenever float32 holds
# every value exactly (all 8- and 16-bit files) and float64 only otherwise. The peak is the
# decoded frame plus the result plus one band: about 130 MB for the largest legal file.
MAX_DECODED_BYTES = 4 * MAX_PIXELS    # one decoded frame: 4,096 x 4,096 pixels x 4 bytes = 64 MB
BAND_ROWS = 256                       # rows converted at a time
PIL_FORMATS = ("PNG", "JPEG", "TIFF")   # only these: no Ghostscript (EPS) or other plugin ever runs
_DEFLATED = b"1.2.840.10008.1.2.1.99"
_RLE = "1.2.840.10008.1.2.5"
_NOT_FINITE = "The image holds values that are not finite numbers (NaN or infinity)."


def _refuse_size(height: int, width: int, what: str = "The image") -> None:
    if height > MAX_SIDE or width > MAX_SIDE:
        raise ImageError(f"{what} is {width:,} x {height:,} pixels; the limit is {MAX_SIDE:,} x {MAX_SIDE:,}.")
    if height < 1 or width < 1:
        raise ImageError(f"{what} has no pixels ({width} x {height}).")


class _Gray:
    """The result image, filled one band of rows at a time (float32 while that is exact)."""

    def __init__(self, height: int, width: int):
        self.out = np.empty((height, width), np.float32)

    def put(self, top: int, band: np.ndarray) -> None:
        if not np.isfinite(band).all():
            raise ImageError(_NOT_FINITE)
        rows = slice(top, top + band.shape[0])
        if self.out.dtype == np.float32:
            narrow = band.astype(np.float32)
            if np.array_equal(narrow, band):
                self.out[rows] = narrow
                return
            self.out = self.out.astype(np.float64)   # values float32 cannot hold: widen once
        self.out[rows] = band


def _gray_from_array(pixels: np.ndarray, rescale=None) -> np.ndarray:
    """``to_gray`` band by band (no float64 copy of the whole array), then ``value * slope + intercept``."""
    if pixels.ndim not in (2, 3):
        raise ImageError(f"The file holds an array of shape {pixels.shape}, not an image.")
    height, width = pixels.shape[:2]
    gray = _Gray(height, width)
    for top in range(0, height, BAND_ROWS):
        band = to_gray(pixels[top:top + BAND_ROWS])
        if rescale is not None:
            band = band * rescale[0] + rescale[1]
        gray.put(top, band)
    return gray.out


def _is_dicom(data: bytes, name: str) -> bool:
    return data[128:132] == b"DICM" or name.lower().endswith((".dcm", ".dicom"))


def _meta_region(data: bytes) -> bytes:
    """The bytes of a DICOM file's meta header (group 0002), or its first 4 KB when that cannot be told."""
    if data[128:132] == b"DICM" and data[132:136] == b"\x02\x00\x00\x00" and data[136:138] == b"UL":
        return data[132:144 + int.from_bytes(data[140:144], "little")]
    return data[:4096]


def _rle_segment_length(segment: bytes, limit: int) -> int:
    """How many bytes an RLE (PackBits) segment decodes to, counted without decoding (stops past ``limit``)."""
    pos = total = 0
    n = len(segment)
    while pos < n and total <= limit:
        header = segment[pos] + 1
        pos += 1
        if header > 129:            # repeat the next byte 258 - header times
            total += 258 - header
            pos += 1
        elif header < 129:          # copy the next header bytes
            total += header
            pos += header
    return total


def _check_rle_frame(frame: bytes, rows: int, cols: int) -> None:
    """Refuse an RLE frame whose segments would decode to more than ``rows x cols`` bytes each (an RLE bomb)."""
    if len(frame) < 64:
        raise ImageError("The compressed pixel data of this DICOM file is damaged (its RLE header is cut off).")
    count = int.from_bytes(frame[:4], "little")
    offsets = [int.from_bytes(frame[4 + 4 * i:8 + 4 * i], "little") for i in range(15)][:count]
    if not 1 <= count <= 15 or any(not 64 <= o <= len(frame) for o in offsets) or offsets != sorted(offsets):
        raise ImageError("The compressed pixel data of this DICOM file is damaged (a wrong RLE header).")
    for start, end in zip(offsets, offsets[1:] + [len(frame)]):
        if _rle_segment_length(frame[start:end], rows * cols) > rows * cols + 1:
            raise ImageError("The compressed pixel data of this DICOM file decodes to more than its "
                             f"{cols:,} x {rows:,} pixels (an RLE bomb).")


def _check_compressed(ds, ts, rows: int, cols: int, frames: int) -> None:
    """Before decoding compressed pixel data: a decoder exists here, and the first frame is no larger than declared."""
    from pydicom.encaps import get_frame
    from pydicom.pixels import get_decoder

    try:
        available = get_decoder(ts).is_available
    except (NotImplementedError, ValueError, KeyError):
        available = False
    if not available:
        raise ImageError(f"This DICOM file's pixel data is compressed as {ts.name}, which this server cannot "
                         "decode; save it uncompressed (or as JPEG or RLE) and upload it again.")
    try:
        frame = get_frame(ds.PixelData, 0, number_of_frames=frames)
    except Exception as e:  # damaged encapsulation: many exception types
        raise ImageError(f"The compressed pixel data of this DICOM file is damaged ({_reason(e)}).") from None
    if ts == _RLE:
        _check_rle_frame(frame, rows, cols)
        return
    from PIL import Image
    try:
        with Image.open(io.BytesIO(frame)) as codestream:   # the header only: no decoding
            width, height = codestream.size
    except Exception:
        return                    # not a stream Pillow knows: the decoder checks it against Rows x Columns
    if width * height > rows * cols:
        raise ImageError(f"The compressed pixel data declares {width:,} x {height:,} pixels, more than the "
                         f"file's {cols:,} x {rows:,}.")


def _load_dicom(data: bytes) -> np.ndarray:
    import pydicom
    from pydicom.errors import InvalidDicomError
    from pydicom.uid import ImplicitVRLittleEndian, UID

    forced = data[128:132] != b"DICM"
    if _DEFLATED in _meta_region(data):
        raise ImageError("This DICOM file is deflate-compressed as a whole (Deflated Explicit VR Little Endian), "
                         "which this page does not read; save it uncompressed and upload it again.")
    try:
        ds = pydicom.dcmread(io.BytesIO(data), force=forced)
        known = [tag in ds for tag in ("SOPClassUID", "Modality", "Rows", "PixelData")]
    except InvalidDicomError:
        raise ImageError(f"This file is not an image this page can read ({FORMATS}).") from None
    except Exception as e:  # a damaged file can fail in many ways inside the parser
        raise ImageError(f"This file could not be read as DICOM ({_reason(e)}).") from None
    if forced and not any(known):
        raise ImageError(f"This file is not an image this page can read ({FORMATS}).")
    if not any(tag in ds for tag in ("PixelData", "FloatPixelData", "DoubleFloatPixelData")):
        raise ImageError("This DICOM file has no pixel data (it may be a report or another non-image object).")
    try:
        rows, cols = int(ds.Rows), int(ds.Columns)
        frames = int(ds.get("NumberOfFrames", 1) or 1)
        samples = int(ds.get("SamplesPerPixel", 1) or 1)
        bits = int(ds.BitsAllocated)
    except (AttributeError, TypeError, ValueError) as e:
        raise ImageError(f"This DICOM file does not say how big its image is ({_reason(e)}).") from None
    _refuse_size(rows, cols, "The DICOM image")
    if frames < 1 or samples not in (1, 3) or bits not in (1, 8, 16, 32, 64):
        raise ImageError(f"This DICOM file declares {frames} frames of {samples} samples of {bits} bits per "
                         "pixel, which is not a valid image.")
    if rows * cols * samples * max(bits, 8) // 8 > MAX_DECODED_BYTES:
        raise ImageError(f"One frame of this DICOM file ({cols:,} x {rows:,} pixels, {samples} x {bits} bits) "
                         f"would take more than {MAX_DECODED_BYTES // 2**20} MB to decode.")
    meta = getattr(ds, "file_meta", None)
    ts = UID(str(meta.get("TransferSyntaxUID", ImplicitVRLittleEndian) if meta is not None else ImplicitVRLittleEndian))
    try:
        if ts.is_compressed and "PixelData" in ds:
            _check_compressed(ds, ts, rows, cols, frames)
        ds.pixel_array_options(index=0)            # decode the first frame only
        pixels = np.asarray(ds.pixel_array)
    except ImageError:
        raise
    except Exception as e:  # decoders raise many types (missing codec, bad length, ...)
        raise ImageError(f"The pixel data of this DICOM file could not be decoded ({_reason(e)}).") from None
    rescale = None
    slope, intercept = ds.get("RescaleSlope", None), ds.get("RescaleIntercept", None)
    try:
        if slope is not None or intercept is not None:
            rescale = (float(slope if slope is not None else 1.0), float(intercept or 0.0))
            if not all(np.isfinite(rescale)):
                rescale = None
    except (TypeError, ValueError):
        rescale = None                             # a malformed rescale is ignored: stored values
    return _gray_from_array(pixels, rescale)      # colour DICOMs arrive as RGB (pydicom converts YBR)


def _load_pil(data: bytes) -> np.ndarray:
    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)   # our own limit is far lower
            image = Image.open(io.BytesIO(data), formats=PIL_FORMATS)   # the header only: nothing decoded yet
    except Image.DecompressionBombError:
        raise ImageError(f"The image header declares more pixels than the limit of {MAX_SIDE:,} x {MAX_SIDE:,} "
                         "(a decompression bomb).") from None
    except UnidentifiedImageError:
        kind = _signature(data)
        if kind:
            raise ImageError(f"The image data is damaged or incomplete (it starts like a {kind} file "
                             "but cannot be read).") from None
        raise ImageError(f"This file is not an image this page can read ({FORMATS}).") from None
    except Exception as e:
        if _signature(data):
            raise ImageError(f"The image data is damaged or incomplete ({_reason(e)}).") from None
        raise ImageError(f"This file could not be opened as an image ({_reason(e)}).") from None
    with image:
        width, height = image.size
        _refuse_size(height, width)                # before decoding: a bomb is never decoded
        try:
            image.seek(0)                          # the first frame of a multi-page TIFF
            image.load()
        except Image.DecompressionBombError:
            raise ImageError("The image declares more pixels than the limit (a decompression bomb).") from None
        except Exception as e:                    # truncated or corrupt data
            raise ImageError(f"The image data is damaged or incomplete ({_reason(e)}).") from None
        return _pil_to_array(image)


_CONVERT = {"1": "L", "P": "RGBA", "PA": "RGBA", "CMYK": "RGB", "YCbCr": "RGB", "LAB": "RGB", "HSV": "RGB",
            "RGBX": "RGB", "RGBa": "RGBA", "La": "LA"}
_DIRECT = ("L", "LA", "RGB", "RGBA", "I", "F")


def _pil_to_array(image) -> np.ndarray:
    """A decoded Pillow image as grey values, one band of rows at a time (never a float64 copy of it all)."""
    mode = image.mode
    target = None if (mode in _DIRECT or mode.startswith("I;16")) else _CONVERT.get(mode, "RGB")
    width, height = image.size
    gray = _Gray(height, width)
    for top in range(0, height, BAND_ROWS):
        band = image.crop((0, top, width, min(height, top + BAND_ROWS)))
        try:
            if target is not None:
                band = band.convert(target)
            values = np.asarray(band)
        except ImageError:
            raise
        except Exception as e:
            raise ImageError(f"This image's pixel format ({mode}) is not supported ({_reason(e)}).") from None
        gray.put(top, to_gray(values))              # 16-bit, 32-bit integer and float values as stored
    return gray.out


_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG", b"II*\x00": "TIFF", b"MM\x00*": "TIFF"}


def _signature(data: bytes) -> str | None:
    """The format a file's first bytes announce, if any."""
    return next((kind for magic, kind in _SIGNATURES.items() if data.startswith(magic)), None)


def _reason(e: Exception) -> str:
    text = str(e).strip().rstrip(".").splitlines()[0] if str(e).strip() else type(e).__name__
    return text[:120]


def load_upload(data: bytes, name: str = "") -> np.ndarray:
    """An uploaded file (PNG, JPEG, TIFF or DICOM) as a 2-D float array of its values.

    The array is float32 when that holds every value exactly (every 8- and 16-bit file), else
    float64. ``name`` is the file's name, used only to recognise DICOM files without the "DICM"
    preamble. Colour and transparency follow the rule in the module docstring; 16-bit values
    are kept. Raises :class:`ImageError` (a ``ValueError``) with one sentence for the user when
    the file is empty, over :data:`MAX_BYTES`, not an image, damaged or truncated, larger than
    4096 x 4096 pixels (checked from the header, before decoding: decompression bombs never get
    decoded), a DICOM without pixel data or compressed in a way this server cannot decode (or
    whose compressed data would decode to more than it declares), or holds values that are not
    finite. Peak memory stays near the decoded frame plus the result (see the module's limits).
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ImageError("The upload is not a file's bytes.")
    data = bytes(data)
    if len(data) == 0:
        raise ImageError("The file is empty.")
    if len(data) > MAX_BYTES:
        raise ImageError(f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is {MAX_BYTES // (1024 * 1024)} MB.")
    image = _load_dicom(data) if _is_dicom(data, name or "") else _load_pil(data)
    if image.ndim != 2 or image.size == 0:
        raise ImageError("The file does not hold a two-dimensional image.")
    return image


# -- windows and flattening --------------------------------------------------------------------
def clip_window(shape: tuple[int, int], top: int, left: int, height: int, width: int) -> tuple[int, int, int, int]:
    """The window ``(top, left, height, width)`` moved and shrunk to lie inside an image of ``shape``.

    ``height`` and ``width`` must be whole numbers >= 1 (else ValueError); a window larger
    than the image is shrunk to it, and one that sticks out is moved back inside.
    """
    H, W = int(shape[0]), int(shape[1])
    values = (top, left, height, width)
    if any(isinstance(v, bool) or not isinstance(v, (int, np.integer)) for v in values):
        raise ValueError(f"top, left, height and width must be whole numbers, got {values!r}")
    if height < 1 or width < 1:
        raise ValueError(f"height and width must be at least 1, got {height} x {width}")
    if H < 1 or W < 1:
        raise ValueError("the image has no pixels")
    height, width = min(int(height), H), min(int(width), W)
    top = min(max(int(top), 0), H - height)
    left = min(max(int(left), 0), W - width)
    return top, left, height, width


def window(image: np.ndarray, top: int, left: int, height: int, width: int) -> np.ndarray:
    """The ``height x width`` sub-array starting at ``(top, left)``, kept inside the image (see :func:`clip_window`)."""
    image = np.asarray(image)
    if image.ndim != 2:
        raise ValueError(f"window needs a 2-D image, got shape {image.shape}")
    t, l, h, w = clip_window(image.shape, top, left, height, width)
    return image[t:t + h, l:l + w]


def flatten(image: np.ndarray) -> np.ndarray:
    """The lecture's ``X``: the image as an ``N x 1`` column, ``N = H x W``, row by row.

    ``X[i * W + j, 0] == image[i, j]``; ``X.reshape(H, W)`` gives the image back.
    """
    image = np.asarray(image)
    if image.ndim != 2:
        raise ValueError(f"flatten needs a 2-D image, got shape {image.shape}")
    return image.astype(float).reshape(-1, 1)


def describe(image: np.ndarray) -> dict:
    """Size, value range and whether every value is a whole number (for captions)."""
    image = np.asarray(image, dtype=float)
    return {"height": image.shape[0], "width": image.shape[1], "N": int(image.size),
            "min": float(image.min()), "max": float(image.max()),
            "integers": bool(np.all(np.mod(image, 1) == 0))}
