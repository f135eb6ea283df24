"""Home: a picture of the lecture's path, one clear place to start, then a short map of the pages."""
import streamlit as st

from explorer.charts.home import lecture_path
from explorer.navigation import LECTURE, PAGES
from explorer.ui import layout


@st.cache_resource(max_entries=1, show_spinner=False)
def picture():
    return lecture_path()


st.title("Deep Learning Explorer")
st.markdown(
    "The first lecture of the *Deep Learning Crash Course* (Hui Xue, NHLBI), as things you can move and "
    "watch change, in the lecture's notation: one sample is a column, **X** is *N × B*, a layer is "
    "**Z = W X + b** with **W** of shape *[out, in]*.")
layout.show_figure(lecture_path() if layout.presenter() else picture(), "lecture-path", share=1.0)

topics = [info for info in PAGES if info.slides]
first = topics[0]
with st.container(border=True):
    st.markdown("**Start here**, and follow the pages in the sidebar from top to bottom: it is the lecture's order.")
    st.page_link(str(first.path), label=f"**1 · {first.title}**: {first.blurb}", icon=":material/arrow_forward:")
    st.page_link(str(LECTURE.path), label="…or let the **Lecture** walk you through it, step by step, with questions",
                 icon=LECTURE.icon)

st.subheader("All pages")
sections: dict[str, list] = {}
for info in topics:
    sections.setdefault(info.section, []).append(info)
columns = st.columns(len(sections), gap="medium")
number = 0
for column, (section, infos) in zip(columns, sections.items()):
    with column:
        st.markdown(f"**{section}**")
        for info in infos:
            number += 1
            st.page_link(str(info.path), label=f"{number} · {info.title}", icon=info.icon)

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
