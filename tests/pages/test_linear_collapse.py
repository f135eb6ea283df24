"""AppTest for the linear-collapse page (explorer/pages/linear_collapse.py)."""
import pytest

from tests.pages.conftest import assert_clean, figures, metric, run_page, texts, title, tables


def assert_rounding_only(shown: str) -> None:
    """A difference of a few units in the last place of numbers of order 1, shown as "1.1e-16": its
    exact value depends on the order of the sums (numpy's and the BLAS build's), so only its scale is
    pinned (a layer that is not linear differs by 0.1 or more)."""
    assert shown.count("e-") == 1, shown
    assert 0 <= float(shown) < 1e-14, shown


def test_defaults_collapse_to_rounding_error():
    at = run_page("linear_collapse")
    assert_clean(at)
    assert_rounding_only(metric(at, "Max difference, all linear"))
    assert "Equal up to rounding" in texts(at)
    assert any(r"W^{[3]}W^{[2]}b^{[1]} + W^{[3]}b^{[2]} + b^{[3]}" in x.value for x in at.latex)
    # W_eff is 1 x N, b_eff 1 x 1
    assert tables(at, index=True)[0].shape == (1, 4) and tables(at, index=True)[1].shape == (1, 1)


def test_one_nonlinear_layer_breaks_the_equality():
    at = run_page("linear_collapse")
    at.selectbox(key="lc_layer").set_value(2).run()
    assert_clean(at)
    assert metric(at, "Max difference, layer 2") == "0.319"
    assert "no single matrix" in texts(at)


def test_deeper_and_wider_still_collapses():
    at = run_page("linear_collapse")
    at.slider(key="lc_L").set_value(6).run()
    at.number_input(key="lc_out").set_value(3).run()
    assert_clean(at)
    assert_rounding_only(metric(at, "Max difference, all linear"))
    assert tables(at, index=True)[0].shape == (3, 4)


def test_xor_needs_a_nonlinearity():
    at = run_page("linear_collapse")
    assert [title(f) for f in figures(at)] == ["Identity hidden layers: accuracy 66%",
                                                "tanh hidden layers: accuracy 100%"]


def test_reducing_depth_resets_a_missing_nonlinear_layer():
    at = run_page("linear_collapse")
    at.selectbox(key="lc_layer").set_value(3).run()
    at.slider(key="lc_L").set_value(2).run()
    assert_clean(at)


@pytest.mark.parametrize("query", [{"lc_L": "0"}, {"lc_N": "65"}, {"lc_layer": "9"}, {"lc_f": "identity"},
                                   {"lc_data": "spiral"}, {"lc_w1": "-1"}])
def test_bad_url_values(query):
    at = run_page("linear_collapse", query)
    assert_clean(at)
    assert f"`{next(iter(query))}`" in texts(at)


def table_columns(at):
    t = tables(at)[2]
    return t


@pytest.mark.parametrize("layer", [1, 2, 3])
def test_maxout_layer_keeps_the_same_weights(layer):
    """Piece 1 of a maxout layer is the linear layer's W, the other layers are untouched: at the output
    layer, maxout(pieces) >= piece 1 = W_eff X + b_eff for every sample; elsewhere the outputs still differ."""
    import numpy as np
    at = run_page("linear_collapse", {"lc_f": "maxout"})
    at.selectbox(key="lc_layer").set_value(layer).run()
    assert_clean(at)
    t = table_columns(at)
    bent = np.asarray(t[f"with layer {layer} nonlinear"], dtype=float)
    single = np.asarray(t["W_eff X + b_eff (out 1)"], dtype=float)
    if layer == 3:     # the output layer: the max over pieces can only raise the linear piece
        assert np.all(bent >= single - 1e-12) and np.any(bent > single + 1e-6)
    assert metric(at, f"Max difference, layer {layer}") == {1: "0.129", 2: "0.671", 3: "1.15"}[layer]


def test_relu_output_equals_the_linear_map_where_it_is_positive():
    import numpy as np
    at = run_page("linear_collapse", {"lc_f": "ReLU", "lc_B": "16"})
    at.selectbox(key="lc_layer").set_value(3).run()
    t = table_columns(at)
    bent = np.asarray(t["with layer 3 nonlinear"], dtype=float)
    single = np.asarray(t["W_eff X + b_eff (out 1)"], dtype=float)
    assert np.allclose(bent, np.maximum(single, 0), atol=1e-12)


def test_a_difference_below_1e_12_is_not_called_no_longer_equal():
    # seed 1, one sample: the output of the linear network is positive, so ReLU at the output changes nothing
    at = run_page("linear_collapse", {"lc_f": "ReLU", "lc_B": "1", "lc_seed": "1"})
    at.selectbox(key="lc_layer").set_value(3).run()
    assert_clean(at)
    words = texts(at)
    assert metric(at, "Max difference, layer 3") == "0"
    assert "no longer" not in words and "still equal" in words


def test_the_settings_keys_carry_the_prefix_and_the_widths_follow_the_depth():
    from explorer.settings.declare import params_of
    from explorer.settings.linear_collapse import Settings
    assert all(p.key.startswith("lc_") for p in params_of(Settings))
    assert Settings().widths == (3, 2, 1) and Settings(L=1, out=5).widths == (5,)
    assert Settings(L=2, layer=3).nonlinear == 0 and Settings(layer=3).nonlinear == 3


def test_the_xor_exercise_says_yes_for_sigmoid_at_seed_4_and_not_yet_for_tanh_at_seed_0():
    done = "Yes: the page is in that state now."
    at = run_page("linear_collapse")                     # tanh, seed 0: 100%
    assert done not in [x.value for x in at.success]
    at = run_page("linear_collapse", {"lc_f2d": "sigmoid", "lc_seed": "4"})
    assert_clean(at)
    assert title(figures(at)[1]) == "sigmoid hidden layers: accuracy 98%"
    assert done in [x.value for x in at.success]
