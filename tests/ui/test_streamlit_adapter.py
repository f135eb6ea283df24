"""The adapter over Streamlit's internal query parameters: each method against the real object."""
import pytest
from streamlit.runtime.state.query_params import QueryParams
from streamlit.testing.v1 import AppTest

from explorer.ui.streamlit_adapter import InternalsChanged, UrlQuery


def query_params(current: dict, initial: dict) -> QueryParams:
    qp = QueryParams()
    qp._query_params.update(current)
    qp._initial_query_params.update(initial)
    return qp


def test_current_initial_and_drop_on_streamlits_own_object():
    qp = query_params({"a": "1", "b": ["2", "3"]}, {"a": ["1"], "b": ["2", "3"], "c": ["9"]})
    q = UrlQuery(qp)
    assert q.current("a") == ["1"] and q.current("b") == ["2", "3"] and q.current("zz") is None
    assert q.initial("a") == ["1"] and q.initial("b") == ["2", "3"] and q.initial("zz") is None
    q.drop("b")
    q.drop("c")                                   # only in the initial copy
    q.drop("zz")                                  # in neither: no error
    assert q.current("b") is None and q.initial("b") is None and q.initial("c") is None
    assert q.current("a") == ["1"]


def test_a_changed_streamlit_raises_internals_changed_not_attribute_error():
    class Old:
        def has_param(self, key):
            return True
    with pytest.raises(InternalsChanged):
        UrlQuery(Old()).current("a")
    with pytest.raises(InternalsChanged):
        UrlQuery(Old()).drop("a")


def test_url_query_in_a_running_app_drops_a_seeded_value():
    script = """
import streamlit as st
from explorer.ui.streamlit_adapter import url_query
with url_query() as q:
    st.session_state["seen"] = (q.current("n"), q.initial("n"))
    q.drop("n")
with url_query() as q:
    st.session_state["after"] = (q.current("n"), q.initial("n"))
"""
    at = AppTest.from_string(script, default_timeout=30)
    at.query_params["n"] = "5"
    at.run()
    assert not at.exception
    assert at.session_state["seen"] == (["5"], ["5"])
    assert at.session_state["after"] == (None, None)
    assert "n" not in at.query_params
