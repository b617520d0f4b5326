"""The explorable in Chromium: pointing, editing, keys, permalinks, errors, and the page without JavaScript."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from playwright.sync_api import expect

from tests.browser.support import (
    TIMEOUT_MS,
    api_json,
    assert_panel_is_api,
    assert_shows,
    painted_pixels,
    png_pixels,
    point_at,
    wait_for_pixel,
)

pytestmark = pytest.mark.browser


def test_pointing_at_input_and_output_pixels_explains_them(page, live_server):
    page.goto(live_server + "/?kernel=sobel-left&edge=mirror")
    panel = page.locator("#explain")
    state = "image=face&kernel=sobel-left&edge=mirror"
    for image_id, x, y in [
        ("#input-image", 0, 0),
        ("#input-image", 31, 0),
        ("#input-image", 7, 20),
        ("#output-image", 0, 31),
        ("#output-image", 31, 31),
        ("#output-image", 16, 3),
    ]:
        point_at(page, page.locator(image_id), x, y)
        wait_for_pixel(panel, x, y)
        assert_panel_is_api(panel, api_json(page, live_server, f"/api/explain?{state}&x={x}&y={y}"))
        expect(page).to_have_url(re.compile(rf"[?&]x={x}&y={y}(&|$)"))


def test_pointing_at_the_photo_explains_it(page, live_server):
    page.goto(live_server + "/?image=chelsea&color=rgb&kernel=blur")
    panel = page.locator("#play-explain")
    state = "image=chelsea&color=rgb&kernel=blur"
    # The 451×300 photo is shown smaller than life, so its last row and column are thinner than a screen
    # pixel: the pointer goes next to the corner and the arrow keys take the last step.
    for x, y in [(0, 0), (449, 298), (200, 120)]:
        point_at(page, page.locator("#play-output-image"), x, y)
        wait_for_pixel(panel, x, y)
        assert_panel_is_api(panel, api_json(page, live_server, f"/api/explain?{state}&x={x}&y={y}"))
    point_at(page, page.locator("#play-output-image"), 449, 298, click=True)
    page.locator('.pick[data-area="play"][data-role="out"]').focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    wait_for_pixel(panel, 450, 299)
    assert_panel_is_api(panel, api_json(page, live_server, f"/api/explain?{state}&x=450&y=299"))
    # One window for the three channels: each cell holds the red, green and blue values and their products.
    assert panel.locator("table.ctaps td.ctap").count() == 9
    assert panel.locator("td.ctap").first.locator(".in").count() == 3


def test_the_pixel_fields_change_with_the_panel_and_typing_in_them_wins(page, live_server):
    page.goto(live_server + "/?image=chelsea&color=rgb&kernel=blur&px=10&py=10")
    panel = page.locator("#play-explain")
    # While the server works on a move nothing on the page changes; the fields take the pixel with its panel.
    page.evaluate("""() => {
        window.__seen = [];
        const look = () => {
            const p = document.getElementById("play-explain"), field = (id) => document.getElementById(id).value;
            window.__seen.push([p.dataset.x, p.dataset.y, field("px"), field("py")]);
        };
        document.addEventListener("htmx:before:request", look);
        new MutationObserver(look).observe(document.getElementById("play-panel"), { childList: true });
    }""")
    for x, y in [(40, 30), (41, 30), (120, 200)]:
        point_at(page, page.locator("#play-output-image"), x, y)
        wait_for_pixel(panel, x, y)
        expect(page.locator("#px")).to_have_value(str(x))
        expect(page.locator("#py")).to_have_value(str(y))
    seen = page.evaluate("window.__seen")
    assert len(seen) >= 6, seen  # each move's request and its answer
    assert all(row[:2] == row[2:] for row in seen), seen
    # A value typed into a field replaces the one the pointer chose.
    page.locator("#ppin").check()  # so moving to the field does not choose a pixel on the way
    page.fill("#px", "7")
    wait_for_pixel(panel, 7, 200)
    expect(page.locator("#px")).to_have_value("7")


@pytest.mark.parametrize(
    "kernel, x, y",
    [("sharpen", 204, 153), ("0,-1,0;-1,5.05,-1;0,-1,0", 315, 185), ("sharpen", 0, 0), ("sharpen", 300, 0)],
)
def test_the_photo_and_its_whole_panel_fit_in_a_laptop_window(page, live_server, kernel, x, y):
    # At 1280×900 (the page fixture), with the pictures scrolled to the top, the panel that explains the pixel
    # pointed at sits on screen below them, even when long products have to wrap in their cells, and at the
    # border, where the heads say where the padded taps read from.
    page.goto(live_server + f"/?image=astronaut&color=rgb&kernel={kernel}")
    page.evaluate("document.getElementById('play-region').scrollIntoView({ block: 'start' })")
    point_at(page, page.locator("#play-output-image"), x, y)
    wait_for_pixel(page.locator("#play-explain"), x, y)
    height = page.viewport_size["height"]
    for selector in ("#play-input-image", "#play-output-image", "#play-panel"):
        box = page.locator(selector).bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, selector
    window, sums = page.locator(".colour > .taps-scroll"), page.locator(".colour-results")
    assert sums.bounding_box()["x"] > window.bounding_box()["x"] + window.bounding_box()["width"]  # beside
    assert window.evaluate("w => w.scrollWidth <= w.clientWidth")  # nothing hidden sideways


def test_section_one_shares_its_pixel_with_section_two(page, live_server):
    page.goto(live_server + "/")
    cell = page.locator("table.numbers tbody tr").nth(5).locator("td").nth(9)
    cell.hover()
    wait_for_pixel(page.locator("#explain"), 9, 5)
    expect(cell).to_have_class(re.compile(r"\bsel\b"))


def test_editing_a_cell_swaps_in_the_output_of_the_new_state(page, live_server):
    page.goto(live_server + "/")
    page.fill("#k-1-1", "9")
    output = page.locator("#output-image")
    expect(output).to_have_attribute("data-api-src", re.compile(r"kernel=0,-1,0;-1,9,-1;0,-1,0"), timeout=TIMEOUT_MS)
    expected = page.request.get(live_server + "/api/output.png?image=face&kernel=0,-1,0;-1,9,-1;0,-1,0").body()
    assert page.request.get(live_server + output.get_attribute("data-api-src")).body() == expected
    painted = painted_pixels(output)
    assert np.array_equal(painted, png_pixels(expected))
    expect(page).to_have_url(re.compile(r"kernel=0,-1,0;-1,9,-1;0,-1,0"))


def test_arrow_keys_move_the_selection_and_enter_pins_it(page, live_server):
    page.goto(live_server + "/?x=4&y=4")
    panel = page.locator("#explain")
    page.locator('.pick[data-area="inspect"][data-role="in"]').focus()
    page.keyboard.press("ArrowRight")
    wait_for_pixel(panel, 5, 4)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    wait_for_pixel(panel, 5, 6)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowUp")
    wait_for_pixel(panel, 4, 5)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"pin=1"))
    expect(page.locator("#pin")).to_be_checked()
    # pinned: hovering no longer moves it
    point_at(page, page.locator("#output-image"), 20, 20)
    page.wait_for_timeout(300)
    wait_for_pixel(panel, 4, 5)


def test_arrow_keys_in_the_number_table(page, live_server):
    page.goto(live_server + "/?x=10&y=10")
    page.locator("table.numbers td.sel").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowUp")
    wait_for_pixel(page.locator("#explain"), 11, 9)
    assert page.evaluate("document.activeElement.textContent") == page.locator("table.numbers td.sel").inner_text()


def test_reloading_a_copied_permalink_restores_the_state(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = context.new_page()
    page.goto(live_server + "/")
    page.select_option("#edge", "wrap")
    expect(page).to_have_url(re.compile(r"edge=wrap"), timeout=TIMEOUT_MS)
    page.fill("#k-0-0", "1/4")
    expect(page).to_have_url(re.compile(r"kernel=1/4,"), timeout=TIMEOUT_MS)
    point_at(page, page.locator("#output-image"), 0, 31, click=True)
    expect(page).to_have_url(re.compile(r"x=0&y=31&pin=1"), timeout=TIMEOUT_MS)
    page.click("[data-copy-link]")
    expect(page.locator("[data-copy-link]")).to_have_text(re.compile("Copied"))
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == page.url

    fresh = context.new_page()
    fresh.goto(link)
    assert fresh.locator("#k-0-0").input_value() == "1/4"
    assert fresh.locator("#edge").input_value() == "wrap"
    expect(fresh.locator("#pin")).to_be_checked()
    panel = fresh.locator("#explain")
    wait_for_pixel(panel, 0, 31)
    api = api_json(fresh, live_server, "/api/explain?image=face&kernel=1/4,-1,0;-1,5,-1;0,-1,0&edge=wrap&x=0&y=31")
    assert_panel_is_api(panel, api)
    address = page.locator("#output-image").get_attribute("data-api-src")
    assert fresh.locator("#output-image").get_attribute("data-api-src") == address
    context.close()


def test_an_invalid_origin_cell_is_outlined_in_red_like_any_other(page, live_server):
    page.goto(live_server + "/?kernel=emboss")
    origin, other = page.locator("#k-1-1"), page.locator("#k-0-0")
    page.fill("#k-1-1", "abc")
    expect(origin).to_have_attribute("aria-invalid", "true", timeout=TIMEOUT_MS)
    page.fill("#k-0-0", "xyz")
    expect(other).to_have_attribute("aria-invalid", "true", timeout=TIMEOUT_MS)
    colour = "el => getComputedStyle(el).borderTopColor"
    assert origin.evaluate(colour) == other.evaluate(colour) == "rgb(176, 42, 28)"  # --error


def test_an_invalid_cell_shows_its_message_and_keeps_everything_else(page, live_server):
    page.goto(live_server + "/?kernel=emboss&edge=wrap")
    src = page.locator("#output-image").get_attribute("data-api-src")
    url = page.url
    page.fill("#k-2-2", "2..5")
    message = page.locator("#err-k-2-2")
    expect(message).to_contain_text("Row 3, column 3", timeout=TIMEOUT_MS)
    expect(page.locator("#k-2-2")).to_have_attribute("aria-invalid", "true")
    assert page.locator("#k-2-2").input_value() == "2..5"
    assert page.locator("#k-0-0").input_value() == "-2"
    assert page.locator("#edge").input_value() == "wrap"
    assert page.locator("#output-image").get_attribute("data-api-src") == src
    assert page.url == url
    page.fill("#k-2-2", "3")
    expect(message).to_have_count(0, timeout=TIMEOUT_MS)
    expect(page.locator("#output-image")).to_have_attribute("data-api-src", re.compile(r"kernel=-2,-1,0;-1,1,1;0,1,3"))


def test_without_javascript_the_form_still_recomputes(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server + "/")
    page.fill("#k-1-1", "6")
    page.select_option("#edge", "constant")
    page.get_by_role("button", name="Recompute").click()
    page.wait_for_url(re.compile(r"kernel=0,-1,0;-1,6,-1;0,-1,0"))
    assert "edge=constant" in page.url and "k-1-1" not in page.url
    src = page.locator("#output-image").get_attribute("data-api-src")
    expected = page.request.get(live_server + "/api/output.png?image=face&kernel=0,-1,0;-1,6,-1;0,-1,0&edge=constant")
    assert page.request.get(live_server + src).body() == expected.body()
    page.fill("#x", "0")
    page.fill("#y", "0")
    page.get_by_role("button", name="Recompute").click()
    page.wait_for_url(re.compile(r"x=0&y=0"))
    api = api_json(page, live_server, "/api/explain?image=face&kernel=0,-1,0;-1,6,-1;0,-1,0&edge=constant&x=0&y=0")
    assert_panel_is_api(page.locator("#explain"), api)
    context.close()


def test_without_javascript_the_header_offers_only_what_works(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server + "/")
    expect(page.get_by_role("button", name="Copy link")).to_be_hidden()
    expect(page.get_by_role("button", name="Embed")).to_be_hidden()
    page.get_by_role("link", name="Share and embed").click()
    assert page.url.endswith("#share-panel")
    context.close()


def test_with_javascript_the_header_has_copy_link_and_embed(page, live_server):
    page.goto(live_server + "/")
    expect(page.get_by_role("button", name="Copy link")).to_be_visible()
    expect(page.get_by_role("button", name="Embed")).to_be_visible()
    expect(page.get_by_role("link", name="Share and embed")).to_be_hidden()


def test_choosing_a_preset_and_a_size_rebuilds_the_grid(page, live_server):
    page.goto(live_server + "/")
    page.select_option("#preset", "blur")
    expect(page.locator("#k-0-0")).to_have_value("1/16", timeout=TIMEOUT_MS)
    expect(page.locator("#output-image")).to_have_attribute("data-api-src", re.compile(r"kernel=blur"))
    page.select_option("#cols", "5")
    expect(page.locator("#k-1-4")).to_have_value("0", timeout=TIMEOUT_MS)
    expect(page.locator("#k-1-2")).to_have_value("1/4")
    expect(page.locator("#preset")).to_have_value("")
    expect(page).to_have_url(re.compile(r"kernel=0,1/16,1/8,1/16,0;0,1/8,1/4,1/8,0;0,1/16,1/8,1/16,0"))
    page.select_option("#preset", "box-blur-21")
    expect(page.locator(".heatmap img")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("#k-0-0")).to_have_count(0)


def test_the_share_panel_shows_the_current_link_when_opened(page, live_server):
    page.goto(live_server + "/?kernel=blur")
    cell = page.locator("#k-1-1")
    cell.fill("9")
    expect(page).to_have_url(re.compile(r"kernel=blur(\+|%20)r2c2(=|%3D)9(&|$)"), timeout=TIMEOUT_MS)
    page.locator("#share-panel summary").click()
    expect(page.locator("#permalink")).to_have_value(re.compile(r"kernel=blur(\+|%20)r2c2"), timeout=TIMEOUT_MS)
    expect(page.locator("#embed-inspect")).to_have_value(re.compile(r"view=inspect"))


def test_the_marks_follow_the_pointer_while_the_figures_stay(page, live_server):
    page.goto(live_server + "/?image=camera&kernel=blur")
    page.evaluate("""() => {
        const sent = window.__sent = [];
        document.addEventListener("htmx:after:request", (event) => sent.push(
          [...event.detail.ctx.text.matchAll(/hx-target="#([^"]+)"/g)].map((match) => match[1])));
    }""")
    for x, y in [(10, 20), (300, 301)]:
        point_at(page, page.locator("#play-output-image"), x, y)
        wait_for_pixel(page.locator("#play-explain"), x, y)
        expect(page.locator("#play-marks-in .mark-window")).to_have_attribute(
            "title", f"3×3 window around input x {x}, y {y}"
        )
        expect(page.locator("#play-marks-out .mark-pixel")).to_have_attribute("title", f"output pixel x {x}, y {y}")
    point_at(page, page.locator("#output-image"), 5, 6)
    wait_for_pixel(page.locator("#explain"), 5, 6)
    window = page.locator("#inspect-marks-in .mark-window")
    expect(window).to_have_attribute("title", "3×3 window around input x 5, y 6")
    expect(page.locator("#inspect-marks-out .mark-pixel")).to_have_attribute("title", "output pixel x 5, y 6")
    # The answers carried the marks and the panels, never the figures around the marks.
    sent = {region for answer in page.evaluate("window.__sent") for region in answer}
    assert {"play-marks-in", "play-marks-out", "play-panel", "inspect-marks-in", "inspect-panel"} <= sent
    assert not sent & {"play-region", "inspect-region", "play-values", "inspect-values"}


def test_an_edit_shows_its_pictures_first_then_asks_for_the_regions(page, live_server):
    page.goto(live_server + "/?kernel=blur")
    old = page.evaluate("""() => {
        const image = document.getElementById("play-output-image");
        const log = window.__log = [];
        document.addEventListener("htmx:before:request", (event) => log.push({
          url: event.detail.ctx.request.action, src: image.getAttribute("src"), ready: image.complete,
          pictures: event.detail.ctx.request.headers["X-Pictures"] }));
        new MutationObserver(() => log.push({ src: image.getAttribute("src") }))
          .observe(image, { attributes: true, attributeFilter: ["src"] });
        return image.getAttribute("src");
    }""")
    sum_before = page.locator("#play-explain").get_attribute("data-sum")
    page.locator("#k-1-1").fill("2")
    expect(page.locator("#play-explain")).not_to_have_attribute("data-sum", sum_before, timeout=TIMEOUT_MS)
    point_at(page, page.locator("#play-output-image"), 40, 50)
    wait_for_pixel(page.locator("#play-explain"), 40, 50)
    log = page.evaluate("window.__log")
    # First the picture, loaded from the form's fields; then, once it is loaded, the regions.
    assert [("url" in entry) for entry in log] == [False, True, True]
    loaded, regions, pointed = log
    assert loaded["src"] != old and loaded["src"].startswith("/picture?img=play-output-image&")
    assert "k-1-1=2" in loaded["src"] and "px=" not in loaded["src"]
    assert regions["url"].startswith("/fragment?") and regions["ready"]
    # Each answer keeps the address the picture was loaded from: it is never fetched twice.
    assert json.loads(regions["pictures"])["play-output-image"] == loaded["src"]
    assert json.loads(pointed["pictures"])["play-output-image"] == loaded["src"]
    assert page.locator("#play-output-image").get_attribute("src") == loaded["src"]
    api = page.request.get(live_server + "/api/output.png?image=astronaut&kernel=1/16,1/8,1/16;1/8,2,1/8;1/16,1/8,1/16")
    assert_shows(page.locator("#play-output-image"), api.body())  # a JPEG preview of the photo


def test_the_address_follows_a_pointer_sweep_once_it_rests_and_copy_link_does_not_wait(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = context.new_page()
    page.goto(live_server + "/?x=3&y=4")
    panel = page.locator("#explain")
    image = page.locator("#output-image")
    for x in (10, 11, 12):
        point_at(page, image, x, 20)
        wait_for_pixel(panel, x, 20)
    page.click("[data-copy-link]")  # at once: the address of the last pixel is still waiting
    expect(page.locator("[data-copy-link]")).to_have_text(re.compile("Copied"))
    link = page.evaluate("navigator.clipboard.readText()")
    assert re.search(r"[?&]x=12&y=20(&|$)", link), link
    assert link == page.url
    point_at(page, image, 25, 6)
    wait_for_pixel(panel, 25, 6)
    expect(page).to_have_url(re.compile(r"[?&]x=25&y=6(&|$)"), timeout=TIMEOUT_MS)
    context.close()


def test_a_cells_message_appears_in_view_right_under_the_grid(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(live_server + "/?kernel=emboss")
    cell = page.locator("#k-2-2")
    cell.scroll_into_view_if_needed()
    cell.fill("abc")
    message = page.locator("#err-k-2-2")
    expect(message).to_be_in_viewport(timeout=TIMEOUT_MS)
    grid, box = page.locator("[data-kernel-grid]").bounding_box(), message.bounding_box()
    assert 0 <= box["y"] - (grid["y"] + grid["height"]) < 60
    context.close()
