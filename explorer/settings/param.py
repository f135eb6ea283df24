"""One URL-bound setting, :class:`Param`: its key, type, range and default. No Streamlit here.

A page's settings are declared as a typed frozen dataclass in ``explorer/settings/<page>.py``
(see :mod:`explorer.settings.declare`); each field becomes one ``Param``. The widgets, the URL
checks and share links (:mod:`explorer.ui.url_state`), the lecture's decks and the tests all read
these declarations.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

MAX_VALUE_CHARS = 64   # longer URL values are refused before parsing

Kind = Literal["int", "float", "choice", "bool", "text"]
KINDS: tuple[str, ...] = ("int", "float", "choice", "bool", "text")


@dataclass(frozen=True)
class Param:
    """One URL-bound setting: ``kind`` is "int", "float", "choice", "bool" or "text".

    A text setting is checked for length only (``hi`` characters at most); the
    page reads the text itself and says under the box what is wrong with it.

    A choice is shown (and written in the URL, as Streamlit does) by its label:
    ``labels`` runs parallel to ``choices``; without labels the label is ``str(choice)``.
    """

    key: str
    default: Any
    kind: Kind = "int"
    lo: float | None = None
    hi: float | None = None
    choices: tuple = ()
    labels: tuple = ()

    @classmethod
    def choice(cls, key: str, default, options: dict) -> "Param":
        """A choice from ``{value: label}``; the label is what the page and the URL show."""
        return cls(key, default, "choice", choices=tuple(options), labels=tuple(options.values()))

    def shown_default(self) -> str:
        """The default as a person reads it in a note."""
        if self.kind == "choice":
            return self.label_of(self.default)
        if self.kind == "text" and not self.default:
            return "empty"
        return str(self.default)

    def label_of(self, choice) -> str:
        if self.labels:
            return self.labels[self.choices.index(choice)]
        return str(choice)

    def describe(self) -> str:
        if self.kind in ("int", "float"):
            whole = "a whole number" if self.kind == "int" else "a number"
            return f"{whole} from {_fmt(self.lo)} to {_fmt(self.hi)}"
        if self.kind == "bool":
            return "true or false"
        if self.kind == "text":
            return f"a text of at most {_fmt(self.hi)} characters"
        shown = ", ".join(self.label_of(c) for c in self.choices[:8])
        return f"one of {shown}" + (", ..." if len(self.choices) > 8 else "")

    def parse(self, text: str) -> Any:
        """The value ``text`` stands for; ValueError if it is not valid for this setting."""
        if len(text) > (self.hi if self.kind == "text" else MAX_VALUE_CHARS):
            raise ValueError("too long")
        if self.kind == "text":
            return text
        # The same rules as Streamlit's own URL parsing, so that what passes here
        # is what the widget will take.
        if self.kind == "bool":
            low = text.lower()
            if low in ("true", "false"):
                return low == "true"
            raise ValueError("not a boolean")
        if self.kind == "choice":
            for choice in self.choices:
                if text == self.label_of(choice):
                    return choice
            raise ValueError("not a known choice")
        value = int(text) if self.kind == "int" else float(text)  # 'abc', '2.5' (int) raise
        if not math.isfinite(value):
            raise ValueError("not finite")
        if (self.lo is not None and value < self.lo) or (self.hi is not None and value > self.hi):
            raise ValueError("out of range")
        return value


def _fmt(x) -> str:
    if x is None:
        return "any"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:g}"


def valid_value(p: Param, value) -> bool:
    """Whether ``value`` (a widget's value, as Python) is one that ``p`` allows.

    A real browser only sends what its widget offers; a modified client can send anything
    (an option label that does not exist, a number outside the range, a huge text), and
    Streamlit passes some of that on (a selectbox returns an unknown label as it came).
    """
    try:
        if p.kind == "bool":
            return isinstance(value, (bool, np.bool_))
        if p.kind == "text":
            return isinstance(value, str) and (p.hi is None or len(value) <= p.hi)
        if p.kind == "choice":
            return value in p.choices or (bool(p.labels) and value in p.labels)
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            return False
        number = float(value)
        if not math.isfinite(number) or (p.kind == "int" and not number.is_integer()):
            return False
        return (p.lo is None or number >= p.lo) and (p.hi is None or number <= p.hi)
    except (TypeError, ValueError, OverflowError):    # unhashable or strange objects
        return False
