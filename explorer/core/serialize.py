"""Save a trained network and load it back: an .npz of its arrays plus a JSON of its configuration.

The file holds ``W1, b1, W2, b2, ...`` and ``config`` (a JSON string with ``n_in``,
``widths``, ``activations``, ``pieces``, ``slope``, ``alpha`` and whatever the page
adds, e.g. the data set and features). Loading validates everything before it
builds a network: shapes must match the configuration exactly, values must be
finite, sizes must stay within the app's limits; ``allow_pickle`` is off.
"""
from __future__ import annotations

import io
import json
import math
import re
import zipfile

import numpy as np

from explorer.core.activations import PARAM_RANGES
from explorer.core.architecture import Architecture
from explorer.core.limits import MAX_UPLOAD_BYTES
from explorer.core.mlp import MLP

MAX_FILE_BYTES = MAX_UPLOAD_BYTES      # the app's one upload limit (10 MB)
MAX_ARRAY_BYTES = 64 * 2**20           # all of a file's arrays together, unpacked
MAX_LAYERS = 16
MAX_CONFIG_CHARS = 64 * 1024
MAX_CONFIG_VALUES = 2_000
MAX_JSON_DEPTH = 8
MAX_NPY_HEADER = 10_000                # numpy's own default limit for a .npy header
_MEMBER = re.compile(r"(config|[Wb](?:[1-9]|1[0-6]))\.npy")
FORMAT = "deep-learning-explorer/mlp-v1"


class NetworkFileError(ValueError):
    """A network file that cannot be used; the message says why in one sentence."""


def save_network(net: MLP, config: dict | None = None) -> bytes:
    """The network as .npz bytes (W1, b1, ..., config)."""
    meta = {
        "format": FORMAT,
        "n_in": net.n_in,
        "widths": list(net.arch.widths),
        "activations": list(net.arch.activations),
        "pieces": net.arch.pieces,
        "slope": net.layers[0].slope,
        "alpha": net.layers[0].alpha,
        "n_params": net.n_params,
        **(config or {}),
    }
    arrays = {}
    for i, layer in enumerate(net.layers, start=1):
        arrays[f"W{i}"], arrays[f"b{i}"] = layer.W, layer.b
    buf = io.BytesIO()
    np.savez_compressed(buf, config=np.array(json.dumps(meta)), **arrays)
    return buf.getvalue()


def config_json(net: MLP, config: dict | None = None) -> str:
    """The configuration alone, as pretty JSON (what the .npz carries as ``config``)."""
    with np.load(io.BytesIO(save_network(net, config)), allow_pickle=False) as f:
        return json.dumps(json.loads(str(f["config"])), indent=2)


def _refuse_json_value(text: str):
    raise ValueError(f"{text} is not a number JSON allows")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large")
    return value


def _depth_and_size(value) -> tuple[int, int]:
    """(nesting depth, number of values) of parsed JSON, iteratively (no recursion to exhaust)."""
    depth, count, stack = 0, 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        count += 1
        depth = max(depth, level)
        if count > MAX_CONFIG_VALUES or depth > MAX_JSON_DEPTH:
            break
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, level + 1) for child in children)
    return depth, count


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> np.ndarray:
    """One ``.npy`` member, its header checked before a byte of its data is read or allocated."""
    from numpy.lib import format as npy

    name = info.filename[:-4]
    with zf.open(info) as f:
        try:
            version = npy.read_magic(f)
            read_header = {(1, 0): npy.read_array_header_1_0, (2, 0): npy.read_array_header_2_0}.get(version)
            if read_header is None:
                raise ValueError(f"unknown .npy version {version}")
            shape, fortran, dtype = read_header(f, max_header_size=MAX_NPY_HEADER)   # ast.literal_eval: no code runs
        except Exception as exc:  # ValueError, SyntaxError, tokenize.TokenError, EOFError, ...
            raise NetworkFileError(f"{name} has a damaged array header.") from exc
        if dtype.hasobject:
            raise NetworkFileError(f"{name} holds Python objects, which are never loaded (no pickle).")
        if name == "config":
            if dtype.kind != "U" or shape != () or dtype.itemsize > 4 * MAX_CONFIG_CHARS:
                raise NetworkFileError(f"The configuration must be one text of at most {MAX_CONFIG_CHARS:,} "
                                       "characters.")
        elif dtype.kind not in "fiu" or dtype.itemsize > 8 or len(shape) != 2:
            raise NetworkFileError(f"{name} should be a two-dimensional number array.")
        nbytes = dtype.itemsize * math.prod(shape)           # Python ints: no overflow
        if nbytes > budget:
            raise NetworkFileError(f"{name} claims {nbytes / 2**20:,.0f} MB of numbers; a network file may "
                                   f"hold at most {MAX_ARRAY_BYTES // 2**20} MB.")
        raw = f.read(nbytes)
        if len(raw) != nbytes or f.read(1):
            raise NetworkFileError(f"{name} is cut short or has data after its numbers.")
    array = np.frombuffer(raw, dtype=dtype).reshape(shape, order="F" if fortran else "C")
    return array if name == "config" else array.astype(np.float64)


def _read_members(data: bytes) -> dict[str, np.ndarray]:
    """The members of a saved network's zip, each checked (name, compression, size) before it is read."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception as exc:  # a damaged zip fails in many ways (BadZipFile, struct.error, ValueError, ...)
        raise NetworkFileError("This is not a network file saved by the Explorer (not a valid .npz).") from exc
    with zf:
        if len(infos) > 2 * MAX_LAYERS + 1:
            raise NetworkFileError(f"The file holds {len(infos):,} members; a network file has at most "
                                   f"{2 * MAX_LAYERS + 1}.")
        names = [info.filename for info in infos]
        unexpected = [n for n in names if not _MEMBER.fullmatch(n)]
        if unexpected:
            raise NetworkFileError(f"The file holds a member that a network file never has ({unexpected[0][:40]!r}).")
        if len(set(names)) != len(names):
            raise NetworkFileError("The file holds the same member twice.")
        budget = MAX_ARRAY_BYTES
        files = {}
        for info in infos:
            if info.flag_bits & 0x1:
                raise NetworkFileError("The file is encrypted.")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise NetworkFileError(f"{info.filename} uses a compression this app does not read "
                                       f"(zip method {info.compress_type}); only stored or deflated members.")
            if info.file_size > budget + MAX_NPY_HEADER:
                raise NetworkFileError(f"{info.filename} would unpack to {info.file_size / 2**20:,.0f} MB; a network "
                                       f"file may hold at most {MAX_ARRAY_BYTES // 2**20} MB.")
            try:
                array = _read_member(zf, info, budget)
            except NetworkFileError:
                raise
            except Exception as exc:  # bad CRC, truncated deflate stream, ...
                raise NetworkFileError(f"{info.filename} is damaged ({type(exc).__name__}).") from exc
            budget -= array.nbytes if array.dtype.kind != "U" else 0
            files[info.filename[:-4]] = array
    return files


def _parse_config(files: dict) -> dict:
    if "config" not in files:
        raise NetworkFileError("The file has no configuration (config) inside.")
    try:
        meta = json.loads(str(files["config"]), parse_constant=_refuse_json_value, parse_float=_finite_float)
    except RecursionError as exc:
        raise NetworkFileError(f"The configuration is nested more than {MAX_JSON_DEPTH} levels deep.") from exc
    except (ValueError, TypeError) as exc:
        raise NetworkFileError("The configuration inside the file is not valid JSON (or holds NaN or infinity).") from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise NetworkFileError("The file was not saved by this version of the Explorer.")
    depth, count = _depth_and_size(meta)
    if depth > MAX_JSON_DEPTH or count > MAX_CONFIG_VALUES:
        raise NetworkFileError(f"The configuration is nested more than {MAX_JSON_DEPTH} levels deep or holds "
                               f"more than {MAX_CONFIG_VALUES:,} values.")
    return meta


def _setting(meta: dict, key: str, default: float) -> float:
    lo, hi, _ = PARAM_RANGES[key]
    value = meta.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
        raise NetworkFileError(f"The configuration's {key} must be a number from {lo:g} to {hi:g}.")
    return float(value)


def _architecture(meta: dict) -> Architecture:
    n_in, widths, activations = meta.get("n_in"), meta.get("widths"), meta.get("activations")
    pieces = meta.get("pieces", 2)
    if not (isinstance(widths, list) and isinstance(activations, list) and 1 <= len(widths) <= MAX_LAYERS
            and all(isinstance(a, str) for a in activations)
            and all(isinstance(v, int) and not isinstance(v, bool) for v in [n_in, pieces, *widths])):
        raise NetworkFileError(f"The configuration is not a valid network: n_in, pieces and widths must be whole "
                               f"numbers, with 1 to {MAX_LAYERS} layers and one activation name per layer.")
    lo, hi, _ = PARAM_RANGES["pieces"]
    if not lo <= pieces <= hi and "maxout" in activations:
        raise NetworkFileError(f"The configuration's pieces must be from {lo} to {hi}.")
    try:
        arch = Architecture(n_in, widths, activations, pieces)
    except (KeyError, TypeError, ValueError) as exc:
        raise NetworkFileError(f"The configuration is not a valid network: {exc}") from exc
    if arch.too_large(batch=1) or arch.n_params * 8 > MAX_ARRAY_BYTES:
        raise NetworkFileError("The network in the file is larger than this app allows.")
    return arch


def load_network(data: bytes) -> tuple[MLP, dict]:
    """``(net, config)`` from .npz bytes made by :func:`save_network`; NetworkFileError otherwise.

    Nothing large is allocated before it is checked: the zip's members must be ``config.npy``,
    ``W1.npy``, ``b1.npy``, ... (stored or deflated, at most :data:`MAX_ARRAY_BYTES` unpacked in
    all), each ``.npy`` header is read and checked (number dtype, 2-D, size) before its data, the
    JSON must be finite, at most :data:`MAX_JSON_DEPTH` deep, with settings in the app's ranges,
    and the arrays must have exactly the shapes the configuration implies. No pickle, ever.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise NetworkFileError("The upload is not a file's bytes.")
    if len(data) > MAX_FILE_BYTES:
        raise NetworkFileError(f"The file is larger than {MAX_FILE_BYTES // 2**20} MB.")
    files = _read_members(bytes(data))
    meta = _parse_config(files)
    arch = _architecture(meta)
    slope, alpha = _setting(meta, "slope", 0.1), _setting(meta, "alpha", 1.0)
    expected = {"config"} | {f"{p}{i}" for i in range(1, len(arch.layers) + 1) for p in "Wb"}
    extra = sorted(set(files) - expected)
    if extra:
        raise NetworkFileError(f"The file holds {extra[0]}, which a {len(arch.layers)}-layer network does not have.")
    net = MLP(arch.n_in, arch.widths, arch.activations, seed=0, slope=slope, alpha=alpha, pieces=arch.pieces)
    for i, (layer, spec) in enumerate(zip(net.layers, arch.layers), start=1):
        for name, shape in ((f"W{i}", spec.W_shape), (f"b{i}", spec.b_shape)):
            arr = files.get(name)
            if arr is None or arr.shape != shape:
                raise NetworkFileError(f"{name} should be a number array of shape {shape}.")
            if not np.all(np.isfinite(arr)):
                raise NetworkFileError(f"{name} holds nan or inf values.")
        layer.W[...] = files[f"W{i}"]
        layer.b[...] = files[f"b{i}"]
    return net, meta


def describe(net: MLP) -> str:
    """``'2 → 8 → 1 (tanh, sigmoid)'``: a network's layout in one line."""
    sizes = " → ".join(str(n) for n in [net.n_in] + list(net.arch.widths))
    return f"{sizes} ({', '.join(net.arch.activations)})"


def copy_weights(source: MLP, target: MLP) -> None:
    """Put ``source``'s W and b into ``target``; NetworkFileError if their layouts differ."""
    same = (source.n_in == target.n_in and source.arch.widths == target.arch.widths
            and source.arch.activations == target.arch.activations and source.arch.pieces == target.arch.pieces)
    if not same:
        raise NetworkFileError(f"The file holds {describe(source)}, this page's network is {describe(target)}: "
                               "set the same inputs, layers and activations first.")
    for mine, theirs in zip(target.layers, source.layers):
        mine.W[...] = theirs.W
        mine.b[...] = theirs.b
