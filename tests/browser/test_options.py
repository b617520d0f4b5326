"""Every option in Chromium: using it changes the address bar and the output picture, and a reload restores it;
the edge-mode comparison and the histograms show the engine's numbers."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from kernels.teaching.histogram import raw_histogram
from tests.browser.support import TIMEOUT_MS, api_json, assert_shows, axe_violations

pytestmark = pytest.mark.browser


def press_slider(page: Page, selector: str, key: str, times: int) -> None:
    page.focus(selector)
    for _ in range(times):
        page.keyboard.press(key)


def change_c(page: Page) -> None:
    page.click("a[data-focus-field='cval']")  # the edge comparison's link into the field
    page.keyboard.type("60")


# (control, start page, how a person uses it, the parameter it writes, the picture it redraws, how a reload shows it)
CONTROLS = [
    (
        "op",
        "/?kernel=emboss",
        lambda p: p.check("input[name=op][value=convolve]"),
        "op=convolve",
        "output-image",
        lambda p: expect(p.locator("input[name=op][value=convolve]")).to_be_checked(),
    ),
    (
        "edge",
        "/?kernel=sobel-left",
        lambda p: p.select_option("#edge", "wrap"),
        "edge=wrap",
        "output-image",
        lambda p: expect(p.locator("#edge")).to_have_value("wrap"),
    ),
    (
        "cval",
        "/?edge=constant",
        change_c,
        "cval=60",
        "output-image",
        lambda p: expect(p.locator("#cval")).to_have_value("60"),
    ),
    (
        "normalize",
        "/?kernel=1,2,1;2,4,2;1,2,1",
        lambda p: p.check("#normalize"),
        "normalize=1",
        "output-image",
        lambda p: expect(p.locator("#normalize")).to_be_checked(),
    ),
    (
        "divisor",
        "/?kernel=outline",
        lambda p: p.fill("#divisor", "4"),
        "divisor=4",
        "output-image",
        lambda p: expect(p.locator("#divisor")).to_have_value("4"),
    ),
    (
        "offset",
        "/?kernel=outline",
        lambda p: p.fill("#offset", "128"),
        "offset=128",
        "output-image",
        lambda p: expect(p.locator("#offset")).to_have_value("128"),
    ),
    (
        "stride",
        "/?kernel=blur",
        lambda p: p.fill("#stride", "2"),
        "stride=2",
        "output-image",
        lambda p: expect(p.locator("#stride")).to_have_value("2"),
    ),
    (
        "dilation",
        "/?kernel=outline",
        lambda p: p.fill("#dilation", "3"),
        "dilation=3",
        "output-image",
        lambda p: expect(p.locator("#dilation")).to_have_value("3"),
    ),
    (
        "repeat",
        "/?kernel=blur",
        lambda p: press_slider(p, "#repeat", "ArrowRight", 3),
        "repeat=4",
        "output-image",
        lambda p: expect(p.locator("#repeat")).to_have_value("4"),
    ),
    (
        "color",
        "/?image=chelsea&kernel=sharpen",
        lambda p: p.check("input[name=color][value=rgb]"),
        "color=rgb",
        "play-output-image",
        lambda p: expect(p.locator("input[name=color][value=rgb]")).to_be_checked(),
    ),
    (
        "display",
        "/?kernel=sobel-left",
        lambda p: p.select_option("#display", "abs"),
        "display=abs",
        "output-image",
        lambda p: expect(p.locator("#display")).to_have_value("abs"),
    ),
]


def state_of(url: str, image: str | None) -> str:
    """The output picture's API query for a page address (section 2 always shows the grey face)."""
    params = [(k, v) for k, v in parse_qsl(urlsplit(url).query) if k not in ("x", "y", "pin", "px", "py", "ppin")]
    if image is not None:
        params = [(k, v) for k, v in params if k not in ("image", "color")] + [("image", image)]
    return "&".join(f"{k}={v}" for k, v in params)


@pytest.mark.parametrize("name, start, use, param, image_id, restored", CONTROLS, ids=[c[0] for c in CONTROLS])
def test_each_option_changes_the_link_and_the_picture_and_a_reload_restores_it(
    page, live_server, name, start, use, param, image_id, restored
):
    page.goto(live_server + start)
    image = page.locator(f"#{image_id}")
    before = image.get_attribute("data-api-src")
    use(page)
    expect(page).to_have_url(re.compile(rf"[?&]{re.escape(param)}(&|$)"), timeout=TIMEOUT_MS)
    expect(image).not_to_have_attribute("data-api-src", before, timeout=TIMEOUT_MS)
    query = state_of(page.url, "face" if image_id == "output-image" else None)
    expected = page.request.get(f"{live_server}/api/output.png?{query}").body()
    assert page.request.get(live_server + image.get_attribute("data-api-src")).body() == expected
    assert_shows(image, expected)

    page.reload()
    restored(page)
    assert page.request.get(live_server + page.locator(f"#{image_id}").get_attribute("data-api-src")).body() == expected


def test_the_repeat_slider_redraws_while_it_moves(page, live_server):
    page.goto(live_server + "/?kernel=blur")
    seen = []
    page.on("request", lambda request: seen.append(request.url) if "/fragment" in request.url else None)
    slider = page.locator("#repeat")
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 4, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(box["x"] + 4 + (box["width"] - 8) * step / 10, y)
        page.wait_for_timeout(30)
    page.mouse.up()
    expect(page).to_have_url(re.compile(r"repeat=10"), timeout=TIMEOUT_MS)
    expect(page.locator("#repeat-value")).to_have_text("10")
    asked = {dict(parse_qsl(urlsplit(url).query)).get("repeat") for url in seen}
    assert len(asked) >= 3  # a request per position passed, not one after the slider stops
    expect(page.locator("#output-image")).to_have_attribute(
        "data-api-src", re.compile(r"repeat=10"), timeout=TIMEOUT_MS
    )


def test_the_edge_comparison_and_the_histograms_show_the_engines_numbers(page, live_server):
    page.goto(live_server + "/?kernel=emboss&op=convolve&edge=constant&cval=40&display=midgray")
    page.select_option("#edge", "mirror")
    expect(page.locator(".edge-table.current")).to_have_attribute("data-edge", "mirror", timeout=TIMEOUT_MS)
    state = "image=face&kernel=emboss&op=convolve&cval=40&display=midgray"
    for mode in ("mirror", "wrap", "constant"):
        window = api_json(page, live_server, f"/api/explain?{state}&edge={mode}&x=0&y=0")["channels"][0]["window"]
        table = page.locator(f'.edge-table[data-edge="{mode}"] tbody')
        # The 3×3 window of output pixel (0, 0) covers rows and columns −1…1: cells 1…3 of the 2-deep padding.
        for i in range(3):
            cells = table.locator("tr").nth(i + 1).locator("td")
            assert [float(cells.nth(j + 1).get_attribute("data-value")) for j in range(3)] == window[i]

    raw = np.asarray(api_json(page, live_server, f"/api/convolve?{state}&edge=mirror")["raw"])
    hist = raw_histogram(raw, "midgray")
    figure = page.locator("#inspect-histogram")
    assert figure.get_attribute("data-clipped") == str(hist.clipped)
    assert figure.get_attribute("data-counts") == str(hist.counts.tolist())
    expect(figure.locator(".histogram-summary")).to_contain_text(f"{100 * hist.clipped_share:.1f} % of values")


def test_axe_finds_no_violations_in_the_explained_options(browser, live_server, axe_source):
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server + "/?kernel=emboss&op=convolve&edge=constant&cval=40&display=signed&repeat=2&stride=2")
    regions = ["#options", "#inspect-region", "#inspect-panel", "#edge-compare", "#play-region", "#play-panel"]
    violations = axe_violations(page, axe_source, regions)
    context.close()
    assert violations == []
