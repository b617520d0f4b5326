"""The "Frequencies" panel in Chromium: it follows an edit of the kernel, opens and closes from the keyboard
(closed, its region is not sent until it opens), fits a phone, and axe-core finds nothing wrong with it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import TIMEOUT_MS, axe_violations, painted_pixels

pytestmark = pytest.mark.browser

HEADLINE = "#kernel-spectrum .spectrum-headline"


def test_the_panel_follows_an_edit(page: Page, live_server: str):
    page.goto(live_server + "/?kernel=blur")
    panel = page.locator("#spectrum-panel")
    expect(panel).to_have_attribute("open", "")
    expect(page.locator(HEADLINE)).to_contain_text("A low-pass filter")
    heat = page.locator("#spectrum-map")
    expect(heat).to_have_attribute("src", "/api/spectrum.png?kernel=blur")
    before = painted_pixels(heat)
    assert before.shape == (65, 65, 4)
    page.select_option("#preset", "sharpen")
    expect(page.locator(HEADLINE)).to_contain_text("that is what sharpens", timeout=TIMEOUT_MS)
    expect(page.locator("#kernel-spectrum .spectrum-body")).to_have_attribute("data-kind", "high-boost")
    expect(heat).to_have_attribute("src", "/api/spectrum.png?kernel=sharpen")
    assert "highest 9 at (0.5, 0.5)" in heat.get_attribute("alt")
    after = painted_pixels(heat)
    assert not (before == after).all()
    # The centre is gain 1 for both (near-white); the corners go from blue (0) to red (9).
    assert tuple(after[32, 32, :3]) == tuple(before[32, 32, :3]) == (0xF7, 0xF7, 0xF7)
    assert before[0, 0, 2] > before[0, 0, 0] and after[0, 0, 0] > after[0, 0, 2]
    expect(page.locator("#spectrum-cut-x-desc")).to_contain_text("highest 5 at ±0.5")


def test_closed_the_region_waits_and_the_summary_opens_it_from_the_keyboard(browser, live_server: str):
    context = browser.new_context(viewport={"width": 375, "height": 800}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(live_server + "/?kernel=sharpen")
    panel = page.locator("#spectrum-panel")
    expect(panel).not_to_have_attribute("open", "")  # the dock is above the pictures: it starts closed
    with page.expect_response(lambda r: "/fragment" in r.url, timeout=TIMEOUT_MS) as answer:
        page.select_option("#preset", "blur")
    assert "kernel-spectrum" not in answer.value.text()  # not computed nor sent while closed
    expect(page.locator("#k-1-1")).to_have_value("1/4", timeout=TIMEOUT_MS)
    expect(page.locator(HEADLINE)).to_contain_text("that is what sharpens")
    # The summary comes right after the kernel's facts (here the separable factors) in the tab order.
    page.locator("#kernel-facts .factors").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('#spectrum-panel > summary')")
    page.keyboard.press("Enter")
    expect(panel).to_have_attribute("open", "")
    expect(page.locator(HEADLINE)).to_contain_text("A low-pass filter", timeout=TIMEOUT_MS)
    expect(page.locator("#spectrum-map")).to_have_attribute("src", "/api/spectrum.png?kernel=blur")
    # It fits the phone: nothing in it is wider than its column, nor the page wider than the screen.
    widths = page.evaluate(
        """() => { const p = document.getElementById('spectrum-panel');
                   return [p.scrollWidth, p.clientWidth, document.documentElement.scrollWidth, innerWidth]; }"""
    )
    assert widths[0] <= widths[1] and widths[2] <= widths[3]
    page.keyboard.press("Enter")
    expect(panel).not_to_have_attribute("open", "")
    context.close()


@pytest.mark.parametrize("path", ["/?kernel=box-blur-7&stride=2", "/embed?view=inspect&kernel=sobel-left"])
def test_axe_finds_no_violations_with_the_panel_open(browser, live_server: str, axe_source: str, path: str):
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server + path)
    panel = page.locator("#spectrum-panel")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
        expect(panel).to_have_attribute("open", "")
    expect(page.locator("#spectrum-map")).to_be_visible()
    violations = axe_violations(page, axe_source)
    context.close()
    assert violations == []
