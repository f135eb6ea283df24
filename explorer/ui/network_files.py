"""Download a trained network (.npz + its JSON configuration) and upload it again, validated."""
from __future__ import annotations

import streamlit as st

from explorer.core.mlp import MLP
from explorer.core.serialize import NetworkFileError, config_json, load_network, save_network


def network_downloads(net: MLP, config: dict, name: str) -> None:
    """Two buttons: the network's weights with its configuration (.npz), and the configuration (.json)."""
    c1, c2 = st.columns(2)
    c1.download_button("Trained network (.npz)", save_network(net, config), f"{name}.npz",
                       "application/octet-stream", icon=":material/download:", key=f"_npz_{name}")
    c2.download_button("Its configuration (.json)", config_json(net, config).encode(), f"{name}.json",
                       "application/json", icon=":material/download:", key=f"_json_{name}")


def network_upload(name: str) -> tuple[MLP, dict] | None:
    """A file box for a saved network; shows why a file is refused and returns None then."""
    uploaded = st.file_uploader("Load a saved network (.npz)", type=["npz"], key=f"_upload_{name}")
    if uploaded is None:
        return None
    try:
        return load_network(uploaded.getvalue())
    except NetworkFileError as exc:
        st.error(f"{uploaded.name}: {exc}", icon=":material/error:")
        return None
