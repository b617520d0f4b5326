"""Drawing your own picture in the playground: starting one, painting it by mouse, keyboard and touch, the
permalink that holds it, and the output and the panel that follow."""

from __future__ import annotations

import io
import re
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from imaging.drawing import SIDE, decode_drawing, start_pixels, start_value
from kernels.errors import InputError
from tests.browser.support import (
    TIMEOUT_MS,
    api_json,
    assert_panel_is_api,
    assert_shows,
    axe_violations,
    painted_pixels,
)

pytestmark = pytest.mark.browser

INPUT = "#play-input-image"
TOOLBAR = "[data-draw-tools]"


def permalink(page: Page) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(page.url).query).items()}


def wait_for_permalink_drawing(page: Page, expected: np.ndarray) -> str:
    """The address bar's ``image`` once it holds exactly ``expected`` (the address follows each answer)."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    seen = None
    while time.monotonic() < deadline:
        seen = permalink(page).get("image", "")
        try:
            if np.array_equal(decode_drawing(seen), expected):
                return seen
        except InputError:
            pass
        page.wait_for_timeout(100)
    if seen and seen.startswith("draw:"):
        wrong = np.argwhere(decode_drawing(seen) != expected)
        shown = f"a drawing that differs at (y, x) {wrong.tolist()[:8]}"
    else:
        shown = repr(seen)
    raise AssertionError(f"the permalink never held the painted drawing; it holds {shown}")


def input_png(page: Page, base: str, image: str) -> np.ndarray:
    answer = page.request.get(base + "/api/input.png?" + urlencode({"image": image}))
    assert answer.ok, answer.text()
    return np.asarray(Image.open(io.BytesIO(answer.body())))


def centre_of(page: Page, x: int, y: int) -> tuple[float, float]:
    """Where pixel (x, y) of the 32×32 input picture is on the screen."""
    box = page.locator(INPUT).bounding_box()
    return box["x"] + (x + 0.5) * box["width"] / SIDE, box["y"] + (y + 0.5) * box["height"] / SIDE


def start(page: Page, label: str) -> None:
    """Start a drawing with its button; Paint turns on once the drawing arrives."""
    page.locator("[data-draw-start-value]", has_text=label).click()
    expect(page.locator(TOOLBAR)).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("[data-draw-toggle]")).to_have_attribute("aria-pressed", "true", timeout=TIMEOUT_MS)
    page.locator(INPUT).scroll_into_view_if_needed()


def assert_everything_follows(page: Page, base: str, image: str, expected: np.ndarray) -> None:
    """The drawing's input picture is the painted pixels; the page shows them, the matching output and a
    panel with the engine's numbers."""
    np.testing.assert_array_equal(input_png(page, base, image), expected)
    shown = painted_pixels(page.locator(INPUT))
    np.testing.assert_array_equal(shown[:, :, 0], expected)
    output = page.locator("#play-output-image")
    src = output.get_attribute("data-api-src")
    assert parse_qs(urlsplit(src).query) == {"image": [image], "kernel": ["sharpen"]}
    assert_shows(output, page.request.get(base + src).body())
    state = permalink(page)
    panel = page.locator("#play-explain")
    assert (panel.get_attribute("data-x"), panel.get_attribute("data-y")) == (state["px"], state["py"])
    query = urlencode({"image": image, "kernel": "sharpen", "x": state["px"], "y": state["py"]})
    assert_panel_is_api(panel, api_json(page, base, "/api/explain?" + query))


def test_painting_a_vertical_line_by_dragging_the_mouse(page, live_server):
    page.goto(live_server + "/")
    expect(page.locator(TOOLBAR)).to_be_hidden()
    start(page, "Blank")
    np.testing.assert_array_equal(decode_drawing(permalink(page)["image"]), start_pixels("blank"))
    page.locator("#draw-grey-number").fill("30")
    expect(page.locator("#draw-grey")).to_have_value("30")
    x0, y0 = centre_of(page, 5, 6)
    x1, y1 = centre_of(page, 5, 25)
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x1, y1, steps=6)  # fast: about 3 pixels a step, the line must have no gaps
    page.mouse.up()
    expected = start_pixels("blank")
    expected[6:26, 5] = 30
    image = wait_for_permalink_drawing(page, expected)
    assert_everything_follows(page, live_server, image, expected)
    assert "ppin" not in permalink(page)  # painting neither pins nor moves the explained pixel
    assert (permalink(page)["px"], permalink(page)["py"]) == ("16", "16")


def test_painting_with_the_keyboard(page, live_server):
    page.goto(live_server + "/?" + urlencode({"image": start_value("dot"), "kernel": "sharpen"}))
    page.locator("[data-draw-toggle]").click()
    expect(page.locator("[data-draw-toggle]")).to_have_attribute("aria-pressed", "true")
    page.locator('[data-draw-swatch][title^="Mid grey"]').click()
    expect(page.locator("#draw-grey-number")).to_have_value("128")
    page.evaluate("""() => {
        window.announced = [];
        const live = document.getElementById("announce");
        new MutationObserver(() => announced.push(live.textContent)).observe(live, { childList: true });
    }""")
    picture = page.locator('.pick[data-area="play"][data-role="in"]')
    picture.focus()
    for key in ("ArrowLeft", "ArrowLeft", "ArrowLeft", "Space", "ArrowDown", "p", "ArrowDown", "P"):
        page.keyboard.press(key)
    expected = start_pixels("dot")
    expected[16:19, 13] = 128
    image = wait_for_permalink_drawing(page, expected)
    expect(page.locator("#play-explain")).to_have_attribute("data-y", "18", timeout=TIMEOUT_MS)
    assert (permalink(page)["px"], permalink(page)["py"]) == ("13", "18")
    assert not page.locator("#ppin").is_checked()  # Space painted instead of pinning
    assert_everything_follows(page, live_server, image, expected)
    assert "Painted x 13, y 18 grey 128." in page.evaluate("announced")


def test_painting_by_touch_does_not_scroll(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(live_server + "/embed?view=playground")
    page.locator("#image").select_option(label="New drawing: a vertical edge (64 | 192)")
    expect(page.locator(TOOLBAR)).to_be_visible(timeout=TIMEOUT_MS)
    page.locator("[data-draw-toggle]").tap()
    page.locator('[data-draw-swatch][title^="White"]').tap()
    picture = page.locator('.pick[data-area="play"][data-role="in"]')
    picture.scroll_into_view_if_needed()
    assert picture.evaluate("pick => getComputedStyle(pick).touchAction") == "none"
    for y in (2, 3, 4):
        page.touchscreen.tap(*centre_of(page, 3, y))
    scrolled = page.evaluate("scrollY")
    touch = context.new_cdp_session(page)
    (x0, y0), (_, y1) = centre_of(page, 3, 5), centre_of(page, 3, 20)
    touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]})
    for i in range(1, 9):
        point = {"x": x0, "y": y0 + (y1 - y0) * i / 8}
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    expected = start_pixels("edge")
    expected[2:21, 3] = 255
    image = wait_for_permalink_drawing(page, expected)
    assert page.evaluate("scrollY") == scrolled  # the finger painted, the page stayed put
    np.testing.assert_array_equal(input_png(page, live_server, image), expected)
    context.close()


def test_with_paint_off_pointing_picks_a_pixel_and_paints_nothing(page, live_server):
    page.goto(live_server + "/?" + urlencode({"image": start_value("checkerboard"), "kernel": "sharpen"}))
    expect(page.locator(TOOLBAR)).to_be_visible()
    expect(page.locator("[data-draw-toggle]")).to_have_attribute("aria-pressed", "false")
    page.locator(INPUT).scroll_into_view_if_needed()
    page.mouse.click(*centre_of(page, 7, 9))
    expect(page.locator("#play-explain")).to_have_attribute("data-x", "7", timeout=TIMEOUT_MS)
    expect(page.locator("#ppin")).to_be_checked()
    assert permalink(page)["image"] == start_value("checkerboard")
    picture = page.locator('.pick[data-area="play"][data-role="in"]')
    assert picture.evaluate("pick => getComputedStyle(pick).touchAction") != "none"


def test_a_browser_without_compression_sends_stored_blocks(page, live_server):
    page.add_init_script("delete window.CompressionStream")
    sent = []
    page.on("request", lambda request: sent.append(request.url) if "/fragment?" in request.url else None)
    page.goto(live_server + "/?" + urlencode({"image": start_value("face"), "kernel": "sharpen"}))
    page.locator("[data-draw-toggle]").click()
    page.locator(INPUT).scroll_into_view_if_needed()
    page.mouse.click(*centre_of(page, 30, 1))
    expected = start_pixels("face")
    expected[1, 30] = 0
    image = wait_for_permalink_drawing(page, expected)
    assert len(image) < 1385  # the server's canonical form is compressed
    images = [parse_qs(urlsplit(url).query)["image"][0] for url in sent]
    assert any(len(value) == 1385 for value in images)  # what the page sent: 1,024 bytes in a stored block
    np.testing.assert_array_equal(input_png(page, live_server, image), expected)


def test_a_new_start_replaces_the_drawing_and_a_photo_hides_the_toolbar(page, live_server):
    page.goto(live_server + "/")
    start(page, "Face")
    page.mouse.click(*centre_of(page, 0, 0))
    expected = start_pixels("face")
    expected[0, 0] = 0
    wait_for_permalink_drawing(page, expected)
    expect(page.locator("#image option:checked")).to_have_text("Your drawing")
    start(page, "Checkerboard")
    wait_for_permalink_drawing(page, start_pixels("checkerboard"))
    page.locator("#image").select_option("camera")
    expect(page.locator(TOOLBAR)).to_be_hidden(timeout=TIMEOUT_MS)
    expect(page.locator("html")).not_to_have_class("draw-painting")
    assert permalink(page)["image"] == "camera"


def test_axe_finds_no_violations_on_the_embed_with_a_drawing(browser, live_server, axe_source):
    context = browser.new_context(bypass_csp=True, viewport={"width": 760, "height": 1000})
    page = context.new_page()
    page.goto(live_server + "/embed?" + urlencode({"view": "playground", "image": start_value("face")}))
    page.locator("[data-draw-toggle]").click()
    violations = axe_violations(page, axe_source)
    context.close()
    assert violations == []


def test_without_javascript_a_start_is_chosen_from_the_menu(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server + "/?kernel=emboss")
    expect(page.locator(".draw-start-buttons")).to_be_hidden()
    expect(page.locator(".draw-start .nojs-only")).to_be_visible()
    page.locator("#image").select_option(label="New drawing: one bright dot")
    page.get_by_role("button", name="Recompute").click()
    expect(page).to_have_url(re.compile(r"image=draw"), timeout=TIMEOUT_MS)
    assert permalink(page)["image"] == start_value("dot") and permalink(page)["kernel"] == "emboss"
    toolbar = page.locator(TOOLBAR)
    expect(toolbar).to_be_visible()
    expect(toolbar.get_by_text("Painting needs JavaScript")).to_be_visible()
    expect(page.locator("[data-draw-toggle]")).to_be_hidden()
    context.close()


def server_pixels(page: Page) -> np.ndarray:
    """The grey levels the last answer wrote into the page."""
    text = page.locator("[data-draw-start]").get_attribute("data-pixels")
    return np.array([int(v) for v in text.split(",")], dtype=np.uint8).reshape(SIDE, SIDE)


def test_an_answer_for_an_older_stroke_does_not_undo_newer_paint(page, live_server):
    page.goto(live_server + "/")
    start(page, "Blank")
    wait_for_permalink_drawing(page, start_pixels("blank"))
    held = []

    def hold_the_first(route) -> None:
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route("**/fragment?**", hold_the_first)
    page.mouse.move(*centre_of(page, 2, 2))
    page.mouse.down()
    page.mouse.move(*centre_of(page, 2, 5), steps=3)
    for _ in range(100):  # the pointer rests: the form sends the drawing so far, and it is held
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the paused stroke was never sent"
    page.mouse.move(*centre_of(page, 2, 12), steps=4)  # painted while the server works on the older drawing
    held[0].continue_()
    for y in range(13, 21):  # painting goes on while that answer comes back
        page.mouse.move(*centre_of(page, 2, y))
        page.wait_for_timeout(80)
    early = start_pixels("blank")
    early[2:6, 2] = 0
    np.testing.assert_array_equal(server_pixels(page), early)  # the older answer arrived mid-stroke
    expected = start_pixels("blank")
    expected[2:21, 2] = 0
    expect(page.locator(INPUT)).to_have_attribute("src", re.compile(r"^data:image/png"), timeout=TIMEOUT_MS)
    np.testing.assert_array_equal(painted_pixels(page.locator(INPUT))[:, :, 0], expected)
    np.testing.assert_array_equal(decode_drawing(page.locator("#image").input_value()), expected)
    page.mouse.up()
    image = wait_for_permalink_drawing(page, expected)
    np.testing.assert_array_equal(server_pixels(page), expected)
    np.testing.assert_array_equal(input_png(page, live_server, image), expected)
