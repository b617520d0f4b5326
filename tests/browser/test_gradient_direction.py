"""Gradient direction as a learner reads it: the hue legend puts each colour on the side where the picture is
brighter, the panel says so in words with the current numbers, and turning combine on starts from right − left."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import TIMEOUT_MS

pytestmark = pytest.mark.browser

# On the step pattern brightness rises from 64 to 192 at the vertical edge between x 31 and x 32.
STEP = "image=step&combine=direction&px=31&py=10&ppin=1"

LEGEND_SIDE_COLOUR = """side => new Promise(resolve => {
  const img = document.querySelector('.hue-wheel img');
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const g = canvas.getContext('2d'); g.drawImage(img, 0, 0);
  const n = img.naturalWidth, at = { right: [n - 2, n / 2], left: [1, n / 2] }[side];
  const [r, gr, b] = g.getImageData(Math.floor(at[0]), Math.floor(at[1]), 1, 1).data;
  resolve([r, gr, b]);
})"""


def swatch_colour(page: Page) -> list[int]:
    style = page.locator("#play-explain .swatch").get_attribute("style")
    return [int(v) for v in re.search(r"rgb\((\d+),\s*(\d+),\s*(\d+)\)", style).groups()]


def near(a: list[int], b: list[int], tolerance: int = 40) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize(("kernel", "degrees"), [("sobel-left", "180"), ("sobel-right", "0")])
def test_the_legend_colours_the_side_where_the_picture_is_brighter(page, live_server, kernel, degrees):
    page.goto(f"{live_server}/?{STEP}&kernel={kernel}")
    panel = page.locator("#play-explain")
    expect(panel).to_contain_text(f"= {degrees}°", timeout=TIMEOUT_MS)
    expect(panel).to_contain_text("brighter to the right")
    measures = "left − right" if kernel == "sobel-left" else "right − left"
    expect(panel.locator(".signs")).to_contain_text(f"measures {measures}")
    expect(page.locator(".hue-wheel .hue-right")).to_have_text(f"{degrees}°")
    expect(page.locator(".hue-legend figcaption")).to_contain_text("the side where the picture is brighter")
    # The edge's colour is the colour the wheel shows on its right, where this picture is brighter.
    right = page.evaluate(LEGEND_SIDE_COLOUR, "right")
    left = page.evaluate(LEGEND_SIDE_COLOUR, "left")
    shown = swatch_colour(page)
    assert near(shown, right) and not near(shown, left), (shown, right, left)


def test_turning_combine_on_starts_the_pair_from_right_minus_left(page, live_server):
    page.goto(f"{live_server}/?image=step&kernel=sobel-left&px=31&py=10&ppin=1")
    page.locator('input[name="combine"][value="direction"]').check()
    expect(page).to_have_url(re.compile(r"kernel=sobel-right(&|$)"), timeout=TIMEOUT_MS)
    expect(page.locator("#combine-switched")).to_contain_text("Sobel left became Sobel right")
    expect(page.locator("#play-explain")).to_contain_text("= 0°", timeout=TIMEOUT_MS)
    expect(page.locator(".hue-wheel .hue-right")).to_have_text("0°")
