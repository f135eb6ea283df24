"""Capture a page's settings (the ``Param``s it passes to ``sanitize``) by running it.

``python -m tests.lecture.page_params`` rewrites ``explorer/lecture/page_params.json`` for the pages
that have no settings module (``explorer/settings/<module>.py``) yet: the deck validator reads their
settings from it (such a page cannot be imported without running it). ``tests/lecture/test_registry.py``
fails when the registry and what the pages sanitize disagree. When every page has a settings module,
this file and the JSON go (see ``explorer/lecture/registry.py``).
"""
from __future__ import annotations

import json
import sys

from explorer.lecture.registry import LEGACY_FILE, NOT_TOPIC, param_to_dict
from explorer.navigation import PAGES
from explorer.settings import BY_MODULE
from tests.lecture.capture import capture


def build() -> dict:
    out = {}
    for info in PAGES:
        if info.module in NOT_TOPIC or info.module in BY_MODULE:
            continue
        page_id, params = capture(info.module)
        out[info.url_path] = {"module": info.module, "id": page_id,
                              "params": [param_to_dict(p) for p in params]}
    return out


def dump(data: dict) -> str:
    """The registry as JSON with one setting per line (readable diffs)."""
    pages = []
    for path, entry in data.items():
        params = ",\n".join("   " + json.dumps(p, ensure_ascii=False) for p in entry["params"])
        head = json.dumps({"module": entry["module"], "id": entry["id"]}, ensure_ascii=False)[1:-1]
        pages.append(f' {json.dumps(path)}: {{{head}, "params": [\n{params}\n ]}}')
    return "{\n" + ",\n".join(pages) + "\n}\n"


def main() -> None:
    data = build()
    LEGACY_FILE.write_text(dump(data), encoding="utf-8")
    print(f"wrote {LEGACY_FILE} ({len(data)} pages)", file=sys.stderr)


if __name__ == "__main__":
    main()
