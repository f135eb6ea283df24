"""AppTest for the app shell (app.py) and the home page (explorer/pages/home.py)."""
from tests.pages.conftest import ROOT, assert_clean

from explorer.navigation import PAGES
from streamlit.testing.v1 import AppTest


def test_home_lists_every_topic_page():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()  # home links need st.navigation
    assert_clean(at)
    assert at.title[0].value == "Deep Learning Explorer"
    captions = [c.value for c in at.caption]
    for info in PAGES:
        if info.slides:
            assert any(c.startswith(info.blurb) and info.slides in c for c in captions), info.module


def test_every_declared_page_exists_and_app_runs():
    for info in PAGES:
        assert info.path.exists(), info.path
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert_clean(at)
    assert at.title[0].value == "Deep Learning Explorer"


def test_presenter_mode_toggle_enlarges_type():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.toggle(key="present").set_value(True).run()
    assert_clean(at)
    assert any("font-size" in str(h.proto) for h in at.get("html"))


def test_switching_to_each_page_renders():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    for info in PAGES[1:]:
        at.switch_page(str(info.path.relative_to(ROOT))).run()
        assert_clean(at)
        assert at.title and at.title[0].value != "Deep Learning Explorer", info.module
