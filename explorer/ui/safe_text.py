"""Text a user sent (URL values, typed text, file names) shown inside Markdown, as text only.

Streamlit renders ``st.warning``, ``st.error``, ``st.caption``, ``st.toast`` and
``st.markdown`` as Markdown with GitHub's extensions, LaTeX and its own directives, so a
value such as ``[![](//host/x.png)](//host)`` would become a link around an outside image,
``www.host.com`` a link, ``$x$`` a formula and ``:red[...]`` coloured text. Backslash
escapes are not enough: GitHub's autolinks are found in the text after escapes are
resolved. So:

* :func:`literal` puts a value in an inline code span, the one Markdown construct whose
  content is never interpreted, with a fence longer than any run of backticks inside it;
* :func:`escape_markdown` keeps a sentence readable as prose (a message that quotes part of
  a file): the characters that open inline markup (``\\ ` * _ [ ] < > $ | ~``) are
  backslash-escaped, and so is a first character that would open a block (``# + - = >``,
  ``1.``); an invisible word joiner (U+2060) breaks ``www.``, ``://`` and ``@`` so that no
  autolink can form. Links and images need ``[``, so none can be made; everything else
  (hyphens, dots, quotes, parentheses) stays as typed, so the message reads and searches
  as written.
"""
from __future__ import annotations

import re
import unicodedata

__all__ = ["escape_markdown", "literal", "plain"]

_BACKTICKS = re.compile(r"`+")
_INLINE = set("\\`*_[]<>$|~")
_BLOCK_START = re.compile(r"^(?:[#+\-=>]|\d+[.)])")
_AUTOLINK = re.compile(r"(?i)(www)(\.)|(:)(//)|(@)")
_JOINER = "\u2060"


def plain(text, limit: int | None = None) -> str:
    """``text`` as one line of printable characters (controls and direction overrides replaced), cut to ``limit``."""
    text = "" if text is None else str(text)
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    return "".join(" " if ch in "\r\n\t" else ("\ufffd" if unicodedata.category(ch) in ("Cc", "Cf", "Cs") else ch)
                   for ch in text)


def literal(text, limit: int | None = 60) -> str:
    """``text`` as a Markdown code span: shown exactly as sent, never a link, image, formula, icon or HTML.

    ``limit`` cuts long text (with "…"); an empty text is shown as ``(empty)``.
    """
    text = plain(text, limit)
    if not text:
        return "(empty)"
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    edge = text[0] in "` " or text[-1] in "` "
    pad = " " if edge and text.strip(" ") else ""   # CommonMark strips one space each side, unless all spaces
    return f"{fence}{pad}{text}{pad}{fence}"


def escape_markdown(text, limit: int | None = 500) -> str:
    """``text`` as Markdown prose that shows exactly these characters and never makes markup of them."""
    text = _AUTOLINK.sub(lambda m: _JOINER.join(g for g in m.groups() if g) + (_JOINER if m.group(5) else ""),
                         plain(text, limit))
    out = "".join("\\" + ch if ch in _INLINE else ch for ch in text)
    start = _BLOCK_START.match(out)
    if start:
        end = start.end()
        out = out[:end - 1] + "\\" + out[end - 1:]
    return out
