"""AppTest for the app shell (app.py) and the home page (explorer/pages/home.py)."""
from tests.pages.conftest import ROOT, assert_clean, figures

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


def test_home_starts_with_a_picture_and_one_start_here_in_lecture_order():
    import json
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert_clean(at)
    charts = figures(at)
    assert len(charts) == 1 and "from pixels to a probability" in charts[0]["layout"]["title"]["text"]
    starts = [m.value for m in at.markdown if "Start here" in m.value]
    assert len(starts) == 1 and "lecture's order" in starts[0]
    links = [str(p.proto.label) for p in at.get("page_link")]
    first_topic = next(info for info in PAGES if info.slides)
    assert links[0].startswith(f"**1 · {first_topic.title}**")
    # the map: every topic page once, numbered in the lecture's order, without a wall of captions outside
    topics = [info for info in PAGES if info.slides]
    for n, info in enumerate(topics, start=1):
        assert f"{n} · {info.title}" in links
    visible_captions = [c for c in at.main.caption if not any(c in e.caption for e in at.expander)]
    assert not visible_captions
