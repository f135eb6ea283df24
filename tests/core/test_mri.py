"""Tests for the synthetic cine-MRI generator (explorer/core/mri.py)."""

import numpy as np
import pytest
from skimage.transform import SimilarityTransform

from explorer.core import mri
from explorer.core.mri import CLASSES, Box, has_heart, make_chest, make_dataset, make_slice, one_hot


@pytest.fixture(scope="module")
def dataset():
    return make_dataset(40, size=32, seed=1)


def test_classes_in_the_slides_order():
    assert CLASSES == ("CH3", "CH2", "CH4", "SAX", "Other")
    assert [has_heart(v) for v in CLASSES] == [1, 1, 1, 1, 0]


@pytest.mark.parametrize("view", CLASSES)
@pytest.mark.parametrize("size", [16, 32, 64])
def test_slice_shape_dtype_and_12_bit_range(view, size):
    img = make_slice(view, size=size, seed=3)
    assert img.shape == (size, size)
    assert img.dtype == np.uint16
    assert img.min() >= 0 and img.max() <= 4095
    # a real range of values: dark lungs and air in the hundreds or less, bright tissue in the thousands
    assert img.max() > 800 and np.percentile(img, 10) < 300


def test_seeded_reproducible_and_seeds_differ():
    a, b = make_slice("SAX", 64, seed=5), make_slice("SAX", 64, seed=5)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, make_slice("SAX", 64, seed=6))
    X1, Y1, l1 = make_dataset(3, 16, seed=2)
    X2, Y2, l2 = make_dataset(3, 16, seed=2)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(l1, l2)
    assert not np.array_equal(X1, make_dataset(3, 16, seed=3)[0])


def test_views_differ_for_the_same_seed():
    images = [make_slice(v, 64, seed=0).astype(float) for v in CLASSES]
    for i in range(len(images)):
        for j in range(i + 1, len(images)):
            assert np.abs(images[i] - images[j]).mean() > 20


def test_heart_tissue_drawn_only_in_heart_views():
    for view in CLASSES:
        labels, centre = mri._paint(view, np.random.default_rng(0), 64)
        heart = np.isin(labels, mri.HEART_TISSUES).sum()
        if view == "Other":
            assert heart == 0 and centre is None
        else:
            assert heart > 100                          # a heart of a few hundred canvas pixels
            assert (labels == mri.BLOOD).sum() > 30     # with bright blood pools


def test_sax_has_a_ring_and_ch4_four_pools():
    """The defining shapes, counted on the label maps: connected blood pools per view."""
    from skimage.measure import label as connected
    counts = {}
    for view in ("SAX", "CH4", "CH2"):
        labels, _ = mri._paint(view, np.random.default_rng(1), 128)
        pools = connected(labels == mri.BLOOD, connectivity=1)
        sizes = np.bincount(pools.ravel())[1:]
        counts[view] = int((sizes > 20).sum())
    assert counts["CH4"] == 4      # LV, RV, LA, RA separated by the septa and the valve plane
    assert counts["CH2"] == 2      # LV and LA
    assert counts["SAX"] == 2      # LV cavity (inside the ring) and the RV crescent


def test_dataset_layout_is_the_lectures(dataset):
    X, Y, labels = dataset
    B = 5 * 40
    assert X.shape == (32 * 32, B) and X.dtype == np.float64
    assert Y.shape == (5, B)
    assert labels.shape == (B,)
    np.testing.assert_array_equal(Y.sum(axis=0), np.ones(B))
    np.testing.assert_array_equal(Y.argmax(axis=0), labels)
    assert set(np.unique(Y)) == {0.0, 1.0}
    np.testing.assert_array_equal(np.bincount(labels), [40] * 5)
    assert X.min() >= 0 and X.max() <= 4095 and np.all(X == np.round(X))


def test_dataset_columns_are_row_major_images():
    X, _, labels = make_dataset(2, 24, seed=4, shuffle=False)
    np.testing.assert_array_equal(labels, [0, 0, 1, 1, 2, 2, 3, 3, 4, 4])
    img = X[:, 0].reshape(24, 24)            # row-major: X[i * W + j] is pixel (i, j)
    assert img[3, 5] == X[3 * 24 + 5, 0]


def test_one_hot_is_the_slides_table():
    Y = one_hot([0, 1, 2, 3, 4])
    np.testing.assert_array_equal(Y, np.eye(5))           # CH3 = [1,0,0,0,0]ᵀ ... Other = [0,0,0,0,1]ᵀ
    with pytest.raises(ValueError):
        one_hot([5])


def _nearest_centroid_accuracy(train, test):
    X, _, y = train
    Xt, _, yt = test
    centroids = np.stack([X[:, y == k].mean(axis=1) for k in range(5)], axis=1)
    d = ((Xt[:, :, None] - centroids[:, None, :]) ** 2).sum(axis=0)
    return (d.argmin(axis=1) == yt).mean()


def _linear_accuracy(train, test, ridge=10.0):
    """A linear map Z = W X + b fitted to the one-hot Y by ridge least squares (closed form, dual)."""
    X, Y, _ = train
    Xt, _, yt = test
    mu, sd = X.mean(axis=1, keepdims=True), X.std(axis=1, keepdims=True) + 1e-6
    A, At = (X - mu) / sd, (Xt - mu) / sd
    A, At = np.vstack([A, np.ones(A.shape[1])]), np.vstack([At, np.ones(At.shape[1])])   # the bias row
    alpha = np.linalg.solve(A.T @ A + ridge * np.eye(A.shape[1]), Y.T)
    W = (A @ alpha).T
    return ((W @ At).argmax(axis=0) == yt).mean()


def test_views_are_learnable_but_not_trivial(dataset):
    test = make_dataset(20, size=32, seed=2)
    nc = _nearest_centroid_accuracy(dataset, test)
    lin = _linear_accuracy(dataset, test)
    assert 0.6 < nc < 0.97, nc            # chance is 0.2
    assert 0.6 < lin < 0.99, lin


def test_dataset_of_the_pages_default_size():
    # its time (about 0.2 s) is measured by benchmarks/data_generation.py, not asserted here
    X, Y, labels = make_dataset(50, 32)
    assert X.shape == (1024, 250) and Y.shape == (5, 250) and np.bincount(labels).tolist() == [50] * 5


CHEST_BOXES = [Box(53, 47, 28, 34), Box(54, 42, 30, 41), Box(54, 46, 23, 29), Box(54, 52, 28, 33)]   # seeds 0..3


def test_make_chest_box_inside_the_image():
    for seed in range(4):
        img, box = make_chest(128, seed=seed)
        assert box == CHEST_BOXES[seed]
        assert isinstance(box, Box) and img.shape == (128, 128) and img.dtype == np.uint16
        assert 0 <= box.top < box.bottom <= 128 and 0 <= box.left < box.right <= 128
        assert 15 <= box.width <= 70 and 15 <= box.height <= 70     # a heart, not the whole chest
        inside = img[box.top:box.bottom, box.left:box.right].astype(float)
        assert inside.max() > np.percentile(img, 90)             # bright blood in the box


@pytest.mark.parametrize("at, expected", [
    ((20, 30), Box(8, 16, 25, 35)), ((100, 90), Box(88, 76, 25, 35)), ((0, 0), Box(0, 0, 13, 21)),
    ((127, 127), Box(115, 115, 13, 13)), ((64, 10), Box(52, 0, 25, 31))])     # clipped at the edges
def test_make_chest_puts_the_heart_where_asked(at, expected):
    img, box = make_chest(128, seed=3, heart_at=at)
    assert box == expected
    assert 0 <= box.top and box.bottom <= 128 and 0 <= box.left and box.right <= 128
    r, c = at
    assert box.top - 2 <= r <= box.bottom + 1 and box.left - 2 <= c <= box.right + 1


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="view"):
        make_slice("LAX", 32)
    with pytest.raises(ValueError, match="size"):
        make_slice("SAX", 4)
    with pytest.raises(TypeError):
        make_slice("SAX", 32.5)
    with pytest.raises(ValueError):
        make_dataset(0, 32)
    with pytest.raises(ValueError, match="heart_at"):
        make_chest(64, heart_at=(64, 0))
    with pytest.raises(ValueError):
        make_chest(64, view="Other")
    with pytest.raises(ValueError, match="seed"):
        make_slice("SAX", 32, seed=-1)
    assert make_slice("sax", 16).shape == (16, 16)          # names are case-insensitive


def test_similarity_matches_skimage():
    ours = mri._similarity(1.3, 0.4, (0.2, -0.1))
    np.testing.assert_allclose(ours, SimilarityTransform(scale=1.3, rotation=0.4, translation=(0.2, -0.1)).params)
