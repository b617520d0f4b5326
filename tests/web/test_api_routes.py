"""Every /api route against the engine it wraps: same numbers, right shapes, cache headers."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from imaging.images import to_engine_input
from imaging.samples import load_sample
from kernels.engine import filter_image
from kernels.options import Options
from kernels.teaching.display import render
from kernels.teaching.explain import explain


def png_pixels(body: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(body)))


def test_samples_lists_photos_and_patterns(client):
    response = client.get("/api/samples")
    assert response.status_code == 200
    names = {s["name"] for s in response.get_json()}
    assert {"astronaut", "camera", "face", "impulse", "checkerboard"} <= names


def test_presets_carry_rows_text_sum_and_separability(client):
    presets = {p["name"]: p for p in client.get("/api/presets").get_json()}
    assert presets["sharpen"]["sum"] == pytest.approx(1.0)
    assert presets["blur"]["separable"] is True
    assert presets["sharpen"]["separable"] is False
    assert all(p["text"] and p["title"] for p in presets.values())


def test_input_png_is_the_luma_the_engine_reads(client):
    body = client.get("/api/input.png?image=face").data
    expected = to_engine_input(load_sample("face"), "gray")
    assert np.array_equal(png_pixels(body), expected.astype(np.uint8))


def test_input_png_in_rgb_is_the_image_itself(client):
    body = client.get("/api/input.png?image=chelsea&color=rgb").data
    assert np.array_equal(png_pixels(body), load_sample("chelsea"))


@pytest.mark.parametrize(
    "query, options, display",
    [
        ("kernel=sharpen", Options(), "clamp"),
        ("kernel=sobel-left&display=abs&edge=wrap", Options(edge="wrap"), "abs"),
        (
            "kernel=1,2;3,4;5,6&op=convolve&edge=mirror&display=midgray",
            Options(op="convolve", edge="mirror"),
            "midgray",
        ),
        (
            "kernel=emboss&stride=2,3&dilation=2&edge=crop&display=stretch",
            Options(stride=(2, 3), dilation=(2, 2), edge="crop"),
            "stretch",
        ),
        (
            "kernel=1,1,1&normalize=1&divisor=1/2&offset=-10&repeat=3&edge=symmetric",
            Options(normalize=True, divisor=0.5, offset=-10, repeat=3, edge="symmetric"),
            "clamp",
        ),
    ],
)
def test_output_png_equals_engine_render(client, query, options, display):
    from web.query.state import parse_state

    presets = client.application.extensions["image_kernels"].presets
    state = parse_state(dict(pair.split("=") for pair in query.split("&")), presets)
    image = to_engine_input(load_sample("face"), "gray")
    expected = render(filter_image(image, state.kernel, options).raw, display)
    body = client.get(f"/api/output.png?image=face&{query}").data
    assert np.array_equal(png_pixels(body), expected)


def test_output_png_rgb_and_signed(client):
    image = to_engine_input(load_sample("face"), "rgb")
    kernel = np.array([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]])
    rgb = client.get("/api/output.png?image=face&color=rgb&kernel=sobel-left").data
    assert np.array_equal(png_pixels(rgb), render(filter_image(image, kernel).raw, "clamp"))
    signed = png_pixels(client.get("/api/output.png?image=face&kernel=sobel-left&display=signed").data)
    assert signed.shape == (32, 32, 3)


def test_output_png_has_validators_and_answers_304(client):
    first = client.get("/api/output.png?image=face&kernel=outline")
    assert first.headers["Cache-Control"].startswith("public")
    etag = first.headers["ETag"]
    again = client.get("/api/output.png?image=face&kernel=outline", headers={"If-None-Match": etag})
    assert again.status_code == 304
    other = client.get("/api/output.png?image=face&kernel=outline&edge=wrap")
    assert other.headers["ETag"] != etag


def test_same_weights_spelled_differently_share_an_etag(client):
    by_name = client.get("/api/output.png?image=face&kernel=identity").headers["ETag"]
    by_rows = client.get("/api/output.png?image=face&kernel=0,0,0;0,1,0;0,0,0").headers["ETag"]
    assert by_name == by_rows


def test_convolve_returns_raw_floats(client):
    body = client.get("/api/convolve?image=face&kernel=sobel-left&edge=mirror").get_json()
    image = to_engine_input(load_sample("face"), "gray")
    kernel = np.array([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]])
    expected = filter_image(image, kernel, Options(edge="mirror")).raw
    assert (body["width"], body["height"], body["channels"]) == (32, 32, 1)
    np.testing.assert_allclose(np.array(body["raw"]), expected, atol=1e-4)
    assert body["method"] in {"direct", "separable", "fft"}
    assert np.array(body["raw"]).min() < 0  # raw means before display: negatives survive


def test_convolve_rgb_has_a_list_per_pixel(client):
    body = client.get("/api/convolve?image=face&color=rgb&kernel=blur&stride=4").get_json()
    assert (body["width"], body["height"], body["channels"]) == (8, 8, 3)
    assert np.array(body["raw"]).shape == (8, 8, 3)


def test_convolve_refuses_huge_outputs_with_413(client):
    buffer = io.BytesIO()
    Image.new("RGB", (1100, 1000), (9, 9, 9)).save(buffer, "PNG")
    image_id = client.post("/api/images", data={"file": (io.BytesIO(buffer.getvalue()), "big.png")}).get_json()["id"]
    assert client.get(f"/api/convolve?image={image_id}&size=full&stride=2").status_code == 200
    response = client.get(f"/api/convolve?image={image_id}&size=full")
    assert response.status_code == 413
    assert response.get_json()["field"] == "image"
    assert "1,048,576" in response.get_json()["error"]


def test_explain_matches_the_engine(client):
    body = client.get("/api/explain?image=face&kernel=sobel-top&x=31&y=0&edge=wrap").get_json()
    image = to_engine_input(load_sample("face"), "gray")
    kernel = np.array([[1.0, 2, 1], [0, 0, 0], [-1, -2, -1]])
    expected = explain(image, kernel, Options(edge="wrap"), "clamp", 31, 0).to_json()
    assert body["x"] == 31 and body["y"] == 0
    channel = body["channels"][0]
    assert channel["name"] == "gray"
    assert channel["sum"] == pytest.approx(expected["channels"][0]["sum"], abs=1e-4)
    assert channel["stored"] == expected["channels"][0]["stored"]
    assert channel["sources"][0][0] == [31, 30]  # wrap: above row 0 is row 31


def test_explain_rgb_has_three_channels(client):
    body = client.get("/api/explain?image=face&color=rgb&x=5&y=6").get_json()
    assert [c["name"] for c in body["channels"]] == ["R", "G", "B"]


def test_upload_then_use_the_id(client):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), (200, 100, 50)).save(buffer, "PNG")
    response = client.post("/api/images", data={"file": (io.BytesIO(buffer.getvalue()), "x.png")})
    assert response.status_code == 201
    body = response.get_json()
    assert (body["width"], body["height"]) == (20, 10)
    out = client.get(f"/api/output.png?image={body['id']}&kernel=identity")
    assert out.status_code == 200
    assert png_pixels(out.data).shape == (10, 20)


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


@pytest.mark.parametrize("fmt", ["json", "csv", "numpy", "scipy", "opencv", "pytorch", "imagemagick", "gimp"])
def test_export_every_format(client, fmt):
    response = client.get(f"/api/export?image=face&kernel=sobel-left&edge=wrap&format={fmt}")
    assert response.status_code == 200
    assert response.data
    assert "filename=" in response.headers["Content-Disposition"]


def test_export_numpy_snippet_reproduces_the_raw_result(client):
    query = "image=face&kernel=emboss&op=convolve&edge=symmetric&stride=2&repeat=2"
    code = client.get(f"/api/export?{query}&format=numpy").get_data(as_text=True)
    namespace = {"image": to_engine_input(load_sample("face"), "gray").astype(np.float64)}
    exec(code, namespace)
    raw = np.array(client.get(f"/api/convolve?{query}").get_json()["raw"])
    np.testing.assert_allclose(namespace["result"], raw, atol=1e-3)


def test_export_refuses_an_unknown_format(client):
    response = client.get("/api/export?image=face&format=matlab")
    assert response.status_code == 400
    assert response.get_json()["field"] == "format"
