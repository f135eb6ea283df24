"""The app's live components: Streamlit components (v2) whose JavaScript and CSS are real files
in ``explorer/web`` (see ``explorer/web/README.md``).

Streamlit serves a v2 component's files, and the ES modules they import (``./nn.js``), under
``/_stcore/bidi-components/<package>.<name>/`` once the component has an asset directory.
Installed packages declare it in pyproject.toml; this app is not installed, so it declares the
same manifest on the running server's component manager, once per component.
"""
from __future__ import annotations

import weakref
from pathlib import Path

import streamlit as st
from streamlit.components.v2.get_bidi_component_manager import get_bidi_component_manager
from streamlit.components.v2.manifest_scanner import ComponentConfig, ComponentManifest

WEB = Path(__file__).resolve().parents[1] / "web"
PACKAGE = "explorer"


# The mounting callables made on each server's component manager (one per Streamlit runtime; a
# test's AppTest makes a new one): making one resolves and checks its files, about a millisecond.
_MADE: "weakref.WeakKeyDictionary[object, dict]" = weakref.WeakKeyDictionary()


def web_component(name: str, js: str, css: str, isolate_styles: bool = True):
    """The mounting callable of component ``explorer.<name>``, whose files ``js`` and ``css`` are
    in explorer/web (registered with the server on first use). ``isolate_styles``: in a shadow root
    (False for a library that styles its elements from the document's head, as plotly.js does)."""
    full = f"{PACKAGE}.{name}"
    manager = get_bidi_component_manager()
    made = _MADE.setdefault(manager, {})
    if (full, js, css, isolate_styles) in made:
        return made[full, js, css, isolate_styles]
    if manager.get_component_asset_root(full) is None:
        manifest = ComponentManifest(PACKAGE, "1", [ComponentConfig(name, asset_dir=WEB.name)])
        manager.register_from_manifest(manifest, WEB.parent)
    made[full, js, css, isolate_styles] = st.components.v2.component(full, js=js, css=css,
                                                                       isolate_styles=isolate_styles)
    return made[full, js, css, isolate_styles]


def inline_component(name: str, js: str, css: str):
    """Component ``explorer.<name>`` from the files ``js`` and ``css`` in explorer/web, sent as their text.

    For a component whose module imports nothing: it needs no asset directory on the server, so
    sessions that start at once never race over registering one (AppTest's concurrent sessions did).
    """
    return st.components.v2.component(f"{PACKAGE}.{name}", js=(WEB / js).read_text(encoding="utf-8"),
                                      css=(WEB / css).read_text(encoding="utf-8"))
