"""What every page shares on screen: the header, figures, presenter mode."""
from __future__ import annotations

import copy
import re

import plotly.graph_objects as go
import streamlit as st

from explorer.charts.style import enlarge
from explorer.ui.exercises import Exercise, show_exercises as _show_exercises
from explorer.ui.figure import plot
from explorer.ui.url_state import Param, share_link

PRESENTER = Param("present", False, "bool")
PRESENTER_KEY = PRESENTER.key

# Always: a label or value that does not fit its column wraps instead of being cut with "…".
_BASE_CSS = """
<style>
[data-testid="stMain"] [data-testid="stMetricLabel"], [data-testid="stMain"] [data-testid="stMetricLabel"] *,
[data-testid="stMain"] [data-testid="stMetricValue"], [data-testid="stMain"] [data-testid="stMetricValue"] *,
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere; }
</style>
"""

# Presenter mode: everything a student reads from the back row is larger, tables, captions and
# metric labels included; a slider's value stays above its thumb.
_PRESENTER_CSS = """
<style>
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li,
[data-testid="stMain"] [data-testid="stWidgetLabel"] p { font-size: 1.25rem !important; }
[data-testid="stMain"] [data-testid="stCaptionContainer"],
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.1rem !important; }
[data-testid="stMain"] [data-testid="stMetricLabel"] p { font-size: 1.15rem !important; }
[data-testid="stMain"] [data-testid="stMetricLabel"] { margin-bottom: 0.3rem !important; }
[data-testid="stMain"] [data-testid="stMetricValue"],
[data-testid="stMain"] [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p {
  font-size: 2.2rem !important; line-height: 1.4 !important; }
[data-testid="stMain"] [data-testid="stTable"] td, [data-testid="stMain"] [data-testid="stTable"] th,
[data-testid="stMain"] table td, [data-testid="stMain"] table th { font-size: 1.15rem !important; }
[data-testid="stMain"] [data-testid="stSlider"] [data-testid="stWidgetLabel"] { margin-bottom: 0.7rem !important; }
[data-testid="stMain"] [data-testid="stSliderThumbValue"] { top: -1.6rem !important; }
[data-testid="stMain"] [data-testid="stSliderThumbValue"] p { font-size: 1rem !important; line-height: 1.2 !important; }
[data-testid="stMain"] [data-testid="stSliderTickBar"] p { font-size: 1rem !important; }
[data-testid="stMain"] h1 { font-size: 2.4rem !important; padding-top: 0 !important; }
[data-testid="stMainBlockContainer"] { padding-top: 3.5rem !important; }
</style>
"""


def presenter() -> bool:
    """True when presenter mode (big type for a projector) is on."""
    return bool(st.session_state.get(PRESENTER_KEY, False))


def apply_presenter_css() -> None:
    """The shared CSS; in presenter mode also the large type, and the sidebar starts collapsed
    (the teacher opens it with its arrow) so the projector's 1280 px go to the page."""
    st.html(_BASE_CSS + (_PRESENTER_CSS if presenter() else ""))
    # only when a session opens in presenter mode (the link's ?present=true): turning it on from the
    # sidebar's toggle does not hide the toggle under the teacher's pointer
    if presenter() and not st.session_state.get("_layout_opened"):
        st.set_page_config(initial_sidebar_state="collapsed")
    st.session_state["_layout_opened"] = True


def wide_box(key: str, min_width: int):
    """A container whose content keeps at least ``min_width`` px and scrolls sideways inside the
    box on a narrower screen (a phone), instead of being squeezed unreadable or widening the page."""
    box = st.container(key=key)
    box.html(f"<style>.st-key-{key} {{ overflow-x: auto; }} "
             f".st-key-{key} > div {{ min-width: {int(min_width)}px; }}</style>")
    return box


def theorem(full: str, short: str) -> None:
    """A statement in full, or in presenter mode its one-line form (the teacher says the rest)."""
    st.markdown(short if presenter() else full)


def page_header(title: str, what: str, try_this: str, notice: str) -> None:
    """Title and the three lines every page answers: what is this, what to try, what to notice.

    In presenter mode only the title and the first line show: the teacher says the rest.
    """
    st.title(title)
    if presenter():
        st.markdown(what)
        return
    st.markdown(f"{what}\n\n**Try:** {try_this}  \n**Notice:** {notice}")


def show_figure(fig: go.Figure, name: str, key: str | None = None, share: float | None = None) -> None:
    """Plot a figure full width, with a PNG download at slide resolution named after it.

    ``share``: the part of the page's width the figure's column gets (1.0 for the whole width),
    so presenter mode breaks its title only where it would not fit."""
    if presenter():   # a copy: the figure may be shared (st.cache_resource) with views not presenting
        fig = enlarge(copy.deepcopy(fig), share=share)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "figure"
    config = {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": slug, "scale": 3},
    }
    plot(fig, key or f"fig_{slug}", config)


def copy_link_box():
    from explorer.ui.components import inline_component
    return inline_component("copylink", js="copylink.js", css="copylink.css")


def finish_page(page: str, params, exercises: list[Exercise] = ()) -> None:
    """What ends every page: the 'Try this' exercises, and a 'Copy link' box in the sidebar
    with the address that reopens the page exactly as it is now (settings differing from defaults)."""
    show_exercises(page, exercises)
    sidebar_tools(page, params)


def show_exercises(page: str, exercises: list[Exercise]) -> None:
    """The page's 'Try this' exercises (none: nothing)."""
    if exercises:
        _show_exercises(page, list(exercises))


def live_body(body) -> None:
    """Run ``body()`` (the page below its title, its exercises included) as one fragment: a change
    of any of its controls reruns the body only, not the sidebar, the navigation and the title,
    which a click does not change. End the page with :func:`sidebar_tools` outside it."""
    st.fragment(body)()


def sidebar_tools(page: str, params) -> None:
    """The sidebar's 'Copy link to this view' and 'Add this view to my deck'."""
    link = share_link(list(params), extra=[PRESENTER])
    with st.sidebar.popover("Copy link to this view", icon=":material/link:", width="stretch"):
        st.caption("This address opens the page with every setting as it is now.")
        # the browser's own address (kept in step with every setting, also when only a section reran);
        # the server-built link is the fallback where the page has no address (tests)
        copy_link_box()(key=f"_copylink_{page}", data={"fallback": link})
    from explorer.ui.deck_ui import add_view_button  # lecture decks: collect this view
    add_view_button(page, params)
