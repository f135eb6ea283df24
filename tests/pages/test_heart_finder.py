"""AppTest for the heart-finder page (explorer/pages/heart_finder.py).

Training is seeded, so every press of Train with the same settings gives the same model;
small data (images per class) keeps each test quick.
"""
import numpy as np
import pytest

from tests.pages.conftest import assert_clean, figure, figures, metric, run_page, texts, title, values

SMALL = {"hf_n": "20", "hf_steps": "100"}


def train(at):
    at.button(key="hf_train").click().run()
    assert_clean(at)
    return at


def test_defaults_render_and_ask_for_training():
    at = run_page("heart_finder")
    assert_clean(at)
    words = texts(at)
    assert "press **Train**" in words and "synthetic" in words
    assert "what slides over the chest" in words
    assert any(title(f).startswith("32 × 32 synthetic slices") for f in figures(at))


def test_training_gives_accuracies_a_confusion_matrix_and_a_heat_map():
    at = train(run_page("heart_finder", SMALL))
    for label in ("Train accuracy", "Test accuracy"):     # seeded: these exact figures
        assert metric(at, label) == "100.0%"
    n_test = int(metric(at, "Test images"))
    confusion = figure(at, "Confusion matrix")
    counts = values(confusion["data"][0]["z"])
    assert confusion["layout"]["xaxis"]["title"]["text"] == "predicted class"
    assert confusion["layout"]["yaxis"]["title"]["text"] == "true class"
    assert counts.shape == (2, 2) and counts.sum() == n_test
    assert metric(at, "Parameters") == "1,025"          # W is 1 x 1,024, b is 1 x 1
    # the binary classifier slides over the chest
    assert metric(at, "Windows classified") == "2,401"      # (128 - 32) / 2 + 1 = 49 positions a side
    assert metric(at, "Highest P(heart)") == "1.000"
    assert metric(at, "Its centre to the heart's centre") == "26.9 px"
    figure(at, "Sliding the heart / no heart classifier")
    figure(at, "Accuracy and loss over training")
    # the page keeps the model: a rerun shows the same numbers without training again
    before = metric(at, "Test accuracy")
    at.run()
    assert metric(at, "Test accuracy") == before
    # a different stride redraws the map only
    at.slider(key="hf_stride").set_value(4).run()
    assert_clean(at)
    assert metric(at, "Test accuracy") == before


def test_five_views_show_five_templates():
    at = run_page("heart_finder", {**SMALL, "hf_task": "five views: softmax regression"})
    at = train(at)
    templates = figure(at, "The learned weights W (5 × 1,024)")
    assert len([t for t in templates["data"] if t["type"] == "heatmap"]) == 5
    titles = [a["text"] for a in templates["layout"]["annotations"]]
    assert titles == [f"<b>{v}</b>" for v in ("CH3", "CH2", "CH4", "SAX", "Other")]
    assert metric(at, "Parameters") == "5,125"
    assert metric(at, "Chance level") == "20%"
    confusion = figure(at, "Confusion matrix")
    assert confusion["data"][0]["x"] == ["CH3", "CH2", "CH4", "SAX", "Other"]
    # the chest section slides this five-view model and says so: P(heart) = 1 - P(Other)
    heat = figure(at, "Sliding the five-view model")
    assert "Sliding **the five-view softmax regression trained above**" in texts(at)
    assert "P(heart) = 1 − P(Other)" in texts(at)
    P = values(heat["data"][1]["z"])
    assert P.min() >= 0 and P.max() <= 1 and metric(at, "Highest P(heart)") == "1.000"
    assert metric(at, "Test accuracy") == "72.0%" and metric(at, "Its centre to the heart's centre") == "51.6 px"
    # ... and that map is 1 − P(Other) of the trained model, window by window
    from explorer.core import classify, mri
    (clf,) = [m.clf for m in at.session_state["_hf_models"].values()]
    image, _ = mri.make_chest(4 * 32, 0, view="CH4")
    other = classify.heat_map(image.astype(float), clf, 32, 2, 1.0, positive=list(mri.CLASSES).index("Other"))
    assert np.allclose(P.reshape(other.P.shape), 1 - other.P, atol=1e-6)


def test_the_mlp_shows_its_hidden_units():
    at = run_page("heart_finder", {**SMALL, "hf_task": "five views: MLP, one hidden layer", "hf_hidden": "4",
                                   "hf_size": "24 × 24"})
    at = train(at)
    units = figure(at, "First-layer weights W[1] of 4 of the 4 hidden units")
    assert len(units["data"]) == 4
    assert metric(at, "Parameters") == f"{576 * 4 + 4 + 4 * 5 + 5:,}"


def test_mistakes_first_keeps_the_model():
    at = train(run_page("heart_finder", SMALL))
    before = metric(at, "Test accuracy")
    at.toggle(key="hf_wrong").set_value(True).run()
    assert_clean(at)
    assert metric(at, "Test accuracy") == before
    figure(at, "Test images and their probabilities")


@pytest.mark.parametrize("query", [{"hf_task": "dogs"}, {"hf_n": "100000"}, {"hf_size": "31"},
                                   {"hf_lr": "-1"}, {"hf_steps": "abc"}, {"hf_hidden": "0"},
                                   {"hf_stride": "99"}, {"hf_scale": "×3"}, {"hf_view": "Other"},
                                   {"hf_seed": "1e400"}])
def test_bad_url_values(query):
    at = run_page("heart_finder", query)
    assert_clean(at)
    assert f"`{next(iter(query))}`" in texts(at)


def upload(at, data: bytes, name: str = "net.npz"):
    at.get("file_uploader")[0].set_value((name, data, "application/octet-stream"))
    return at.run()


def test_upload_of_a_network_for_other_images_says_why():
    from explorer.core.classify import build_network
    from explorer.core.serialize import save_network

    at = upload(run_page("heart_finder", SMALL), save_network(build_network(576, 2)))
    assert_clean(at)
    errors = " ".join(e.value for e in at.error)
    assert "N = 576 inputs" in errors and "32 × 32 = 1,024" in errors and "24 × 24" in errors
    at = upload(run_page("heart_finder", SMALL), save_network(build_network(1024, 5)))
    assert "Switch the task to the five views" in " ".join(e.value for e in at.error)


def test_a_saved_network_loads_and_is_evaluated():
    from explorer.core import classify, mri
    from explorer.core.serialize import save_network

    X, _, labels = mri.make_dataset(20, 32, 0)
    Xb, y, _ = classify.heart_vs_none(X, labels)
    clf, _ = classify.train(Xb, y, Xb, y, classify.HEART_NAMES, steps=50)
    at = upload(run_page("heart_finder", SMALL), save_network(clf.folded(), {"task": "binary"}))
    assert_clean(at)
    assert "loaded from the file" in texts(at)
    assert metric(at, "Test accuracy") == "100.0%" and metric(at, "Parameters") == "1,025"
    figure(at, "Confusion matrix")


def test_page_uses_the_core_for_prediction_and_the_class_list():
    """No second implementation of prediction, no hard-coded list of the views."""
    import re

    from explorer.core import mri
    from tests.pages.conftest import page_path
    source = open(page_path("heart_finder")).read()
    assert "clf.predict(" in source and "argmax" not in source and ">= 0.5" not in source
    assert not re.search(r"[\(\[]\s*\"CH\d\"\s*,", source), "a hard-coded list of views"
    at = train(run_page("heart_finder", SMALL))
    assert at.selectbox(key="hf_view").options == [v for v in mri.CLASSES if mri.HAS_HEART[v]]
    assert "explorer/core" not in texts(at)          # no developer paths on the page


@pytest.mark.parametrize("query", [{"hf_n": "10"}, {"hf_n": "22", "hf_task": "five views: softmax regression"}])
def test_counts_before_training_match_the_real_split(query):
    """Before training the page draws no data set (a new 'images per class' answers at once), yet the
    counts it states are those of the split the model then trains on."""
    import re
    at = run_page("heart_finder", {**SMALL, **query})
    before = re.search(r"(\d+) images: .*; (\d+) for training, (\d+) for testing", texts(at))
    assert before, texts(at)
    at = train(at)
    assert int(before[3]) == int(metric(at, "Test images"))
    n_total = int(before[1])
    assert int(before[2]) + int(before[3]) == n_total


def test_the_window_size_exercise_says_yes_at_x2_and_not_yet_before():
    at = train(run_page("heart_finder", SMALL))
    done = "Yes: the page is in that state now."
    assert done not in [s.value for s in at.success]
    at.radio(key="hf_scale").set_value(2.0).run()
    assert_clean(at)
    assert [s.value for s in at.success] == [done]
    assert metric(at, "Test accuracy") == "100.0%"         # the model stays
