"""AppTest for the linear-collapse page (explorer/pages/linear_collapse.py)."""
import pytest

from tests.pages.conftest import assert_clean, run_page, texts


def metric_value(at, start):
    return next(m.value for m in at.metric if m.label.startswith(start))


def test_defaults_collapse_to_rounding_error():
    at = run_page("linear_collapse")
    assert_clean(at)
    assert float(metric_value(at, "Max difference, all linear")) < 1e-10
    assert "Equal up to rounding" in texts(at)
    assert any(r"W^{[3]}W^{[2]}b^{[1]} + W^{[3]}b^{[2]} + b^{[3]}" in x.value for x in at.latex)
    # W_eff is 1 x N, b_eff 1 x 1
    assert at.dataframe[0].value.shape == (1, 4) and at.dataframe[1].value.shape == (1, 1)


def test_one_nonlinear_layer_breaks_the_equality():
    at = run_page("linear_collapse")
    at.selectbox(key="nl").set_value(2).run()
    assert_clean(at)
    assert float(metric_value(at, "Max difference, layer 2")) > 1e-3
    assert "no single matrix" in texts(at)


def test_deeper_and_wider_still_collapses():
    at = run_page("linear_collapse")
    at.slider(key="cL").set_value(6).run()
    at.number_input(key="cout").set_value(3).run()
    assert_clean(at)
    assert float(metric_value(at, "Max difference, all linear")) < 1e-10
    assert at.dataframe[0].value.shape == (3, 4)


def test_xor_needs_a_nonlinearity():
    at = run_page("linear_collapse")
    titles = [c.proto.spec for c in at.get("plotly_chart")]
    joined = " ".join(titles)
    assert "Identity hidden layers: accuracy" in joined and "tanh hidden layers: accuracy 100%" in joined


def test_reducing_depth_resets_a_missing_nonlinear_layer():
    at = run_page("linear_collapse")
    at.selectbox(key="nl").set_value(3).run()
    at.slider(key="cL").set_value(2).run()
    assert_clean(at)


@pytest.mark.parametrize("query", [{"cL": "0"}, {"cN": "65"}, {"nl": "9"}, {"nlf": "identity"},
                                   {"data": "spiral"}, {"cw1": "-1"}])
def test_bad_url_values(query):
    at = run_page("linear_collapse", query)
    assert_clean(at)
    assert f"`{next(iter(query))}`" in texts(at)


def table_columns(at):
    t = at.dataframe[2].value
    return t


@pytest.mark.parametrize("layer", [1, 2, 3])
def test_maxout_layer_keeps_the_same_weights(layer):
    """Piece 1 of a maxout layer is the linear layer's W, the other layers are untouched: at the output
    layer, maxout(pieces) >= piece 1 = W_eff X + b_eff for every sample; elsewhere the outputs still differ."""
    import numpy as np
    at = run_page("linear_collapse", {"nlf": "maxout"})
    at.selectbox(key="nl").set_value(layer).run()
    assert_clean(at)
    t = table_columns(at)
    bent = np.asarray(t[f"with layer {layer} nonlinear"], dtype=float)
    single = np.asarray(t["W_eff X + b_eff (out 1)"], dtype=float)
    if layer == 3:     # the output layer: the max over pieces can only raise the linear piece
        assert np.all(bent >= single - 1e-12) and np.any(bent > single + 1e-6)
    assert float(metric_value(at, f"Max difference, layer {layer}")) > 1e-6


def test_relu_output_equals_the_linear_map_where_it_is_positive():
    import numpy as np
    at = run_page("linear_collapse", {"nlf": "ReLU", "cB": "16"})
    at.selectbox(key="nl").set_value(3).run()
    t = table_columns(at)
    bent = np.asarray(t["with layer 3 nonlinear"], dtype=float)
    single = np.asarray(t["W_eff X + b_eff (out 1)"], dtype=float)
    assert np.allclose(bent, np.maximum(single, 0), atol=1e-12)


def test_a_difference_below_1e_12_is_not_called_no_longer_equal():
    # seed 1, one sample: the output of the linear network is positive, so ReLU at the output changes nothing
    at = run_page("linear_collapse", {"nlf": "ReLU", "cB": "1", "cseed": "1"})
    at.selectbox(key="nl").set_value(3).run()
    assert_clean(at)
    words = texts(at)
    assert float(metric_value(at, "Max difference, layer 3")) < 1e-12
    assert "no longer" not in words and "still equal" in words
