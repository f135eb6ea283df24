"""Images as numbers: bundled samples, safe loading of uploads, windows and flattening.

"Computer sees the number, not content": every loader here returns a plain 2-D ``float64``
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

MAX_BYTES = 10 * 1024 * 1024          # 10 MB
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
def _refuse_size(height: int, width: int, what: str = "The image") -> None:
    if height > MAX_SIDE or width > MAX_SIDE:
        raise ImageError(f"{what} is {width:,} x {height:,} pixels; the limit is {MAX_SIDE:,} x {MAX_SIDE:,}.")
    if height < 1 or width < 1:
        raise ImageError(f"{what} has no pixels ({width} x {height}).")


def _is_dicom(data: bytes, name: str) -> bool:
    return data[128:132] == b"DICM" or name.lower().endswith((".dcm", ".dicom"))


def _load_dicom(data: bytes) -> np.ndarray:
    import pydicom
    from pydicom.errors import InvalidDicomError

    forced = data[128:132] != b"DICM"
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
    except (AttributeError, TypeError, ValueError) as e:
        raise ImageError(f"This DICOM file does not say how big its image is ({_reason(e)}).") from None
    _refuse_size(rows, cols, "The DICOM image")
    if frames * rows * cols * samples > 4 * MAX_PIXELS:
        raise ImageError(f"This DICOM file holds {frames:,} frames of {cols:,} x {rows:,} pixels; that is too much to decode here.")
    try:
        pixels = ds.pixel_array
    except Exception as e:  # decoders raise many types (missing codec, bad length, ...)
        raise ImageError(f"The pixel data of this DICOM file could not be decoded ({_reason(e)}).") from None
    pixels = np.asarray(pixels)
    if frames > 1:
        pixels = pixels[0]                       # the first frame
    gray = to_gray(pixels)                       # colour DICOMs arrive as RGB (pydicom converts YBR)
    slope = ds.get("RescaleSlope", None)
    intercept = ds.get("RescaleIntercept", None)
    try:
        if slope is not None or intercept is not None:
            gray = gray * float(slope if slope is not None else 1.0) + float(intercept or 0.0)
    except (TypeError, ValueError):
        pass                                     # a malformed rescale is ignored: stored values
    return gray


def _load_pil(data: bytes) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))    # reads the header only; PIL refuses > 2 x MAX_IMAGE_PIXELS
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
        _refuse_size(height, width)
        try:
            image.seek(0)                          # the first frame of a multi-page TIFF
            image.load()
        except Image.DecompressionBombError:
            raise ImageError("The image declares more pixels than the limit (a decompression bomb).") from None
        except Exception as e:                    # truncated or corrupt data
            raise ImageError(f"The image data is damaged or incomplete ({_reason(e)}).") from None
        return _pil_to_array(image)


def _pil_to_array(image) -> np.ndarray:
    mode = image.mode
    if mode in ("1", "L", "P", "PA", "RGB", "RGBA", "LA", "CMYK", "YCbCr", "LAB", "HSV", "RGBX", "RGBa", "La"):
        if mode == "1":
            image = image.convert("L")          # 0 / 255
        elif mode in ("P", "PA"):
            image = image.convert("RGBA")
        elif mode in ("CMYK", "YCbCr", "LAB", "HSV", "RGBX"):
            image = image.convert("RGB")
        elif mode == "RGBa":
            image = image.convert("RGBA")
        elif mode == "La":
            image = image.convert("LA")
        return to_gray(np.asarray(image))
    if mode.startswith("I;16") or mode in ("I", "F"):
        return np.asarray(image).astype(float)   # 16-bit, 32-bit integer and float values as stored
    try:
        return to_gray(np.asarray(image.convert("RGB")))
    except Exception as e:
        raise ImageError(f"This image's pixel format ({mode}) is not supported ({_reason(e)}).") from None


_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG", b"II*\x00": "TIFF", b"MM\x00*": "TIFF"}


def _signature(data: bytes) -> str | None:
    """The format a file's first bytes announce, if any."""
    return next((kind for magic, kind in _SIGNATURES.items() if data.startswith(magic)), None)


def _reason(e: Exception) -> str:
    text = str(e).strip().rstrip(".").splitlines()[0] if str(e).strip() else type(e).__name__
    return text[:120]


def load_upload(data: bytes, name: str = "") -> np.ndarray:
    """An uploaded file (PNG, JPEG, TIFF or DICOM) as a 2-D float64 array of its values.

    ``name`` is the file's name, used only to recognise DICOM files without the "DICM"
    preamble. Colour and transparency follow the rule in the module docstring; 16-bit
    values are kept. Raises :class:`ImageError` (a ``ValueError``) with one sentence for
    the user when the file is empty, over 10 MB, not an image, damaged or truncated, larger
    than 4096 x 4096 pixels (checked from the header, before decoding: decompression bombs
    never get decoded), a DICOM without pixel data, or holds values that are not finite.
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
    if not np.isfinite(image).all():
        raise ImageError("The image holds values that are not finite numbers (NaN or infinity).")
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
