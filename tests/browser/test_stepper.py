"""Stepping through the convolution in Chromium: play and pause, the scrubber and the keys, the step in the
permalink, reduced motion, the buttons without JavaScript, and axe-core's audit of the stepping views."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.support import TIMEOUT_MS, api_json, assert_panel_is_api, axe_violations, wait_for_pixel

pytestmark = pytest.mark.browser

FACE_WIDTH = 32
"""Section 2's output is the 32×32 face (3×3 kernel, default edges)."""


def step_of(panel: Locator, width: int = FACE_WIDTH) -> int:
    """The panel's pixel as its number in raster order, from 1."""
    return int(panel.get_attribute("data-y")) * width + int(panel.get_attribute("data-x")) + 1


def in_url(name: str, value: str) -> re.Pattern:
    return re.compile(r"[?&]" + re.escape(f"{name}={value}") + r"(&|$)")


def test_play_moves_the_panel_and_pause_stops_it(page: Page, live_server: str):
    page.goto(live_server + "/?speed=10")
    stepper, panel = page.locator('[data-stepper="inspect"]'), page.locator("#explain")
    play = stepper.locator("[data-play]")
    play.click()
    expect(play).to_have_attribute("aria-pressed", "true")
    expect(panel).to_have_attribute("data-x", "0", timeout=TIMEOUT_MS)  # playing starts from the first pixel
    first = step_of(panel)
    time.sleep(1.0)
    moved = step_of(panel) - first
    play.click()
    expect(play).to_have_attribute("aria-pressed", "false")
    assert moved >= 5, f"10 steps a second moved the panel {moved} pixels in 1 s"
    page.wait_for_timeout(300)  # an answer already on its way when pause was pressed
    stopped = step_of(panel)
    page.wait_for_timeout(700)
    assert step_of(panel) == stopped
    # The scrubber, the words beside the buttons and the address bar all say where the panel is.
    scrub = stepper.locator("[data-scrub]")
    expect(scrub).to_have_value(str(stopped))
    expect(stepper.locator("[data-step-where]")).to_have_text(f"Pixel {stopped:,} of 1,024")
    expect(page).to_have_url(in_url("step", str(stopped)), timeout=TIMEOUT_MS)
    # Everything the panel shows during stepping is the engine's.
    x, y = int(panel.get_attribute("data-x")), int(panel.get_attribute("data-y"))
    assert_panel_is_api(panel, api_json(page, live_server, f"/api/explain?image=face&kernel=sharpen&x={x}&y={y}"))


def test_the_output_fills_in_up_to_the_step(page: Page, live_server: str):
    page.goto(live_server + "/?step=37")
    panel = page.locator("#explain")
    wait_for_pixel(panel, 4, 1)
    unfilled = page.locator("#inspect-marks-out .mark-unfilled")
    expect(unfilled).to_have_count(2)  # the rest of row 1, and rows 2–31
    output = page.locator("#output-image").bounding_box()
    below = unfilled.nth(1).bounding_box()
    assert below["y"] == pytest.approx(output["y"] + 2 * output["height"] / 32, abs=1)
    assert below["height"] == pytest.approx(30 * output["height"] / 32, abs=1)
    # Pointing without stepping shows the whole output.
    page.goto(live_server + "/?x=4&y=1")
    expect(page.locator("#inspect-marks-out .mark-pixel")).to_have_count(1)
    expect(page.locator("#inspect-marks-out .mark-unfilled")).to_have_count(0)


def test_the_scrubber_and_the_step_buttons_by_keyboard(page: Page, live_server: str):
    page.goto(live_server + "/?step=37")
    stepper, panel = page.locator('[data-stepper="inspect"]'), page.locator("#explain")
    scrub = stepper.locator("[data-scrub]")
    scrub.focus()
    page.keyboard.press("ArrowRight")
    wait_for_pixel(panel, 5, 1)
    expect(scrub).to_have_value("38")
    expect(scrub).to_have_attribute("aria-valuetext", "Pixel 38 of 1,024, x 5, y 1")
    page.keyboard.press("End")
    wait_for_pixel(panel, 31, 31)
    expect(stepper.get_by_role("button", name="Next")).to_be_disabled()
    stepper.get_by_role("button", name="Previous").focus()
    page.keyboard.press("Enter")
    wait_for_pixel(panel, 30, 31)
    expect(scrub).to_have_value("1023")
    expect(page).to_have_url(in_url("step", "1023"), timeout=TIMEOUT_MS)


def test_pointing_while_stepping_moves_the_step_and_unpinning_ends_it(page: Page, live_server: str):
    page.goto(live_server + "/?step=37")
    panel = page.locator("#explain")
    wait_for_pixel(panel, 4, 1)
    output = page.locator('.pick[data-area="inspect"][data-role="out"]')
    output.focus()
    page.keyboard.press("ArrowDown")
    wait_for_pixel(panel, 4, 2)
    expect(page.locator('[data-stepper="inspect"] [data-scrub]')).to_have_value(str(2 * 32 + 4 + 1))
    expect(page).to_have_url(in_url("step", "69"), timeout=TIMEOUT_MS)
    page.locator("#pin").uncheck()
    expect(page.locator("#inspect-marks-out .mark-unfilled")).to_have_count(0, timeout=TIMEOUT_MS)
    expect(page).not_to_have_url(re.compile(r"[?&]step="), timeout=TIMEOUT_MS)


def test_the_playground_steps_through_its_own_picture(page: Page, live_server: str):
    page.goto(live_server + "/?image=checkerboard&pstep=1&speed=10")
    stepper, panel = page.locator('[data-stepper="play"]'), page.locator("#play-explain")
    wait_for_pixel(panel, 0, 0)
    stepper.get_by_role("button", name="Next").click()
    wait_for_pixel(panel, 1, 0)
    expect(page).to_have_url(in_url("pstep", "2"), timeout=TIMEOUT_MS)
    expect(stepper.locator("[data-step-where]")).to_have_text("Pixel 2 of 4,096")
    stepper.locator("[data-play]").click()
    page.wait_for_timeout(800)
    stepper.locator("[data-play]").click()
    assert step_of(panel, 64) >= 6
    # Section 2 is still where it was.
    expect(page.locator("#explain")).to_have_attribute("data-x", "12")


@pytest.mark.parametrize(("motion", "plays"), [("reduce", False), ("no-preference", True)])
def test_a_link_autoplays_unless_motion_is_reduced(browser, live_server: str, motion: str, plays: bool):
    context = browser.new_context(reduced_motion=motion, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server + "/embed?view=inspect&autoplay=1&speed=10&step=1")
    play = page.locator('[data-stepper="inspect"] [data-play]')
    expect(play).to_have_attribute("aria-pressed", "true" if plays else "false")
    page.wait_for_timeout(1000)
    moved = step_of(page.locator("#explain")) > 1
    context.close()
    assert moved == plays


def test_play_speaks_now_and_then_not_every_step(page: Page, live_server: str):
    page.goto(live_server + "/?speed=20")
    page.evaluate(
        """() => {
          window.heard = [];
          new MutationObserver(() => window.heard.push(document.getElementById('announce').textContent))
            .observe(document.getElementById('announce'), { childList: true, characterData: true, subtree: true });
        }"""
    )
    page.locator('[data-stepper="inspect"] [data-play]').click()
    page.wait_for_timeout(2500)
    page.locator('[data-stepper="inspect"] [data-play]').click()
    page.wait_for_timeout(1600)  # the last step's answer may still come, and be read out once
    heard = page.evaluate("window.heard")
    assert heard[0] == "Playing, 20 steps a second."
    paused = [i for i, words in enumerate(heard) if words.startswith("Paused at Pixel")]
    assert len(paused) == 1, heard
    # About 50 steps in 2.5 s, and the live region heard: playing, paused, and at most the last pixel's sum.
    assert len(heard) <= 3 and all(words.startswith("Output pixel") for words in heard[paused[0] + 1 :]), heard


def test_previous_and_next_work_without_javascript(browser, live_server: str):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server + "/?kernel=blur&step=37")
    stepper = page.locator('[data-stepper="inspect"]')
    expect(stepper.locator("[data-play]")).to_be_hidden()
    stepper.get_by_role("button", name="Next").click()
    expect(page).to_have_url(in_url("step", "38"))
    panel = page.locator("#explain")
    expect(panel).to_have_attribute("data-x", "5")
    expect(stepper.locator("[data-step-where]")).to_have_text("Pixel 38 of 1,024")
    stepper.get_by_role("button", name="Previous").click()
    stepper.get_by_role("button", name="Previous").click()
    expect(page).to_have_url(in_url("step", "36"))
    expect(panel).to_have_attribute("data-x", "3")
    expect(page.locator("#preset")).to_have_value("blur")
    context.close()


@pytest.mark.parametrize(
    "path", ["/?step=40&speed=12", "/embed?view=inspect&step=40", "/embed?view=playground&image=face&pstep=100"]
)
def test_axe_finds_no_violations_while_stepping(browser, live_server: str, axe_source: str, path: str):
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server + path)
    violations = axe_violations(page, axe_source)
    context.close()
    assert violations == []
