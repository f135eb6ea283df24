"""The app's live components: Streamlit components (v2) whose JavaScript and CSS are real files
in ``explorer/web`` (see ``explorer/web/README.md``).

Streamlit serves a v2 component's files, and the ES modules they import (``./nn.js``), under
``/_stcore/bidi-components/<package>.<name>/`` once the component has an asset directory.
Installed packages declare it in pyproject.toml; this app is not installed, so it declares the
same manifest on the running server's component manager, once per component.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.components.v2.get_bidi_component_manager import get_bidi_component_manager
from streamlit.components.v2.manifest_scanner import ComponentConfig, ComponentManifest

WEB = Path(__file__).resolve().parents[1] / "web"
PACKAGE = "explorer"


def web_component(name: str, js: str, css: str):
    """The mounting callable of component ``explorer.<name>``, whose files ``js`` and ``css`` are
    in explorer/web (registered with the server on first use)."""
    full = f"{PACKAGE}.{name}"
    manager = get_bidi_component_manager()
    if manager.get_component_asset_root(full) is None:
        manifest = ComponentManifest(PACKAGE, "1", [ComponentConfig(name, asset_dir=WEB.name)])
        manager.register_from_manifest(manifest, WEB.parent)
    return st.components.v2.component(full, js=js, css=css)


def inline_component(name: str, js: str, css: str):
    """Component ``explorer.<name>`` from the files ``js`` and ``css`` in explorer/web, sent as their text.

    For a component whose module imports nothing: it needs no asset directory on the server, so
    sessions that start at once never race over registering one (AppTest's concurrent sessions did).
    """
    return st.components.v2.component(f"{PACKAGE}.{name}", js=(WEB / js).read_text(encoding="utf-8"),
                                      css=(WEB / css).read_text(encoding="utf-8"))
