"""AppTest for the learning-landscape page (explorer/pages/landscape.py)."""
import numpy as np
import pytest

from tests.pages.conftest import assert_clean, figures, metric, run_page, texts, title, values, tables

SUP, UNS, SSL, RL = "Supervised", "Unsupervised", "Self-supervised", "Reinforcement"


def open_tab(tab: str, query: dict | None = None):
    return run_page("landscape", {"ls_tab": tab, **(query or {})})


def titles(at) -> str:
    return " | ".join(title(f) for f in figures(at))


def trace(fig: dict, name: str) -> dict:
    return next(t for t in fig["data"] if t.get("name") == name)


def test_defaults_render_the_supervised_tab():
    at = run_page("landscape")
    assert_clean(at)
    assert at.title[0].value == "The learning landscape"
    page = texts(at)
    assert "**Try:**" in page and "**Notice:**" in page
    table = tables(at, index=True)[0]
    assert table.loc["Learns from", "Supervised"] == "the labels Y"
    assert list(table.columns) == [SUP, UNS, SSL, RL]
    assert metric(at, "Training accuracy") == "100%" and metric(at, "Test accuracy") == "100%"
    assert len(figures(at)) == 1                  # only the open tab draws
    fig = figures(at)[0]
    assert "test accuracy" in fig["layout"]["title"]["text"]
    assert fig["layout"]["xaxis"]["title"]["text"] == "x₁" and fig["layout"]["yaxis"]["title"]["text"] == "x₂"
    assert len(at.expander) >= 4                             # the "Try this" exercises


def test_shuffled_labels_teach_nothing():
    at = run_page("landscape")
    true_labels = float(metric(at, "Test accuracy").rstrip("%"))
    at.toggle(key="ls_shuffle").set_value(True).run()
    assert_clean(at)
    # three classes: guessing is 33%; a permutation of a small training set keeps a little chance
    # agreement with the truth (51% at the defaults), far below what true labels teach (100%)
    assert float(metric(at, "Test accuracy").rstrip("%")) <= min(60, true_labels - 40)
    assert metric(at, "Test accuracy") == "51%"                      # seeded: the value at the defaults
    assert metric(at, "Training accuracy") == "51%"                  # above guessing: the MLP memorises some
    assert "no information about X" in texts(at)
    assert "Shuffled labels" in titles(at)


def test_linear_classifier_on_moons_is_worse_than_the_mlp():
    at = run_page("landscape", {"ls_data": "two moons"})
    mlp = float(metric(at, "Test accuracy").rstrip("%"))
    at.selectbox(key="ls_model").set_value(0).run()
    assert_clean(at)
    assert float(metric(at, "Test accuracy").rstrip("%")) < mlp
    assert (mlp, metric(at, "Test accuracy"), metric(at, "Training accuracy")) == (100.0, "87%", "87%")


def test_changing_k_changes_the_number_of_centroids():
    at = open_tab(UNS)
    assert_clean(at)
    centroids = trace(figures(at)[0], "centroids")
    assert len(values(centroids["x"])) == 3 and centroids["text"] == ["1", "2", "3"]
    assert metric(at, "Purity against the hidden labels") == "100%"
    at.slider(key="ls_k").set_value(5).run()
    assert_clean(at)
    fig = figures(at)[0]
    assert len(values(trace(fig, "centroids")["x"])) == 5
    assert "k = 5" in fig["layout"]["title"]["text"]
    assert sum(t["name"].startswith("cluster ") for t in fig["data"]) == 5


def test_kmeans_iterations_step_by_step():
    at = open_tab(UNS, {"ls_iter": "0"})
    assert_clean(at)
    start = figures(at)[0]
    assert "the start" in start["layout"]["title"]["text"]
    j0 = float(metric(at, "J at this iteration"))
    assert j0 == 15.512
    at.slider(key="ls_iter").set_value(15).run()
    end = figures(at)[0]
    assert "(converged)" in end["layout"]["title"]["text"]
    assert float(metric(at, "J at this iteration")) < j0
    assert metric(at, "J at this iteration") == "8.842" and metric(at, "Converged at") == "t = 1"
    objective = values(trace(figures(at)[1], "J at each iteration")["y"])
    assert objective.size == 16 and np.all(np.diff(objective) <= 1e-9)


def test_pca_scatter_eigen_images_and_variance():
    at = open_tab(UNS, {"ls_pcx": "2", "ls_pcy": "3"})
    assert_clean(at)
    all_titles = titles(at)
    assert "PC2 and PC3" in all_titles and "eigen-images" in all_titles and "Explained variance" in all_titles
    scatter = next(f for f in figures(at) if "PC2 and PC3" in f["layout"]["title"]["text"])
    assert {t["name"] for t in scatter["data"]} == {"CH3", "CH2", "CH4", "SAX", "Other"}
    assert scatter["layout"]["xaxis"]["title"]["text"].startswith("PC2 score")


def test_self_supervised_tab_reports_both_accuracies():
    at = open_tab(SSL)
    assert_clean(at)
    mse, base = float(metric(at, "Mean squared error")), float(metric(at, "Always predicting"))
    assert mse < base and float(metric(at, "R²")) > 0.7
    assert (mse, base, metric(at, "R²")) == (0.226, 1.601, "0.86")
    shown = {label: metric(at, label) for label in ("raw pixels", "learned by inpainting", "control: random directions")}
    assert shown == {"raw pixels": "81.2%", "learned by inpainting": "92.2%", "control: random directions": "83.5%"}
    page = texts(at)
    assert "A toy" in page and "random-directions control" in page
    assert "Heart vs no heart" in titles(at) and "hide the centre 4 × 4" in titles(at)
    at.selectbox(key="ls_mask").set_value("right").run()
    at.slider(key="ls_r").set_value(3).run()
    assert_clean(at)
    assert "hide the right half" in titles(at)


def test_reinforcement_training_shows_a_reward_curve_and_policy():
    at = open_tab(RL)
    assert_clean(at)
    assert "knows nothing yet" in titles(at) and "Reward per episode" not in titles(at)
    at.button(key="ls_train").click().run()
    assert_clean(at)
    all_titles = titles(at)
    assert "Reward per episode" in all_titles and "greedy policy" in all_titles
    assert metric(at, "Greedy path from S") == "8 moves"
    grid = next(f for f in figures(at) if "greedy policy" in f["layout"]["title"]["text"])
    arrows = [a["text"] for a in grid["layout"]["annotations"]]
    assert any("→" in a for a in arrows) and any("↑" in a for a in arrows)
    assert "greedy path from S" in {t.get("name") for t in grid["data"]}
    # after the first press, the results follow the settings
    at.selectbox(key="ls_world").set_value("detour").run()
    assert_clean(at)
    assert metric(at, "Greedy path from S") == "10 moves"


def test_too_little_training_is_reported():
    at = open_tab(RL, {"ls_episodes": "10"})
    at.button(key="ls_train").click().run()
    assert_clean(at)
    assert "After 10 episodes" in titles(at)


@pytest.mark.parametrize("query", [{"ls_k": "99"}, {"ls_noise": "abc"}, {"ls_tab": "Nowhere"},
                                   {"ls_episodes": "7"}, {"ls_eps": "2"}, {"ls_mask": "left"},
                                   {"ls_img": "0"}, {"ls_model": "3"}, {"ls_iter": "1e400"},
                                   {"ls_shuffle": "maybe"}])
def test_bad_url_values(query):
    at = run_page("landscape", query)
    assert_clean(at)
    assert f"`{next(iter(query))}`" in texts(at)


def test_self_supervised_states_learned_versus_the_random_control():
    import re
    at = open_tab(SSL)
    learned = float(metric(at, "learned by inpainting").rstrip("%"))
    control = float(metric(at, "control: random directions").rstrip("%"))
    verdict = next(m.value for m in list(at.success) + list(at.info) if "random-directions control" in m.value)
    found = re.search(r"(\d+\.\d)% against (\d+\.\d)% \(([+-]\d+\.\d) points; better in (\d+) of (\d+) draws\)",
                      verdict)
    assert found, verdict
    assert float(found[1]) == learned and float(found[2]) == control
    assert abs(float(found[3]) - (learned - control)) <= 0.11
    gain = learned - control
    word = "beat" if "beat" in verdict else "trail" if "trail" in verdict else "level"
    if word == "beat":
        assert gain >= 1 and at.success          # a clear win is shown as a success
    elif word == "trail":
        assert gain <= -1
    assert int(found[5]) == 20 and 0 <= int(found[4]) <= 20


def test_kmeans_starts_at_the_first_iteration():
    at = open_tab(UNS)
    assert at.slider(key="ls_iter").value == 1
    assert "iteration 1" in titles(at)


def test_the_points_panel_shows_only_where_it_does_something():
    for tab, index in ((SUP, 0), (UNS, 1), (SSL, None), (RL, None)):
        at = open_tab(tab)
        assert_clean(at)
        where = [i for i, t in enumerate(at.tabs) if any("The 2-D points" in m.value for m in t.markdown)]
        open_index = [SUP, UNS, SSL, RL].index(tab)
        if index is None:   # kept (for the address) in a tab that is not open
            assert where and open_index not in where
        else:
            assert where == [index]
        assert at.slider(key="ls_noise").value == 0.1          # the controls exist on every tab


def test_two_moons_look_like_moons_at_the_default_noise():
    at = run_page("landscape", {"ls_data": "two moons"})
    assert at.slider(key="ls_noise").value == 0.1
    assert float(metric(at, "Test accuracy").rstrip("%")) >= 95       # two clean, interleaved arcs
    assert metric(at, "Test accuracy") == "100%" and metric(at, "Training accuracy") == "99%"


def test_no_developer_figures_on_the_reinforcement_tab():
    at = open_tab(RL)
    at.button(key="ls_train").click().run()
    assert_clean(at)
    words = texts(at)
    assert "episodes" in words and " ms" not in words and "seconds" not in words
