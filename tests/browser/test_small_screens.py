"""The page on small screens: nothing overflows at 320 px, and a phone keeps the outputs in view while a
weight is typed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import TIMEOUT_MS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/?kernel=emboss", "/embed?view=inspect&kernel=emboss"])
def test_at_320_px_the_pictures_fit_the_screen(browser, live_server, path):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server + path)
    page.locator(".pick").first.scroll_into_view_if_needed()
    overflow = page.evaluate("""() => [...document.querySelectorAll('.pick, .pick img')]
        .map(el => el.getBoundingClientRect()).filter(r => r.width && (r.left < 0 || r.right > innerWidth)).length""")
    assert overflow == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()


def test_on_a_phone_the_outputs_stay_in_view_while_a_weight_is_typed(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 667}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(live_server + "/?kernel=emboss")
    preview = page.locator("[data-edit-preview]")
    expect(preview).to_be_hidden()
    page.locator("#k-1-1").focus()
    expect(preview).to_be_in_viewport(timeout=TIMEOUT_MS)
    page.fill("#k-1-1", "3")
    face = page.locator("#output-image")
    expect(face).to_have_attribute("data-api-src", re.compile(r"kernel=-2,-1,0;-1,3,1;0,1,2"), timeout=TIMEOUT_MS)
    copy = preview.locator('img[data-mirror="output-image"]')
    expect(copy).to_have_attribute("src", face.get_attribute("src"), timeout=TIMEOUT_MS)
    expect(preview).to_be_in_viewport()
    context.close()


def test_on_a_desktop_the_copies_stay_hidden(page, live_server):
    page.goto(live_server + "/?kernel=emboss")
    page.locator("#k-1-1").focus()
    expect(page.locator("[data-edit-preview]")).to_be_hidden()
