"""explorer/lecture/page_params.json agrees with what the pages declare (captured by running them)."""
import json

import pytest

from explorer.lecture.registry import REGISTRY_FILE, page_ids, page_params
from explorer.navigation import PAGES
from tests.lecture.page_params import build, capture, dump
from explorer.lecture.registry import param_to_dict

STALE = "explorer/lecture/page_params.json is out of date: run `python -m tests.lecture.page_params`"


def test_registry_lists_every_topic_page():
    topic = {p.url_path for p in PAGES if p.module not in ("home", "lecture")}
    assert set(page_params()) == topic
    assert page_ids()["mlp"] == "mlp" and page_ids()["collapse"] == "collapse"
    assert page_params()["mlp"]["mlp_N"].parse("1024") == 1024


@pytest.mark.parametrize("module", ["mlp_builder", "softmax", "broadcasting"])
def test_registry_matches_sample_pages(module):
    data = json.loads(REGISTRY_FILE.read_text())
    path = next(p.url_path for p in PAGES if p.module == module)
    page_id, params = capture(module)
    assert data[path]["id"] == page_id
    assert data[path]["params"] == json.loads(json.dumps([param_to_dict(p) for p in params])), STALE


@pytest.mark.slow
def test_registry_matches_every_page():
    assert json.loads(dump(build())) == json.loads(REGISTRY_FILE.read_text()), STALE
