"""Deep Learning Explorer: entry point. Run with `streamlit run app.py`."""
import os

# One BLAS thread per request: the small matrices here gain nothing from threads, and with a
# class of sessions at once, threads only fight over the cores. (Must precede numpy's import.)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# Imported before any page runs: plotly imports pandas (and PIL for images) lazily through its optional-import
# helper, which reads sys.modules without the import lock, so two sessions starting at once on a fresh
# server could get a half-imported pandas ("partially initialized module 'pandas' has no attribute
# 'Series'", seen in the classroom load test). A plain import here waits for the module to finish.
import pandas  # noqa: E402,F401
import PIL.Image  # noqa: E402,F401
import plotly.graph_objects  # noqa: E402,F401
import streamlit as st  # noqa: E402

from explorer.navigation import LECTURE, PAGES  # noqa: E402
from explorer.ui import layout, lecture_bar  # noqa: E402
from explorer.ui.url_state import sanitize, toggle  # noqa: E402

st.set_page_config(page_title="Deep Learning Explorer", page_icon="🧠", layout="wide")

sections: dict[str, list] = {}
for info in sorted(PAGES, key=lambda p: p is not LECTURE):   # the Lecture entry at the top of the sidebar
    sections.setdefault(info.section, []).append(
        st.Page(str(info.path), title=info.title, icon=info.icon, url_path=info.url_path or None,
                default=info.url_path == ""))
page = st.navigation(sections, expanded=True)

sanitize([layout.PRESENTER], "app")
with st.sidebar:
    toggle(layout.PRESENTER, "Presenter mode", help="Large type and fewer words for a projector; "
           "the setting travels with the link.")
layout.apply_presenter_css()
lecture_bar.show(page.url_path, layout.presenter())   # the lecture's step bar, when the address names a step
page.run()
