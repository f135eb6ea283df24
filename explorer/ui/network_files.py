"""Download a trained network (.npz + its JSON configuration) and upload it again, validated."""
from __future__ import annotations

import copy

import streamlit as st

from explorer.core.mlp import MLP
from explorer.core.limits import MAX_UPLOAD_MB
from explorer.core.serialize import NetworkFileError, config_json, copy_weights, load_network, save_network
from explorer.ui.safe_text import escape_markdown, literal

# No ``type=["npz"]`` on the upload boxes: Streamlit raises an exception on the page when a file
# with another extension arrives (a modified client can send one); the content is what is checked.
CONTENT_CHECKED = "A .npz file saved by this app; its content is checked before anything is loaded."


def network_downloads(net: MLP, config: dict, name: str) -> None:
    """Two buttons: the network's weights with its configuration (.npz), and the configuration (.json).

    The files are written when a button is pressed (not on every rerun), from a copy of the network
    as it is in this run, so a later training step does not change what the button saves."""
    net, config = copy.deepcopy(net), copy.deepcopy(config)
    c1, c2 = st.columns(2)
    c1.download_button("Trained network (.npz)", lambda: save_network(net, config), f"{name}.npz",
                       "application/octet-stream", icon=":material/download:", key=f"_npz_{name}")
    c2.download_button("Its configuration (.json)", lambda: config_json(net, config).encode(), f"{name}.json",
                       "application/json", icon=":material/download:", key=f"_json_{name}")


def network_upload(name: str) -> tuple[MLP, dict] | None:
    """A file box for a saved network; shows why a file is refused and returns None then."""
    uploaded = st.file_uploader("Load a saved network (.npz)", key=f"_upload_{name}", help=CONTENT_CHECKED,
                                max_upload_size=MAX_UPLOAD_MB)
    if uploaded is None:
        return None
    try:
        return load_network(uploaded.getvalue())
    except NetworkFileError as exc:
        st.error(f"{literal(uploaded.name)}: {escape_markdown(exc)}", icon=":material/error:")
        return None


def network_upload_into(net: MLP, name: str) -> bool:
    """A file box that loads a saved network's weights into ``net`` (same layout required).

    Each uploaded file is applied once (not on every rerun); returns True on the run it was applied.
    """
    uploaded = st.file_uploader("Load saved weights (.npz from this page)", key=f"_upload_{name}", help=CONTENT_CHECKED,
                                max_upload_size=MAX_UPLOAD_MB)
    done_key = f"_applied_{name}"
    if uploaded is None or st.session_state.get(done_key) == uploaded.file_id:
        return False
    try:
        source, _ = load_network(uploaded.getvalue())
        copy_weights(source, net)
    except NetworkFileError as exc:
        st.error(f"{literal(uploaded.name)}: {escape_markdown(exc)}", icon=":material/error:")
        return False
    st.session_state[done_key] = uploaded.file_id
    st.toast(f"Loaded the weights of {literal(uploaded.name)}.", icon=":material/upload:")
    return True
