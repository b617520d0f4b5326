"""Combine and compare in Chromium: each control changes the address and the pictures, a reload restores it,
and pointing at a pixel gives the engine's numbers in every panel."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from playwright.sync_api import expect

from tests.browser.support import TIMEOUT_MS, api_json, painted_pixels, png_pixels, point_at, wait_for_pixel

pytestmark = pytest.mark.browser


def test_combine_control_and_second_kernel_menu(page, live_server):
    page.goto(live_server + "/?image=face&kernel=sobel-left")
    output = page.locator("#play-output-image")
    page.get_by_label("Gradient magnitude").check()
    expect(page).to_have_url(re.compile(r"[?&]combine=magnitude(&|$)"), timeout=TIMEOUT_MS)
    # Turning combine on starts the pair from right − left (Sobel left becomes Sobel right).
    expect(page).to_have_url(re.compile(r"[?&]kernel=sobel-right(&|$)"), timeout=TIMEOUT_MS)
    expect(output).to_have_attribute("data-api-src", re.compile(r"combine=magnitude"), timeout=TIMEOUT_MS)
    page.select_option("#kernel2-menu", "sobel-top")
    expect(page).to_have_url(re.compile(r"[?&]kernel2=sobel-top(&|$)"), timeout=TIMEOUT_MS)
    src = "/api/output.png?image=face&kernel=sobel-right&combine=magnitude&kernel2=sobel-top"
    expect(output).to_have_attribute("data-api-src", src, timeout=TIMEOUT_MS)
    assert np.array_equal(painted_pixels(output), png_pixels(page.request.get(live_server + src).body()))

    page.reload()
    expect(page.get_by_label("Gradient magnitude")).to_be_checked()
    expect(page.locator("#kernel2-menu")).to_have_value("sobel-top")
    panel = page.locator("#play-explain")
    point_at(page, output, 7, 20)
    wait_for_pixel(panel, 7, 20)
    expected = api_json(page, live_server, src.replace("/api/output.png", "/api/explain") + "&x=7&y=20")
    data = panel.evaluate("p => Object.assign({}, p.dataset)")
    assert float(data["gxSum"]) == expected["channels"][0]["sum"]
    assert float(data["gySum"]) == expected["channels"][1]["sum"]
    assert json.loads(data["magnitude"]) == expected["combined"]["magnitude"]
    assert json.loads(data["stored"]) == expected["combined"]["stored"]


def test_compare_pickers_pointing_and_reload(page, live_server):
    page.goto(live_server + "/?image=face&kernel=sharpen")
    chosen = []
    for slot, kernel in enumerate(["blur", "outline", "emboss", "sobel-top"]):
        page.select_option(f"#compare-menu-{slot}", kernel)
        chosen.append(kernel)
        expect(page).to_have_url(
            re.compile(r"[?&]compare=" + re.escape("|".join(chosen)) + "(&|$)"), timeout=TIMEOUT_MS
        )
        expect(page.locator(f"#compare-image-{slot}")).to_have_attribute(
            "src", f"/api/preview/output?image=face&kernel={kernel}", timeout=TIMEOUT_MS
        )
    page.fill("#compare\\[1\\]", "gaussian(5,1)")
    expect(page).to_have_url(re.compile(r"compare=blur\|gaussian\(5,1\)\|emboss\|sobel-top"), timeout=TIMEOUT_MS)
    image = page.locator("#compare-image-1")
    expect(image).to_have_attribute("src", "/api/preview/output?image=face&kernel=gaussian(5,1)", timeout=TIMEOUT_MS)
    expected_png = page.request.get(live_server + "/api/output.png?image=face&kernel=gaussian(5,1)").body()
    assert np.array_equal(painted_pixels(image), png_pixels(expected_png))

    page.reload()
    expect(page.locator("#compare\\[1\\]")).to_have_value("gaussian(5,1)")
    expect(page.locator("#compare-menu-3")).to_have_value("sobel-top")
    state = "image=face&kernel=sharpen&compare=blur|gaussian(5,1)|emboss|sobel-top"
    point_at(page, page.locator("#compare-image-2"), 30, 1)
    for slot in range(4):
        card = page.locator(f"#compare-explain-{slot}")
        wait_for_pixel(card, 30, 1)
        expected = api_json(page, live_server, f"/api/explain?{state}&slot={slot}&x=30&y=1")["channels"][0]
        data = card.evaluate("p => Object.assign({}, p.dataset)")
        assert (float(data["sum"]), float(data["value"])) == (expected["sum"], expected["value"])
        assert json.loads(data["stored"]) == expected["stored"]
    expect(page).to_have_url(re.compile(r"[?&]cx=30&cy=1(&|$)"))
    page.locator('.pick[data-area="compare"]').first.focus()
    page.keyboard.press("ArrowDown")
    wait_for_pixel(page.locator("#compare-explain-0"), 30, 2)
