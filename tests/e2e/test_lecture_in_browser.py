"""Lecture mode in the real browser: the keyboard walks the lecture's first ten steps, a question is
answered and the page revealed; a deck made from three views downloads, uploads in another session
and replays the same three views."""
import json
import re

import pytest

from tests.e2e.conftest import exceptions, runs_started, wait_for_app

pytestmark = pytest.mark.e2e

BAR = ".st-key-lecture_bar"


def bar(page) -> str:
    return page.locator(BAR).inner_text(timeout=10_000)


def act(page, action) -> None:
    """Do ``action`` (a callable) and wait for the rerun it starts."""
    before = runs_started(page)
    action()
    wait_for_app(page, runs_before=before)


def step_shown(page) -> int:
    m = re.search(r"step (\d+) of 34", bar(page))
    return int(m.group(1)) if m else 0


def reach_step(page, n: int, timeout_ms: int = 15_000) -> int:
    """The step shown once the app has settled on ``n``: a key moves to another page, which may run
    its script twice (the switch, then the step written back into the address); a test that reads
    the bar between the two sees the old step. Returns the step shown at the end (for the assert)."""
    waited = 0
    while step_shown(page) != n and waited < timeout_ms:
        page.wait_for_timeout(100)
        waited += 100
        wait_for_app(page, settle=0)
    return step_shown(page)


def page_hidden(page) -> bool:
    return page.evaluate("""() => {
        const wrap = document.querySelector('.st-key-lecture_bar').closest('[data-testid="stLayoutWrapper"]')
                     || document.querySelector('.st-key-lecture_bar');
        const next = wrap.nextElementSibling;
        return !!next && parseFloat(getComputedStyle(next).opacity) < 0.5;
    }""")


def test_keyboard_walks_ten_steps_and_a_question_reveals_the_page(server, page):
    page.goto(f"{server}/regression?step=1")
    wait_for_app(page)
    assert step_shown(page) == 1 and not exceptions(page)
    assert not page_hidden(page)

    # Keys typed into a page's input stay there: the slide does not move.
    rate = page.locator('[data-testid="stNumberInput"] input').first
    rate.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(600)
    assert step_shown(page) == 1 and "step=1" in page.url

    page.evaluate("document.activeElement && document.activeElement.blur()")   # focus back on the page
    act(page, lambda: page.keyboard.press("ArrowRight"))
    assert reach_step(page, 2) == 2 and "step=2" in page.url and "lr_rate=0.05" in page.url
    # Predict, then see: the page waits hidden; commit an answer, the bar says right, the page shows.
    # (The hiding style arrives with the step's second run on the same page: wait for it.)
    page.wait_for_function("""() => {
        const wrap = document.querySelector('.st-key-lecture_bar').closest('[data-testid="stLayoutWrapper"]')
                     || document.querySelector('.st-key-lecture_bar');
        const next = wrap && wrap.nextElementSibling;
        return !!next && parseFloat(getComputedStyle(next).opacity) < 0.5;
    }""", timeout=15_000, polling=100)
    assert page_hidden(page)
    page.locator(f"{BAR} [data-testid='stRadio'] label", has_text="it blows up").click()
    act(page, lambda: page.locator(f"{BAR} button", has_text="Check").click())
    assert "Right: it blows up" in bar(page)
    assert not page_hidden(page)
    assert "diverg" in page.locator('[data-testid="stMain"]').inner_text().lower()

    for n in range(3, 11):
        key = "PageDown" if n % 2 else "ArrowRight"
        act(page, lambda: page.keyboard.press(key))
        assert reach_step(page, n) == n, (n, page.url)
        assert f"step={n}" in page.url and not exceptions(page)
    assert "/pixels" in page.url and "34 × 10 window" in bar(page)
    act(page, lambda: page.keyboard.press("PageUp"))
    assert reach_step(page, 9) == 9
    assert "1 of 20 questions right" in bar(page)


def test_a_deck_of_three_views_downloads_uploads_and_replays(server, new_context, tmp_path):
    page = new_context({"width": 1440, "height": 900}).new_page()
    page.goto(f"{server}/mlp")
    wait_for_app(page)
    sidebar = page.locator('[data-testid="stSidebar"]')

    def add_view(title: str | None) -> None:
        sidebar.get_by_role("button", name=re.compile("Add this view to my deck")).click()
        box = page.locator('[data-testid="stPopoverBody"]')
        if title:
            box.locator('[data-testid="stTextInput"] input').fill(title)
        act(page, lambda: box.get_by_role("button", name="Add").click())
        page.keyboard.press("Escape")

    def go(link_text: str) -> None:
        act(page, lambda: sidebar.locator('[data-testid="stSidebarNav"] a', has_text=link_text).first.click())

    n_input = page.locator(".st-key-mlp_N input")
    n_input.fill("9")
    act(page, lambda: n_input.press("Enter"))
    add_view("Nine inputs")
    go("Broadcasting")
    add_view("Shapes")
    go("Activation functions")
    add_view(None)
    go("Lecture")
    page.locator(".st-key-lec_view").click()
    act(page, lambda: page.get_by_role("option", name="My deck").click())
    assert "Play my deck" in page.locator('[data-testid="stMain"]').inner_text()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download as JSON").click()
    file = tmp_path / "deck.json"
    info.value.save_as(file)
    saved = json.loads(file.read_text())
    assert [s["page"] for s in saved["steps"]] == ["mlp", "broadcasting", "activations"]
    assert [s["title"] for s in saved["steps"]] == ["Nine inputs", "Shapes", "Activation functions"]
    assert saved["steps"][0]["settings"] == {"mlp_N": "9"}

    # Another browser session (so nothing comes from the first one's memory): upload and replay.
    other = new_context({"width": 1440, "height": 900}).new_page()
    other.goto(f"{server}/lecture?lec_view=Open+a+deck")
    wait_for_app(other)
    act(other, lambda: other.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(file)))
    assert "3 steps, every page and setting checked" in other.locator('[data-testid="stMain"]').inner_text()
    act(other, lambda: other.get_by_role("link", name="Play this deck").click())
    titles = []
    for n, (path, title) in enumerate([("/mlp", "Nine inputs"), ("/broadcasting", "Shapes"),
                                       ("/activations", "Activation functions")], start=1):
        if n > 1:
            act(other, lambda: other.keyboard.press("ArrowRight"))
        assert path in other.url and f"step={n}" in other.url, other.url
        text = other.locator(BAR).inner_text()
        assert f"step {n} of 3" in text and title in text
        titles.append(other.locator("h1").first.inner_text())
        assert not exceptions(other)
        if n == 1:
            assert other.locator(".st-key-mlp_N input").input_value() == "9"
    assert titles == ["MLP builder", "Broadcasting", "Activation functions"]


@pytest.mark.parametrize("name, viewport, scheme, query", [
    ("lecture_bar_1440", {"width": 1440, "height": 900}, "light", ""),
    ("lecture_bar_presenter_720", {"width": 1280, "height": 720}, "light", "&present=true"),
    ("lecture_bar_dark", {"width": 1440, "height": 900}, "dark", ""),
    ("lecture_bar_390", {"width": 390, "height": 844}, "light", ""),
])
def test_step_bar_fits_every_screen(server, browser, screenshots_dir, name, viewport, scheme, query):
    ctx = browser.new_context(viewport=viewport, color_scheme=scheme)
    try:
        page = ctx.new_page()
        page.goto(f"{server}/mlp?mlp_N=1024&step=32{query}")
        wait_for_app(page)
        assert not exceptions(page)
        # the bar, and presenter mode's larger type, come with the step's run: wait for them, not a clock
        least = 40 if "present" in query else 24
        page.wait_for_function("(least) => { const h = document.querySelector('.st-key-lecture_bar h3');"
                               " return h && parseFloat(getComputedStyle(h).fontSize) >= least; }",
                               arg=least, timeout=60_000)
        page.screenshot(path=str(screenshots_dir / f"{name}.png"))
        # Nothing in the bar is wider than the bar (no clipped label, no sideways scrolling).
        overflow = page.evaluate("""() => {
            const bar = document.querySelector('.st-key-lecture_bar');
            const right = bar.getBoundingClientRect().right + 1;
            return [...bar.querySelectorAll('p, button, a, input')]
                .filter(e => e.getBoundingClientRect().right > right || e.scrollWidth > e.clientWidth + 1)
                .map(e => e.tagName + ': ' + e.textContent.slice(0, 40));
        }""")
        assert not overflow, overflow
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.st-key-lecture_bar h3')).fontSize)")
        assert size >= least, size
    finally:
        ctx.close()
