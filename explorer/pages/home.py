"""Home: a picture of the lecture's path, one clear place to start, then a short map of the pages.

No settings of its own (presenter mode is the sidebar's, explorer/ui/layout.py); each section is a
function of the page list it shows.
"""
from __future__ import annotations

import streamlit as st

from explorer.charts.home import lecture_path
from explorer.navigation import LECTURE, PAGES, PageInfo
from explorer.ui import layout


@st.cache_resource(max_entries=1, show_spinner=False)
def picture():
    return lecture_path()


def header() -> None:
    st.title("Deep Learning Explorer")
    st.markdown(
        "The first lecture of the *Deep Learning Crash Course* (Hui Xue, NHLBI), as things you can move and "
        "watch change, in the lecture's notation: one sample is a column, **X** is *N × B*, a layer is "
        "**Z = W X + b** with **W** of shape *[out, in]*.")
    # presenter mode enlarges the figure in place: a fresh one then, never the shared cached one
    layout.show_figure(lecture_path() if layout.presenter() else picture(), "lecture-path", share=1.0)


def start_here(first: PageInfo) -> None:
    with st.container(border=True):
        st.markdown("**Start here**, and follow the pages in the sidebar from top to bottom: it is the lecture's order.")
        st.page_link(str(first.path), label=f"**1 · {first.title}**: {first.blurb}", icon=":material/arrow_forward:")
        st.page_link(str(LECTURE.path), label="…or let the **Lecture** walk you through it, step by step, with questions",
                     icon=LECTURE.icon)


def page_map(topics: list[PageInfo]) -> None:
    """Every topic page, numbered in the lecture's order, one column per section of the sidebar."""
    st.subheader("All pages")
    sections: dict[str, list[PageInfo]] = {}
    for info in topics:
        sections.setdefault(info.section, []).append(info)
    number = 0
    for column, infos in zip(st.columns(len(sections), gap="medium"), sections.values()):
        with column:
            st.markdown(f"**{infos[0].section}**")
            for info in infos:
                number += 1
                st.page_link(str(info.path), label=f"{number} · {info.title}", icon=info.icon)


def about(topics: list[PageInfo]) -> None:
    with st.expander("What each page shows, slide by slide"):
        for info in topics:
            st.markdown(f"**{info.title}**")
            st.caption(f"{info.blurb}  \n*Slides:* {info.slides}")
    with st.expander("How to use it (students, teachers, notebooks)"):
        st.markdown(
            "- **Students:** each page says what it shows, what to try and what to notice. Move one control "
            "at a time.\n"
            "- **Teachers:** every setting is part of the page's address: *Copy link to this view* in the sidebar "
            "gives a link that opens the page exactly as you prepared it. *Presenter mode* enlarges everything "
            "for a projector; the camera icon on each figure saves a PNG at slide resolution.\n"
            "- **Notebook:** every number comes from `explorer.core`, a small numpy library: "
            "`from explorer.core.mlp import MLP` gives the same numbers as the pages.")


TOPICS = [info for info in PAGES if info.slides]   # a constant: the app's page list
header()
start_here(TOPICS[0])
page_map(TOPICS)
about(TOPICS)
