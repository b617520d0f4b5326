"""The embeddable views inside an iframe, and axe-core's accessibility audit of every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import TIMEOUT_MS, api_json, assert_panel_is_api, axe_violations

pytestmark = pytest.mark.browser

VIEWS = ("matrix", "inspect", "playground", "compare")
FULL = "/?kernel=sobel-left&combine=direction&compare=blur|outline|emboss|sobel-top"


def test_the_inspect_view_works_inside_an_iframe(page, live_server):
    src = f"{live_server}/embed?view=inspect&kernel=emboss&edge=symmetric"
    page.goto(live_server + "/api/")  # a host page on another path; the iframe is added to it
    page.evaluate(
        """src => {
        const frame = document.createElement("iframe");
        Object.assign(frame, { src, title: "embedded", width: 760, height: 900 });
        document.body.prepend(frame);
    }""",
        src,
    )
    frame = page.frame_locator("iframe")
    panel = frame.locator("#explain")
    expect(panel).to_have_attribute("data-x", "12", timeout=TIMEOUT_MS)
    image = frame.locator("#input-image")
    box = image.bounding_box()
    image.hover(position={"x": box["width"] * (30.5 / 32), "y": box["height"] * (0.5 / 32)})
    expect(panel).to_have_attribute("data-x", "30", timeout=TIMEOUT_MS)
    expect(panel).to_have_attribute("data-y", "0", timeout=TIMEOUT_MS)
    api = api_json(page, live_server, "/api/explain?image=face&kernel=emboss&edge=symmetric&x=30&y=0")
    assert_panel_is_api(panel, api)
    frame.locator("#k-1-1").fill("2")
    expect(frame.locator("#output-image")).to_have_attribute(
        "data-api-src", "/api/output.png?image=face&kernel=-2,-1,0;-1,2,1;0,1,2&edge=symmetric", timeout=TIMEOUT_MS
    )


@pytest.mark.parametrize("view", VIEWS)
def test_each_embed_view_loads_without_script_errors(page, live_server, view):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 760, "height": 900})
    page.goto(f"{live_server}/embed?view={view}")
    expect(page.locator("h1")).to_be_visible()
    assert errors == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 760


@pytest.mark.parametrize(
    "path",
    [
        "/",
        *[f"/embed?view={view}" for view in VIEWS],
        "/?kernel=gaussian(5,1)",
        "/embed?view=playground&kernel=sobel-x(5)&origin=0,0",
    ],
)
def test_no_sideways_scrolling_at_320_px(page, live_server, path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize(
    "path",
    [
        "/",
        FULL,
        *[f"/embed?view={view}" for view in VIEWS],
        "/embed?view=compare&compare=blur|sharpen",
        "/?kernel=gaussian(5,1)",
        "/embed?view=playground&kernel=sobel-x(5)&origin=0,0",
    ],
)
def test_axe_finds_no_violations(browser, live_server, axe_source, path):
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server + path)
    violations = axe_violations(page, axe_source)
    context.close()
    assert violations == []


@pytest.mark.parametrize(
    ("path", "width", "side_by_side"),
    [
        ("/embed?view=inspect&kernel=emboss", 760, True),
        ("/?kernel=emboss", 1280, True),
        ("/?kernel=gaussian(7,1.5)", 1280, True),
        ("/?kernel=emboss", 375, False),
    ],
)
def test_the_arrow_only_shows_between_pictures_side_by_side(browser, live_server, path, width, side_by_side):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server + path)
    page.locator("#output-image").scroll_into_view_if_needed()
    inp, out = page.locator("#input-image").bounding_box(), page.locator("#output-image").bounding_box()
    assert (abs(inp["y"] - out["y"]) < 1) == side_by_side
    arrow = page.locator(".figs:not(.figs-play) .arrow")
    if side_by_side:
        box = arrow.bounding_box()
        assert inp["x"] + inp["width"] < box["x"] < out["x"]
    else:
        expect(arrow).to_be_hidden()
    context.close()
