"""Deep Learning Explorer: entry point. Run with `streamlit run app.py`."""
import streamlit as st

from explorer.navigation import PAGES
from explorer.ui import layout
from explorer.ui.url_state import sanitize, toggle

st.set_page_config(page_title="Deep Learning Explorer", page_icon=":material/neurology:", layout="wide")

sections: dict[str, list] = {}
for info in PAGES:
    sections.setdefault(info.section, []).append(
        st.Page(str(info.path), title=info.title, icon=info.icon, url_path=info.url_path or None,
                default=info.url_path == ""))
page = st.navigation(sections)

sanitize([layout.PRESENTER], "app")
with st.sidebar:
    toggle(layout.PRESENTER, "Presenter mode", help="Large type and fewer words for a projector; "
           "the setting travels with the link.")
layout.apply_presenter_css()
page.run()
