"""How a page declares its settings: one typed, frozen dataclass, each field one URL-bound :class:`Param`.

    @settings(page="regression", prefix="lr")
    class Regression:
        n: int = setting(30, lo=2, hi=500)              # URL key lr_n, a whole number in 2..500
        noise: float = setting(0.5, lo=0.0, hi=3.0)     # lr_noise
        view: str = choice("SAX", {"SAX": "Short axis", "4CH": "Four chambers"})
        show_grid: bool = setting(False)
        shape: str = text("8x1x6x1", max_chars=40)

    P = params_of(Regression)     # P.n is Param("lr_n", 30, "int", 2, 500); iterate for all of them
    s = from_state(Regression, st.session_state)   # a Regression with this run's values

Every key is ``<prefix>_<field name>`` (one convention for the whole app); the kind comes from the
annotation (``int``, ``float``, ``bool``, ``str`` for text) or from :func:`choice`. A field declared
with plain ``dataclasses.field``/a default (no :func:`setting`) is derived, not a URL setting.
No Streamlit here: the lecture's decks, the tests and the benchmarks import these declarations.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Iterator, Mapping, get_type_hints

from explorer.settings.param import Param, valid_value

_META = "explorer.param"
_KIND_OF_TYPE = {int: "int", float: "float", bool: "bool", str: "text"}


def setting(default: Any, lo: float | None = None, hi: float | None = None) -> Any:
    """A number (``lo``..``hi``) or a true/false setting; its kind is the field's annotation."""
    return dataclasses.field(default=default, metadata={_META: {"lo": lo, "hi": hi}})


def choice(default: Any, options: Mapping[Any, str]) -> Any:
    """One of ``options`` (``{value: label}``; the label is what the page and the URL show)."""
    if default not in options:
        raise ValueError(f"default {default!r} is not one of the options")
    return dataclasses.field(default=default, metadata={_META: {"choices": tuple(options),
                                                                "labels": tuple(options.values())}})


def text(default: str, max_chars: int) -> Any:
    """A typed text of at most ``max_chars`` characters (the page parses it and explains errors)."""
    return dataclasses.field(default=default, metadata={_META: {"hi": max_chars}})


class ParamSet:
    """The Params of one settings class: ``P.n`` (by field name), ``P["lr_n"]`` (by URL key), iteration."""

    def __init__(self, page: str, prefix: str, by_field: dict[str, Param]):
        self.page, self.prefix = page, prefix
        self._by_field = by_field
        self._by_key = {p.key: p for p in by_field.values()}

    def __getattr__(self, name: str) -> Param:
        try:
            return self.__dict__["_by_field"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, key: str) -> Param:
        return self._by_key[key]

    def __iter__(self) -> Iterator[Param]:
        return iter(self._by_field.values())

    def __len__(self) -> int:
        return len(self._by_field)

    def values(self) -> list[Param]:
        return list(self._by_field.values())

    def fields(self) -> dict[str, Param]:
        return dict(self._by_field)


def settings(page: str, prefix: str):
    """Class decorator: a frozen dataclass whose :func:`setting`/:func:`choice`/:func:`text` fields are Params."""

    def wrap(cls):
        cls = dataclasses.dataclass(frozen=True)(cls)
        hints = get_type_hints(cls)
        by_field = {}
        for f in dataclasses.fields(cls):
            meta = f.metadata.get(_META)
            if meta is None:
                continue
            if "choices" in meta:
                kind = "choice"
            else:
                kind = _KIND_OF_TYPE.get(hints[f.name])
                if kind is None:
                    raise TypeError(f"{cls.__name__}.{f.name}: annotate int, float, bool or str, or use choice()")
            by_field[f.name] = Param(f"{prefix}_{f.name}", f.default, kind, meta.get("lo"), meta.get("hi"),
                                     meta.get("choices", ()), meta.get("labels", ()))
        cls.__params__ = ParamSet(page, prefix, by_field)
        return cls

    return wrap


def params_of(cls) -> ParamSet:
    """The declared Params of a settings class made by :func:`settings`."""
    return cls.__params__


def coerce(p: Param, value: Any) -> Any:
    """``value`` as the field's Python type if ``p`` allows it, else ``p.default``."""
    if not valid_value(p, value):
        return p.default
    if p.kind == "choice":
        return value if value in p.choices else p.choices[p.labels.index(value)]
    return {"int": int, "float": float, "bool": bool, "text": str}[p.kind](value)


def from_state(cls, state: Mapping[str, Any], **derived: Any):
    """An instance of ``cls`` with each setting's value from ``state`` (the widgets' keys), or its default.

    A value a real widget could not have sent is replaced by the default (``url_state.sanitize``
    already noted it for the user). ``derived`` fills fields that are not settings.
    """
    values = {name: coerce(p, state.get(p.key, p.default)) for name, p in params_of(cls).fields().items()}
    return cls(**values, **derived)


def to_query(obj) -> dict[str, Any]:
    """``{url key: value}`` for every setting of a settings instance (for decks and tests)."""
    return {p.key: getattr(obj, name) for name, p in params_of(type(obj)).fields().items()}
