"""Broadcasting, step by step, exactly as numpy does it.

The slide: ``Z = W X + b`` with ``W : 1 x N``, ``X : N x B`` and a ``1 x 1``
bias ``b``, so ``Z`` is ``1 x B`` and the same b is added to every entry.
The rule, for shapes written left to right::

    1. right-align the shapes (start with the trailing dimensions);
    2. a missing dimension counts as 1;
    3. at each dimension the sizes must be equal, or one of them must be 1,
       and a 1 is repeated ("stretched") to the other size.

    A      (4d array):  8 x 1 x 6 x 1
    B      (3d array):      7 x 1 x 5
    Result (4d array):  8 x 7 x 6 x 5

>>> explain_broadcast((8, 1, 6, 1), (7, 1, 5)).result
(8, 7, 6, 5)
>>> parse_shape("8 × 1 × 6 × 1")
(8, 1, 6, 1)
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

MAX_TEXT = 200          # characters; checked before anything else
MAX_DIMS = 32           # numpy allows 64; 32 keeps tables and pictures readable
MAX_SIZE = 10**9        # largest single dimension accepted from text
MAX_EXAMPLE = 200       # broadcast_example only builds results up to this many elements
NAMES = ("A", "B", "C")
_INTP_MAX = int(np.iinfo(np.intp).max)

EQUAL = "equal"
STRETCHED = "stretched from 1"
MISSING = "missing (treated as 1)"
INCOMPATIBLE = "incompatible"

_SEPARATOR = re.compile(r"\s*[,x×X*]\s*|\s+")
_DIGITS = re.compile(r"[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_BRACKETS = {"(": ")", "[": "]"}


class ShapeError(ValueError):
    """A shape typed by a user that cannot be read; the message says how to fix it."""


# ---------------------------------------------------------------- parsing


def parse_shape(text: str) -> tuple[int, ...]:
    """Read a shape typed by a student, e.g. ``"8x1x6x1"`` -> ``(8, 1, 6, 1)``.

    Accepted: sizes written with the digits 0-9, separated by ``x``, ``×``,
    ``*``, commas or spaces, optionally inside ``( )`` or ``[ ]``, with an
    optional trailing comma (``"(7,)"``). ``"7"`` is ``(7,)``; ``"()"`` or
    ``"[]"`` is the scalar shape ``()``. Zero-size dimensions are allowed, as
    in numpy.

    Refused with a one-sentence :class:`ShapeError` (a ValueError): text longer
    than 200 characters (checked first), empty text, letters and other symbols,
    negative or fractional sizes, ``1e3``, non-ASCII digits such as ``８``,
    more than 32 dimensions, and any size above 10**9. Never uses eval.
    """
    if not isinstance(text, str):
        raise ShapeError(f"Type the shape as text, e.g. 8x1x6x1; got {type(text).__name__}.")
    if len(text) > MAX_TEXT:
        raise ShapeError(f"The shape text is {len(text):,} characters long; "
                         f"keep it to at most {MAX_TEXT} characters, e.g. 8x1x6x1.")
    body = text.strip()
    if not body:
        raise ShapeError("The shape is empty; type sizes such as 8x1x6x1, or () for a scalar.")
    body = _strip_brackets(body)
    if not body:
        return ()
    if body.endswith(","):
        body = body[:-1].rstrip()
        if not body:
            raise ShapeError("The shape has a comma but no sizes; type e.g. (7,) or () for a scalar.")
    tokens = _SEPARATOR.split(body)
    if len(tokens) > MAX_DIMS:
        raise ShapeError(f"The shape has {len(tokens)} dimensions; at most {MAX_DIMS} are allowed "
                         "here (numpy's limit is 64, and more cannot be shown).")
    return tuple(_size(token) for token in tokens)


def _strip_brackets(body: str) -> str:
    """Remove one pair of matching outer brackets; refuse unmatched ones."""
    first, last = body[0], body[-1]
    if first in _BRACKETS:
        if last != _BRACKETS[first]:
            raise ShapeError(f"The bracket {first!r} is not closed by {_BRACKETS[first]!r}; "
                             "write e.g. (8, 1, 6, 1).")
        body = body[1:-1].strip()
    elif last in _BRACKETS.values():
        raise ShapeError(f"The closing {last!r} has no opening bracket; write e.g. (8, 1, 6, 1).")
    if any(ch in body for ch in "()[]"):
        raise ShapeError("Use at most one pair of brackets around the whole shape, e.g. (8, 1, 6, 1).")
    return body


def _size(token: str) -> int:
    """One dimension: ASCII digits only, 0 <= size <= MAX_SIZE."""
    if _DIGITS.fullmatch(token):
        size = int(token)
        if size > MAX_SIZE:
            raise ShapeError(f"The size {size:,} is too large; each dimension can be at most "
                             f"{MAX_SIZE:,} (10**9).")
        return size
    if not token:
        raise ShapeError("A size is missing next to a separator; put exactly one size between "
                         "separators, e.g. 8x1x6x1.")
    if any(ch.isdigit() and not ch.isascii() for ch in token):
        raise ShapeError(f"{token!r} uses non-ASCII digits; type sizes with the plain digits 0-9.")
    if _NUMBER.fullmatch(token):
        if token.startswith("-"):
            raise ShapeError(f"Sizes cannot be negative ({token}); use 0 or a positive whole number.")
        if token.startswith("+"):
            raise ShapeError(f"Write sizes without a sign ({token}); e.g. 3 instead of +3.")
        raise ShapeError(f"{token} is not a whole number written with digits; "
                         "sizes are counts such as 1000 (not 1e3 or 2.5).")
    raise ShapeError(f"{token!r} is not a size; write whole numbers separated by x or commas, "
                     "e.g. 8x1x6x1.")


def format_shape(shape) -> str:
    """``(8, 1, 6, 1)`` -> ``"8 × 1 × 6 × 1"``; the scalar shape ``()`` -> ``"()"``."""
    return " × ".join(str(s) for s in shape) if len(shape) else "()"


# ---------------------------------------------------------------- the rule, step by step


@dataclass(frozen=True)
class BroadcastStep:
    """One dimension of the result.

    ``axis_from_right`` is -1 for the last dimension, -2 for the one before, ...;
    ``axis_from_left`` is the same dimension counted 0, 1, ... in the result.
    ``sizes[k]`` is input k's size there, or None when input k has no such
    dimension; ``statuses[k]`` is one of ``"equal"``, ``"stretched from 1"``,
    ``"missing (treated as 1)"``, ``"incompatible"``. ``result`` is the
    result's size there, or None when the sizes are incompatible.
    """

    axis_from_right: int
    axis_from_left: int
    sizes: tuple[int | None, ...]
    statuses: tuple[str, ...]
    result: int | None

    @property
    def ok(self) -> bool:
        return self.result is not None


@dataclass(frozen=True)
class BroadcastExplanation:
    """Everything a page needs to show how the shapes broadcast.

    ``shapes``: the inputs. ``padded``: the inputs right-aligned and padded on
    the left with 1s to the result's number of dimensions (numpy's step 1-2).
    ``steps``: one :class:`BroadcastStep` per result dimension, in the order
    the rule works: from the rightmost (trailing) dimension to the left.
    ``result``: the broadcast shape, or None. ``error``: None, or one sentence
    naming the first failing dimension, counted from the right.

    The rule itself has no size limit, but numpy refuses results whose sizes
    multiply past 2**63 - 1 ("broadcast dimensions too large"): then
    ``result`` is still given and ``too_big_for_numpy`` is True.
    """

    shapes: tuple[tuple[int, ...], ...]
    padded: tuple[tuple[int, ...], ...]
    steps: tuple[BroadcastStep, ...]
    result: tuple[int, ...] | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.result is not None

    @property
    def n_elements(self) -> int | None:
        """Number of elements of the result (an exact Python int), or None."""
        return None if self.result is None else math.prod(self.result)

    @property
    def too_big_for_numpy(self) -> bool:
        """True when numpy itself would refuse the result as too large to index."""
        return self.ok and _overflows_intp(self.result)

    @property
    def ndim(self) -> int:
        return len(self.steps)


def _overflows_intp(shape: tuple[int, ...]) -> bool:
    """numpy's own check (PyArray_OverflowMultiplyList): multiply the sizes
    left to right; a 0 ends the check, a running product past intp's max fails."""
    product = 1
    for size in shape:
        if size == 0:
            return False
        product *= size
        if product > _INTP_MAX:
            return True
    return False


def explain_broadcast(*shapes) -> BroadcastExplanation:
    """Apply numpy's broadcasting rule to 2 or 3 shapes, one dimension at a time.

    Each shape is a tuple of non-negative ints (or text for :func:`parse_shape`).
    At each dimension, counted from the right, the present sizes other than 1
    must all be equal; that size (or 1 if all are 1) is the result's. Agrees
    with ``np.broadcast_shapes`` on every input (except that numpy also refuses
    results too big to index; see ``too_big_for_numpy``).

    >>> explain_broadcast((8, 6, 1), (5, 1)).error
    'dimension -2 (from the right): sizes 6 and 5 differ and neither is 1 (A has 6, B has 5).'
    """
    if not 2 <= len(shapes) <= 3:
        raise ValueError(f"explain_broadcast takes 2 or 3 shapes; got {len(shapes)}.")
    shapes = tuple(_as_shape(s) for s in shapes)
    ndim = max(len(s) for s in shapes)
    steps = tuple(_step(shapes, k, ndim) for k in range(1, ndim + 1))
    failing = [st for st in steps if not st.ok]
    padded = tuple((1,) * (ndim - len(s)) + s for s in shapes)
    if failing:
        return BroadcastExplanation(shapes, padded, steps, None, _error_message(failing))
    result = tuple(st.result for st in reversed(steps))
    return BroadcastExplanation(shapes, padded, steps, result, None)


def _as_shape(shape) -> tuple[int, ...]:
    if isinstance(shape, str):
        return parse_shape(shape)
    try:
        dims = tuple(shape)
    except TypeError:
        dims = (shape,)
    out = []
    for d in dims:
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 0:
            raise ValueError(f"Each size must be a whole number 0 or more; got {d!r} in {shape!r}.")
        out.append(int(d))
    if len(out) > MAX_DIMS:
        raise ValueError(f"A shape may have at most {MAX_DIMS} dimensions; got {len(out)}.")
    return tuple(out)


def _step(shapes, k: int, ndim: int) -> BroadcastStep:
    """The k-th dimension from the right (k = 1 is the last one)."""
    sizes = tuple(s[-k] if k <= len(s) else None for s in shapes)
    big = {size for size in sizes if size is not None and size != 1}
    result = big.pop() if len(big) == 1 else (1 if not big else None)
    statuses = tuple(_status(size, result) for size in sizes)
    return BroadcastStep(-k, ndim - k, sizes, statuses, result)


def _status(size: int | None, result: int | None) -> str:
    if size is None:
        return MISSING
    if size == 1 and result != 1:
        return STRETCHED
    if result is None:
        return INCOMPATIBLE
    return EQUAL


def _error_message(failing: list[BroadcastStep]) -> str:
    first = failing[0]
    distinct = sorted({s for s in first.sizes if s is not None and s != 1}, key=first.sizes.index)
    listed = " and ".join([", ".join(map(str, distinct[:-1])), str(distinct[-1])])
    none = "neither" if len(distinct) == 2 else "none"
    who = ", ".join(f"{NAMES[i]} has {s}" for i, s in enumerate(first.sizes)
                    if s is not None and s != 1)
    message = (f"dimension {first.axis_from_right} (from the right): sizes {listed} differ "
               f"and {none} is 1 ({who})")
    if len(failing) > 1:
        others = ", ".join(str(st.axis_from_right) for st in failing[1:])
        message += (f"; dimension {others} fails too" if len(failing) == 2
                    else f"; dimensions {others} fail too")
    return message + "."


# ---------------------------------------------------------------- a concrete example


@dataclass(frozen=True)
class BroadcastExample:
    """Small concrete arrays and their broadcast sum.

    ``a = arange(size of A)`` and ``b = 10 * arange(size of B)``, reshaped;
    ``a_stretched`` and ``b_stretched`` are both repeated to the result shape
    (what broadcasting does without copying); ``total = a + b``.
    """

    a: np.ndarray
    b: np.ndarray
    a_stretched: np.ndarray
    b_stretched: np.ndarray
    total: np.ndarray


def broadcast_example(shape_a, shape_b) -> BroadcastExample | None:
    """Concrete arrays ``a : shape_a``, ``b : shape_b`` and ``a + b``.

    Returns None when the shapes do not broadcast, or when the result or an
    input would have more than 200 elements (too many to show).
    """
    explanation = explain_broadcast(shape_a, shape_b)
    if not explanation.ok:
        return None
    sizes = [math.prod(s) for s in (*explanation.shapes, explanation.result)]
    if max(sizes) > MAX_EXAMPLE:
        return None
    shape_a, shape_b = explanation.shapes
    a = np.arange(sizes[0]).reshape(shape_a)
    b = 10 * np.arange(sizes[1]).reshape(shape_b)
    result = explanation.result
    return BroadcastExample(a, b, np.broadcast_to(a, result).copy(),
                            np.broadcast_to(b, result).copy(), a + b)
