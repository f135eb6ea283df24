"""In the real browser: "Copy link to this view" gives the address of the view as it is now, also after
a change that reran only a fragment (the server-built link is rebuilt only on whole-page runs)."""
import re

import pytest

from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e


def test_copy_link_follows_a_fragment_change(server, browser):
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"{server}/softmax")
    wait_for_app(page)
    thumb = page.locator(".st-key-sm_z input[type='range'], .st-key-sm_z [role='slider']").first      # the sigmoid tab's score z: a fragment
    thumb.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('sm_z=')", timeout=30_000)
    wanted = re.search(r"sm_z=[^&]+", page.evaluate("location.search")).group(0)
    page.get_by_role("button", name=re.compile("Copy link to this view")).click()
    field = page.locator(".copylink input")
    field.wait_for(timeout=30_000)
    page.wait_for_function("(w) => { const f = document.querySelector('.copylink input') ||"
                           " [...document.querySelectorAll('*')].map(e => e.shadowRoot).filter(Boolean)"
                           ".map(r => r.querySelector('.copylink input')).find(Boolean);"
                           " return f && f.value.includes(w); }", arg=wanted, timeout=10_000)
    link = field.input_value()
    assert link.startswith(server + "/softmax?") and wanted in link, (link, wanted)
    assert not page.locator('[data-testid="stException"]').count()
    page.close()
