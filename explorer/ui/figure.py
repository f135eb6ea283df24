"""Every plotly figure of the app goes to the browser here, through the figure component
(``explorer/web/figure.js``): one element per figure that stays mounted across reruns and is
redrawn in place (``Plotly.react``) only when its figure changed.

``st.plotly_chart`` re-validates every figure it is given (a second full build of the figure on
the server) and gives a changed chart a new identity, so the browser unmounts it and draws it from
scratch at every change; on pages with three or four live figures that was most of a click.
"""
from __future__ import annotations

import json
import re
import weakref
from pathlib import Path

import plotly
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
from streamlit.components.v2.get_bidi_component_manager import get_bidi_component_manager
from streamlit.components.v2.manifest_scanner import ComponentConfig, ComponentManifest

from explorer.charts import style  # noqa: F401  (registers the "explorer" template)
from explorer.charts.wire import figure_json
from explorer.ui.components import web_component

# Streamlit makes its own plotly template the default when it is imported; the app's figures use
# the app's (style.TEMPLATE), whatever the order of imports was.
pio.templates.default = "explorer"

PLOTLY_DIR = Path(plotly.__file__).resolve().parent   # its package_data/plotly.min.js is served
PLOTLY_ASSETS = "plotlyjs"                            # as /_stcore/bidi-components/explorer.plotlyjs/


def _serve_plotly_js() -> None:
    """Declare plotly.js of the installed plotly package as component assets on this server
    (once per runtime), so figure.js can load it from beside its own files."""
    manager = get_bidi_component_manager()
    full = f"explorer.{PLOTLY_ASSETS}"
    if manager.get_component_asset_root(full) is None:
        manifest = ComponentManifest("explorer", "1", [ComponentConfig(PLOTLY_ASSETS, asset_dir="package_data")])
        manager.register_from_manifest(manifest, PLOTLY_DIR)


# The JSON text of each figure object already sent. A figure shared between reruns or sessions
# (st.cache_resource, a model's figures kept in its session) is sent again at every rerun: its text
# is made once. Figures are not changed after they are shown (presenter mode enlarges a fresh one
# before), and an entry goes with its figure.
# (By identity: a figure is unhashable; the entry is dropped when the figure is collected.)
_SENT: dict[int, tuple[weakref.ref, str]] = {}


def figure_spec(fig: go.Figure) -> str:
    """The figure as the JSON text plotly.js draws."""
    entry = _SENT.get(id(fig))
    if entry is not None and entry[0]() is fig:
        return entry[1]
    spec = figure_json(fig)
    key = id(fig)
    _SENT[key] = (weakref.ref(fig, lambda _ref, key=key: _SENT.pop(key, None)), spec)
    return spec


KEY_PREFIX = "fig_"   # every figure's element has the class st-key-fig_...: tests and benchmarks find them by it


def element_key(key: str) -> str:
    """``key`` as a figure element's key: starting with :data:`KEY_PREFIX`, and without the "__" that
    Streamlit keeps for its components' own event ids (``_hf_live_3`` -> ``fig_hf_live_3``)."""
    key = key if key.startswith(KEY_PREFIX) else KEY_PREFIX + key.lstrip("_")
    return re.sub(r"_{2,}", "_", key)


def plot(fig: go.Figure, key: str, config: dict) -> None:
    """Show ``fig`` full width in the element named ``key`` (unique on the page, the same at every
    rerun so the browser keeps the figure mounted)."""
    _serve_plotly_js()
    component = web_component("figure", js="figure.js", css="figure.css", isolate_styles=False)
    key = element_key(key)
    component(key=key, data={"spec": figure_spec(fig), "config": config}, width="stretch")


def shown_figures(elements) -> list[dict]:
    """The figures among a page's ``bidi_component`` elements (AppTest), as plotly dicts: the tests'
    and benchmarks' one reader of what the page sent."""
    out = []
    for element in elements:
        if element.proto.js_source_path == "figure.js":
            out.append(json.loads(json.loads(element.proto.json)["spec"]))
    return out
