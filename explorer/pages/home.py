"""Home: what the Explorer is and where each slide of the lecture lives."""
import streamlit as st

from explorer.navigation import PAGES

st.title("Deep Learning Explorer")
st.markdown(
    "The first lecture of the *Deep Learning Crash Course* (Hui Xue, NHLBI), as things you can "
    "move and watch change. Every number on these pages comes from `explorer.core`, a small numpy "
    "library you can also import in a notebook, and uses the lecture's notation: one sample is a "
    "column, **X** is *N × B*, a layer is **Z = W X + b** with **W** of shape *[out, in]*."
)

st.subheader("The lecture, slide by slide")
sections: dict[str, list] = {}
for info in PAGES:
    if info.slides:
        sections.setdefault(info.section, []).append(info)
for section, infos in sections.items():
    st.markdown(f"**{section}**")
    for info in infos:
        st.page_link(str(info.path), label=f"**{info.title}**", icon=info.icon)
        st.caption(f"{info.blurb}  \n*Slides:* {info.slides}")

st.subheader("How to use it")
st.markdown(
    "- **Students:** each page says what it shows, what to try and what to notice. Move one control "
    "at a time.\n"
    "- **Teachers:** every setting is part of the page's address: *Copy link to this view* in the sidebar "
    "gives a link that opens the page exactly as you prepared it. *Presenter mode* enlarges everything "
    "for a projector; the camera icon on each figure saves a PNG at slide resolution.\n"
    "- **Notebook:** `from explorer.core.mlp import MLP` gives the same numbers as the pages."
)
