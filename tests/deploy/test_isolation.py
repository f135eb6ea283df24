"""Two students training different networks on one server at the same time never see each other's
weights, data or settings.

Run against a real server (`streamlit run app.py`, one process, one Runtime, as a class has it) by
two protocol-level sessions (benchmarks/streamlit_client.py) that press Train at the same moment.
Each session's page after training, element for element, and the network it downloads, weight for
weight, must be exactly what the same link gives a session that trains alone: a weight, a data
cache entry or a setting leaking from one session into the other would change one of them.
(Concurrent AppTests cannot show this: each swaps Streamlit's one global Runtime for its own.)
"""
from __future__ import annotations

import asyncio
import sys
import urllib.parse
from pathlib import Path

import numpy as np
import pytest
from streamlit.proto.Element_pb2 import Element

from explorer.core.serialize import load_network
from explorer.settings.heart_finder import TASKS

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import streamlit_client as sc  # noqa: E402

pytestmark = pytest.mark.deploy

A = {"hf_task": TASKS["binary"], "hf_seed": "1", "hf_n": "20", "hf_steps": "50"}   # the link's labels
B = {"hf_task": TASKS["views"], "hf_seed": "2", "hf_n": "20", "hf_steps": "50"}


def page_without_file_ids(shown: dict) -> dict:
    """The page's elements; a download button's file id is a fresh random id every run, so it is
    left out (the file itself is compared, downloaded)."""
    page = {}
    for path, raw in shown.items():
        el = Element()
        el.ParseFromString(raw)
        if el.WhichOneof("type") == "download_button":
            el.download_button.ClearField("deferred_file_id")
        page[path] = el.SerializeToString()
    return page


async def train(url: str, link: dict, start: asyncio.Barrier | None = None) -> dict:
    s = sc.Session(url, "heart-finder", timeout=300)
    s.query_string = urllib.parse.urlencode(link)
    try:
        opened = await s.connect()
        assert not opened.exceptions, opened.exceptions
        if start is not None:
            await start.wait()
        trained = await s.press("hf_train")
        assert not trained.exceptions, trained.exceptions
        key = next(w.key for w in s.elements.values() if w.key.startswith("_npz_heart-finder-"))
        net, config = load_network(await s.download(key))
        return {"page": page_without_file_ids(s.shown), "W": [layer.W for layer in net.layers],
                "b": [layer.b for layer in net.layers], "config": config, "query": s.query_string}
    finally:
        await s.close()


async def alone_then_together(url: str) -> tuple[dict, dict]:
    alone = {name: await train(url, link) for name, link in (("A", A), ("B", B))}
    start = asyncio.Barrier(2)
    a, b = await asyncio.gather(train(url, A, start), train(url, B, start))
    return alone, {"A": a, "B": b}


def test_two_sessions_training_at_once_never_see_each_other(replica):
    alone, together = asyncio.run(alone_then_together(replica.url))
    assert alone["A"]["W"][0].shape[0] == 1 and alone["B"]["W"][0].shape[0] == 5   # binary vs five views
    assert alone["A"]["page"] != alone["B"]["page"]
    for name in ("A", "B"):
        got, ref = together[name], alone[name]
        assert got["config"] == ref["config"]
        for w, w_ref in zip(got["W"] + got["b"], ref["W"] + ref["b"], strict=True):
            np.testing.assert_array_equal(w, w_ref)          # bit for bit what the session trains alone
        changed = [path for path in set(got["page"]) | set(ref["page"]) if got["page"].get(path) != ref["page"].get(path)]
        assert not changed, f"session {name}'s page differs from training alone at {sorted(changed)[:5]}"
        assert urllib.parse.parse_qs(got["query"]) == urllib.parse.parse_qs(ref["query"])   # its own link
