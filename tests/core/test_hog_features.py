"""HOG features (explorer/core/hog_features.py): the length formula against skimage's hog."""
import numpy as np
import pytest
from skimage.feature import hog

from explorer.core import hog_features as hf


def test_formula_equals_skimage_over_many_random_settings():
    rng = np.random.default_rng(0)
    checked = refused = 0
    for _ in range(300):
        shape = (int(rng.integers(6, 90)), int(rng.integers(6, 90)))
        o, p, c = int(rng.integers(1, 19)), int(rng.integers(2, 20)), int(rng.integers(1, 5))
        image = rng.random(shape)
        expected = hf.hog_length(shape, o, p, c)
        lay = hf.layout(shape, o, p, c)
        n_cells = (shape[0] // p, shape[1] // p)
        n_blocks = (n_cells[0] - c + 1, n_cells[1] - c + 1)
        if min(n_blocks) >= 1:
            assert expected == n_blocks[0] * n_blocks[1] * c * c * o
            assert expected == len(hog(image, orientations=o, pixels_per_cell=(p, p), cells_per_block=(c, c)))
            assert hf.too_small(shape, p, c) is None
            assert lay.n_cells == n_cells and lay.n_blocks == n_blocks and lay.per_block == c * c * o
            checked += 1
        else:
            assert expected == 0 and hf.too_small(shape, p, c)
            with pytest.raises(ValueError):
                hog(image, orientations=o, pixels_per_cell=(p, p), cells_per_block=(c, c))
            refused += 1
    assert checked > 100 and refused > 10


def test_the_lectures_face_example():
    assert hf.hog_length((25, 25), 9, 8, 2) == 144
    lay = hf.layout((25, 25), 9, 8, 2)
    assert lay.n_cells == (3, 3) and lay.n_blocks == (2, 2)
    steps = dict(hf.derivation(lay))
    assert steps["feature length"].endswith("= 144")
    assert "⌊25 / 8⌋ = 3" in steps["cells per side"]


def test_derivation_of_an_image_with_too_few_cells():
    steps = dict(hf.derivation(hf.layout((25, 25), 9, 16, 3)))
    assert steps["block positions per side"].startswith("1 − 3 + 1 < 0, so 0 rows")
    assert steps["feature length"].endswith("= 0")


def test_too_small_says_why():
    reason = hf.too_small((25, 25), 16, 2)
    assert "25 × 25" in reason and "32 × 32" in reason
    with pytest.raises(ValueError, match="fewer than one block"):
        hf.hog_features(np.zeros((25, 25)), 9, 16, 2)


def test_features_and_picture_match_skimage():
    image = np.random.default_rng(1).random((40, 33))
    features, picture = hf.hog_picture(image, 6, 5, 3)
    ref, ref_picture = hog(image, orientations=6, pixels_per_cell=(5, 5), cells_per_block=(3, 3), visualize=True)
    np.testing.assert_allclose(features, ref)
    np.testing.assert_allclose(picture, ref_picture)
    assert picture.shape == image.shape
    np.testing.assert_allclose(hf.hog_features(image, 6, 5, 3), ref)


def _skimage_hog(image, o, p, c):
    return hog(image, orientations=o, pixels_per_cell=(p, p), cells_per_block=(c, c), block_norm="L2-Hys",
               visualize=True)


@pytest.mark.parametrize("o, p, c", [(9, 8, 2), (18, 8, 2), (1, 4, 1), (7, 5, 3), (9, 32, 1), (12, 9, 2),
                                     (4, 6, 4), (9, 17, 2), (3, 31, 1)])
def test_picture_is_skimages_value_for_value(o, p, c):
    """The vectorised drawing gives exactly skimage's visualize=True picture (and its features),
    also where a line's end points fall differently in different cells (32-pixel cells: a bin at
    90 degrees has an offset of 1e-15, truncated down in some cells and not in others)."""
    rng = np.random.default_rng(o * 100 + p)
    for image in (rng.random((70, 129)) * 4095, np.round(rng.random((37, 53)) * 255)):
        if hf.too_small(image.shape, p, c):
            continue
        features, picture = hf.hog_picture(image, o, p, c)
        ref, ref_picture = _skimage_hog(image, o, p, c)
        assert np.array_equal(features, ref)
        assert np.array_equal(picture, ref_picture)
        assert picture.max() > 0


@pytest.mark.slow
def test_picture_is_skimages_for_every_page_setting():
    """Every cell size the feature page's slider allows (4-32 pixels), with blocks of 1-4 cells and
    orientations from 1 to 18 (every third), on two image sizes."""
    rng = np.random.default_rng(0)
    images = (rng.random((170, 256)) * 255, rng.random((32, 32)))
    for o in range(1, 19, 3):
        for p in range(4, 33):
            for c in range(1, 5):
                for image in images:
                    if hf.too_small(image.shape, p, c):
                        continue
                    features, picture = hf.hog_picture(image, o, p, c)
                    ref, ref_picture = _skimage_hog(image, o, p, c)
                    assert np.array_equal(picture, ref_picture), (o, p, c, image.shape)
                    assert np.array_equal(features, ref), (o, p, c, image.shape)


def test_without_skimages_histogram_the_picture_is_still_skimages(monkeypatch):
    def missing(*args):
        raise ImportError("another scikit-image")
    monkeypatch.setattr(hf, "_cell_histograms", missing)
    image = np.random.default_rng(3).random((40, 48))
    features, picture = hf.hog_picture(image, 9, 8, 2)
    ref, ref_picture = _skimage_hog(image, 9, 8, 2)
    assert np.array_equal(picture, ref_picture) and np.array_equal(features, ref)


def test_matrix_has_one_column_per_image():
    images = np.random.default_rng(2).random((7, 25, 25))
    F = hf.hog_matrix(images, 9, 8, 2)
    assert F.shape == (144, 7)
    np.testing.assert_allclose(F[:, 3], hf.hog_features(images[3], 9, 8, 2))


@pytest.mark.parametrize("args", [(0, 8, 2), (9, 0, 2), (9, 8, 0), (9, 2.5, 2), (True, 8, 2)])
def test_bad_settings_are_refused(args):
    with pytest.raises(ValueError):
        hf.layout((32, 32), *args)


def test_bad_images_are_refused():
    with pytest.raises(ValueError):
        hf.hog_features(np.zeros((4, 4, 3)))
    with pytest.raises(ValueError):
        hf.hog_features(np.full((16, 16), np.nan))
    with pytest.raises(ValueError):
        hf.hog_matrix(np.zeros((16, 16)))
