"""Linear map core: Z = W X + b, its shapes for any size, and the broadcast bias, vs numpy."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.linear_map import (
    MAX_EXAMPLE_ELEMENTS,
    affine_parts,
    example,
    image_pixels,
    shapes,
)


def test_slide_shapes_one_image_batch_and_classes():
    one = shapes(N=340, K=1, B=1)
    assert (one.W, one.X, one.b, one.Z) == ((1, 340), (340, 1), (1, 1), (1, 1))
    batch = shapes(N=340, K=1, B=8)                # the slide's B = 8 batch
    assert (batch.X, batch.Z) == ((340, 8), (1, 8))
    views = shapes(N=340, K=5, B=8)                # CH3, CH2, CH4, SAX, Other
    assert (views.W, views.b, views.WX, views.Z) == ((5, 340), (5, 1), (5, 8), (5, 8))
    assert views.n_params == 5 * 340 + 5
    assert views.multiply_adds == 5 * 340 * 8


def test_parameters_do_not_depend_on_the_batch():
    assert {shapes(100, 3, B).n_params for B in (1, 8, 1024)} == {303}


def test_huge_sizes_are_exact_python_ints():
    s = shapes(N=10**9, K=20, B=1024)
    assert s.W == (20, 10**9) and s.X == (10**9, 1024)
    assert s.n_params == 20 * 10**9 + 20
    assert s.n_numbers == 20 * 10**9 + 10**9 * 1024 + 20 + 20 * 1024
    assert isinstance(s.n_numbers, int)
    assert "1,044,000,020,500 numbers" in s.too_large() and "TB" in s.too_large()


def test_image_pixels():
    assert image_pixels(34, 10) == 340
    assert image_pixels(100_000, 100_000) == 10**10
    with pytest.raises(ValueError, match="H"):
        image_pixels(0, 3)


@pytest.mark.parametrize("bad", [0, -1, 2.5, "3", None, True])
def test_shapes_refuse_bad_sizes(bad):
    with pytest.raises(ValueError):
        shapes(bad, 1, 1)


def test_float_whole_numbers_are_accepted():
    assert shapes(4.0, 2, 3).W == (2, 4)


@settings(max_examples=60, deadline=None)
@given(N=st.integers(1, 9), K=st.integers(1, 6), B=st.integers(1, 9), seed=st.integers(0, 10**6))
def test_parts_match_numpy(N, K, B, seed):
    rng = np.random.default_rng(seed)
    W, X, b = rng.normal(size=(K, N)), rng.normal(size=(N, B)), rng.normal(size=(K, 1))
    parts = affine_parts(W, X, b)
    np.testing.assert_allclose(parts.WX, W @ X)
    np.testing.assert_allclose(parts.Z, W @ X + b)          # numpy's own broadcasting
    assert parts.b_broadcast.shape == (K, B)
    for j in range(B):                                       # every column is a copy of b
        np.testing.assert_array_equal(parts.b_broadcast[:, [j]], b)
    np.testing.assert_allclose(parts.Z, parts.WX + parts.b_broadcast)


def test_parts_by_hand():
    W = np.array([[1, 2, 3]])
    X = np.array([[1, 0], [0, 1], [2, 2]])
    parts = affine_parts(W, X, 10)
    assert parts.WX.tolist() == [[7, 8]]
    assert parts.b_broadcast.tolist() == [[10, 10]]
    assert parts.Z.tolist() == [[17, 18]]


def test_one_image_as_vector_and_bias_as_vector():
    W = np.arange(6).reshape(2, 3)
    parts = affine_parts(W, np.array([1, 1, 1]), np.array([1, -1]))
    assert parts.Z.tolist() == [[4], [11]]


def test_writing_the_broadcast_does_not_touch_b():
    b = np.array([[1], [2]])
    parts = affine_parts(np.ones((2, 2)), np.ones((2, 3)), b)
    parts.b_broadcast[0, 0] = 99
    assert b.tolist() == [[1], [2]]


@pytest.mark.parametrize("W, X, b, match", [
    (np.ones((2, 3)), np.ones((4, 5)), np.ones((2, 1)), "inner sizes"),
    (np.ones((2, 3)), np.ones((3, 5)), np.ones((3, 1)), "b must be K x 1"),
    (np.ones((2, 3)), np.ones((3, 5)), np.ones((1, 5)), "b must be K x 1"),
    (np.ones(3), np.ones((3, 5)), np.ones((1, 1)), "W must be"),
    (np.ones((2, 3)), np.ones((3, 5, 1)), np.ones((2, 1)), "X must be"),
])
def test_mismatched_shapes_are_explained(W, X, b, match):
    with pytest.raises(ValueError, match=match):
        affine_parts(W, X, b)


def test_example_is_seeded_small_integers():
    W, X, b = example(N=6, K=5, B=8, seed=3)
    assert (W.shape, X.shape, b.shape) == ((5, 6), (6, 8), (5, 1))
    assert W.min() >= -3 and W.max() <= 3 and X.min() >= 0 and X.max() <= 9
    assert b.min() >= -5 and b.max() <= 5
    assert W.tolist() == [[2, -3, -2, -2, -2, 2], [3, 1, -3, -3, -1, 0], [1, 0, -2, -2, 1, 2],
                          [-3, -3, 0, -1, 3, 0], [-1, 0, 1, 1, -2, 2]]
    assert X[:, 0].tolist() == [9, 2, 5, 4, 7, 3] and b.ravel().tolist() == [4, -5, 1, 3, -3]
    W2, X2, b2 = example(N=6, K=5, B=8, seed=3)
    assert np.array_equal(W, W2) and np.array_equal(X, X2) and np.array_equal(b, b2)
    W3, _, _ = example(N=6, K=5, B=8, seed=4)
    assert not np.array_equal(W, W3)


def test_a_bigger_batch_appends_images():
    W, X, b = example(N=4, K=2, B=3, seed=1)
    W8, X8, b8 = example(N=4, K=2, B=8, seed=1)
    assert np.array_equal(W, W8) and np.array_equal(b, b8)
    assert np.array_equal(X, X8[:, :3])


def test_example_refuses_big_sizes():
    with pytest.raises(ValueError, match="numbers"):
        example(N=10**9, K=1, B=1)
    assert shapes(10, 1, 1).too_large() is None
    assert shapes(MAX_EXAMPLE_ELEMENTS, 1, 1).too_large() is not None


def test_more_classes_never_redraw_the_images():
    """Changing K on the page keeps X (issue 11); W and b only gain rows."""
    W1, X1, b1 = example(N=6, K=1, B=8, seed=0)
    W5, X5, b5 = example(N=6, K=5, B=8, seed=0)
    np.testing.assert_array_equal(X1, X5)
    np.testing.assert_array_equal(W1, W5[:1])
    np.testing.assert_array_equal(b1, b5[:1])
    assert not np.array_equal(example(N=6, K=5, B=8, seed=1)[1], X5)   # the seed still redraws them
