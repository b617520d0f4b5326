"""The "Reproduce it in code" section in Chromium: Copy puts the exact /api/export text on the clipboard,
formats load when opened, and the section follows edits."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import TIMEOUT_MS

pytestmark = pytest.mark.browser


def test_copy_buttons_copy_the_api_text_and_follow_the_state(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = context.new_page()
    state = "image=face&kernel=sobel-left&edge=wrap"
    page.goto(f"{live_server}/?{state}")
    api = lambda query, fmt: page.request.get(f"{live_server}/api/export?{query}&format={fmt}").text()  # noqa: E731

    numpy = page.locator("#export-numpy")
    numpy.get_by_role("button", name="Copy").click()
    expect(page.locator("#export-status-numpy")).to_have_text("Copied", timeout=TIMEOUT_MS)
    assert page.evaluate("navigator.clipboard.readText()") == api(state, "numpy")

    page.locator("#export-scipy summary").click()
    expect(page.locator("#export-code-scipy")).to_have_text(api(state, "scipy"), timeout=TIMEOUT_MS)
    page.locator("#export-scipy").get_by_role("button", name="Copy").click()
    expect(page.locator("#export-status-scipy")).to_have_text("Copied", timeout=TIMEOUT_MS)
    assert page.evaluate("navigator.clipboard.readText()") == api(state, "scipy")

    page.fill("#k-1-1", "1")
    edited = "image=face&kernel=1,0,-1;2,1,-2;1,0,-1&edge=wrap"
    expect(page).to_have_url(re.compile(r"kernel=1,0,-1;2,1,-2;1,0,-1&edge=wrap"), timeout=TIMEOUT_MS)
    expect(page.locator("#export-code-numpy")).to_have_text(api(edited, "numpy"), timeout=TIMEOUT_MS)
    expect(page.locator("#export-code-scipy")).to_have_text(api(edited, "scipy"), timeout=TIMEOUT_MS)
    context.close()
