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
import zipfile

import numpy as np

from explorer.core.architecture import Architecture
from explorer.core.mlp import MLP

MAX_FILE_BYTES = 20 * 2**20
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


def load_network(data: bytes) -> tuple[MLP, dict]:
    """``(net, config)`` from .npz bytes made by :func:`save_network`; NetworkFileError otherwise."""
    if len(data) > MAX_FILE_BYTES:
        raise NetworkFileError(f"The file is larger than {MAX_FILE_BYTES // 2**20} MB.")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as f:
            files = {name: f[name] for name in f.files}
    except (ValueError, OSError, zipfile.BadZipFile, EOFError) as exc:
        raise NetworkFileError("This is not a network file saved by the Explorer (not a valid .npz).") from exc
    if "config" not in files:
        raise NetworkFileError("The file has no configuration (config) inside.")
    try:
        meta = json.loads(str(files["config"]))
    except (ValueError, TypeError) as exc:
        raise NetworkFileError("The configuration inside the file is not valid JSON.") from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise NetworkFileError("The file was not saved by this version of the Explorer.")
    try:
        arch = Architecture(meta["n_in"], meta["widths"], meta["activations"], meta.get("pieces", 2))
        slope, alpha = float(meta.get("slope", 0.1)), float(meta.get("alpha", 1.0))
    except (KeyError, TypeError, ValueError) as exc:
        raise NetworkFileError(f"The configuration is not a valid network: {exc}") from exc
    if arch.too_large(batch=1):
        raise NetworkFileError("The network in the file is larger than this app allows.")
    net = MLP(arch.n_in, arch.widths, arch.activations, seed=0, slope=slope, alpha=alpha, pieces=arch.pieces)
    for i, (layer, spec) in enumerate(zip(net.layers, arch.layers), start=1):
        for name, shape in ((f"W{i}", spec.W_shape), (f"b{i}", spec.b_shape)):
            arr = files.get(name)
            if arr is None or arr.shape != shape or arr.dtype.kind not in "fiu":
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
