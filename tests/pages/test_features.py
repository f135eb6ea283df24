"""AppTest for the feature-engineering page (explorer/pages/features.py)."""
import pytest

from explorer.core import hog_features
from tests.pages.conftest import assert_clean, figures, metric, run_page, texts, title, tables


def chart_titles(at):
    return [title(f) for f in figures(at)]


def accuracy_table(at):
    return next(t for t in tables(at) if "training images" in t.columns)


def test_defaults_render_the_hog_and_the_comparison():
    at = run_page("features")
    assert_clean(at)
    # the cat, shrunk to 170 x 256: the formula's length is what skimage returned
    length = hog_features.hog_length((170, 256), 9, 8, 2)
    assert metric(at, "HOG feature length") == f"{length:,}"
    assert metric(at, "Numbers skimage") == f"{length:,}"
    titles = " ".join(chart_titles(at))
    assert "Its HOG: 9 orientations" in titles and "test accuracy of one neuron" in titles and "W as an image" in titles
    table = accuracy_table(at)
    assert list(table["training images"]) == [10, 30, 150]
    assert list(table["inputs N, raw pixels"]) == [1024] * 3 and list(table["inputs N, HOG"]) == [324] * 3
    # seeded (seed 0, 300 Adam steps): the mean test accuracies over three splits, exactly
    assert list(table["test accuracy %, raw pixels"]) == [73.3, 88.7, 97.3]
    assert list(table["test accuracy %, HOG"]) == [81.3, 91.3, 98.7]
    assert list(table["HOG − raw (points)"]) == [8.0, 2.7, 1.3]
    assert "synthetic" in texts(at)


def test_defaults_make_one_point_hog_helps_with_few_images_and_the_lead_melts_with_many():
    """Issue 11: one clear takeaway at the defaults, by a clear margin."""
    at = run_page("features")
    assert_clean(at)
    table = accuracy_table(at)
    gap = list(table["HOG − raw (points)"])
    one_image = 100 / int(table["test images"][0])
    assert gap[0] >= 2 * one_image          # 10 images: HOG ahead by at least two test images (4 points)
    assert abs(gap[-1]) <= gap[0] / 2       # 150 images: the lead is at most half of that
    assert gap[-1] < 2                      # ... and under two points
    words = texts(at)
    assert "With 10 training images, HOG is ahead by" in words and "helps most when data is scarce" in words


def test_settings_change_the_length_and_the_picture():
    at = run_page("features")
    at.selectbox(key="fe_image").set_value("face").run()
    at.slider(key="fe_ppc").set_value(5).run()
    at.slider(key="fe_orient").set_value(4).run()
    assert_clean(at)
    assert metric(at, "HOG feature length") == f"{hog_features.hog_length((25, 25), 4, 5, 2):,}" == "256"
    assert "⌊25 / 5⌋ = 5" in " ".join(tables(at)[0]["for this image"])


def test_cells_too_big_for_the_face_are_explained():
    at = run_page("features")
    at.selectbox(key="fe_image").set_value("face").run()
    at.slider(key="fe_ppc").set_value(16).run()
    assert_clean(at)
    words = texts(at)
    assert "No HOG for these settings" in words and "fewer than one block" in words
    # the comparison waits to be asked; then the 32 x 32 heart slices still have one 2 x 2 block of 16-pixel cells
    assert list(accuracy_table(at)["inputs N, HOG"]) == [324] * 3
    assert "for the earlier HOG settings (9 orientations, 8-pixel cells" in texts(at)
    at.button(key="fe_compare").click().run()
    assert list(accuracy_table(at)["inputs N, HOG"]) == [36] * 3
    assert "earlier HOG settings" not in texts(at)
    at.slider(key="fe_ppc").set_value(17).run()
    at.button(key="fe_compare").click().run()
    assert_clean(at)
    assert "No HOG of the 32 × 32 heart slices" in texts(at)


def test_a_link_compares_with_its_own_settings():
    at = run_page("features", {"fe_ppc": "16"})
    assert_clean(at)
    assert list(accuracy_table(at)["inputs N, HOG"]) == [36] * 3


def test_the_csv_holds_numbers():
    at = run_page("features")
    table = accuracy_table(at)
    for column in table.columns:
        assert table[column].dtype.kind in "if", column     # integers and floats, no "4 × 8" strings


@pytest.mark.parametrize("query", [{"fe_ppc": "99"}, {"fe_image": "dog"}, {"fe_orient": "abc"},
                                   {"fe_steps": "7"}, {"fe_cpb": "-1"}, {"fe_seed": "1e400"}])
def test_bad_url_values(query):
    at = run_page("features", query)
    assert_clean(at)
    assert f"`{next(iter(query))}`" in texts(at)


def test_an_orientation_change_keeps_the_comparison_until_asked():
    at = run_page("features")
    at.slider(key="fe_orient").set_value(10).run()
    assert_clean(at)
    assert metric(at, "HOG feature length") == f"{hog_features.hog_length((170, 256), 10, 8, 2):,}"
    assert "Its HOG: 10 orientations" in " ".join(chart_titles(at))
    assert "for the earlier HOG settings (9 orientations, 8-pixel cells, 2 cells per block)" in texts(at)
    assert list(accuracy_table(at)["inputs N, HOG"]) == [324] * 3
    at.button(key="fe_compare").click().run()
    assert_clean(at)
    assert list(accuracy_table(at)["inputs N, HOG"]) == [360] * 3          # 3 x 3 blocks x 2² cells x 10 bins


def test_changing_the_seed_reruns_the_comparison_with_other_splits():
    at = run_page("features")
    before = accuracy_table(at).copy()
    at.number_input(key="fe_seed").set_value(3).run()
    assert_clean(at)
    after = accuracy_table(at)
    assert list(after["training images"]) == [10, 30, 150]
    assert not before.equals(after)
