"""Every topic page's declared settings, for the decks: ``{url_path: {key: Param}}`` and the pages' ids.

A page with a settings module (``explorer/settings/<module>.py``, :data:`explorer.settings.BY_MODULE`)
is read from it. A page without one yet is read from ``page_params.json`` (captured by running the
page: ``python -m tests.lecture.page_params``). When every topic page has a settings module, set
``LEGACY_FILE = None`` (and delete the JSON file and ``tests/lecture/page_params.py``).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from explorer.navigation import PAGES
from explorer.settings import BY_MODULE, params_of
from explorer.settings.param import Param

LEGACY_FILE: Path | None = Path(__file__).with_name("page_params.json")
REGISTRY_FILE = LEGACY_FILE    # the old name (tests/lecture/page_params.py writes it)
NOT_TOPIC = ("home", "lecture")


class PageSettings(NamedTuple):
    module: str                  # explorer/pages/<module>.py
    id: str                      # the name the page passes to sanitize / finish_page
    params: dict[str, Param]     # {url key: Param}, in declaration order


def param_to_dict(p: Param) -> dict:
    return {"key": p.key, "default": p.default, "kind": p.kind, "lo": p.lo, "hi": p.hi,
            "choices": list(p.choices), "labels": list(p.labels)}


def param_from_dict(d: dict) -> Param:
    return Param(d["key"], d["default"], d["kind"], d["lo"], d["hi"], tuple(d["choices"]), tuple(d["labels"]))


def _legacy() -> dict[str, PageSettings]:
    """The captured settings of the pages that have no settings module yet (``{url_path: ...}``)."""
    if LEGACY_FILE is None:
        return {}
    data = json.loads(LEGACY_FILE.read_text(encoding="utf-8"))
    return {path: PageSettings(e["module"], e["id"], {d["key"]: param_from_dict(d) for d in e["params"]})
            for path, e in data.items() if e["module"] not in BY_MODULE}


def _declared(module: str) -> PageSettings:
    params = params_of(BY_MODULE[module])
    return PageSettings(module, params.page, {p.key: p for p in params})


@lru_cache(maxsize=1)
def pages() -> dict[str, PageSettings]:
    """``{url_path: PageSettings}`` for every topic page, in navigation order (shared: do not modify)."""
    legacy = _legacy()
    out = {}
    for info in PAGES:
        if info.module in NOT_TOPIC:
            continue
        if info.module in BY_MODULE:
            out[info.url_path] = _declared(info.module)
        elif info.url_path in legacy:
            out[info.url_path] = legacy[info.url_path]
    return out


@lru_cache(maxsize=1)
def page_params() -> dict[str, dict[str, Param]]:
    """``{url_path: {key: Param}}`` for every topic page (shared: do not modify)."""
    return {path: entry.params for path, entry in pages().items()}


def page_ids() -> dict[str, str]:
    """``{page id (the name a page passes to sanitize / finish_page): url_path}``."""
    return {entry.id: path for path, entry in pages().items()}


def page_modules() -> dict[str, str]:
    """``{url_path: module in explorer/pages}``."""
    return {path: entry.module for path, entry in pages().items()}


def page_values(page: str, query: dict[str, str]) -> dict:
    """Every declared setting of ``page`` as the page reads it: the step's value, else the default."""
    values = {}
    for key, p in page_params()[page].items():
        values[key] = p.parse(query[key]) if key in query else p.default
    return values
