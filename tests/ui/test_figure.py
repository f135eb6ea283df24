"""explorer/ui/figure.py: every figure goes to the figure component, under a key it accepts."""
import json

import pytest
from streamlit.testing.v1 import AppTest

from explorer.ui.figure import KEY_PREFIX, element_key, shown_figures


@pytest.mark.parametrize("key, expected", [
    ("fig_mlp-diagram", "fig_mlp-diagram"),
    ("sm_fig_binary", "fig_sm_fig_binary"),
    ("_hf_live_3", "fig_hf_live_3"),           # no "__": Streamlit refuses it in a component's key
    ("a__b___c", "fig_a_b_c"),
])
def test_element_keys_start_with_the_prefix_and_have_no_double_underscore(key, expected):
    assert element_key(key) == expected
    assert element_key(key).startswith(KEY_PREFIX) and "__" not in element_key(key)


def script():
    import numpy as np
    import streamlit as st

    from explorer.charts.style import new_figure, styled, trace
    from explorer.ui.layout import show_figure
    n = st.slider("n", 2, 50, 5, key="n")
    fig = styled(new_figure([trace("scatter", x=np.arange(n), y=np.arange(n) ** 2, mode="lines")]), "squares", "x", "y")
    show_figure(fig, "Squares", key=f"_live_{n}")
    show_figure(styled(new_figure([trace("bar", x=["a", "b"], y=[1, 2])]), "bars"), "Bars")


def test_a_page_sends_each_figure_to_the_component_as_plotly_json():
    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    figs = shown_figures(at.get("bidi_component"))
    assert [f["layout"]["title"]["text"] for f in figs] == ["squares", "bars"]
    assert figs[0]["data"][0]["x"]["dtype"] in ("i1", "i2", "i4") and figs[1]["data"][0]["y"] == [1, 2]
    assert figs[0]["layout"]["template"]["layout"]["colorway"][0] == "#0072B2"   # the app's template
    components = [c for c in at.get("bidi_component") if c.proto.js_source_path == "figure.js"]
    config = json.loads(components[1].proto.json)["config"]
    assert config["toImageButtonOptions"]["filename"] == "bars" and config["displaylogo"] is False
    at.slider("n").set_value(9).run()
    assert not at.exception
    assert shown_figures(at.get("bidi_component"))[0]["data"][0]["y"]["bdata"]


def test_a_figure_shown_again_is_not_encoded_again():
    import gc

    from explorer.charts.style import new_figure, trace
    from explorer.ui import figure as F
    fig = new_figure([trace("scatter", x=[1, 2], y=[3, 4])])
    first = F.figure_spec(fig)
    assert F.figure_spec(fig) is first                       # the same text, not made again
    other = new_figure([trace("scatter", x=[1, 2], y=[3, 5])])
    assert F.figure_spec(other) != first
    ids = {id(fig), id(other)}
    assert ids <= set(F._SENT)
    del fig, other
    gc.collect()
    assert not ids & set(F._SENT)                             # entries go with their figures


def presenting_script():
    import streamlit as st

    from explorer.charts.style import new_figure, styled, trace
    from explorer.ui.layout import show_figure

    @st.cache_resource
    def shared():
        return styled(new_figure([trace("scatter", x=[1, 2], y=[3, 4])]), "shared", "x", "y")

    show_figure(shared(), "Shared")
    st.session_state["font"] = shared().layout.font.size


def test_presenter_mode_enlarges_a_copy_not_a_shared_figure():
    at = AppTest.from_function(presenting_script, default_timeout=30)
    at.session_state["present"] = True            # the sidebar's presenter toggle (layout.PRESENTER)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (sent,) = shown_figures(at.get("bidi_component"))
    assert sent["layout"]["font"]["size"] == 20                  # the slide's type
    assert at.session_state["font"] == 14                       # the cached figure as it was
