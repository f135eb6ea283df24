"""Every page's settings, declared once (one typed frozen dataclass per page, ``explorer/settings/<page>.py``).

:data:`BY_MODULE` maps a page module (``explorer/pages/<module>.py``) to its settings class, for the
lecture's decks, the tests and the benchmarks; a page that has no settings module yet is absent.
"""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from explorer.settings.declare import ParamSet, params_of


def _load() -> dict[str, type]:
    found = {}
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name in ("declare", "param"):
            continue
        module = importlib.import_module(f"explorer.settings.{info.name}")
        found[info.name] = module.Settings
    return found


BY_MODULE: dict[str, type] = _load()


def params_of_module(module: str) -> ParamSet | None:
    cls = BY_MODULE.get(module)
    return params_of(cls) if cls else None
