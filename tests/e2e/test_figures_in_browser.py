"""In the real browser: the figure component (explorer/web/figure.js) redraws a figure in place when
its data changes, redraws a figure off screen once it is scrolled to, and follows the theme."""
import pytest

from tests.e2e.conftest import runs_started, wait_for_app

pytestmark = pytest.mark.e2e

FIT, STEPS = ".st-key-fig_regression-data", ".st-key-fig_regression-loss-per-step"
CURVE = " .explorer-figure .scatterlayer path.js-line"


def test_a_figure_is_redrawn_in_place_and_off_screen_once_scrolled_to(server, new_context):
    page = new_context({"width": 1280, "height": 600}).new_page()
    page.goto(f"{server}/regression")
    wait_for_app(page)
    before = page.locator(STEPS + CURVE).first.get_attribute("d")
    page.evaluate(f"() => {{ window.__fitNode = document.querySelector('{FIT} .explorer-figure'); }}")

    thumb = page.locator(".st-key-lr_w input[type='range']").first     # w: the descent starts from (w, b)
    thumb.scroll_into_view_if_needed()
    runs = runs_started(page)
    thumb.focus()
    page.keyboard.press("ArrowRight")
    # not wait_for_app: it draws every deferred figure, and here the loss curve must wait off screen
    page.wait_for_function("(n) => (window.__stRuns || 0) > n", arg=runs, timeout=30_000)
    page.wait_for_function(f"() => document.querySelector('{STEPS} .explorer-figure')?.dataset.deferred === 'true'",
                           timeout=30_000)
    assert page.locator(STEPS + CURVE).first.get_attribute("d") == before      # not drawn off screen

    page.locator(STEPS).scroll_into_view_if_needed()
    page.wait_for_function(f"""() => {{ const f = document.querySelector('{STEPS} .explorer-figure');
        return f && !f.dataset.deferred && !f.dataset.pending; }}""", timeout=30_000)
    assert page.locator(STEPS + CURVE).first.get_attribute("d") != before      # drawn once in view
    # the first figure was redrawn in its own element, not remounted
    assert page.evaluate(f"() => window.__fitNode === document.querySelector('{FIT} .explorer-figure')")
    assert not page.locator('[data-testid="stException"]').count()


def test_figures_take_the_dark_theme_colours(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page = context.new_page()
    page.goto(f"{server}/regression")
    wait_for_app(page)
    colour = page.locator(f"{FIT} .explorer-figure .xtick text").first.evaluate("(e) => getComputedStyle(e).fill")
    rgb = [int(v) for v in colour[colour.index("(") + 1:colour.index(")")].split(",")[:3]]
    assert min(rgb) > 180, f"a figure's tick labels in the dark theme are {colour}"      # light on dark
    context.close()


def test_a_figure_that_cannot_be_drawn_says_so(server, new_context):
    context = new_context({"width": 1280, "height": 900})
    context.route("**/plotly.min.js", lambda route: route.abort())     # plotly.js does not arrive
    page = context.new_page()
    page.goto(f"{server}/regression")
    note = page.locator(f"{FIT} .explorer-figure-error")
    note.wait_for(timeout=60_000)
    assert "could not be drawn" in note.inner_text()
    assert not page.locator(f"{FIT} .main-svg").count()
    assert not page.locator('[data-testid="stException"]').count()


BOXES_JS = f"""() => {{ const d = document.querySelector('{FIT} .explorer-figure');
    const box = (sel) => [...d.querySelectorAll(sel)].map(e => e.getBoundingClientRect()).filter(r => r.height > 0);
    const ticks = box('.xaxislayer-above text'), title = box('.xtitle'), legend = box('.legend');
    return {{ ticksBottom: Math.max(...ticks.map(r => r.bottom)), titleTop: title[0].top, titleBottom: title[0].bottom,
              legendTop: legend[0].top, legendHeight: legend[0].height, toolbar: d.querySelectorAll('.modebar').length }}; }}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_a_legend_under_the_axis_clears_the_tick_labels_and_the_title_on_any_width(server, browser, width):
    """On a phone the regression fit's legend wraps into four rows, more than the server reserved
    room for: the figure grows its bottom margin until the legend sits under the x-axis title, and
    the title under the tick labels. A screen that cannot hover shows no toolbar over the title."""
    phone = width < 500
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.goto(f"{server}/regression")
    wait_for_app(page)
    b = page.evaluate(BOXES_JS)
    assert b["titleTop"] >= b["ticksBottom"] - 1, b          # the title is not on the tick labels
    assert b["legendTop"] >= b["titleBottom"] - 1, b         # nor the legend on the title
    if phone:
        assert b["legendHeight"] > 60, b                     # it did wrap: the case being tested
        assert b["toolbar"] == 0 or not page.locator(f"{FIT} .modebar").first.is_visible()
    context.close()


COUNT_JS = """() => { document.querySelectorAll('.explorer-figure').forEach(d => { d.__seen = d.__seen || 1; });
    return document.querySelectorAll('[data-testid="stElementContainer"]').length; }"""
KEPT_JS = "() => [...document.querySelectorAll('.explorer-figure')].map(d => !!d.__seen)"


def step(page, key: str) -> None:
    """One step up of a slider (the arrow key on its thumb) or a number input (typed, then Enter: a
    narrow number input shows no + button)."""
    runs = runs_started(page)
    box = page.locator(f".st-key-{key}").first
    box.scroll_into_view_if_needed()
    if box.locator("input[type='range']").count():
        box.locator("input[type='range']").first.focus()
        page.keyboard.press("ArrowRight")
    else:
        field = box.locator("input").first
        field.fill(str(int(float(field.input_value())) + 1))
        field.press("Enter")
    wait_for_app(page, runs_before=runs)


@pytest.mark.parametrize("path, inner, outer", [
    ("regression", "lr_w", "lr_noise"),        # w: a fragment inside the body; noise: the body
    ("mlp", "mlp_w1", "mlp_B"),                # a layer's width; the batch size
])
def test_a_change_updates_the_page_in_place(server, new_context, path, inner, outer):
    """A change keeps every figure's element (redrawn in place, not remounted) and writes no element
    twice: the same number of elements after changes that do not change the page's structure."""
    page = new_context({"width": 1280, "height": 900}).new_page()
    page.goto(f"{server}/{path}")
    wait_for_app(page)
    before = page.evaluate(COUNT_JS)
    for key in (inner, inner, outer, inner):
        step(page, key)
        assert page.evaluate("() => document.querySelectorAll('[data-testid=\"stElementContainer\"]').length") == before
        assert all(page.evaluate(KEPT_JS)), f"{path}: a figure was remounted after changing {key}"
    assert not page.locator('[data-testid="stException"]').count()
