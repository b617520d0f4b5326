"""The kernel editor's tool buttons, generator sliders and draggable origin in Chromium: each changes the address
bar and the output picture (compared with /api/output.png of the new state), and a reload restores it."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import TIMEOUT_MS, painted_pixels, png_pixels

pytestmark = pytest.mark.browser

HAND = "1,2,3;4,5,6;7,8,9"
SAFE = ",;/()"


def api_kernel(page: Page, base: str, kernel: str, tool: str, **extra: str) -> str:
    query = urlencode({"image": "face", "kernel": kernel, "tool": tool, **extra})
    return page.request.get(f"{base}/api/kernel/tool?{query}").json()["kernel"]


def param(name: str, value: str) -> re.Pattern:
    """The address bar holds ``name=value`` (as the page writes it: commas, semicolons and brackets unescaped)."""
    return re.compile(r"[?&]" + re.escape(f"{name}={quote(value, safe=SAFE)}") + r"(&|$)")


def assert_output_is(page: Page, base: str, state: str) -> None:
    """The face's output as painted equals /api/output.png of ``state`` (a query string without the image)."""
    expect(page.locator("#output-image")).to_have_attribute(
        "data-api-src", "/api/output.png?image=face&" + state, timeout=TIMEOUT_MS
    )
    expected = png_pixels(page.request.get(f"{base}/api/output.png?image=face&{state}").body())
    assert np.array_equal(painted_pixels(page.locator("#output-image")), expected)


def grid_values(page: Page) -> list[list[str]]:
    return page.evaluate("""() => [...document.querySelectorAll('[data-kernel-grid] tbody tr')].map(
        row => [...row.querySelectorAll('input')].map(input => input.value))""")


TOOLS = [
    ("rotate-left", "Rotate 90° left", {}),
    ("rotate-right", "Rotate 90° right", {}),
    ("flip-h", "Flip horizontally (left and right swap)", {}),
    ("flip-v", "Flip vertically (top and bottom swap)", {}),
    ("transpose", "Transpose (rows become columns)", {}),
    ("randomise", "Random weights: whole numbers from −4 to 4", {}),
    ("reset", "Reset to the kernel the link held", {}),
    ("clear", "Clear: every weight 0", {}),
    ("resize", "Grow to 5×5, keeping the centre", {"rows": "5", "cols": "5"}),
    ("resize", "Shrink to 1×1, keeping the centre", {"rows": "1", "cols": "1"}),
]


@pytest.mark.parametrize("tool, name, extra", TOOLS, ids=[t[1].split(":")[0].split(" (")[0] for t in TOOLS])
def test_each_tool_button_changes_the_link_and_the_picture(page, live_server, tool, name, extra):
    expected = api_kernel(page, live_server, HAND, tool, **extra)
    page.goto(f"{live_server}/?kernel={HAND}")
    if tool == "reset":  # reset goes back to what the link held: change the kernel first
        expected = HAND
        page.get_by_role("button", name="Rotate 90° left", exact=True).click()
        expect(page).not_to_have_url(param("kernel", HAND), timeout=TIMEOUT_MS)
    button = page.get_by_role("button", name=name, exact=True)
    button.click()
    expect(page).to_have_url(param("kernel", expected), timeout=TIMEOUT_MS)
    assert "tool=" not in page.url
    assert_output_is(page, live_server, "kernel=" + expected)
    shown = grid_values(page)
    page.reload()
    assert grid_values(page) == shown
    assert_output_is(page, live_server, "kernel=" + expected)


def test_tools_in_the_playground_embed(page, live_server):
    page.goto(f"{live_server}/embed?view=playground&kernel={HAND}&image=face")
    page.get_by_role("button", name="Transpose (rows become columns)").click()
    expect(page).to_have_url(re.compile(r"/embed\?.*kernel=1,4,7;2,5,8;3,6,9.*view=playground"), timeout=TIMEOUT_MS)
    expect(page.locator("#play-output-image")).to_have_attribute(
        "data-api-src", "/api/output.png?image=face&kernel=1,4,7;2,5,8;3,6,9", timeout=TIMEOUT_MS
    )


SLIDERS = [
    ("box(5)", "g-n", "box(6)"),
    ("gaussian(7,1.5)", "g-size", "gaussian(9,1.5)"),
    ("gaussian(7,1.5)", "g-sigma", "gaussian(7,1.6)"),
    ("motion(9,30)", "g-length", "motion(11,30)"),
    ("motion(9,30)", "g-angle", "motion(9,31)"),
    ("log(9,1.4)", "g-size", "log(11,1.4)"),
    ("log(9,1.4)", "g-sigma", "log(9,1.5)"),
    ("sobel-x(3)", "g-size", "sobel-x(5)"),
    ("sobel-y(3)", "g-size", "sobel-y(5)"),
    ("scharr-x(3)", "g-size", "scharr-x(5)"),
    ("scharr-y(3)", "g-size", "scharr-y(5)"),
    ("unsharp(1,1)", "g-amount", "unsharp(1.1,1)"),
    ("unsharp(1,1)", "g-radius", "unsharp(1,1.1)"),
    ("sharpen(1)", "g-amount", "sharpen(1.1)"),
]


@pytest.mark.parametrize("start, slider, moved", SLIDERS, ids=[f"{s[0]}-{s[1]}" for s in SLIDERS])
def test_each_generator_slider_changes_the_link_and_the_picture(page, live_server, start, slider, moved):
    page.goto(f"{live_server}/?kernel={start}")
    page.locator(f"#{slider}").focus()
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(param("kernel", moved), timeout=TIMEOUT_MS)
    value = page.locator(f"#{slider}").input_value()
    expect(page.locator(f"#{slider}-value")).to_contain_text(value)
    assert_output_is(page, live_server, "kernel=" + quote(moved, safe=SAFE))
    page.reload()
    expect(page.locator(f"#{slider}")).to_have_value(value)
    expect(page.locator("#gen")).to_have_value(moved.split("(")[0])
    assert_output_is(page, live_server, "kernel=" + quote(moved, safe=SAFE))


def test_a_dragged_slider_recomputes_while_it_moves(page, live_server):
    page.goto(f"{live_server}/?kernel=gaussian(7,1.5)")
    answers = []
    page.on("response", lambda r: answers.append(r.url) if "/fragment?" in r.url else None)
    page.locator("#g-sigma").scroll_into_view_if_needed()
    box = page.locator("#g-sigma").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.07, y)
    page.mouse.down()
    for step in range(1, 9):
        page.mouse.move(box["x"] + box["width"] * (0.07 + step * 0.03), y)
        page.wait_for_timeout(90)
    during = len(answers)
    page.mouse.up()
    assert during >= 2  # answers arrived before the pointer let go
    value = page.locator("#g-sigma").input_value()
    expect(page).to_have_url(param("kernel", f"gaussian(7,{value})"), timeout=TIMEOUT_MS)
    assert_output_is(page, live_server, f"kernel=gaussian(7,{value})")


def test_picking_a_generator_and_editing_a_cell(page, live_server):
    page.goto(f"{live_server}/?kernel=identity")
    page.select_option("#gen", "motion")
    expect(page).to_have_url(param("kernel", "motion(9,30)"), timeout=TIMEOUT_MS)
    expect(page.locator("#g-angle")).to_have_value("30")
    expect(page.locator("#k-4-4")).to_have_value("0.111")  # rounded for reading; exact in the link
    page.fill("#k-0-0", "1")
    expect(page).to_have_url(re.compile(r"kernel=motion\(9,30\)(\+|%20)r1c1(=|%3D)1(&|$)"), timeout=TIMEOUT_MS)
    expect(page.locator("#gen")).to_have_value("")
    expect(page.locator("#g-angle")).to_have_count(0)


def drag(page: Page, source, target) -> None:
    source.scroll_into_view_if_needed()
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=6)
    page.mouse.up()


def assert_origin_cell(page: Page, cell: str) -> None:
    expect(page.locator("td.origin")).to_have_attribute("data-cell", cell, timeout=TIMEOUT_MS)
    expect(page.locator(f"td[data-cell='{cell}'] [data-origin-handle]")).to_have_count(1)


def test_dragging_the_origin_with_a_mouse(page, live_server):
    page.goto(f"{live_server}/?kernel={HAND}")
    drag(page, page.locator("[data-origin-handle]"), page.locator("#k-0-2"))
    expect(page).to_have_url(param("origin", "0,2"), timeout=TIMEOUT_MS)
    assert_origin_cell(page, "0,2")
    expect(page.locator("[data-kernel-grid] thead th").first).to_have_text("−2")
    assert_output_is(page, live_server, f"kernel={HAND}&origin=0,2")
    page.reload()
    assert_origin_cell(page, "0,2")
    assert_output_is(page, live_server, f"kernel={HAND}&origin=0,2")


def test_dragging_the_origin_with_a_finger(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 800}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server}/?kernel={HAND}")
    handle, target = page.locator("[data-origin-handle]"), page.locator("#k-2-0")
    handle.scroll_into_view_if_needed()
    start, end = handle.bounding_box(), target.bounding_box()
    touch = context.new_cdp_session(page)
    x0, y0 = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
    x1, y1 = end["x"] + end["width"] / 2, end["y"] + end["height"] / 2
    touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]})
    for i in range(1, 6):
        point = {"x": x0 + (x1 - x0) * i / 5, "y": y0 + (y1 - y0) * i / 5}
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    expect(page).to_have_url(param("origin", "2,0"), timeout=TIMEOUT_MS)
    assert_origin_cell(page, "2,0")
    assert_output_is(page, live_server, f"kernel={HAND}&origin=2,0")
    context.close()


def test_moving_the_origin_with_the_keyboard(page, live_server):
    page.goto(f"{live_server}/?kernel={HAND}")
    page.locator("[data-origin-handle]").focus()
    page.keyboard.press("ArrowUp")
    expect(page).to_have_url(param("origin", "0,1"), timeout=TIMEOUT_MS)
    assert_origin_cell(page, "0,1")
    expect(page.locator("[data-origin-handle]")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(param("origin", "0,2"), timeout=TIMEOUT_MS)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(re.compile(r"kernel=[^&]*&x="), timeout=TIMEOUT_MS)  # back on the centre: no origin
    assert_output_is(page, live_server, f"kernel={HAND}")
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(param("origin", "1,0"), timeout=TIMEOUT_MS)
    assert_output_is(page, live_server, f"kernel={HAND}&origin=1,0")
    page.reload()
    assert_origin_cell(page, "1,0")


def test_tools_and_generators_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/?kernel={HAND}")
    page.get_by_role("button", name="Flip vertically (top and bottom swap)").click()
    page.wait_for_url(param("kernel", "7,8,9;4,5,6;1,2,3"))
    assert "tool=" not in page.url
    page.select_option("#gen", "gaussian")
    page.get_by_role("button", name="Build").click()
    page.wait_for_url(param("kernel", "gaussian(7,1.5)"))
    page.locator("#g-sigma").fill("3")
    page.get_by_role("button", name="Recompute", exact=True).last.click()
    page.wait_for_url(param("kernel", "gaussian(7,3)"))
    src = page.locator("#output-image").get_attribute("data-api-src")
    assert (
        page.request.get(live_server + src).body()
        == page.request.get(f"{live_server}/api/output.png?image=face&kernel=gaussian(7,3)").body()
    )
    context.close()
