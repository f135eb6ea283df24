"""Decks: an ordered list of page views (a page and its settings, a title, a note), as a file or a link.

The built-in lecture (``lecture.json`` beside this file) is a deck; so is what a teacher collects
with *Add this view to my deck*. This module reads, checks and writes decks and knows nothing of
Streamlit: the pages' declared settings are passed in as ``{page: {key: spec}}``, where a spec is
anything with ``parse(text)`` raising ``ValueError`` for a bad value (``explorer.ui.url_state.Param``).

A deck file::

    {"format": "deep-learning-explorer/deck", "version": 1, "title": "My class",
     "steps": [{"page": "mlp", "settings": {"N": "1024"}, "title": "3N + 14",
                "note": "Two or three sentences.", "look": "the Parameters metric",
                "topic": "the parameter count 3N + 14",
                "question": {"ask": "How many parameters?", "answer": "mlp_param_count"}}]}

Everything read is checked before use: the size before parsing, the nesting depth, every field's
type and length, the page (one of the app's pages: a step cannot point outside the app) and every
setting against the page's declared settings. Problems are collected into one :class:`DeckError`
with a sentence each. Texts are kept as plain text; whoever shows them must not render them as markup.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from dataclasses import dataclass, field
from typing import Any, Mapping

FORMAT = "deep-learning-explorer/deck"
VERSION = 1
MAX_BYTES = 64_000          # a deck file (or a decoded link) larger than this is refused unread
MAX_DEPTH = 6               # deck > steps > step > question > options > option
MAX_STEPS = 60
MAX_SETTINGS = 60           # settings per step
MAX_OPTIONS = 8
MAX_LINK_CHARS = 1800       # longest deck link offered; longer decks travel as a file
MAX_LINK_INPUT = 8_000      # longest deck parameter read from an address
LIMITS = {"title": 120, "note": 600, "look": 240, "topic": 80, "ask": 240, "option": 80, "value": 200}

DECK_FIELDS = {"format", "version", "title", "steps"}
STEP_FIELDS = {"page", "settings", "title", "note", "look", "topic", "question"}
QUESTION_FIELDS = {"ask", "answer", "options"}
_LINK_CHARS = re.compile(r"^[A-Za-z0-9_-]*$")


class DeckError(ValueError):
    """A deck that cannot be used; ``problems`` holds one sentence per problem found."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__(" ".join(self.problems))


@dataclass(frozen=True)
class Question:
    ask: str
    answer: str                        # the name of an answer function (explorer.lecture.answers)
    options: tuple[str, ...] = ()      # empty: the student types a number

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"ask": self.ask, "answer": self.answer}
        if self.options:
            out["options"] = list(self.options)
        return out


@dataclass(frozen=True)
class Step:
    page: str                                   # the page's address (url_path), e.g. "mlp"
    settings: tuple[tuple[str, str], ...] = ()  # (key, value as in the address), in order
    title: str = ""
    note: str = ""
    look: str = ""
    topic: str = ""
    question: Question | None = None

    @property
    def query(self) -> dict[str, str]:
        return dict(self.settings)

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"page": self.page, "settings": dict(self.settings), "title": self.title}
        for name in ("note", "look", "topic"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        if self.question:
            out["question"] = self.question.to_dict()
        return out


@dataclass(frozen=True)
class Deck:
    title: str
    steps: tuple[Step, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "title": self.title,
                "steps": [s.to_dict() for s in self.steps]}

    def fingerprint(self) -> str:
        """A short name for this deck's content (progress is kept per deck)."""
        return format(zlib.crc32(to_json(self, indent=None).encode()), "08x")


# -- reading ----------------------------------------------------------------------------
def nesting_depth(text: str) -> int:
    """The deepest nesting of ``[`` / ``{`` in JSON text, outside strings (without parsing it)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _yaml_load(text: str):
    """Plain YAML (no anchors, aliases or tags, nesting checked) with PyYAML's safe loader."""
    try:
        import yaml
    except ImportError:  # pragma: no cover - PyYAML is optional
        raise DeckError("This looks like YAML, but PyYAML is not installed here: upload the JSON file.")
    depth = deepest = 0
    try:
        for token in yaml.scan(text):
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken, yaml.TagToken)):
                raise DeckError("The YAML file uses anchors, aliases or tags; a deck file needs none of them.")
            if isinstance(token, (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken,
                                  yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)):
                depth += 1
                deepest = max(deepest, depth)
                if deepest > MAX_DEPTH + 1:   # block sequences in mappings may add one level
                    raise DeckError(f"The file is nested more than {MAX_DEPTH} levels deep; a deck is not.")
            elif isinstance(token, (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)):
                depth -= 1
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise DeckError(f"The file is not valid YAML{where}.") from None


def parse_text(data: bytes | str, pages: Mapping[str, Mapping[str, Any]], name: str = "") -> Deck:
    """Read a deck file (JSON, or YAML when ``name`` ends in .yaml/.yml or the text is not JSON).

    ``pages``: ``{page: {key: spec}}``, the app's pages and their declared settings.
    Raises :class:`DeckError` with a clear sentence for every problem.
    """
    size = len(data.encode("utf-8") if isinstance(data, str) else data)
    if size > MAX_BYTES:
        raise DeckError(f"The file has {size:,} bytes; a deck file may have at most {MAX_BYTES:,}.")
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DeckError("The file is not UTF-8 text; a deck is a small JSON or YAML text file.") from None
    else:
        text = data
    if not text.strip():
        raise DeckError("The file is empty.")
    is_yaml = name.lower().endswith((".yaml", ".yml")) or not text.lstrip().startswith(("{", "["))
    if is_yaml:
        raw = _yaml_load(text)
    else:
        if nesting_depth(text) > MAX_DEPTH:
            raise DeckError(f"The file is nested more than {MAX_DEPTH} levels deep; a deck is not.")
        try:
            raw = json.loads(text)
        except (ValueError, RecursionError) as e:
            where = f" (line {e.lineno}, column {e.colno})" if isinstance(e, json.JSONDecodeError) else ""
            raise DeckError(f"The file is not valid JSON{where}.") from None
    return from_dict(raw, pages)


def _text(value, what: str, limit: str, problems: list[str], required: bool = False) -> str:
    if value is None or value == "":
        if required:
            problems.append(f"{what} is missing.")
        return ""
    if not isinstance(value, str):
        problems.append(f"{what} must be text, not {type(value).__name__}.")
        return ""
    value = value.strip()
    if len(value) > LIMITS[limit]:
        problems.append(f"{what} has {len(value)} characters; at most {LIMITS[limit]} are allowed.")
        return ""
    if any(ord(c) < 32 and c not in "\n\t" for c in value):
        problems.append(f"{what} contains control characters.")
        return ""
    return value


def setting_text(value) -> str | None:
    """A setting's value as it stands in an address (``True`` -> ``"true"``, ``3`` -> ``"3"``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if value != int(value) or abs(value) >= 1e16 else str(value)
    if isinstance(value, str):
        return value
    return None


def check_settings(page: str, settings, specs: Mapping[str, Any], where: str,
                   problems: list[str]) -> tuple[tuple[str, str], ...]:
    """The settings as (key, text) pairs, each checked against the page's declared settings."""
    if settings is None:
        return ()
    if not isinstance(settings, Mapping):
        problems.append(f"{where}: 'settings' must be a mapping of setting names to values.")
        return ()
    if len(settings) > MAX_SETTINGS:
        problems.append(f"{where}: {len(settings)} settings; at most {MAX_SETTINGS}.")
        return ()
    out = []
    for key, value in settings.items():
        key = str(key)
        spec = specs.get(key)
        if spec is None:
            known = ", ".join(sorted(specs)[:12])
            problems.append(f"{where}: the page '{page}' has no setting '{key[:30]}' (it has: {known}"
                            f"{', ...' if len(specs) > 12 else ''}).")
            continue
        text = setting_text(value)
        if text is None or len(text) > LIMITS["value"]:
            problems.append(f"{where}: the value of '{key}' must be a short text, number or true/false.")
            continue
        try:
            spec.parse(text)
        except (ValueError, OverflowError):
            describe = getattr(spec, "describe", lambda: "a valid value")()
            problems.append(f"{where}: '{key}' = '{text[:30]}' is not {describe}.")
            continue
        out.append((key, text))
    return tuple(out)


def _question(raw, where: str, answers, problems: list[str]) -> Question | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        problems.append(f"{where}: 'question' must be a mapping with 'ask' and 'answer'.")
        return None
    unknown = set(map(str, raw)) - QUESTION_FIELDS
    if unknown:
        problems.append(f"{where}: unknown question field(s) {', '.join(sorted(unknown))[:60]}.")
    ask = _text(raw.get("ask"), f"{where}: the question", "ask", problems, required=True)
    answer = raw.get("answer")
    if not isinstance(answer, str) or (answers is not None and answer not in answers):
        known = ", ".join(sorted(answers)) if answers is not None else ""
        problems.append(f"{where}: the question's 'answer' must name one of the app's answers ({known}).")
        return None
    options = raw.get("options") or []
    if not isinstance(options, list) or len(options) > MAX_OPTIONS:
        problems.append(f"{where}: 'options' must be a list of at most {MAX_OPTIONS} texts.")
        return None
    opts = tuple(_text(o, f"{where}: an option", "option", problems, required=True) for o in options)
    if len(set(opts)) != len(opts):
        problems.append(f"{where}: the options must differ from each other.")
    return Question(ask, answer, opts) if ask else None


def from_dict(raw, pages: Mapping[str, Mapping[str, Any]], answers=None) -> Deck:
    """Check a parsed deck (a dict) and build the :class:`Deck`; DeckError lists every problem.

    ``answers``: the names of the answer functions a question may use (None: not checked here).
    """
    if answers is None:
        from explorer.lecture.answers import ANSWERS  # numpy and explorer.core only
        answers = ANSWERS
    if not isinstance(raw, Mapping):
        raise DeckError("A deck file holds one mapping with 'title' and 'steps'.")
    problems: list[str] = []
    if raw.get("format", FORMAT) != FORMAT:
        problems.append(f"'format' is '{str(raw.get('format'))[:40]}'; a deck's is '{FORMAT}'.")
    version = raw.get("version", VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version > VERSION:
        problems.append(f"This app reads deck version {VERSION}; the file says '{str(version)[:20]}'.")
    unknown = set(map(str, raw)) - DECK_FIELDS
    if unknown:
        problems.append(f"Unknown field(s) {', '.join(sorted(unknown))[:80]}; a deck has {', '.join(sorted(DECK_FIELDS))}.")
    title = _text(raw.get("title"), "The deck's title", "title", problems) or "My deck"
    steps_raw = raw.get("steps")
    if not isinstance(steps_raw, list) or not steps_raw:
        problems.append("'steps' must be a non-empty list of views.")
        raise DeckError(problems)
    if len(steps_raw) > MAX_STEPS:
        raise DeckError(problems + [f"The deck has {len(steps_raw)} steps; at most {MAX_STEPS} are allowed."])
    steps = []
    for i, s in enumerate(steps_raw, start=1):
        where = f"Step {i}"
        if not isinstance(s, Mapping):
            problems.append(f"{where} must be a mapping with 'page', 'settings' and 'title'.")
            continue
        unknown = set(map(str, s)) - STEP_FIELDS
        if unknown:
            problems.append(f"{where}: unknown field(s) {', '.join(sorted(unknown))[:60]} "
                            f"(a step has {', '.join(sorted(STEP_FIELDS))}).")
        page = s.get("page")
        if not isinstance(page, str) or page not in pages:
            shown = str(page)[:40] if page is not None else "nothing"
            problems.append(f"{where}: '{shown}' is not one of the app's pages ({', '.join(sorted(pages))}).")
            continue
        settings = check_settings(page, s.get("settings"), pages[page], where, problems)
        step_title = _text(s.get("title"), f"{where}: the title", "title", problems, required=True)
        steps.append(Step(page, settings, step_title,
                          _text(s.get("note"), f"{where}: the note", "note", problems),
                          _text(s.get("look"), f"{where}: 'look'", "look", problems),
                          _text(s.get("topic"), f"{where}: the topic", "topic", problems),
                          _question(s.get("question"), where, answers, problems)))
    if problems:
        raise DeckError(problems)
    return Deck(title, tuple(steps))


# -- writing -------------------------------------------------------------------------------
def to_json(deck: Deck, indent: int | None = 1) -> str:
    if indent is None:
        return json.dumps(deck.to_dict(), ensure_ascii=False, separators=(",", ":"))
    return json.dumps(deck.to_dict(), ensure_ascii=False, indent=indent) + "\n"


def to_yaml(deck: Deck) -> str | None:
    """The deck as YAML, or None when PyYAML is not installed."""
    try:
        import yaml
    except ImportError:  # pragma: no cover
        return None
    return yaml.safe_dump(deck.to_dict(), allow_unicode=True, sort_keys=False, width=100)


def encode_link(deck: Deck) -> str:
    """The deck as one address-safe word (compressed JSON, base64url without padding)."""
    packed = zlib.compress(to_json(deck, indent=None).encode("utf-8"), 9)
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def link_fits(encoded: str) -> bool:
    return len(encoded) <= MAX_LINK_CHARS


def decode_link(text: str, pages: Mapping[str, Mapping[str, Any]]) -> Deck:
    """Read a deck from :func:`encode_link`'s word, checked like a file (size before inflating)."""
    if not isinstance(text, str) or len(text) > MAX_LINK_INPUT:
        raise DeckError("The deck in the link is too long to be read.")
    if not _LINK_CHARS.match(text) or not text:
        raise DeckError("The deck in the link is damaged (it has characters a deck link never has).")
    try:
        packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_BYTES + 1)
    except (binascii.Error, ValueError, zlib.error):
        raise DeckError("The deck in the link is damaged (it could not be decoded); ask for the file.") from None
    if len(raw) > MAX_BYTES or inflater.unconsumed_tail:
        raise DeckError(f"The deck in the link unpacks to more than {MAX_BYTES:,} bytes; it is refused.")
    return parse_text(raw, pages, "link.json")
