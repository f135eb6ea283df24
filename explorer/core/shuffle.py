"""The one portable random generator that orders the minibatches, in Python and in the browser.

numpy's ``default_rng(seed).permutation`` cannot be reproduced in JavaScript, so the
trainer shuffles with a generator small enough to write down exactly, implemented
identically here (pure Python ints) and in ``explorer/web/nn.js`` (``makeRng``,
``permutation``). The same seed gives the same batch order on both sides; the parity
tests (tests/web/test_parity.py) pin it.

The generator is mulberry32 (Tommy Ettinger's 32-bit generator): a 32-bit state
advanced by the constant 0x6D2B79F5, and an output mixing of that state::

    state = (state + 0x6D2B79F5) mod 2^32
    t = state
    t = (t ^ (t >> 15)) * (t | 1)                 mod 2^32
    t = t ^ ((t + (t ^ (t >> 7)) * (t | 61)) mod 2^32)
    out = t ^ (t >> 14)                           a uint32

The seed is taken modulo 2^32 (negative seeds in two's complement, as JavaScript's
``seed >>> 0``). An integer below ``m`` is ``(out * m) >> 32`` (exact in both
languages for m < 2^21; its bias, below m / 2^32, is irrelevant for shuffling).
A permutation of 0..n-1 is the Fisher-Yates shuffle of the identity::

    order = [0, 1, ..., n-1]
    for i = n-1 down to 1:  j = below(i + 1);  swap order[i], order[j]

>>> rng = Rng(0)
>>> [rng.next_uint32() for _ in range(3)]
[1144304738, 1416247, 958946056]
>>> permutation(Rng(1), 5)
[4, 2, 1, 0, 3]
"""
from __future__ import annotations

MASK = 0xFFFFFFFF
INCREMENT = 0x6D2B79F5
MAX_N = 2**21   # below(m) is exact in JavaScript's float64 for m up to this


class Rng:
    """mulberry32 with a 32-bit state; ``next_uint32`` and ``below`` as in the module docstring."""

    def __init__(self, seed: int = 0):
        self.state = int(seed) & MASK

    def next_uint32(self) -> int:
        self.state = (self.state + INCREMENT) & MASK
        t = self.state
        t = ((t ^ (t >> 15)) * (t | 1)) & MASK
        t ^= (t + ((t ^ (t >> 7)) * (t | 61))) & MASK
        return t ^ (t >> 14)

    def below(self, m: int) -> int:
        """An integer in ``[0, m)``: ``(next_uint32() * m) >> 32``."""
        if not 0 < m <= MAX_N:
            raise ValueError(f"below(m) needs 0 < m <= {MAX_N}, got {m}")
        return (self.next_uint32() * m) >> 32


def permutation(rng: Rng, n: int) -> list[int]:
    """A random order of ``0..n-1``: Fisher-Yates on the identity, drawing ``n - 1`` numbers."""
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rng.below(i + 1)
        order[i], order[j] = order[j], order[i]
    return order
