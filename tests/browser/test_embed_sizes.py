"""Each embed view at the size its snippet suggests, and at 375 px wide with that height, shows its pictures and
its explanation without the frame scrolling (controls may sit below them)."""

from __future__ import annotations

import pytest

from web.page.views import EMBED_SIZES

pytestmark = pytest.mark.browser

STATE = "kernel=emboss&compare=blur|sharpen|outline|sobel-right"
# What must be in view, as CSS selectors; every match counts.
MUST_SHOW = {
    "matrix": [".pick-matrix", ".numbers-scroll"],
    "inspect": ["#input-image", "#output-image", "#explain .panel-title", "#explain .result-row"],
    "playground": [
        "#play-input-image",
        "#play-output-image",
        "#play-explain .panel-title",
        "#play-explain .result-row",
    ],
    "compare": ["#compare-region figure img", "#compare-region .sums-row"],
    "code": ["#exports pre"],
}
BOTTOMS = """selectors => selectors.map(s => [s, [...document.querySelectorAll(s)].map(e => {
  const b = e.getBoundingClientRect(); return [Math.round(b.top), Math.round(b.bottom), Math.round(b.right)]; })])"""


@pytest.mark.parametrize("view", list(MUST_SHOW))
def test_each_view_shows_its_pictures_and_panel_in_its_suggested_frame(browser, live_server, view):
    width, height = EMBED_SIZES[view]
    for frame_width in (width, 375):
        context = browser.new_context(viewport={"width": frame_width, "height": height})
        page = context.new_page()
        page.goto(f"{live_server}/embed?view={view}&{STATE}")
        page.wait_for_load_state("networkidle")
        found = page.evaluate(BOTTOMS, MUST_SHOW[view])
        sideways = page.evaluate("() => document.documentElement.scrollWidth > innerWidth")
        context.close()
        assert not sideways, (view, frame_width)
        for selector, boxes in found:
            assert boxes, (view, selector)
            # The code view needs its first snippet in view; everything else must be whole.
            boxes = boxes[:1] if view == "code" else boxes
            for top, bottom, right in boxes:
                edge = top if view == "code" else bottom
                assert 0 <= edge <= height and right <= frame_width, (view, frame_width, height, selector, top, bottom)
