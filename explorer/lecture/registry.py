"""Every page's declared settings, read from ``page_params.json`` (a page cannot be imported
without running it, so the list is captured from the pages themselves by
``python -m tests.lecture.page_params``; a test keeps it in step with the pages).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from explorer.ui.url_state import Param

REGISTRY_FILE = Path(__file__).with_name("page_params.json")


def param_to_dict(p: Param) -> dict:
    return {"key": p.key, "default": p.default, "kind": p.kind, "lo": p.lo, "hi": p.hi,
            "choices": list(p.choices), "labels": list(p.labels)}


def param_from_dict(d: dict) -> Param:
    return Param(d["key"], d["default"], d["kind"], d["lo"], d["hi"], tuple(d["choices"]), tuple(d["labels"]))


@lru_cache(maxsize=1)
def _load() -> dict:
    return json.loads(REGISTRY_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def page_params() -> dict[str, dict[str, Param]]:
    """``{url_path: {key: Param}}`` for every topic page (shared: do not modify)."""
    return {path: {d["key"]: param_from_dict(d) for d in entry["params"]} for path, entry in _load().items()}


def page_ids() -> dict[str, str]:
    """``{page id (the name a page passes to sanitize / finish_page): url_path}``."""
    return {entry["id"]: path for path, entry in _load().items()}


def page_modules() -> dict[str, str]:
    """``{url_path: module in explorer/pages}``."""
    return {path: entry["module"] for path, entry in _load().items()}


def page_values(page: str, query: dict[str, str]) -> dict:
    """Every declared setting of ``page`` as the page reads it: the step's value, else the default."""
    values = {}
    for key, p in page_params()[page].items():
        values[key] = p.parse(query[key]) if key in query else p.default
    return values
