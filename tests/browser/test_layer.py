"""The layer section in Chromium: editing, banks, pointing by mouse, keys and touch, pooling, waiting while off
screen, its embed frame, and axe-core's audit."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import TIMEOUT_MS, api_json, axe_violations, point_at
from web.page.views import EMBED_SIZES
from web.query.layer_state import LAYER_PARAMS

pytestmark = pytest.mark.browser

PANEL = "#layer-explain"


def open_layer(page: Page, base: str, query: str = "lsize=64") -> None:
    page.goto(f"{base}/?{query}")
    page.locator("#layer").scroll_into_view_if_needed()
    expect(page.locator(PANEL)).to_be_visible(timeout=TIMEOUT_MS)


def pick(page: Page, f: int, which: str):
    return page.locator(f'.layer-pick[data-f="{f}"][data-map="{which}"]')


def point(page: Page, target, x: int, y: int, *, click: bool = False) -> None:
    """The pointer on pixel (x, y) of a map, scrolled to the bottom of the window: on a wide screen the input and
    the panel stay at its top, over whatever scrolls under them."""
    target.evaluate("element => element.scrollIntoView({ block: 'end' })")
    point_at(page, target.locator("img"), x, y, click=click)


def wait_for(page: Page, f: int, which: str, x: int, y: int) -> None:
    panel = page.locator(PANEL)
    for name, value in (("data-f", f), ("data-map", which), ("data-x", x), ("data-y", y)):
        expect(panel).to_have_attribute(name, str(value), timeout=TIMEOUT_MS)


def address(page: Page) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(page.url).query))


def test_editing_a_weight_redraws_that_filters_maps_and_nothing_else(page: Page, live_server: str) -> None:
    open_layer(page, live_server)
    page_answers = []
    page.on("request", lambda request: page_answers.append(request.url) if "/fragment?" in request.url else None)
    first, second = pick(page, 0, "pre").locator("img"), pick(page, 1, "pre").locator("img")
    before, untouched = first.get_attribute("src"), second.get_attribute("src")
    page.locator("#lw-0-0-1-1").fill("7")
    expect(first).not_to_have_attribute("src", before, timeout=TIMEOUT_MS)
    assert "-2,7,2" in first.get_attribute("src") and second.get_attribute("src") == untouched
    expect(page).to_have_url(re.compile(r"filters=-1,0,1;-2,7,2"), timeout=TIMEOUT_MS)
    expect(first).to_have_js_property("complete", True, timeout=TIMEOUT_MS)
    assert first.evaluate("img => img.naturalWidth") == 64
    assert not [url for url in page_answers if "/layer/fragment" not in url]  # the page's form never heard of it
    wait_for(page, 0, "pre", 32, 32)
    own = {name: value for name, value in address(page).items() if name in ("image", *LAYER_PARAMS)}
    api = api_json(page, live_server, "/api/layer/explain?" + urlencode(own))
    assert float(page.locator(PANEL).get_attribute("data-pre")) == api["conv"]["pre"]


def test_choosing_a_bank_loads_its_filters(page: Page, live_server: str) -> None:
    open_layer(page, live_server)
    page.select_option("#layer-bank", "digits")
    expect(page.locator(".layer-filter")).to_have_count(6, timeout=TIMEOUT_MS)
    expect(page.locator(".layer-filter").first).to_contain_text("reads grey")
    expect(page.locator("#layer-input figcaption")).to_contain_text("grey (luma)")
    expect(page).to_have_url(re.compile(r"layer=digits"), timeout=TIMEOUT_MS)
    expect(page.locator(".layer-about").first).to_contain_text("handwritten digits")


def test_pointing_with_the_mouse_and_the_keys_explains_the_pixel(page: Page, live_server: str) -> None:
    open_layer(page, live_server)
    target = pick(page, 1, "act")
    point(page, target, 10, 12)
    wait_for(page, 1, "act", 10, 12)
    api = api_json(page, live_server, "/api/layer/explain?lsize=64&lf=2&lmap=act&lx=10&ly=12")
    panel = page.locator(PANEL)
    assert float(panel.get_attribute("data-act")) == api["conv"]["act"]
    assert float(panel.get_attribute("data-total")) == api["conv"]["total"]
    target.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    wait_for(page, 1, "act", 11, 13)
    page.keyboard.press("Enter")
    expect(page.locator("#lpin")).to_be_checked(timeout=TIMEOUT_MS)
    expect(page).to_have_url(re.compile(r"lpin=1"), timeout=TIMEOUT_MS)
    point(page, target, 40, 40)  # pinned: hovering leaves it alone
    page.wait_for_timeout(300)
    assert panel.get_attribute("data-x") == "11"
    mark = target.locator(".layer-mark")
    expect(mark).to_be_visible()
    assert address(page)["lx"] == "11" and address(page)["lf"] == "2"


def test_pooling_shows_which_input_won(page: Page, live_server: str) -> None:
    open_layer(page, live_server)
    point(page, pick(page, 0, "pool"), 5, 6, click=True)
    wait_for(page, 0, "pool", 5, 6)
    won = page.locator(".layer-block td.won")
    expect(won).to_have_count(1)
    expect(won).to_contain_text("largest")
    api = api_json(page, live_server, "/api/layer?lsize=64")
    assert float(page.locator(PANEL).get_attribute("data-value")) == api["pooled"][0][6][5]
    expect(page.locator("#lpin")).to_be_checked()


def test_a_tap_chooses_and_pins_the_pixel(browser, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800}, has_touch=True, is_mobile=True)
    page = context.new_page()
    open_layer(page, live_server, "layer=edges&lsize=64")
    image = pick(page, 2, "pre").locator("img")
    image.scroll_into_view_if_needed()
    box = image.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.75)
    wait_for(page, 2, "pre", 16, 48)
    expect(page.locator("#lpin")).to_be_checked()
    context.close()


def test_a_new_picture_waits_until_the_section_is_on_screen(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/?lsize=64")
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/layer/fragment" in request.url else None)
    page.select_option("#image", "camera")
    expect(page).to_have_url(re.compile(r"image=camera"), timeout=TIMEOUT_MS)
    page.wait_for_timeout(400)
    assert asked == []
    page.locator("#layer").scroll_into_view_if_needed()
    expect(page.locator("#layer-input img")).to_have_attribute("src", re.compile(r"image=camera"), timeout=TIMEOUT_MS)
    assert len(asked) == 1


@pytest.mark.parametrize("path", ["/?lsize=64&lmap=pool&lf=2", "/embed?view=layer&layer=depthwise&lsize=64"])
def test_axe_finds_no_violations(browser, live_server: str, axe_source: str, path: str) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server + path)
    expect(page.locator(PANEL)).to_be_visible(timeout=TIMEOUT_MS)
    violations = axe_violations(page, axe_source, ["#layer"] if path.startswith("/?") else None)
    context.close()
    assert violations == []


MUST_SHOW = ["#layer-input img", ".layer-filter:first-child .layer-pick img", f"{PANEL} .panel-title", ".layer-terms"]


def test_the_embed_frame_shows_the_pictures_and_the_panel(browser, live_server: str) -> None:
    width, height = EMBED_SIZES["layer"]
    for frame_width in (width, 375):
        context = browser.new_context(viewport={"width": frame_width, "height": height})
        page = context.new_page()
        page.goto(f"{live_server}/embed?view=layer")
        page.wait_for_load_state("networkidle")
        boxes = [page.locator(selector).first.bounding_box() for selector in MUST_SHOW]
        sideways = page.evaluate("() => document.documentElement.scrollWidth > innerWidth")
        context.close()
        assert not sideways, frame_width
        for selector, box in zip(MUST_SHOW, boxes, strict=True):
            assert box and box["y"] >= 0 and box["y"] + box["height"] <= height, (frame_width, selector, box)
            assert box["x"] + box["width"] <= frame_width, (frame_width, selector, box)
