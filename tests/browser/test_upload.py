"""Uploading a picture into the playground: file picker, drag and drop, paste, and a file that is refused."""

from __future__ import annotations

import base64
import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import TIMEOUT_MS, small_png

pytestmark = pytest.mark.browser

DROP = """([zone, data, name]) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, { type: "image/png" }));
    for (const type of ["dragenter", "dragover", "drop"]) {
        zone.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
}"""


def uploaded_id(page) -> str:
    output = page.locator("#play-output-image")
    expect(output).to_have_attribute("data-api-src", re.compile(r"image=[0-9a-f]{32}"), timeout=TIMEOUT_MS)
    return re.search(r"image=([0-9a-f]{32})", output.get_attribute("data-api-src"))[1]


def test_upload_with_the_file_picker(page, live_server):
    page.goto(live_server + "/?kernel=outline")
    page.set_input_files("#file", files=[{"name": "blue.png", "mimeType": "image/png", "buffer": small_png()}])
    image_id = uploaded_id(page)
    expect(page.locator("#upload-status")).to_contain_text("24×16")
    expect(page.locator("#image")).to_have_value(image_id)
    expect(page).to_have_url(re.compile(rf"image={image_id}"))
    assert page.locator("#play-explain").get_attribute("data-x") == "12"


def test_upload_by_drag_and_drop(page, live_server):
    page.goto(live_server + "/")
    zone = page.locator("[data-dropzone]")
    zone.scroll_into_view_if_needed()
    data = base64.b64encode(small_png((250, 200, 10), (10, 30))).decode()
    zone.evaluate(DROP.replace("([zone, data, name])", "(zone, [data, name])"), [data, "yellow.png"])
    uploaded_id(page)
    expect(page.locator("#play-input-image")).to_have_js_property("naturalWidth", 10, timeout=TIMEOUT_MS)


def test_upload_by_pasting(page, live_server):
    page.goto(live_server + "/")
    data = base64.b64encode(small_png((10, 200, 90), (12, 12))).decode()
    page.evaluate(
        """([data, name]) => {
        const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], name, { type: "image/png" }));
        const paste = new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true });
        document.dispatchEvent(paste);
    }""",
        [data, "green.png"],
    )
    uploaded_id(page)
    expect(page.locator("#upload-status")).to_contain_text("12×12")


def test_a_bad_file_says_why_and_keeps_the_picture(page, live_server):
    page.goto(live_server + "/?image=camera")
    page.set_input_files("#file", files=[{"name": "notes.png", "mimeType": "image/png", "buffer": b"plain text"}])
    status = page.locator("#upload-status")
    expect(status).to_contain_text("That file cannot be used", timeout=TIMEOUT_MS)
    expect(status).to_have_class(re.compile("is-error"))
    assert "image=camera" in page.locator("#play-output-image").get_attribute("data-api-src")
