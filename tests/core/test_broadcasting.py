"""Broadcasting core: shape parsing and the step-by-step rule vs np.broadcast_shapes."""
from __future__ import annotations


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.broadcasting import (
    EQUAL,
    INCOMPATIBLE,
    MISSING,
    STRETCHED,
    BroadcastExplanation,
    ShapeError,
    broadcast_example,
    explain_broadcast,
    format_shape,
    parse_shape,
)


TOO_LARGE = "too large"


def numpy_result(*shapes):
    """np.broadcast_shapes; None when the shapes mismatch; TOO_LARGE when numpy cannot index it."""
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError as err:
        return TOO_LARGE if "too large" in str(err) else None


# ---------------------------------------------------------------- parse_shape: accepted


@pytest.mark.parametrize("text, shape", [
    ("8x1x6x1", (8, 1, 6, 1)),
    ("8 × 1 × 6 × 1", (8, 1, 6, 1)),
    ("(8, 1, 6, 1)", (8, 1, 6, 1)),
    ("[8,1,6,1]", (8, 1, 6, 1)),
    ("8,1,6,1", (8, 1, 6, 1)),
    ("8 1 6 1", (8, 1, 6, 1)),
    ("8X1*6x1", (8, 1, 6, 1)),
    ("  7x1x5  ", (7, 1, 5)),
    ("7", (7,)),
    ("(7,)", (7,)),
    ("7,", (7,)),
    ("()", ()),
    ("[]", ()),
    ("( )", ()),
    ("0x3", (0, 3)),
    ("0", (0,)),
    ("007", (7,)),
    ("1000000000", (10**9,)),
    ("\t3 ,\n4 ", (3, 4)),
    ("x".join(["2"] * 32), (2,) * 32),
])
def test_parse_shape_accepts_the_usual_spellings(text, shape):
    got = parse_shape(text)
    assert got == shape
    assert all(type(d) is int for d in got)


# ---------------------------------------------------------------- parse_shape: refused


@pytest.mark.parametrize("text, phrase", [
    ("abc", "not a size"),
    ("8xax6", "'a' is not a size"),
    ("-3x2", "cannot be negative"),
    ("3x-2", "cannot be negative"),
    ("x".join(["1"] * 40), "40 dimensions"),
    ("x".join(["1"] * 33), "at most 32"),
    ("1" * 10_000, "200 characters"),
    ("８x１", "0-9"),
    ("٣x٤", "0-9"),          # Arabic-Indic digits
    ("1e3", "1000"),
    ("2.5x3", "not a whole number"),
    ("1.", "not a whole number"),
    ("+3", "without a sign"),
    ("", "empty"),
    ("   ", "empty"),
    ("8,,1", "missing"),
    ("x8", "missing"),
    ("8x", "missing"),
    (",", "no sizes"),
    ("(8,1]", "not closed"),
    ("8,1)", "no opening"),
    ("((8,1))", "one pair of brackets"),
    ("1000000001", "too large"),
    ("99999999999999999999", "too large"),
    ("__import__('os')", "bracket"),
    ("os.system", "not a size"),
    ("8;1", "not a size"),
    ("1_000", "not a size"),
    ("inf", "not a size"),
    ("nan", "not a size"),
])
def test_parse_shape_refuses_bad_text_with_a_clear_sentence(text, phrase):
    with pytest.raises(ValueError) as info:
        parse_shape(text)
    message = str(info.value)
    assert isinstance(info.value, ShapeError)
    assert phrase in message
    assert "\n" not in message and message.endswith(".") and len(message) < 200
    assert message[0].isupper() or message[0] in "'\"0123456789"


@pytest.mark.parametrize("value", [None, 8, (8, 1), b"8x1"])
def test_parse_shape_refuses_non_text(value):
    with pytest.raises(ValueError, match="as text"):
        parse_shape(value)


def test_parse_shape_checks_the_length_before_anything_else(monkeypatch):
    # a long text that would be slow or confusing for a regex is refused at once: before any
    # stripping, bracket matching or splitting runs (each of them is made to fail here)
    from explorer.core import broadcasting

    class Untouchable:
        def split(self, text):
            raise AssertionError("the separator regex ran on a long text")

    def no_brackets(body):
        raise AssertionError("the brackets were parsed on a long text")

    with monkeypatch.context() as m:
        m.setattr(broadcasting, "_SEPARATOR", Untouchable())
        m.setattr(broadcasting, "_strip_brackets", no_brackets)
        for text in ["1" * 10_000, " " * 10_000 + "8", "(" * 5_000 + "x" * 5_000, "8x1" * 100_000]:
            with pytest.raises(ValueError, match="200 characters"):
                parse_shape(text)
    assert parse_shape(" " * 195 + "8x1") == (8, 1)  # 198 characters is fine


@settings(max_examples=300, deadline=None)
@given(
    shape=st.lists(st.integers(0, 10**9), min_size=0, max_size=32).map(tuple),
    style=st.sampled_from(["x", " × ", ", ", " ", "*", " x "]),
    brackets=st.sampled_from(["", "()", "[]"]),
)
def test_parse_shape_round_trips_any_valid_shape(shape, style, brackets):
    body = style.join(map(str, shape))
    text = f"{brackets[:1]}{body}{brackets[1:]}" if brackets else body
    if len(text) > 200:
        with pytest.raises(ValueError, match="200 characters"):
            parse_shape(text)
    elif not shape and not brackets:
        with pytest.raises(ValueError, match="empty"):
            parse_shape(text)
    else:
        assert parse_shape(text) == shape


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60))
def test_parse_shape_never_fails_other_than_with_value_error(text):
    try:
        shape = parse_shape(text)
    except ValueError as err:
        assert str(err)
    else:
        assert isinstance(shape, tuple) and len(shape) <= 32
        assert all(type(d) is int and 0 <= d <= 10**9 for d in shape)


def test_format_shape():
    assert format_shape((8, 1, 6, 1)) == "8 × 1 × 6 × 1"
    assert format_shape(()) == "()"
    assert parse_shape(format_shape((8, 7, 6, 5))) == (8, 7, 6, 5)


# ---------------------------------------------------------------- explain_broadcast


def test_the_slides_example():
    ex = explain_broadcast((8, 1, 6, 1), (7, 1, 5))
    assert isinstance(ex, BroadcastExplanation)
    assert ex.ok and ex.error is None
    assert ex.result == (8, 7, 6, 5) == np.broadcast_shapes((8, 1, 6, 1), (7, 1, 5))
    assert ex.padded == ((8, 1, 6, 1), (1, 7, 1, 5))
    assert ex.ndim == 4
    # the rule starts with the trailing dimension and works its way left
    assert [s.axis_from_right for s in ex.steps] == [-1, -2, -3, -4]
    assert [s.axis_from_left for s in ex.steps] == [3, 2, 1, 0]
    assert [s.sizes for s in ex.steps] == [(1, 5), (6, 1), (1, 7), (8, None)]
    assert [s.statuses for s in ex.steps] == [
        (STRETCHED, EQUAL), (EQUAL, STRETCHED), (STRETCHED, EQUAL), (EQUAL, MISSING)]
    assert [s.result for s in ex.steps] == [5, 6, 7, 8]
    assert STRETCHED == "stretched from 1" and MISSING == "missing (treated as 1)"


def test_the_lecture_bias_example():
    # Z = W X + b: W X is 1 x B, b is 1 x 1
    ex = explain_broadcast((1, 8), (1, 1))
    assert ex.result == (1, 8)
    assert ex.steps[0].statuses == (EQUAL, STRETCHED)
    assert explain_broadcast((3, 8), (3, 1)).result == (3, 8)   # b : [out, 1] over B = 8


def test_error_names_the_failing_dimension():
    ex = explain_broadcast((8, 6, 1), (5, 1))
    assert not ex.ok and ex.result is None
    assert ex.error.startswith("dimension -2 (from the right): sizes 6 and 5 differ and neither is 1")
    assert "A has 6, B has 5" in ex.error
    step = ex.steps[1]
    assert step.result is None and not step.ok
    assert step.statuses == (INCOMPATIBLE, INCOMPATIBLE)
    assert ex.steps[0].ok and ex.steps[2].ok  # other dimensions are still explained
    assert ex.steps[2].statuses == (EQUAL, MISSING)


def test_error_with_three_shapes_and_several_failures():
    ex = explain_broadcast((2, 8, 6, 1), (3, 5, 1), (4, 1, 1, 1))
    assert ex.error.startswith("dimension -2 (from the right): sizes 6 and 5 differ and neither is 1")
    assert "dimensions -3, -4 fail too" in ex.error
    ex3 = explain_broadcast((6,), (5,), (4,))
    assert ex3.error.startswith("dimension -1 (from the right): sizes 6, 5 and 4 differ and none is 1")
    assert "A has 6, B has 5, C has 4" in ex3.error
    mixed = explain_broadcast((6, 1), (1, 1), (5, 1))
    assert mixed.steps[1].statuses == (INCOMPATIBLE, STRETCHED, INCOMPATIBLE)


def test_three_shapes():
    ex = explain_broadcast((8, 1, 6, 1), (7, 1, 5), (6, 1))
    assert ex.result == (8, 7, 6, 5)
    assert ex.steps[3].statuses == (EQUAL, MISSING, MISSING)
    assert len(ex.padded) == 3 and ex.padded[2] == (1, 1, 6, 1)


def test_zero_size_and_scalar_shapes():
    assert explain_broadcast((0,), (1,)).result == (0,)
    assert explain_broadcast((0,), (1,)).steps[0].statuses == (EQUAL, STRETCHED)
    assert explain_broadcast((0,), (5,)).result is None
    assert explain_broadcast((), ()).result == ()
    assert explain_broadcast((), (3, 4)).result == (3, 4)
    assert explain_broadcast((), (3, 4)).steps[0].statuses == (MISSING, EQUAL)
    assert explain_broadcast((1, 1), (1,)).steps[0].statuses == (EQUAL, EQUAL)


def test_results_too_big_for_numpy_are_still_explained():
    ex = explain_broadcast((10**9, 1, 10**9), (10**9, 1))
    assert ex.result == (10**9, 10**9, 10**9) and ex.error is None
    assert ex.n_elements == 10**27 and ex.too_big_for_numpy
    with pytest.raises(ValueError, match="too large"):
        np.broadcast_shapes((10**9, 1, 10**9), (10**9, 1))
    assert explain_broadcast((2**31, 2**31), (1,)).too_big_for_numpy is False
    assert explain_broadcast((6,), (5,)).n_elements is None
    # numpy multiplies left to right and stops at a 0: the position of the 0 matters
    assert explain_broadcast((0, 2**40, 2**40), (1,)).too_big_for_numpy is False
    assert explain_broadcast((2**40, 2**40, 0), (1,)).too_big_for_numpy is True
    for shapes in [((0, 2**40, 2**40), (1,)), ((2**40, 2**40, 0), (1,)),
                   ((2**31, 1), (1, 2**32)), ((2**62, 1), (1, 2))]:
        check_against_numpy(*shapes)


def test_text_shapes_are_parsed():
    assert explain_broadcast("8x1x6x1", "7 × 1 × 5").result == (8, 7, 6, 5)


@pytest.mark.parametrize("shapes", [
    [(1,)], [(1,), (1,), (1,), (1,)], [(-1,), (2,)], [(2.0,), (2,)], [(True,), (2,)],
    [(1,) * 33, (1,)], ["abc", (1,)],
])
def test_explain_broadcast_rejects_bad_inputs(shapes):
    with pytest.raises(ValueError):
        explain_broadcast(*shapes)


def random_shape(rng, sizes):
    ndim = int(rng.integers(0, 6))
    return tuple(int(rng.choice(sizes)) for _ in range(ndim))


def check_against_numpy(*shapes):
    ex = explain_broadcast(*shapes)
    expected = numpy_result(*shapes)
    if expected == TOO_LARGE:
        # the rule succeeds; numpy only refuses because the result cannot be indexed
        assert ex.ok and ex.too_big_for_numpy
        expected = ex.result
        assert all(d1 == d2 or 1 in (d1, d2) for d1, d2 in zip(ex.padded[0], expected))
    else:
        assert not ex.too_big_for_numpy
    assert ex.result == expected, shapes
    assert (ex.error is None) == (expected is not None)
    ndim = max(len(s) for s in shapes)
    assert len(ex.steps) == ndim
    assert all(len(p) == ndim for p in ex.padded)
    for p, s in zip(ex.padded, shapes):
        assert p[ndim - len(s):] == s and set(p[:ndim - len(s)]) <= {1}
    for k, step in enumerate(ex.steps, start=1):
        assert step.axis_from_right == -k and step.axis_from_left == ndim - k
        for size, status in zip(step.sizes, step.statuses):
            if size is None:
                assert status == MISSING
            elif status == EQUAL:
                assert size == step.result
            elif status == STRETCHED:
                assert size == 1 and step.result != 1
            else:
                assert status == INCOMPATIBLE and step.result is None and size != 1
        if expected is not None:
            assert step.result == expected[-k]
    if expected is None:
        first_bad = next(s for s in ex.steps if s.result is None)
        assert ex.error.startswith(f"dimension {first_bad.axis_from_right} (from the right)")


def test_agrees_with_numpy_on_thousands_of_random_pairs_and_triples():
    rng = np.random.default_rng(2024)
    for trial in range(4000):
        # small alphabets make compatible shapes common; wider ones make failures common
        sizes = [1, 1, 3] if trial % 3 == 0 else [0, 1, 2, 3] if trial % 3 == 1 else [1, 2, 3, 4, 5, 6, 7, 8]
        n_shapes = 2 if trial % 2 else 3
        shapes = [random_shape(rng, sizes) for _ in range(n_shapes)]
        check_against_numpy(*shapes)
    # both outcomes really were exercised
    outcomes = {numpy_result(random_shape(rng, [1, 2, 3]), random_shape(rng, [1, 2, 3])) is None
                for _ in range(200)}
    assert outcomes == {True, False}


shape_strategy = st.lists(st.sampled_from([0, 1, 1, 1, 2, 3, 5, 10**9, 2**31, 2**62]), max_size=7).map(tuple)


@settings(max_examples=400, deadline=None)
@given(a=shape_strategy, b=shape_strategy)
def test_agrees_with_numpy_for_hypothesis_pairs(a, b):
    check_against_numpy(a, b)


@settings(max_examples=200, deadline=None)
@given(a=shape_strategy, b=shape_strategy, c=shape_strategy)
def test_agrees_with_numpy_for_hypothesis_triples(a, b, c):
    check_against_numpy(a, b, c)


@settings(max_examples=200, deadline=None)
@given(target=st.lists(st.integers(0, 6), max_size=6), data=st.data())
def test_shapes_made_compatible_always_broadcast_to_the_target(target, data):
    # knock sizes down to 1 and drop leading axes: the result must be the target again
    def shrink(shape):
        drop = data.draw(st.integers(0, len(shape)))
        return tuple(1 if data.draw(st.booleans()) else d for d in shape[drop:])

    target = tuple(target)
    a, b = shrink(target), target
    ex = explain_broadcast(a, b)
    assert ex.result == target == np.broadcast_shapes(a, b)


# ---------------------------------------------------------------- broadcast_example


def test_broadcast_example_column_plus_row():
    ex = broadcast_example((3, 1), (1, 4))
    np.testing.assert_array_equal(ex.a, [[0], [1], [2]])
    np.testing.assert_array_equal(ex.b, [[0, 10, 20, 30]])
    np.testing.assert_array_equal(ex.total, [[0, 10, 20, 30], [1, 11, 21, 31], [2, 12, 22, 32]])
    np.testing.assert_array_equal(ex.a_stretched, np.repeat(ex.a, 4, axis=1))
    np.testing.assert_array_equal(ex.b_stretched, np.repeat(ex.b, 3, axis=0))
    np.testing.assert_array_equal(ex.total, ex.a_stretched + ex.b_stretched)
    ex.a_stretched[0, 0] = 99  # a real copy, safe to edit
    assert ex.a[0, 0] == 0


@pytest.mark.parametrize("a, b", [((2, 1, 3), (4, 1)), ((5,), ()), ((), ()), ((0, 3), (1,)), ((4, 5), (5,))])
def test_broadcast_example_matches_numpy(a, b):
    ex = broadcast_example(a, b)
    assert ex.a.shape == a and ex.b.shape == b
    assert ex.total.shape == np.broadcast_shapes(a, b)
    np.testing.assert_array_equal(ex.total, np.arange(int(np.prod(a))).reshape(a)
                                  + 10 * np.arange(int(np.prod(b))).reshape(b))


def test_broadcast_example_only_for_small_results():
    assert broadcast_example((8, 1, 6, 1), (7, 1, 5)) is None    # 1680 elements
    assert broadcast_example((10, 1), (1, 20)).total.size == 200  # exactly the limit
    assert broadcast_example((10, 1), (1, 21)) is None
    assert broadcast_example((1000, 1), (0,)) is None             # empty result, big input
    assert broadcast_example((10**9,), (1,)) is None              # never allocates
    assert broadcast_example((6,), (5,)) is None                  # incompatible
