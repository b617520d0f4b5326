"""Predict, then reveal, in Chromium: a guess typed and checked from the keyboard (and stepping, which hides
the next pixel again), a kernel picked and the next question, a target matched by editing the kernel, and
axe-core's audit of every quiz view."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from app import create_app
from kernels.library.kernel_text import format_for_people
from kernels.library.presets import load_presets
from tests.browser.support import TIMEOUT_MS, api_json, axe_violations, wait_for_pixel
from web.page.quiz_states import hidden_preset, which_for

pytestmark = pytest.mark.browser

SECRET = "browser quiz secret"
PRESETS = load_presets()


@pytest.fixture(scope="module")
def quiz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with a known secret, so the tests can tell which answer is right."""
    uploads: Path = tmp_path_factory.mktemp("quiz-uploads")
    app = create_app({"UPLOAD_FOLDER": str(uploads), "SECRET_KEY": SECRET})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def fragments_sent(page: Page) -> list[str]:
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url) if "/fragment" in request.url else None)
    return sent


@pytest.mark.parametrize("path", ["/embed?view=inspect&", "/?"])
def test_a_guess_typed_and_checked_from_the_keyboard(page: Page, quiz_server: str, path: str):
    page.goto(quiz_server + path + "quiz=guess&kernel=box-blur-3&x=12&y=13")
    panel = page.locator("#explain")
    assert panel.get_attribute("data-sum") is None
    sent = fragments_sent(page)
    field = page.get_by_label("Your guess for the sum of the 9 products")
    field.focus()
    page.keyboard.type("140")
    page.wait_for_timeout(400)  # longer than the form's 250 ms typing delay
    assert sent == []  # typing a guess sends nothing
    page.keyboard.press("Enter")
    verdict = page.locator(".quiz-verdict")
    expect(verdict).to_be_visible(timeout=TIMEOUT_MS)
    api = api_json(page, quiz_server, "/api/explain?image=face&kernel=box-blur-3&x=12&y=13")["channels"][0]
    total = format_for_people(api["sum"])
    off = format_for_people(abs(140 - api["sum"]))
    expect(verdict).to_contain_text(f"Your guess 140; the sum is {total}: off by {off}.")
    expect(verdict).to_contain_text(f"after display, is {api['stored']}")
    expect(verdict).to_be_focused()  # the Check button is gone: the verdict takes the focus
    assert "guess=140" in page.url
    assert panel.get_attribute("data-sum") == repr(float(api["sum"]))

    # Another pixel (arrow key on the output picture): hidden again, and the typed field is empty.
    picture = page.locator('.pick[data-area="inspect"][data-role="out"]')
    picture.focus()
    page.keyboard.press("ArrowRight")
    wait_for_pixel(panel, 13, 13)
    expect(page.locator(".quiz-verdict")).to_have_count(0)
    assert panel.get_attribute("data-sum") is None
    expect(page.locator("#guess")).to_have_value("")
    expect(page.locator("#output-image")).to_have_attribute("src", re.compile(r"^/quiz/guess\.png\?.*x=13"))


def test_typing_without_checking_then_stepping_reveals_nothing(page: Page, quiz_server: str):
    page.goto(quiz_server + "/embed?view=inspect&quiz=guess&step=40")
    panel = page.locator("#explain")
    wait_for_pixel(panel, 7, 1)
    page.locator("#guess").fill("100")
    page.locator('[data-stepper="inspect"] [data-step-by="1"]').click()
    wait_for_pixel(panel, 8, 1)
    expect(page.locator(".quiz-guess")).to_be_visible()
    assert panel.get_attribute("data-sum") is None and "guess=" not in page.url
    page.locator("#guess").fill("100")
    page.get_by_role("button", name="Check").click()
    expect(page.locator(".quiz-verdict")).to_contain_text("Your guess 100; the sum is", timeout=TIMEOUT_MS)
    assert (panel.get_attribute("data-x"), panel.get_attribute("data-y")) == ("8", "1")


def test_a_kernel_picked_then_the_next_question(page: Page, quiz_server: str):
    page.goto(quiz_server + "/embed?view=quiz")
    token = page.locator('input[name="question"]').get_attribute("value")
    question = which_for(PRESETS, SECRET.encode(), token)
    answer = PRESETS[question.choices[question.answer]]
    wrong = "ABCD"[(question.answer + 1) % 4]
    choice = page.get_by_role("button", name=f"Choose kernel {wrong}")
    choice.focus()
    page.keyboard.press("Enter")
    verdict = page.locator("#quiz-verdict")
    expect(verdict).to_contain_text(f"Not this time: you picked {wrong}", timeout=TIMEOUT_MS)
    expect(verdict).to_contain_text(f"kernel {'ABCD'[question.answer]}, {answer.title}, made this picture.")
    expect(verdict).to_be_focused()
    expect(page.locator("img.quiz-other")).to_have_count(3)
    assert f"pick={wrong}" in page.url

    page.get_by_role("button", name="Next question").click()
    expect(page.locator("#quiz-verdict")).to_have_count(0, timeout=TIMEOUT_MS)
    expect(page.locator(".quiz-pick")).to_have_count(4)
    expect(page.locator("#quiz-title")).to_be_focused()
    assert page.locator('input[name="question"]').get_attribute("value") != token
    assert "pick=" not in page.url


def test_the_kernel_edited_until_it_matches_the_target(page: Page, quiz_server: str):
    page.goto(quiz_server + "/embed?view=quiz&quiz=find")
    token = page.locator('input[name="question"]').get_attribute("value")
    hidden = hidden_preset(PRESETS, SECRET.encode(), token)
    score = page.locator(".quiz-score")
    expect(score).to_contain_text("not yet")
    before = score.inner_text()
    page.locator("#k-1-1").fill("7")  # a weight typed: the numbers follow
    expect(score).not_to_have_text(before, timeout=TIMEOUT_MS)
    expect(page.locator(".quiz-verdict")).to_have_count(0)
    page.locator("#preset").select_option(hidden.name)
    expect(score).to_contain_text("solved!", timeout=TIMEOUT_MS)
    expect(score).to_contain_text("Mean difference 0 grey levels, PSNR ∞ dB")
    expect(page.locator("#quiz-verdict")).to_contain_text(f"The hidden kernel is {hidden.title}.")


@pytest.mark.parametrize(
    ("path", "action"),
    [
        ("/embed?view=inspect&quiz=guess", None),
        ("/embed?view=inspect&quiz=guess&guess=100", None),
        ("/embed?view=quiz", None),
        ("/embed?view=quiz", ".quiz-pick >> nth=2"),
        ("/embed?view=quiz&quiz=find", None),
        ("/?quiz=which", None),
    ],
)
def test_axe_finds_no_violations_in_the_quiz_views(browser, quiz_server: str, axe_source: str, path: str, action):
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(quiz_server + path)
    if action:
        page.locator(action).click()
        expect(page.locator("#quiz-verdict")).to_be_visible(timeout=TIMEOUT_MS)
    violations = axe_violations(page, axe_source)
    context.close()
    assert violations == []
