"""What a learner sees in Chromium: shortcut links that keep the other settings, a shared link with one bad
value, copying inside an embed on another site, a fraction typed on a phone, histogram labels, the signed
colours, kernel crop's wording, refused uploads and a preset's explanation under its menu."""

from __future__ import annotations

import re
from itertools import combinations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import TIMEOUT_MS

pytestmark = pytest.mark.browser

GONE = "0123456789abcdef0123456789abcdef"
KEPT = {"image": "camera", "edge": "wrap", "display": "abs", "color": "rgb"}
HEX_BYTES = re.compile(r"\b[0-9a-f]{2} [0-9a-f]{2} [0-9a-f]{2}\b", re.IGNORECASE)


def in_url(name: str, value: str) -> re.Pattern:
    return re.compile(r"[?&]" + re.escape(f"{name}={value}") + r"(&|$)")


def assert_settings_kept(page: Page, kernel: str) -> None:
    """The address bar and the controls still hold the picture, the options and the kernel."""
    for name, value in {**KEPT, "kernel": kernel}.items():
        expect(page).to_have_url(in_url(name, value))
    expect(page.locator("#image")).to_have_value("camera")
    expect(page.locator("#edge")).to_have_value("wrap")
    expect(page.locator("#display")).to_have_value("abs")
    expect(page.locator('input[name="color"][value="rgb"]')).to_be_checked()
    expect(page.locator("#preset")).to_have_value(kernel)


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def test_shortcut_links_change_only_what_they_name(page, live_server):
    page.goto(live_server + "/?image=camera&kernel=emboss&edge=wrap&display=abs&color=rgb")
    page.get_by_role("link", name="compare blur, sharpen, outline and Sobel").click()
    expect(page).to_have_url(in_url("compare", "blur|sharpen|outline|sobel-left"), timeout=TIMEOUT_MS)
    assert_settings_kept(page, "emboss")
    expect(page.locator("#compare-region img")).not_to_have_count(0)

    page.get_by_role("link", name="Try the Sobel gradient").click()
    expect(page).to_have_url(in_url("combine", "magnitude"), timeout=TIMEOUT_MS)
    assert_settings_kept(page, "sobel-right")
    expect(page).to_have_url(in_url("compare", "blur|sharpen|outline|sobel-left"))
    expect(page.locator('input[name="combine"][value="magnitude"]')).to_be_checked()


def test_the_compare_shortcut_in_an_embed_stays_in_the_embed(page, live_server):
    page.goto(live_server + "/embed?view=compare&image=camera&kernel=emboss&edge=wrap&display=abs&color=rgb")
    page.get_by_role("link", name="compare blur, sharpen, outline and Sobel").click()
    expect(page).to_have_url(in_url("compare", "blur|sharpen|outline|sobel-left"), timeout=TIMEOUT_MS)
    assert page.url.startswith(live_server + "/embed?")
    for name, value in {**KEPT, "kernel": "emboss", "view": "compare"}.items():
        expect(page).to_have_url(in_url(name, value))


@pytest.mark.parametrize(
    "name, bad, because",
    [("image", GONE, "upload it again"), ("edge", "bogus", "must be one of")],
    ids=["gone-upload", "unknown-edge"],
)
def test_a_link_with_one_bad_value_keeps_the_rest_and_says_what_was_dropped(page, live_server, name, bad, because):
    state = {"image": "camera", "kernel": "blur", "edge": "wrap", "display": "abs", "color": "rgb", name: bad}
    page.goto(live_server + "/?" + "&".join(f"{key}={value}" for key, value in state.items()))
    message = page.locator(f"#err-{name}")
    expect(message).to_be_visible()
    expect(message).to_contain_text(because)
    expect(page.locator(f"#{name}")).to_have_attribute("aria-describedby", re.compile(rf"\berr-{name}\b"))
    expect(page.locator("#form-status")).to_contain_text(f"{name}:")
    expect(page.locator("#preset")).to_have_value("blur")
    expect(page.locator("#display")).to_have_value("abs")
    expect(page.locator('input[name="color"][value="rgb"]')).to_be_checked()
    kept = {key: value for key, value in state.items() if key not in ("image", name)}
    output = page.locator("#play-output-image").get_attribute("data-api-src")
    for key, value in kept.items():
        expect(page).to_have_url(in_url(key, value))
        assert f"{key}={value}" in output, output
    assert f"{name}={bad}" not in output and f"{name}={bad}" not in page.url


def test_an_embed_pasted_into_another_site_can_copy(browser, live_server):
    # The host page below is served by Playwright, not from a loopback address: Chromium lets it frame the
    # app on 127.0.0.1 only with the local-network permission, as a public site framing a public server needs none.
    allowed = ["clipboard-read", "clipboard-write", "local-network-access"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, permissions=allowed)
    page = context.new_page()
    page.goto(live_server + "/?kernel=emboss")
    page.get_by_role("button", name="Embed", exact=True).click()
    snippet = page.locator("#embed-code")
    expect(snippet).to_be_in_viewport()
    html = snippet.input_value()
    # Another site: a different origin from the app's, so the frame may use the clipboard only if its iframe
    # allows it (without the allow attribute the Copy button falls back to selecting the text).
    host = live_server.replace("127.0.0.1", "localhost") + "/lesson.html"
    assert host != live_server + "/lesson.html"
    page.route(
        host,
        lambda route: route.fulfill(
            content_type="text/html", body=f"<!doctype html><title>Lesson</title><h1>Lesson</h1>{html}"
        ),
    )
    page.goto(host)
    assert page.locator("iframe").get_attribute("allow") == "clipboard-write"
    frame = page.frame_locator("iframe")
    frame.locator('[data-copy-code="export-code-numpy"]').click()
    expect(frame.locator("#export-status-numpy")).to_have_text("Copied", timeout=TIMEOUT_MS)
    code = frame.locator("#export-code-numpy").text_content()
    assert "import numpy" in code
    assert page.evaluate("navigator.clipboard.readText()") == code
    context.close()


def test_a_fraction_with_a_minus_sign_can_be_typed_into_a_cell_on_a_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 667}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(live_server + "/?kernel=emboss")
    cell = page.locator("#k-0-0")
    expect(cell).to_have_attribute("inputmode", "text")
    cell.scroll_into_view_if_needed()
    cell.tap()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("-1/8")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"kernel=-1/8,-1,0;-1,1,1;0,1,2(&|$)"), timeout=TIMEOUT_MS)
    expect(cell).to_have_value("-1/8")
    expect(cell).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#explain td.tap .w").first).to_have_text("× −0.125", timeout=TIMEOUT_MS)
    context.close()


def test_histogram_labels_do_not_overlap_for_a_narrow_range(page, live_server):
    page.goto(live_server + "/?image=camera&kernel=box(31)")
    histograms = page.locator(".histogram svg")
    expect(histograms).to_have_count(2)
    for index in range(histograms.count()):
        svg = histograms.nth(index)
        svg.scroll_into_view_if_needed()
        frame = svg.bounding_box()
        for place in ("bottom", "top"):
            labels = svg.locator(f"text.hist-{place}")
            boxes = [labels.nth(i).bounding_box() for i in range(labels.count())]
            assert len(boxes) == 2 or (place == "top" and not boxes), (index, place, boxes)
            for a, b in combinations(boxes, 2):
                assert not overlaps(a, b), (index, place, labels.all_text_contents(), a, b)
            for box in boxes:
                assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"], box


def colour_above_zero_in_legend(text: str) -> str:
    """The colour a histogram summary gives the largest positive value ("+638 dark orange" -> "orange")."""
    return re.search(r"\+[\d,.]+ (?:is )?(?:dark |deep |light )?([a-z]+)", text)[1]


def colour_above_zero_in_panel(text: str) -> str:
    return re.search(r"([a-z]+) above 0", text)[1]


def test_the_signed_legend_and_the_panel_name_one_colour_above_zero(page, live_server):
    page.goto(live_server + "/?image=face&kernel=sobel-left&display=signed&x=3&y=20&px=3&py=20")
    for area, panel in (("inspect", "#explain"), ("play", "#play-explain")):
        summary = page.locator(f"#{area}-histogram-summary")
        how = page.locator(f"{panel} .result .how").last
        expect(summary).to_contain_text("Colour by sign")
        legend_colour = colour_above_zero_in_legend(summary.inner_text())
        panel_colour = colour_above_zero_in_panel(how.inner_text())
        assert legend_colour == panel_colour, (summary.inner_text(), how.inner_text())
        assert colour_above_zero_in_panel(page.locator("#pixel-step").inner_text()) == legend_colour


def test_kernel_crop_with_a_zero_sum_kernel_is_not_called_rescaled(page, live_server):
    page.goto(live_server + "/?image=face&kernel=sobel-left&edge=kernel-crop&x=0&y=0&px=0&py=0")
    panels = [page.locator("#explain"), page.locator("#play-explain")]
    for panel in panels:
        expect(panel.locator(".result")).to_contain_text("Sum of the 9 products")
        assert "rescaled" not in panel.inner_text()
    # The same corner with blur (weights adding up to 1) is rescaled, and the panel says so.
    page.select_option("#preset", "blur")
    for panel in panels:
        expect(panel).to_contain_text("rescaled by kernel-crop", timeout=TIMEOUT_MS)


def test_a_refused_upload_says_why_in_words_and_keeps_the_picture(page, live_server):
    page.goto(live_server + "/?image=camera&kernel=outline")
    output = page.locator("#play-output-image")
    before = output.get_attribute("data-api-src")
    status = page.locator("#upload-status")
    homework = b"hello world, this is my homework\n" * 3
    page.set_input_files("#file", files=[{"name": "homework.txt", "mimeType": "text/plain", "buffer": homework}])
    expect(status).to_contain_text("text, not a picture", timeout=TIMEOUT_MS)
    expect(status).to_contain_text("hello world")
    expect(status).to_have_class(re.compile(r"\bis-error\b"))
    assert not HEX_BYTES.search(status.inner_text()), status.inner_text()

    huge = b"\xff\xd8\xff" + bytes(11 * 2**20)
    page.set_input_files("#file", files=[{"name": "huge.jpg", "mimeType": "image/jpeg", "buffer": huge}])
    expect(status).to_contain_text("limited to 10 MB", timeout=TIMEOUT_MS)
    expect(status).to_contain_text("this one is 11.0 MB")
    expect(page.locator("#image")).to_have_value("camera")
    expect(page.locator("#preset")).to_have_value("outline")
    assert output.get_attribute("data-api-src") == before
    expect(page).to_have_url(re.compile(r"image=camera&kernel=outline"))


def test_a_presets_explanation_appears_right_under_the_menu(page, live_server):
    page.goto(live_server + "/?kernel=1,2;3,4")
    lead = page.locator("#preset-lead")
    expect(lead).to_have_count(0)
    menu, leads = page.locator("#preset"), set()
    for preset in ("sharpen", "emboss"):
        menu.select_option(preset)
        expect(page).to_have_url(in_url("kernel", preset), timeout=TIMEOUT_MS)
        expect(lead).to_be_visible()
        expect(menu).to_have_attribute("aria-describedby", re.compile(r"\bpreset-lead\b"))
        text = lead.inner_text()
        assert len(text) > 20 and "More about it" in text and text not in leads
        leads.add(text)
        under, above, grid = lead.bounding_box(), menu.bounding_box(), page.locator("#k-0-0").bounding_box()
        gap = under["y"] - (above["y"] + above["height"])
        assert 0 <= gap <= 200, (above, under)
        assert under["x"] < above["x"] + above["width"] and above["x"] < under["x"] + under["width"], (above, under)
        assert under["y"] + under["height"] <= grid["y"], (under, grid)


def test_colour_by_sign_and_rgb_cannot_be_chosen_together_and_say_why(page, live_server):
    page.goto(live_server + "/?display=signed")
    rgb = page.locator('input[name="color"][value="rgb"]')
    expect(rgb).to_be_disabled()
    reason = page.locator("#rgb-needs")
    expect(reason).to_contain_text("Colour by sign shows one channel")
    assert rgb.get_attribute("aria-describedby") == "rgb-needs"  # read out with the choice it explains
    rgb_box, reason_box = rgb.bounding_box(), reason.bounding_box()
    assert 0 <= reason_box["y"] - rgb_box["y"] < 200  # next to the control, not somewhere down the page

    page.goto(live_server + "/?color=rgb")
    signed = page.locator('#display option[value="signed"]')
    expect(signed).to_be_disabled()
    expect(signed).to_contain_text("choose grey (luma) first")
    page.locator('input[name="color"][value="gray"]').check()
    expect(signed).to_be_enabled(timeout=TIMEOUT_MS)
