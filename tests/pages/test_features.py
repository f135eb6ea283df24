"""AppTest for the feature-engineering page (explorer/pages/features.py)."""
import json

import pytest

from explorer.core import hog_features
from tests.pages.conftest import assert_clean, run_page, texts


def metric(at, start):
    return next(m.value for m in at.metric if m.label.startswith(start))


def chart_titles(at):
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


def accuracy_table(at):
    return next(d.value for d in at.dataframe if "test accuracy" in d.value.columns)


def test_defaults_render_the_hog_and_the_comparison():
    at = run_page("features")
    assert_clean(at)
    # the cat, shrunk to 170 x 256: the formula's length is what skimage returned
    length = hog_features.hog_length((170, 256), 9, 8, 2)
    assert metric(at, "HOG feature length") == f"{length:,}"
    assert metric(at, "Numbers skimage") == f"{length:,}"
    titles = " ".join(chart_titles(at))
    assert "Its HOG: 9 orientations" in titles and "Accuracy of one neuron" in titles and "W as an image" in titles
    table = accuracy_table(at)
    assert len(table) == 4 and list(table["features"]) == ["raw pixels", "HOG"] * 2
    for column in ("train accuracy", "test accuracy"):
        values = [float(v.rstrip("%")) / 100 for v in table[column]]
        assert all(0 <= v <= 1 for v in values)
    assert list(table["N (inputs of the neuron)"]) == ["625", "144", "1,024", "324"]
    assert "synthetic" in texts(at)


def test_settings_change_the_length_and_the_picture():
    at = run_page("features")
    at.selectbox(key="fe_image").set_value("face").run()
    at.slider(key="fe_ppc").set_value(5).run()
    at.slider(key="fe_orient").set_value(4).run()
    assert_clean(at)
    assert metric(at, "HOG feature length") == f"{hog_features.hog_length((25, 25), 4, 5, 2):,}" == "256"
    assert "⌊25 / 5⌋ = 5" in " ".join(at.dataframe[0].value["for this image"])


def test_cells_too_big_for_the_face_are_explained():
    at = run_page("features")
    at.selectbox(key="fe_image").set_value("face").run()
    at.slider(key="fe_ppc").set_value(16).run()
    assert_clean(at)
    words = texts(at)
    assert "No HOG for these settings" in words and "fewer than one block" in words
    table = accuracy_table(at)
    face_hog = table[(table["data set"] == "faces (LFW)") & (table["features"] == "HOG")].iloc[0]
    assert face_hog["test accuracy"] == "—"
    # the 32 x 32 heart slices still have one 2 x 2 block of 16-pixel cells
    heart_hog = table[(table["data set"] == "heart (synthetic MRI)") & (table["features"] == "HOG")].iloc[0]
    assert heart_hog["N (inputs of the neuron)"] == "36"


@pytest.mark.parametrize("query", [{"fe_ppc": "99"}, {"fe_image": "dog"}, {"fe_orient": "abc"},
                                   {"fe_steps": "7"}, {"fe_cpb": "-1"}, {"fe_seed": "1e400"}])
def test_bad_url_values(query):
    at = run_page("features", query)
    assert_clean(at)
    assert f"`{next(iter(query))}`" in texts(at)
