"""Bad input on the pages: a 400 page or fragment with the message beside the field, what was typed kept and
the last good pictures shown; never a 500."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.pages_support import partial_targets, tags

GOOD = "good=image%3Dastronaut%26kernel%3Demboss"


def cells(values: list[list[str]]) -> str:
    return "&".join(f"k-{r}-{c}={v}" for r, row in enumerate(values) for c, v in enumerate(row))


def test_bad_cell_is_marked_and_everything_else_kept(client):
    query = cells([["1", "2", "1"], ["0", "abc", "0"], ["-1", "1/0", "-1"]])
    response = client.get(f"/?{query}&preset=&loaded=&edge=wrap&divisor=3&{GOOD}")
    assert response.status_code == 400
    page = tags(response.data)
    html = response.data.decode()
    for name, typed in (("k-1-1", "abc"), ("k-2-1", "1/0")):
        cell = page.by_id(name)
        assert cell["value"] == typed
        assert cell["aria-invalid"] == "true" and cell["aria-describedby"] == f"err-{name}"
        page.by_id(f"err-{name}")
    assert "Row 2, column 2:" in html and "(received &#39;abc&#39;)" in html
    assert page.by_id("k-0-1")["value"] == "2"
    assert page.by_id("divisor")["value"] == "3"
    assert page.by_id("edge") and 'value="wrap" selected' in html
    # the pictures keep the last state that worked
    assert "kernel=emboss" in page.by_id("output-image")["src"]


def test_bad_cell_in_a_fragment_is_a_400_with_every_region_and_no_new_url(client):
    response = client.get(f"/fragment?{cells([['x']])}&preset=&loaded=&{GOOD}")
    assert response.status_code == 400
    assert "X-Page-Url" not in response.headers
    html = response.data.decode()
    assert "kernel-editor" in partial_targets(html)
    assert 'id="err-k-0-0"' in html
    assert "kernel=emboss" in tags(html).by_id("output-image")["src"]


@pytest.mark.parametrize(
    "query, field",
    [
        ("edge=sideways", "edge"),
        ("divisor=0", "divisor"),
        ("stride=0", "stride"),
        ("repeat=11", "repeat"),
        ("origin=5,5", "origin"),
        ("x=abc", "x"),
        ("py=-3", "py"),
        ("image=nope", "image"),
        ("display=rainbow", "display"),
        ("kernel=1,2;3", "kernel"),
        ("color=rgb&display=signed", "display"),
        ("kernel=box-blur-21&dilation=2&edge=crop", None),
    ],
)
def test_bad_values_are_400_pages_naming_the_field(client, query, field):
    response = client.get(f"/?{query}")
    assert response.status_code == 400, query
    html = response.data.decode()
    assert 'class="alert"' in html
    if field:
        assert f'id="err-{field}"' in html or f'href="#{field}"' in html


def test_unknown_parameters_are_refused(client):
    response = client.get("/?kernel=blur&colour=red")
    assert response.status_code == 400
    assert "colour: is not a known parameter" in response.data.decode()


def test_unknown_view_is_refused(client):
    response = client.get("/embed?view=gallery")
    assert response.status_code == 400
    assert "view: must be one of matrix, inspect, playground" in response.data.decode()


def test_a_broken_good_state_falls_back_to_the_defaults(client):
    response = client.get(f"/?{cells([['?']])}&preset=&loaded=&good=kernel%3D%3B%3B")
    assert response.status_code == 400
    assert "kernel=sharpen" in tags(response.data).by_id("output-image")["src"]


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def test_upload_without_javascript_switches_the_picture(client):
    response = client.post(
        "/upload", data={"file": (io.BytesIO(png_bytes()), "red.png"), "back": "image=camera&kernel=blur&px=3&py=4"}
    )
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/?image=") and "kernel=blur" in location
    page = client.get(location)
    assert page.status_code == 200
    assert "Your picture" in page.data.decode()


def test_upload_of_a_bad_file_says_why(client):
    response = client.post(
        "/upload", data={"file": (io.BytesIO(b"not a picture at all"), "notes.txt"), "back": "image=camera&kernel=blur"}
    )
    assert response.status_code == 415
    page = tags(response.data)
    page.by_id("err-file")
    assert "kernel=blur" in page.by_id("play-output-image")["src"]


def test_upload_with_no_file_is_a_400(client):
    response = client.post("/upload", data={"back": "kernel=blur"})
    assert response.status_code == 400
    assert "choose a picture file first" in response.data.decode()
