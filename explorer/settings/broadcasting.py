"""Settings of the broadcasting page (explorer/pages/broadcasting.py)."""
from explorer.core.broadcasting import MAX_TEXT
from explorer.settings.declare import choice, settings, text

PAIRS = {"ab": "A + B", "ac": "A + C", "bc": "B + C"}


@settings(page="broadcasting", prefix="bc")
class Settings:
    a: str = text("8x1x6x1", max_chars=MAX_TEXT)     # the shapes as typed (the page parses them)
    b: str = text("7x1x5", max_chars=MAX_TEXT)
    c: str = text("", max_chars=MAX_TEXT)            # optional: empty leaves C out
    pair: str = choice("ab", PAIRS)                  # whose values the concrete example shows, with C
