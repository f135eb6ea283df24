"""AppTest for the MLP builder page (explorer/pages/mlp_builder.py)."""
import pytest

from tests.pages.conftest import assert_clean, figure, metric, run_page, texts, tables


def table(at, i=0):
    return tables(at)[i]


def test_defaults_are_the_lectures_network():
    at = run_page("mlp_builder")
    assert_clean(at)
    assert metric(at, "Parameters") == "26"
    assert metric(at, "As a formula in N") == "3N + 14"
    assert metric(at, "Output ŷ") == "1 × 8"
    t = table(at)
    assert list(t["W [out, in]"][1:4]) == ["3 × 4", "2 × 3", "1 × 2"]
    assert list(t["parameters"]) == [0, 15, 8, 3, 26]
    assert any("3N + 14" in x.value for x in at.latex)


def test_preset_restores_the_lecture_after_changes():
    at = run_page("mlp_builder")
    at.number_input(key="mlp_w1").set_value(10).run()
    assert metric(at, "As a formula in N") == "10N + 35"   # 10N+10 + (2*10+2) + 3
    at.number_input(key="mlp_N").set_value(100).run()
    assert metric(at, "Parameters") == f"{10 * 100 + 35:,}"
    at.button(key="mlp_preset_lecture").click().run()
    assert_clean(at)
    assert metric(at, "As a formula in N") == "3N + 14"
    assert metric(at, "Parameters") == f"{3 * 100 + 14:,}"


def test_widening_and_deepening_changes_the_count_exactly():
    at = run_page("mlp_builder")
    at.slider(key="mlp_L").set_value(3).run()
    # N=4 -> 3 -> 2 -> 8 -> 1: 15 + 8 + (8*2+8) + (8+1)
    assert metric(at, "Parameters") == str(15 + 8 + 24 + 9)
    at.slider(key="mlp_L").set_value(0).run()
    assert metric(at, "As a formula in N") == "N + 1"
    assert_clean(at)


def test_image_input_and_multiclass_head():
    at = run_page("mlp_builder")
    at.radio(key="mlp_input").set_value("image").run()
    at.number_input(key="mlp_H").set_value(64).run()
    at.number_input(key="mlp_W").set_value(64).run()
    at.radio(key="mlp_head").set_value("multiclass").run()
    assert_clean(at)
    n = 64 * 64
    assert metric(at, "Parameters") == f"{3 * n + 3 + 8 + 5 * 2 + 5:,}"
    assert metric(at, "Output ŷ") == "5 × 8"
    assert "N = H × W = 64 × 64 = 4,096 pixels" in texts(at)


def test_maxout_multiplies_parameters_by_k():
    at = run_page("mlp_builder")
    at.selectbox(key="mlp_act").set_value("maxout").run()
    at.slider(key="mlp_pieces").set_value(3).run()
    assert_clean(at)
    # layer 1: 3*(3*4+3) = 45, layer 2: 3*(2*3+2) = 24, output 3
    assert metric(at, "Parameters") == "72"
    assert metric(at, "As a formula in N") == "9N + 36"
    assert table(at)["W [out, in]"][1] == "9 × 4"


def test_per_layer_activations():
    at = run_page("mlp_builder")
    at.toggle(key="mlp_per_layer").set_value(True).run()
    at.selectbox(key="mlp_f1").set_value("relu").run()
    at.selectbox(key="mlp_f2").set_value("tanh").run()
    assert_clean(at)
    assert list(table(at)["f"][1:4]) == ["relu", "tanh", "sigmoid"]


def test_huge_network_is_counted_but_not_run():
    at = run_page("mlp_builder", {"mlp_N": "1000000000", "mlp_L": "6", "mlp_w1": "512", "mlp_B": "1024"})
    assert_clean(at)
    assert "not run here" in texts(at)
    assert metric(at, "Parameters").startswith("512,000,")
    assert metric(at, "As a formula in N").startswith("512N + ")


@pytest.mark.parametrize("query", [
    {"mlp_N": "abc"}, {"mlp_N": "-3"}, {"mlp_N": "1e400"}, {"mlp_N": "nan"}, {"mlp_B": "0"}, {"mlp_B": "100000"},
    {"mlp_L": "7"}, {"mlp_w1": "513"}, {"mlp_w2": "2.5"}, {"mlp_K": "1"}, {"mlp_head": "poisson"}, {"mlp_act": "<script>"},
    {"mlp_input": "video"}, {"mlp_H": "99999999999"}, {"mlp_seed": "x" * 5000}, {"mlp_per_layer": "maybe"},
])
def test_bad_url_values_fall_back_with_a_note(query):
    at = run_page("mlp_builder", query)
    assert_clean(at)
    key = next(iter(query))
    assert f"`{key}`" in texts(at)
    assert metric(at, "Parameters") == "26"


def test_deep_wide_network_numbers_print_with_separators():
    at = run_page("mlp_builder", {"mlp_N": "999999999", "mlp_L": "6", **{f"mlp_w{i}": "512" for i in range(1, 7)}})
    assert_clean(at)
    assert metric(at, "As a formula in N") == "512N + 1,314,305"   # 512 + 5 × 262,656 + 513
    latex = " ".join(x.value for x in at.latex)
    assert "262{,}656" in latex and "262656" not in latex
    assert "999,999,999 × 8" in list(table(at)["a [out, B]"])
    assert "e+" not in texts(at) and "× 10" not in texts(at)


def test_five_views_output_is_named_after_the_mri_classes():
    from explorer.core import mri
    at = run_page("mlp_builder")
    at.button(key="mlp_preset_views").click().run()
    bars = figure(at, "Output")
    names = {t.get("name") for t in bars["data"]}
    assert set(mri.CLASSES) <= names
