"""Every topic page's declared settings, for the decks: ``{url_path: {key: Param}}`` and the pages' ids.

Read from each page's settings module (``explorer/settings/<module>.py``,
:data:`explorer.settings.BY_MODULE`): the one declaration the page itself uses.
"""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from explorer.navigation import PAGES
from explorer.settings import BY_MODULE, params_of
from explorer.settings.param import Param

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


def _declared(module: str) -> PageSettings:
    params = params_of(BY_MODULE[module])
    return PageSettings(module, params.page, {p.key: p for p in params})


@lru_cache(maxsize=1)
def pages() -> dict[str, PageSettings]:
    """``{url_path: PageSettings}`` for every topic page, in navigation order (shared: do not modify)."""
    return {info.url_path: _declared(info.module) for info in PAGES if info.module not in NOT_TOPIC}


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
