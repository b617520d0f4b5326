"""Guess the pixel, on the server: the sum and the stored pixel are in no page, fragment, picture address or
header before the guess is checked, and in the answer after; guesses are checked right and wrong, with and
without JavaScript; the covered picture is the output with one pixel painted."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import numpy as np
import pytest

from kernels.library.kernel_text import MINUS, format_for_people, format_number
from tests.pages_support import decoded, tags

# ``app`` is the quiz's app fixture (a known question secret), in place of tests/conftest.py's.
from tests.web.quiz_support import (
    app,  # noqa: F401
    fields_of,
    found,
    headers_text,
    region,
)
from web.page.quiz_states import MASK

KERNEL = "-1,-2,-3;-4,-5,-6;-7,-8,-10"
"""A hand-made kernel whose sums on the face are large negative numbers, unlike anything else on the page."""
GUESS_PAGE = {"image": "face", "kernel": KERNEL, "divisor": "37", "display": "abs", "quiz": "guess"}
PIXEL = (12, 13)


def spellings(value: float) -> set[str]:
    """A number as the page, its data attributes or a script might write it."""
    v = float(value)
    out = {repr(v), format_for_people(v), format_for_people(v).replace(MINUS, "-"), format_number(v)}
    if v == round(v):
        out |= {str(int(v)), f"{int(v)}.0"}
    return out


def explained(client) -> dict:
    query = {**GUESS_PAGE, "x": PIXEL[0], "y": PIXEL[1]}
    del query["quiz"]
    return client.get("/api/explain?" + urlencode(query)).get_json()["channels"][0]


def hidden_numbers(channel: dict) -> tuple[set[str], set[str], set[str]]:
    """What the guess hides: the sum and the value in every spelling; the products as the panel writes them; the
    stored pixel's telltale spellings (it is a grey level 0–255, and section 1's table of the face holds most)."""
    numbers = spellings(channel["sum"]) | spellings(channel["value"])
    products = {"= " + format_for_people(p, signed=True) for row in channel["products"] for p in row}
    stored = channel["stored"]
    telltales = {f'data-stored="{stored}"', f"stored {stored}", f'<span class="num big">{stored}</span>'}
    return numbers, products, telltales


def section_2_panel(html: str) -> str:
    """Section 2's panel: from its ``#explain`` to the next region (the playground has a panel of its own, whose
    products may happen to equal these: the same grey level under the same weight)."""
    return html.split('id="explain"', 1)[-1].split("<hx-partial", 1)[0].split('id="edge-compare"', 1)[0]


def assert_hidden(text: str, channel: dict) -> None:
    numbers, products, telltales = hidden_numbers(channel)
    assert found(text, numbers) == set()
    assert {t for t in telltales if t in text} == set()
    panel = section_2_panel(text)
    assert found(panel, products) == set() and found(panel, {str(channel["stored"])}) == set()
    for name in ("data-sum", "data-value", "data-stored", "data-clipped"):
        assert f"{name}=" not in panel.split(">", 1)[0]


@pytest.mark.parametrize("path", ["/", "/embed"])
def test_the_guess_hides_the_sum_and_the_stored_pixel_everywhere_until_checked(client, path):
    channel = explained(client)
    assert channel["stored"] not in {v for row in channel["window"] for v in row}  # the window cannot show it
    query = {**GUESS_PAGE, "x": PIXEL[0], "y": PIXEL[1]} | ({"view": "inspect"} if path == "/embed" else {})
    page = client.get(path + "?" + urlencode(query))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert_hidden(html + headers_text(page), channel)
    panel = tags(html).by_id("explain")
    assert "guess the sum of the 9 products" in panel["data-summary"]
    assert 'id="guess"' in html and "(products hidden)" in html
    # The output picture covers the pixel; its address and the marks say nothing of its value.
    image = tags(html).by_id("output-image")
    assert image["src"].startswith("/quiz/guess.png?") and image.get("data-api-src") is None
    assert 'class="mark mark-masked"' in html

    fields = fields_of(html)
    for part in ("inspect", None):  # pointing, and an edit
        sent = fields | ({"part": part} if part else {})
        answer = client.get("/fragment?" + urlencode(sent))
        assert answer.status_code == 200
        assert_hidden(answer.get_data(as_text=True) + headers_text(answer), channel)
    stepping = client.get("/fragment?" + urlencode(fields | {"step": "429", "part": "inspect"}))  # x 12, y 13
    assert_hidden(stepping.get_data(as_text=True) + headers_text(stepping), channel)

    checked = client.get("/fragment?" + urlencode(fields | {"guess": "-7000"}))
    text = checked.get_data(as_text=True)
    assert checked.status_code == 200
    assert f"Your guess {MINUS}7000; the sum is {MINUS}7866: off by 866." in text
    assert "The stored pixel, after display, is 213" in text
    assert f'data-sum="{channel["sum"]!r}"' in text and 'data-stored="213"' in text
    assert found(text, spellings(channel["sum"]))
    assert "guess=-7000" in checked.headers["X-Page-Url"]
    assert "/api/preview/output?" in region(text, "inspect-region")  # the whole picture again


@pytest.mark.parametrize(
    ("guess", "verdict", "closeness"),
    [
        ("-7866", f"Your guess {MINUS}7866; the sum is {MINUS}7866: exactly right.", "exact"),
        ("−7866", f"Your guess {MINUS}7866; the sum is {MINUS}7866: exactly right.", "exact"),
        ("-7800", f"Your guess {MINUS}7800; the sum is {MINUS}7866: off by 66.", "close"),
        ("140", f"Your guess 140; the sum is {MINUS}7866: off by 8006.", "off"),
    ],
)
def test_a_guess_is_checked_against_the_sum(client, guess, verdict, closeness):
    html = client.get("/?" + urlencode({**GUESS_PAGE, "x": 12, "y": 13, "guess": guess})).get_data(as_text=True)
    assert verdict in html
    assert f"quiz-verdict quiz-{closeness}" in html
    assert verdict in tags(html).by_id("explain")["data-summary"]


def test_a_guess_typed_for_another_pixel_reveals_nothing(client):
    channel = explained(client)
    html = client.get("/?" + urlencode({**GUESS_PAGE, "x": 12, "y": 13})).get_data(as_text=True)
    moved = fields_of(html) | {"guess": "-7866", "x": "13", "part": "inspect"}  # guessed=12,13 stays in the form
    answer = client.get("/fragment?" + urlencode(moved))
    text = answer.get_data(as_text=True)
    assert "quiz-verdict" not in text and 'name="guessed" value="13,13"' in text
    assert "guess=" not in answer.headers["X-Page-Url"]
    back = client.get("/fragment?" + urlencode(moved | {"x": "12"})).get_data(as_text=True)
    assert "exactly right" in back and found(back, spellings(channel["sum"]))


def test_the_guess_works_without_javascript(client):
    html = client.get("/?" + urlencode({**GUESS_PAGE, "x": 12, "y": 13})).get_data(as_text=True)
    fields = fields_of(html)
    assert fields["guessed"] == "12,13" and fields["guess"] == "" and fields["quiz"] == "guess"
    sent = client.get("/?" + urlencode(fields | {"guess": "-7800"}))
    assert sent.status_code == 303
    query = parse_qs(urlsplit(sent.headers["Location"]).query)
    assert query["guess"] == ["-7800"] and query["quiz"] == ["guess"] and "guessed" not in query
    shown = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert f"Your guess {MINUS}7800; the sum is {MINUS}7866: off by 66." in shown


def test_the_covered_picture_is_the_output_with_one_pixel_painted(client):
    query = {**GUESS_PAGE}
    del query["quiz"]
    exact = decoded(client.get("/api/output.png?" + urlencode(query)).data)
    covered = client.get("/quiz/guess.png?" + urlencode(query | {"x": 12, "y": 13}))
    assert covered.status_code == 200 and covered.mimetype == "image/png"
    pixels = decoded(covered.data).copy()
    assert tuple(pixels[13, 12]) == MASK
    pixels[13, 12] = exact[13, 12]
    np.testing.assert_array_equal(pixels[..., 0], exact)
    outside = client.get("/quiz/guess.png?" + urlencode(query | {"x": 40, "y": 1}))
    assert outside.status_code == 400 and b"inside the output" in outside.data
