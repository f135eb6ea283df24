"""The JSON text a figure is sent to the browser as (what plotly.js draws).

``plotly.io.to_json`` deep-copies the figure and then looks at every value through narwhals (is it a
dataframe?) before it encodes numpy arrays: for a figure built without plotly's checks
(:func:`explorer.charts.style.new_figure`) that is several ms. This walks the figure's own JSON
once instead and encodes numeric numpy arrays as plotly.js typed arrays ({"dtype", "bdata",
"shape"}), with plotly's own rules: int64 narrowed to the smallest type that holds it, and the
``range``/``layer``/``geojson`` values left as lists. orjson writes the rest.
"""
from __future__ import annotations

import base64

import numpy as np
import orjson
import plotly.graph_objects as go
import plotly.io as pio

SHORT_TYPES = {"int8": "i1", "uint8": "u1", "int16": "i2", "uint16": "u2", "int32": "i4", "uint32": "u4",
               "float32": "f4", "float64": "f8"}
NARROW = {"int64": (np.int8, np.int16, np.int32), "uint64": (np.uint8, np.uint16, np.uint32)}
KEPT_AS_LISTS = {"geojson", "layer", "layers", "range"}


def typed_array(a: np.ndarray):
    """A numeric array as plotly.js's typed-array spec; anything else as plain values."""
    if a.size == 0:
        return a.tolist()
    name = str(a.dtype)
    if name in NARROW:
        lo, hi = a.min(), a.max()
        fitting = [t for t in NARROW[name] if np.iinfo(t).min <= lo and hi <= np.iinfo(t).max]
        if not fitting:
            return a.tolist()
        a, name = a.astype(fitting[0]), np.dtype(fitting[0]).name
    if name not in SHORT_TYPES:
        return a.tolist()
    spec = {"dtype": SHORT_TYPES[name],
            "bdata": base64.b64encode(np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("<"))).decode("ascii")}
    if a.ndim > 1:
        spec["shape"] = ", ".join(str(n) for n in a.shape)
    return spec


def _plain(node, key: str = ""):
    if isinstance(node, dict):
        return {k: _plain(v, k) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return [_plain(v) for v in node]
    if isinstance(node, np.ndarray):
        return node.tolist() if key in KEPT_AS_LISTS else typed_array(node)
    return node


def _other(value):
    """A value orjson does not know (a PIL image, a plotly object): as plotly encodes it."""
    return orjson.loads(pio.json.to_json_plotly(value))


def figure_json(fig: go.Figure) -> str:
    """``fig`` as the JSON text of ``{"data": [...], "layout": {...}}``.

    Read from the figure's own property dicts (``_data``, ``_layout``: what ``Figure.to_dict`` reads,
    without its deep copy; nothing here changes them), pinned to plotly's encoder by
    tests/charts/test_unchecked_figures.py."""
    spec = {"data": [_plain(t) for t in fig._data], "layout": _plain(fig._layout)}
    return orjson.dumps(spec, default=_other, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS).decode()
