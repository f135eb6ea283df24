"""'Try this' prompts for self-study: a task tied to the lecture, a hidden answer, and a live check."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import streamlit as st


@dataclass(frozen=True)
class Exercise:
    """``check()`` looks at the page's current state: True (done), False (not yet) or None (cannot tell)."""

    prompt: str
    answer: str
    check: Callable[[], bool | None] | None = None
    done: str = "Yes: the page is in that state now."
    hint: str = "Not yet: change the controls above and look again."


def show_exercises(page: str, items: list[Exercise]) -> None:
    """A 'Try this' section: each prompt in an expander with its live check and a hidden answer."""
    st.subheader("Try this", anchor=False)
    for i, ex in enumerate(items, start=1):
        with st.expander(f"{i}. {ex.prompt}"):
            if ex.check is not None:
                state = ex.check()
                if state is True:
                    st.success(ex.done, icon=":material/check_circle:")
                elif state is False:
                    st.info(ex.hint, icon=":material/pending:")
            if st.toggle("Show the answer", key=f"_answer_{page}_{i}"):
                st.markdown(ex.answer)


def refresh_on_change(page: str, name: str, value) -> None:
    """Call from inside an ``st.fragment`` with a value an exercise's check depends on.

    A fragment's rerun does not redraw the page's "Try this" checks, so when ``value`` differs
    from the one the page last showed, the whole page reruns once (then it is the same again).
    """
    from explorer.ui.streamlit_adapter import fragment_rerun
    key = f"_watch_{page}_{name}"
    changed = key in st.session_state and st.session_state[key] != value
    st.session_state[key] = value
    if changed and fragment_rerun():
        st.rerun(scope="app")
