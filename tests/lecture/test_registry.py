"""The registry (explorer/lecture/registry.py) holds what each page really sanitizes (captured by running it):
its settings module's declaration (explorer/settings/<module>.py)."""
import json

import pytest

from explorer.lecture.registry import page_ids, page_params, pages, param_to_dict
from explorer.navigation import PAGES
from explorer.settings import BY_MODULE, params_of
from tests.lecture.capture import capture

TOPIC = [p for p in PAGES if p.module not in ("home", "lecture")]


def test_registry_lists_every_topic_page():
    topic = {p.url_path for p in TOPIC}
    assert set(page_params()) == topic
    assert list(page_params()) == [p.url_path for p in TOPIC]     # navigation order
    assert page_ids()["mlp"] == "mlp" and page_ids()["collapse"] == "collapse"
    assert page_params()["mlp"]["mlp_N"].parse("1024") == 1024


def test_a_page_with_a_settings_module_is_read_from_it():
    cls = BY_MODULE["linear_regression"]
    entry = pages()["regression"]
    assert entry.module == "linear_regression" and entry.id == params_of(cls).page == "regression"
    assert list(entry.params.values()) == params_of(cls).values()
    assert entry.params["lr_n"].lo == 2 and entry.params["lr_n"].hi == 500


def as_json(params) -> list:
    return json.loads(json.dumps([param_to_dict(p) for p in params]))


def check_page(module: str) -> None:
    path = next(p.url_path for p in PAGES if p.module == module)
    page_id, params = capture(module)
    entry = pages()[path]
    why = f"explorer/pages/{module}.py sanitizes other settings than explorer/settings/{module}.py declares"
    assert entry.id == page_id, why
    assert as_json(entry.params.values()) == as_json(params), why


@pytest.mark.parametrize("module", ["mlp_builder", "softmax", "broadcasting", "linear_regression"])
def test_registry_matches_sample_pages(module):
    check_page(module)


@pytest.mark.slow
@pytest.mark.parametrize("module", [p.module for p in TOPIC])
def test_registry_matches_every_page(module):
    check_page(module)
