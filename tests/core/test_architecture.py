"""Shapes, exact parameter counts and formulas, against an independent count."""
import random

import pytest

from explorer.core.activations import NAMES
from explorer.core.architecture import MAX_FORWARD_BYTES, Architecture, format_bytes, param_formula


def independent_count(n_in, widths, acts, k):
    total, prev = 0, n_in
    for w, a in zip(widths, acts):
        pieces = k if a == "maxout" else 1
        total += pieces * w * prev + pieces * w
        prev = w
    return total


def test_the_slides_network_is_3N_plus_14():
    assert param_formula([3, 2, 1]) == "3N+14"
    for n in (1, 4, 340, 10**9):
        arch = Architecture(n, [3, 2, 1], ["sigmoid"] * 3)
        assert arch.n_params == 3 * n + 14
    shapes = Architecture(4, [3, 2, 1], ["sigmoid"] * 3).trace(8)
    assert [r["W"] for r in shapes] == [(3, 4), (2, 3), (1, 2)]
    assert [r["b"] for r in shapes] == [(3, 1), (2, 1), (1, 1)]
    assert [r["Z"] for r in shapes] == [(3, 8), (2, 8), (1, 8)]
    assert [r["params"] for r in shapes] == [15, 8, 3]


def test_formulas():
    assert param_formula([1]) == "N+1"
    assert param_formula([5, 1]) == "5N+11"
    assert param_formula([3, 2, 1], ["maxout", "sigmoid", "sigmoid"], pieces=3) == "9N+20"


def test_derivation_lines_match_the_slide():
    lines = Architecture(4, [3, 2, 1], ["sigmoid"] * 3).derivation()
    counts = [c for _, c in lines]
    assert counts == ["3N + 3", "0", r"2 \times 3 + 2 = 8", "0", r"1 \times 2 + 1 = 3", "0"]
    assert lines[-1][0].startswith(r"\hat{y} = a^{[3]}")
    assert Architecture(4, [3, 2, 1], ["sigmoid"] * 3).total_latex() == "3N + 3 + 8 + 3 = 3N + 14"


def test_random_architectures_against_independent_count():
    rng = random.Random(0)
    for _ in range(500):
        depth = rng.randint(1, 7)
        widths = [rng.randint(1, 512) for _ in range(depth)]
        acts = [rng.choice(NAMES) for _ in range(depth)]
        k = rng.randint(2, 8)
        n = rng.choice([1, 7, 4096, 10**9, 10**12])
        arch = Architecture(n, widths, acts, pieces=k)
        assert arch.n_params == independent_count(n, widths, acts, k)
        coef, const = arch.formula().split("N+")
        coef = int(coef or 1)
        assert coef * n + int(const) == arch.n_params
        for layer, w, a in zip(arch.layers, widths, acts):
            pieces = k if a == "maxout" else 1
            assert layer.W_shape[0] == pieces * w and layer.a_shape(3) == (w, 3)


def test_huge_sizes_are_exact_python_ints_and_refused_for_forward():
    arch = Architecture(10**9, [512] * 6 + [20], ["maxout"] * 6 + ["softmax"], pieces=8)
    assert isinstance(arch.n_params, int)
    assert arch.n_params == independent_count(10**9, [512] * 6 + [20], ["maxout"] * 6 + ["softmax"], 8)
    assert arch.too_large(1) is not None and "not run" in arch.too_large(1)
    assert Architecture(4, [3, 2, 1], ["sigmoid"] * 3).too_large(1024) is None
    assert Architecture(4, [3, 2, 1], ["sigmoid"] * 3).forward_bytes(1) == 8 * (4 + 26 + 2 * (3 + 2 + 1))
    assert MAX_FORWARD_BYTES == 200 * 2**20


@pytest.mark.parametrize("args, message", [
    ((0, [3], ["relu"]), "at least 1"),
    ((4, [], []), "at least one layer"),
    ((4, [3, 1], ["relu"]), "need 2 activations"),
    ((4, [3, 1], ["softmax", "sigmoid"]), "output layer only"),
    ((4, [3], ["nope"]), "unknown activation"),
    ((4.5, [3], ["relu"]), "whole number"),
    ((True, [3], ["relu"]), "whole number"),
])
def test_bad_architectures_are_clear_errors(args, message):
    with pytest.raises(ValueError, match=message):
        Architecture(*args)


def test_format_bytes():
    assert format_bytes(512) == "512 B"
    assert format_bytes(1536) == "1.5 KB"
    assert format_bytes(200 * 2**20) == "200.0 MB"


def test_derivation_names_each_function_by_its_registry_symbol():
    from explorer.core.activations import LAYER_ACTIVATIONS

    for name, entry in LAYER_ACTIVATIONS.items():
        acts = ["tanh", name] if name == "softmax" else [name, "sigmoid"]
        lines = Architecture(3, [4, 2], acts).derivation()
        symbol = lines[3 if name == "softmax" else 1][0]
        assert symbol.endswith(f"= {entry.symbol}(Z^{{[{2 if name == 'softmax' else 1}]}})"), (name, symbol)
    lines = Architecture(3, [4, 1], ["relu", "sigmoid"]).derivation()
    assert lines[1][0] == r"a^{[1]} = \mathrm{ReLU}(Z^{[1]})"
    assert lines[3][0] == r"\hat{y} = a^{[2]} = \sigma(Z^{[2]})"
