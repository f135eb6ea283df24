"""streamlit_adapter.fragment_rerun and exercises.refresh_on_change, in a real script run with a fragment.

AppTest reruns the whole script when a widget changes, even inside a fragment; a fragment-only rerun
comes from ``st.rerun(scope=<fragment key>)`` in a widget callback, as the app's own fragments get when
their widgets change in the browser.
"""
from streamlit.testing.v1 import AppTest


def script():
    import streamlit as st

    from explorer.ui.exercises import refresh_on_change
    from explorer.ui.streamlit_adapter import fragment_rerun

    log = st.session_state.setdefault("log", [])
    log.append(f"page {fragment_rerun()}")      # the page's own code: full runs only

    def set_value(to):
        st.session_state["value"] = to
        st.rerun(scope="part")                   # rerun only the fragment below

    @st.fragment(key="part")
    def part():
        value = st.session_state.get("value", 0)
        log.append(f"fragment {fragment_rerun()} value={value}")
        refresh_on_change("demo", "value", value)
        st.button("same", key="same", on_click=set_value, args=(value,))
        st.button("seven", key="seven", on_click=set_value, args=(7,))

    part()


def start() -> AppTest:
    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception
    assert at.session_state["log"] == ["page False", "fragment False value=0"]
    return at


def new_entries(at: AppTest, before: int) -> list[str]:
    assert not at.exception, [e.value for e in at.exception]
    return at.session_state["log"][before:]


def test_fragment_rerun_is_true_only_when_only_fragments_run():
    at = start()
    at.button(key="same").click().run()
    assert new_entries(at, 2) == ["fragment True value=0"]      # the page's code did not run
    at.run()                                                     # a full rerun
    assert new_entries(at, 3) == ["page False", "fragment False value=0"]


def test_a_changed_value_in_a_fragment_rerun_reruns_the_whole_page_once():
    at = start()
    at.button(key="seven").click().run()
    assert new_entries(at, 2) == ["fragment True value=7", "page False", "fragment False value=7"]
    assert at.session_state["_watch_demo_value"] == 7
    at.button(key="same").click().run()                         # 7 again: nothing else to redraw
    assert new_entries(at, 5) == ["fragment True value=7"]


def test_a_changed_value_in_a_full_run_needs_no_second_run():
    at = start()
    at.session_state["value"] = 3
    at.run()
    assert new_entries(at, 2) == ["page False", "fragment False value=3"]
    assert at.session_state["_watch_demo_value"] == 3
