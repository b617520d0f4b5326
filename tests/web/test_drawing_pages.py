"""A drawing (``image=draw:…``) through the API and the pages: the pictures, the exact numbers against SciPy,
the permalink's canonical form, the drawing toolbar and its grey levels, and refusals that keep the rest."""

from __future__ import annotations

import io
import zlib
from urllib.parse import parse_qs, urlencode, urlsplit

import numpy as np
import pytest
from PIL import Image

from imaging.drawing import SIDE, decode_drawing, encode_drawing, start_pixels, start_value
from kernels.library.kernel_text import parse_kernel
from kernels.options import Options
from tests.imaging.test_drawing import spelled, stored_zlib
from tests.kernels.test_export_python import run_snippet
from tests.oracles import scipy_result
from tests.pages_support import tags

KERNEL = "1,2,1;0,0,0;-1,-2,-1"


def painted(seed: int = 11) -> np.ndarray:
    """A drawing someone might make: a blank with a bright vertical line and a few dark dots."""
    grey = start_pixels("blank")
    grey[4:28, 9] = 255
    rng = np.random.default_rng(seed)
    grey[rng.integers(0, SIDE, 12), rng.integers(0, SIDE, 12)] = 0
    return grey


def png(answer) -> np.ndarray:
    assert answer.status_code == 200, answer.data[:300]
    assert answer.mimetype == "image/png"
    return np.asarray(Image.open(io.BytesIO(answer.data)))


def query(**params: str) -> str:
    return urlencode(params)


def test_input_png_is_the_drawing_exactly(client):
    grey = painted()
    for value in (encode_drawing(grey), spelled(stored_zlib(grey.tobytes()))):
        np.testing.assert_array_equal(png(client.get("/api/input.png?" + query(image=value))), grey)
    rgb = png(client.get("/api/input.png?" + query(image=encode_drawing(grey), color="rgb")))
    assert rgb.shape == (SIDE, SIDE, 3)
    for channel in range(3):
        np.testing.assert_array_equal(rgb[:, :, channel], grey)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"edge": "wrap"},
        {"edge": "mirror"},
        {"edge": "symmetric", "op": "convolve"},
        {"edge": "constant", "cval": "100"},
        {"stride": "2", "origin": "0,0"},
        {"dilation": "2"},
    ],
    ids=["extend", "wrap", "mirror", "symmetric-convolve", "constant-100", "stride-origin", "dilation"],
)
def test_output_png_is_scipys_correlate_of_the_drawing(client, options):
    grey = painted()
    params = {"image": encode_drawing(grey), "kernel": KERNEL, "display": "abs", **options}
    parsed = Options(
        op=options.get("op", "correlate"),
        edge=options.get("edge", "extend"),
        cval=float(options.get("cval", 0)),
        stride=(int(options.get("stride", 1)),) * 2,
        dilation=(int(options.get("dilation", 1)),) * 2,
        origin=tuple(int(v) for v in options["origin"].split(",")) if "origin" in options else None,
    )
    expected = scipy_result(grey.astype(np.float64), parse_kernel(KERNEL), parsed)
    raw = client.get("/api/convolve?" + query(**params)).get_json()
    np.testing.assert_array_equal(np.array(raw["raw"]), expected)
    shown = png(client.get("/api/output.png?" + query(**params)))
    np.testing.assert_array_equal(shown, np.clip(np.abs(expected), 0, 255).astype(np.uint8))


def test_colour_mode_filters_three_equal_channels(client):
    value = encode_drawing(painted())
    grey = png(client.get("/api/output.png?" + query(image=value, kernel="emboss")))
    rgb = png(client.get("/api/output.png?" + query(image=value, kernel="emboss", color="rgb")))
    for channel in range(3):
        np.testing.assert_array_equal(rgb[:, :, channel], grey)


def test_the_explanation_reads_the_drawn_pixels(client):
    grey = painted()
    answer = client.get("/api/explain?" + query(image=encode_drawing(grey), kernel=KERNEL, x="9", y="10")).get_json()
    window = np.array(answer["channels"][0]["window"], dtype=float)
    np.testing.assert_array_equal(window, grey[9:12, 8:11])
    assert answer["channels"][0]["sum"] == float(np.sum(parse_kernel(KERNEL) * grey[9:12, 8:11]))


@pytest.mark.parametrize("size", ["32", "1024", "full"])
def test_a_drawing_is_never_scaled(client, size):
    value = encode_drawing(painted())
    shown = png(client.get("/api/input.png?" + query(image=value, size=size)))
    np.testing.assert_array_equal(shown, painted())


def test_the_numpy_export_reproduces_the_result(client):
    grey = painted()
    params = query(image=encode_drawing(grey), kernel="gaussian(5,1)", edge="mirror")
    snippet = client.get("/api/export?" + params + "&format=numpy").get_data(as_text=True)
    raw = np.array(client.get("/api/convolve?" + params).get_json()["raw"])
    result = run_snippet(snippet, grey.astype(np.float64))
    np.testing.assert_allclose(result, raw, atol=1e-4)
    export_json = client.get("/api/export?" + params + "&format=json").get_json()
    assert export_json["image"] == encode_drawing(grey)


def test_compare_slots_run_on_the_drawing(client):
    grey = painted()
    params = query(image=encode_drawing(grey), kernel="sharpen", compare="blur|outline", slot="1")
    outline = png(client.get("/api/output.png?" + params))
    alone = png(client.get("/api/output.png?" + query(image=encode_drawing(grey), kernel="outline")))
    np.testing.assert_array_equal(outline, alone)


def test_the_permalink_spells_the_drawing_canonically(client):
    grey = painted()
    sent = spelled(zlib.compress(grey.tobytes(), 1), padding=True)
    assert sent != encode_drawing(grey)
    page = client.get("/?" + query(image=sent, kernel="blur"))
    assert page.status_code == 200
    url = tags(page.data).by_id("page-url")["data-url"]
    assert parse_qs(urlsplit(url).query)["image"] == [encode_drawing(grey)]
    # A form that sends it goes to the same clean permalink.
    moved = client.get("/?" + query(image=sent, kernel="blur", preset="blur"))
    assert moved.status_code == 303
    assert parse_qs(urlsplit(moved.headers["Location"]).query)["image"] == [encode_drawing(grey)]
    again = client.get(moved.headers["Location"])
    assert tags(again.data).by_id("page-url")["data-url"] == moved.headers["Location"]


def toolbar_pixels(html: bytes) -> tuple[str, np.ndarray]:
    holder = next(e for e in tags(html).elements if e.get("data-draw-start") is not None)
    values = [int(v) for v in holder["data-pixels"].split(",")]
    assert len(values) == SIDE * SIDE and holder["data-side"] == str(SIDE)
    return holder["data-drawing"], np.array(values, dtype=np.uint8).reshape(SIDE, SIDE)


@pytest.mark.parametrize("path", ["/", "/embed?view=playground&"])
def test_the_page_with_a_drawing_shows_the_toolbar_and_its_grey_levels(client, path):
    grey = painted()
    page = client.get(path + ("?" if path == "/" else "") + query(image=encode_drawing(grey)))
    assert page.status_code == 200
    value, pixels = toolbar_pixels(page.data)
    assert value == encode_drawing(grey)
    np.testing.assert_array_equal(pixels, grey)
    found = tags(page.data)
    toolbar = next(e for e in found.elements if e.get("data-draw-tools") is not None)
    assert toolbar.get("hidden") is None
    assert found.by_id("draw-grey")["type"] == "range" and found.by_id("draw-grey-number")["max"] == "255"
    assert found.by_id("draw-grey").get("name") is None  # the form never sends the toolbar
    html = page.get_data(as_text=True)
    assert 'aria-pressed="false" aria-describedby="draw-how" data-draw-toggle' in html
    assert "Painting needs JavaScript" in html
    selected = [e for e in found.elements if e.tag == "option" and e.get("selected") is not None]
    assert f'<option value="{encode_drawing(grey)}" selected>Your drawing</option>' in html
    assert [e["value"] for e in selected if e["value"].startswith("draw:")] == [encode_drawing(grey)]


def test_a_start_shows_its_pixels_and_the_menu_offers_every_start(client):
    page = client.get("/?" + query(image=start_value("checkerboard")))
    value, pixels = toolbar_pixels(page.data)
    assert value == start_value("checkerboard")
    np.testing.assert_array_equal(pixels, start_pixels("checkerboard"))
    options = {e["value"] for e in tags(page.data).elements if e.tag == "option"}
    assert {start_value(name) for name in ("face", "blank", "edge", "checkerboard", "dot")} <= options
    assert ">Your drawing</option>" not in page.get_data(as_text=True)  # the start itself is chosen in the menu


def test_without_a_drawing_the_toolbar_is_hidden_and_the_starts_are_offered(client):
    page = client.get("/")
    found = tags(page.data)
    toolbar = next(e for e in found.elements if e.get("data-draw-tools") is not None)
    assert toolbar.get("hidden") is not None
    holder = next(e for e in found.elements if e.get("data-draw-start") is not None)
    assert holder.get("data-pixels") is None
    buttons = [e for e in found.elements if e.get("data-draw-start-value") is not None]
    assert [b["value"] for b in buttons] == [start_value(n) for n in ("face", "blank", "edge", "checkerboard", "dot")]
    assert "Choose one under “Draw your own” in the Picture menu" in page.get_data(as_text=True)


def test_no_toolbar_where_the_playground_is_not_shown(client):
    page = client.get("/embed?view=inspect&" + query(image=encode_drawing(painted())))
    assert page.status_code == 200
    assert b"data-draw-tools" not in page.data


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("draw:not base64!", "is not base64url text"),
        ("draw:" + "A" * 3000, "is 3,005 characters long"),
        (spelled(bytes(1024)), "is not zlib data"),
        (spelled(zlib.compress(bytes(1000))), "holds 1,000 grey levels, not 1,024"),
        (spelled(zlib.compress(bytes(5000))), "more than 1,024 grey levels"),
        ("draw:", "is not base64url text"),
    ],
)
def test_a_bad_drawing_is_a_400_that_says_what_is_allowed(client, value, words):
    for route in ("/api/input.png", "/api/output.png", "/api/convolve", "/api/explain?x=0&y=0", "/api/kernel"):
        answer = client.get(route + ("&" if "?" in route else "?") + query(image=value, kernel="blur"))
        assert answer.status_code == 400, (route, answer.status_code)
        body = answer.get_json()
        assert body["field"] == "image"
        assert words in body["error"] and "base64url" in body["error"] and "1,024 bytes" in body["error"]


def test_a_bad_drawing_in_a_link_keeps_the_rest_of_the_state(client):
    page = client.get("/?" + query(image="draw:zzzz", kernel="emboss", edge="wrap", display="abs"))
    assert page.status_code == 400
    found = tags(page.data)
    assert "is not zlib data" in page.get_data(as_text=True)
    assert found.by_id("image")["aria-invalid"] == "true"
    output = parse_qs(urlsplit(found.by_id("play-output-image")["data-api-src"]).query)
    assert output["kernel"] == ["emboss"] and output["edge"] == ["wrap"] and output["display"] == ["abs"]
    assert output["image"] == ["astronaut"]  # the default picture while the drawing cannot be read


def fragment_url(client, image: str, good: str, **more: str) -> str:
    answer = client.get("/fragment?" + query(image=image, kernel="sharpen", good=good, **more))
    assert answer.status_code == 200, answer.data[:400]
    return answer.headers["X-Page-Url"]


def test_painting_keeps_the_pixel_being_explained_and_a_new_picture_starts_from_the_centre(client):
    before = encode_drawing(painted(1))
    good = query(image=before, kernel="sharpen")
    after = spelled(stored_zlib(painted(2).tobytes()))
    url = parse_qs(urlsplit(fragment_url(client, after, good, px="3", py="5", ppin="1")).query)
    assert (url["px"], url["py"], url["ppin"]) == (["3"], ["5"], ["1"])
    assert url["image"] == [encode_drawing(painted(2))]
    url = parse_qs(urlsplit(fragment_url(client, after, query(image="camera", kernel="sharpen"), px="3", py="5")).query)
    assert (url["px"], url["py"]) == (["16"], ["16"])  # from a photo to a drawing: its centre
    url = parse_qs(urlsplit(fragment_url(client, "camera", good, px="3", py="5")).query)
    assert (url["px"], url["py"]) == (["256"], ["256"])


def test_the_fragment_brings_the_new_grey_levels(client):
    grey = painted(3)
    answer = client.get(
        "/fragment?" + query(image=encode_drawing(grey), kernel="sharpen", good=query(image=start_value("blank")))
    )
    assert answer.status_code == 200
    value, pixels = toolbar_pixels(answer.data)
    np.testing.assert_array_equal(pixels, grey)
    np.testing.assert_array_equal(decode_drawing(value), grey)
