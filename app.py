"""Deep Learning Explorer: entry point. Run with `streamlit run app.py`."""
import streamlit as st

from explorer.navigation import PAGES
from explorer.ui import layout

st.set_page_config(page_title="Deep Learning Explorer", page_icon=":material/neurology:", layout="wide")

sections: dict[str, list] = {}
for info in PAGES:
    sections.setdefault(info.section, []).append(
        st.Page(str(info.path), title=info.title, icon=info.icon, url_path=info.url_path or None,
                default=info.url_path == ""))
page = st.navigation(sections)

with st.sidebar:
    st.toggle("Presenter mode", key=layout.PRESENTER_KEY, bind="query-params",
              help="Large type for a projector; the setting travels with the link.")
layout.apply_presenter_css()
page.run()
