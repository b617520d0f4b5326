"""The live camera on Chromium's fake camera (a moving test pattern): frames filtered as the same picture uploaded,
Freeze, Stop, the messages when there is no camera, and the embed's accessibility and size."""

from __future__ import annotations

import base64
import re
import threading
import time

import numpy as np
import pytest
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from imaging.frames import LOSSY_MIN_WIDTH
from imaging.preview import MIN_PSNR_DB, psnr_db
from tests.browser.support import TIMEOUT_MS, assert_shows, axe_violations, painted_pixels, png_pixels
from tests.chromium import ARGS as CHROMIUM_ARGS
from tests.chromium import find_chromium
from web.page.views import EMBED_SIZES

pytestmark = pytest.mark.browser

FAKE_CAMERA = ("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream")
SHOWN_FRAME = """section => new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve([reader.result.split(",")[1], section.cameraShown.answer.type]);
    reader.readAsDataURL(section.cameraShown.frame);
})"""
BOXES = """selectors => selectors.map((s) => {
    const box = document.querySelector(s).getBoundingClientRect();
    return [s, box.top, box.bottom, box.right];
})"""
REFUSE = """(name) => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException("refused in the test", name));
}"""


@pytest.fixture(scope="module")
def camera_browser(playwright_session):
    browser = playwright_session.chromium.launch(executable_path=find_chromium(), args=[*CHROMIUM_ARGS, *FAKE_CAMERA])
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def course_site():
    """Another site on loopback (another port: another origin, a secure context as the app's is), without this
    app's headers: it answers every request with the HTML in ``["page"]``; ``["url"]`` is its address."""
    site: dict[str, str] = {"page": ""}

    def answer(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [site["page"].encode()]

    server = make_server("127.0.0.1", 0, answer, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site["url"] = f"http://127.0.0.1:{server.server_port}/a-course"
    yield site
    server.shutdown()


@pytest.fixture
def camera_page(camera_browser):
    context = camera_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def start(page: Page, frames: int = 3) -> None:
    section = page.locator("#camera")
    page.get_by_role("button", name="Start camera").click()
    expect(section).to_have_attribute("data-state", "on", timeout=TIMEOUT_MS)
    wait_for_frames(page, frames)


def frames(page: Page) -> int:
    return int(page.locator("#camera").get_attribute("data-frames"))


def wait_for_frames(page: Page, count: int) -> None:
    page.wait_for_function(
        "n => Number(document.getElementById('camera').dataset.frames) >= n", arg=count, timeout=TIMEOUT_MS
    )


def upload_shown_frame(page: Page, base: str) -> tuple[str, str]:
    """Upload the frame whose filtered picture is on screen; its upload id and how its answer was encoded."""
    data, media_type = page.locator("#camera").evaluate(SHOWN_FRAME)
    answer = page.request.post(
        base + "/api/images",
        multipart={"file": {"name": "frame.jpg", "mimeType": "image/jpeg", "buffer": base64.b64decode(data)}},
    )
    assert answer.ok, answer.text()
    return answer.json()["id"], media_type


def assert_filtered_as_uploaded(page: Page, base: str, image_id: str, media_type: str, query: str) -> None:
    """The camera's picture is /api/output.png of the uploaded frame: exact when it came as a PNG, within the
    preview's bound when it came as a JPEG."""
    exact = png_pixels(page.request.get(f"{base}/api/output.png?image={image_id}&{query}").body())
    shown = painted_pixels(page.locator("[data-camera-output]"))
    assert shown.shape == exact.shape
    if exact.shape[1] >= LOSSY_MIN_WIDTH:
        assert media_type == "image/jpeg"
        assert psnr_db(exact, shown) >= MIN_PSNR_DB
    else:
        assert media_type == "image/png"
        assert np.array_equal(exact, shown)


@pytest.mark.parametrize("query", ["kernel=outline&color=rgb", "kernel=sobel-left&display=abs&stride=3"])
def test_frames_stream_and_each_is_the_upload_filtered(camera_page, live_server, query):
    page = camera_page
    page.goto(f"{live_server}/?{query}")
    section = page.locator("#camera")
    expect(section).to_have_attribute("data-state", "off")
    start(page, 1)
    first, started = frames(page), time.monotonic()
    page.wait_for_timeout(2000)
    counted = frames(page) - first
    elapsed = time.monotonic() - started
    assert counted >= 6, f"{counted} frames in {elapsed:.1f} s"
    assert float(section.get_attribute("data-fps")) > 2
    assert 0 < int(section.get_attribute("data-round-trip-ms")) < 2000
    expect(page.locator("[data-camera-stats]")).to_contain_text(re.compile(r"frames/s · round trip \d+ ms"))
    page.get_by_role("button", name="Stop camera").click()  # the picture on screen stays put
    image_id, media_type = upload_shown_frame(page, live_server)
    assert_filtered_as_uploaded(page, live_server, image_id, media_type, query)


def test_the_frames_follow_the_form(camera_page, live_server):
    page = camera_page
    page.goto(f"{live_server}/?kernel=blur")
    start(page)
    with page.expect_request(lambda r: "/api/frame?" in r.url and "kernel=outline" in r.url, timeout=TIMEOUT_MS):
        page.select_option("#preset", "outline")
    with page.expect_request(lambda r: "/api/frame?" in r.url and "color=rgb" in r.url, timeout=TIMEOUT_MS):
        page.check('input[name="color"][value="rgb"]')
    request = page.wait_for_event("request", lambda r: "/api/frame?" in r.url, timeout=TIMEOUT_MS)
    assert "image=" not in request.url and request.headers["content-type"] == "image/jpeg"


def test_freeze_makes_an_upload_and_the_playground_shows_it(camera_page, live_server):
    page = camera_page
    page.goto(f"{live_server}/?kernel=emboss")
    start(page)
    freeze = page.get_by_role("button", name="Freeze")
    freeze.click()
    section = page.locator("#camera")
    expect(section).to_have_attribute("data-state", "frozen", timeout=TIMEOUT_MS)
    image_id = section.get_attribute("data-upload")
    assert re.fullmatch(r"[0-9a-f]{32}", image_id)
    expect(page.locator("#image")).to_have_value(image_id)
    output = page.locator("#play-output-image")
    expect(output).to_have_attribute("data-api-src", re.compile(f"image={image_id}"), timeout=TIMEOUT_MS)
    exact = page.request.get(f"{live_server}/api/output.png?image={image_id}&kernel=emboss").body()
    assert_shows(output, exact)  # the playground shows the frozen frame through the kernel
    assert_filtered_as_uploaded(page, live_server, image_id, "image/jpeg", "kernel=emboss")
    expect(page.locator("[data-camera-status]")).to_contain_text("now the playground's picture")
    expect(page.get_by_role("link", name="Point at its pixels")).to_have_attribute("href", "#playground")
    assert page.evaluate("document.querySelector('[data-camera-video]').srcObject") is None  # camera released
    expect(page).to_have_url(re.compile(f"image={image_id}"), timeout=TIMEOUT_MS)


def test_stop_stops_the_frames_and_the_camera(camera_page, live_server):
    page = camera_page
    page.goto(f"{live_server}/embed?view=camera&kernel=sharpen")
    start(page)
    toggle = page.get_by_role("button", name="Stop camera")
    toggle.focus()
    page.keyboard.press("Enter")
    section = page.locator("#camera")
    expect(section).to_have_attribute("data-state", "off")
    page.wait_for_timeout(300)  # a frame already on its way is dropped
    stopped = frames(page)
    page.wait_for_timeout(1000)
    assert frames(page) == stopped
    assert page.evaluate("document.querySelector('[data-camera-video]').srcObject") is None
    expect(page.get_by_role("button", name="Start camera")).to_be_focused()
    expect(page.locator("[data-camera-status]")).to_have_text("Camera off. The last frame stays on screen.")


@pytest.mark.parametrize(
    ("error", "words"),
    [
        ("NotAllowedError", "The camera was refused"),
        ("NotFoundError", "No camera was found"),
        ("NotReadableError", "another program may be using it"),
    ],
)
def test_no_camera_says_why_and_the_page_still_works(camera_page, live_server, error, words):
    page = camera_page
    page.add_init_script(f"({REFUSE})({error!r})")
    page.goto(f"{live_server}/?kernel=blur")
    page.get_by_role("button", name="Start camera").click()
    section = page.locator("#camera")
    expect(section).to_have_attribute("data-state", "refused")
    status = page.locator("#camera [role=status]")
    expect(status).to_contain_text(words)
    expect(page.get_by_role("button", name="Start camera")).to_be_enabled()
    expect(page.get_by_role("button", name="Freeze")).to_be_disabled()
    output = page.locator("#play-output-image")
    before = output.get_attribute("data-api-src")
    page.locator("#k-1-1").fill("2")  # the rest of the page is not affected
    expect(output).not_to_have_attribute("data-api-src", before, timeout=TIMEOUT_MS)


def test_plain_http_elsewhere_than_localhost_says_the_camera_needs_https(camera_page, live_server):
    page = camera_page
    page.add_init_script("Object.defineProperty(window, 'isSecureContext', { get: () => false })")
    page.goto(f"{live_server}/")
    expect(page.locator("#camera")).to_have_attribute("data-state", "unavailable")
    expect(page.locator("#camera [role=status]")).to_contain_text("The camera needs HTTPS or localhost")
    expect(page.get_by_role("button", name="Start camera")).to_be_disabled()


@pytest.mark.parametrize("allowed", [True, False])
def test_an_embed_on_another_site_needs_allow_camera(camera_page, live_server, course_site, allowed):
    page = camera_page
    src = f"{live_server}/embed?view=camera&kernel=outline"
    allow = ' allow="camera"' if allowed else ""
    course_site["page"] = f'<!doctype html><title>A course</title><iframe src="{src}" title="camera"{allow}></iframe>'
    page.goto(course_site["url"])
    frame = page.frame_locator("iframe")
    section = frame.locator("#camera")
    if allowed:
        frame.get_by_role("button", name="Start camera").click()
        expect(section).to_have_attribute("data-state", "on", timeout=TIMEOUT_MS)
        expect(section).not_to_have_attribute("data-frames", "0", timeout=TIMEOUT_MS)
    else:
        expect(section).to_have_attribute("data-state", "unavailable")
        expect(frame.locator("[data-camera-status]")).to_contain_text('allow="camera"')


@pytest.mark.parametrize("running", [False, True])
def test_axe_finds_no_violations_in_the_camera_embed(camera_browser, live_server, axe_source, running):
    context = camera_browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/embed?view=camera&kernel=outline")
    if running:
        start(page)
    violations = axe_violations(page, axe_source)
    context.close()
    assert violations == []


@pytest.mark.parametrize("wide", [True, False])
def test_the_embed_shows_both_pictures_and_the_buttons_in_its_suggested_frame(camera_browser, live_server, wide):
    width, height = EMBED_SIZES["camera"]
    context = camera_browser.new_context(viewport={"width": width if wide else 375, "height": height})
    page = context.new_page()
    page.goto(f"{live_server}/embed?view=camera&kernel=outline")
    start(page, 1)
    boxes = page.evaluate(BOXES, ["video", "[data-camera-output]", "[data-camera-toggle]", "[data-camera-freeze]"])
    sideways = page.evaluate("document.documentElement.scrollWidth > innerWidth")
    context.close()
    assert not sideways
    for selector, top, bottom, right in boxes:
        assert top >= 0 and bottom <= height and right <= (width if wide else 375), (selector, top, bottom, right)


@pytest.mark.parametrize("path", ["/?kernel=outline", "/embed?view=camera&kernel=outline"])
def test_no_sideways_scrolling_at_320_px_while_running(camera_browser, live_server, path):
    context = camera_browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server + path)
    start(page, 2)
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 320
