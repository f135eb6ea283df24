"""AppTest for the activation functions page (explorer/pages/activations.py)."""
import pytest
from scipy import special

from tests.pages.conftest import assert_clean, figures, run_page, texts, values, tables


def values_table(at):
    return tables(at)[0]


def test_defaults_draw_three_functions_with_their_values():
    at = run_page("activations")
    assert_clean(at)
    t = values_table(at)
    assert list(t["f"]) == ["sigmoid", "tanh", "ReLU"]
    assert list(t["f(x₀ = 0)"]) == [0.5, 0, 0]
    assert list(t["f'(x₀)"]) == [0.25, 1, 0]
    assert any(r"\sigma'(x) = \sigma(x)\,[1 - \sigma(x)]" in x.value for x in at.latex)
    assert len(figures(at)) == 1


def test_probe_point_gives_sigmoid_values_from_core():
    at = run_page("activations")
    at.number_input(key="act_x0").set_value(6.0).run()
    t = values_table(at)
    s = special.expit(6.0)
    assert float(t["f(x₀ = 6)"][0]) == pytest.approx(s, rel=1e-5)
    assert float(t["f'(x₀)"][0]) == pytest.approx(s * (1 - s), rel=1e-5)


def test_toggling_functions_and_parameters():
    at = run_page("activations")
    at.toggle(key="act_show_leaky_relu").set_value(True).run()
    at.slider(key="act_slope").set_value(0.2).run()
    at.number_input(key="act_x0").set_value(-5.0).run()
    t = values_table(at)
    row = list(t["f"]).index("leaky ReLU")
    assert float(t["f(x₀ = -5)"][row]) == pytest.approx(-1.0)
    at.toggle(key="act_show_maxout").set_value(True).run()
    at.slider(key="act_pieces").set_value(4).run()
    assert_clean(at)


def test_nothing_selected_says_so():
    at = run_page("activations")
    for name in ("sigmoid", "tanh", "relu"):
        at.toggle(key=f"act_show_{name}").set_value(False).run()
    assert_clean(at)
    assert "at least one function" in texts(at)


def test_focus_shows_formula_and_note():
    at = run_page("activations")
    at.selectbox(key="act_focus").set_value("elu").run()
    assert any(r"\alpha (e^{x} - 1)" in x.value for x in at.latex)


@pytest.mark.parametrize("query", [{"act_xr": "0"}, {"act_xr": "inf"}, {"act_x0": "nan"}, {"act_focus": "swish"},
                                   {"act_show_relu": "perhaps"}, {"act_pieces": "100"}, {"act_alpha": "-1"}])
def test_bad_url_values(query):
    at = run_page("activations", query)
    assert_clean(at)
    assert f"`{next(iter(query))}`" in texts(at)


def test_default_figure_is_legible_and_draws_no_vertical_jumps():
    import numpy as np

    from explorer.charts.activations import IDENTITY_MARKER
    at = run_page("activations")
    (spec,) = figures(at)
    lo, hi = spec["layout"]["yaxis"]["range"]
    assert hi <= 3 and 2 / (hi - lo) > 0.4          # tanh's -1..1 is almost half of the panel
    relu_d = next(t for t in spec["data"] if t.get("name") == "ReLU'")
    y = relu_d["y"]
    y = values(y) if isinstance(y, dict) else np.array([np.nan if v is None else v for v in y], dtype=float)
    assert np.isnan(y).sum() == 1                    # one gap at x = 0, not a vertical line
    markers = next(t for t in spec["data"] if t.get("mode") == "markers")
    assert markers["marker"]["color"] == IDENTITY_MARKER


@pytest.mark.parametrize("x0", [30.0, 40.0, -50.0])
def test_sigmoid_focus_shows_derivative_right_to_its_digits_far_out(x0):
    """σ'(x₀) in the focus formula keeps its digits where σ(1 − σ) would cancel to 0 (σ'(40) ≈ 4.25e-18)."""
    at = run_page("activations")          # the focus is the sigmoid by default
    at.number_input(key="act_x0").set_value(x0).run()
    assert_clean(at)
    exact = float(special.expit(x0) * special.expit(-x0))
    line = next(m.value for m in at.latex if rf"\sigma'({x0:g})" in m.value)
    shown = float(line.rsplit("=", 1)[1].strip("$ \n"))
    assert shown == pytest.approx(exact, rel=1e-5)
