"""In the real browser: crafted URL values never become links or images inside the app's own notes.

The page is opened with URL values written as Markdown (a link around an image that points at
an address of ours, autolinks, raw HTML, LaTeX, Streamlit directives); the note that says the
values were replaced must show them as text: no ``<a>`` or ``<img>`` made from them, no request
to the image's address, no formula.
"""
from urllib.parse import urlencode

import pytest

from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e

KEYS = ("lr_n", "lr_true_w", "lr_true_b", "lr_noise")     # the regression page's URL settings
CRAFTED = [
    ["[![](//127.0.0.9/x.png)](//e.co)",     # a link around an image: both at once, 23 characters
     "![x](http://127.0.0.9/y.png)", "www.example.com", "a@example.com"],
    ["<img src=//127.0.0.9/z.png>", ":red[big] $x^2$", "`` [a](//e.co) ``", "x\n# title\n- item"],
]


# The server is the e2e suite's (``server``), the browser its one session-wide Chromium
# (``browser``): Playwright's sync API allows one running instance per thread.


def test_crafted_url_values_are_shown_as_text(server, browser):
    for values in CRAFTED:
        page = browser.new_page()
        requested = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto(f"{server}/regression?{urlencode(dict(zip(KEYS, values)))}")
        wait_for_app(page)
        alert = page.locator('[data-testid="stAlert"]').filter(has_text="were not valid")
        alert.wait_for(timeout=30_000)
        assert alert.locator("a").count() == 0, alert.inner_html()
        assert alert.locator("img").count() == 0, alert.inner_html()
        assert alert.locator(".katex, h1, h2").count() == 0, alert.inner_html()
        shown = alert.inner_text().replace("\u00a0", " ")
        for value in values:
            assert " ".join(value.split())[:20] in " ".join(shown.split()), (value, shown)
        assert not [u for u in requested if not u.startswith(server)], requested
        page.close()


def test_typed_text_quoted_in_an_error_is_shown_as_text(server, browser):
    """The broadcasting page quotes what was typed in its error ('www.ebay.com' is not a size)."""
    typed = {"bc_a": "www.ebay.com", "bc_b": "a@b.co", "bc_c": "2, $y$"}
    page = browser.new_page()
    page.goto(f"{server}/broadcasting?{urlencode(typed)}")
    wait_for_app(page)
    errors = page.locator('[data-testid="stAlert"]').filter(has_text="cannot be read")
    errors.first.wait_for(timeout=30_000)
    assert errors.count() == 3
    for i in range(3):
        error = errors.nth(i)
        assert error.locator("a, img, .katex").count() == 0, error.inner_html()
    shown = " ".join(errors.all_inner_texts()).replace("\u2060", "")
    for value in ("'www.ebay.com'", "'a@b.co'", "'$y$'"):
        assert value in shown, shown
    page.close()
