"""POST /api/frame: a camera frame through the kernel equals the same picture uploaded and filtered, every
refusal is a clear 4xx before any work, and nothing is kept."""

from __future__ import annotations

import html
import io
from pathlib import Path

import numpy as np
import pytest
from limits import parse_many
from PIL import Image

from app import create_app
from imaging.frames import LOSSY_MIN_WIDTH, MAX_FRAME_BYTES
from imaging.preview import MIN_PSNR_DB, psnr_db
from imaging.samples import load_sample


def encoded(pixels: np.ndarray, fmt: str = "JPEG", **options) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, fmt, **options)
    return buffer.getvalue()


def camera_frame(width: int = 320, height: int = 240) -> bytes:
    """A 320×240 JPEG at quality 80, as the page sends: a corner of the astronaut photo."""
    return encoded(np.ascontiguousarray(load_sample("astronaut")[100 : 100 + height, 150 : 150 + width]), quality=80)


def pixels_of(body: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(body)))


def post_frame(client, data: bytes, query: str = "", content_type: str = "image/jpeg", **kwargs):
    return client.post(f"/api/frame?{query}", data=data, content_type=content_type, **kwargs)


def make(tmp_path: Path, **config):
    return create_app({"TESTING": True, "UPLOAD_FOLDER": str(tmp_path / "uploads"), **config}).test_client()


@pytest.mark.parametrize(
    "query",
    [
        "kernel=sharpen",
        "kernel=outline&color=rgb&edge=wrap",
        "kernel=sobel-left&display=abs&normalize=1",
        "kernel=emboss&display=signed",
        "kernel=gaussian(5,1)&color=rgb&display=stretch&op=convolve",
        "kernel=sobel-left&combine=magnitude&color=rgb",
        "kernel=sobel-left&combine=direction",
        "kernel=blur&stride=2&color=rgb",
        "kernel=outline&stride=3&edge=crop",
        "kernel=sharpen&size=64&color=rgb",
    ],
)
def test_a_frame_is_the_output_of_the_same_picture_uploaded(client, query):
    frame = camera_frame()
    answer = post_frame(client, frame, query)
    assert answer.status_code == 200, answer.get_json()
    assert answer.headers["Cache-Control"] == "no-store"
    upload = client.post("/api/images", data={"file": (io.BytesIO(frame), "frame.jpg")}).get_json()
    exact = pixels_of(client.get(f"/api/output.png?image={upload['id']}&{query}").data)
    shown = pixels_of(answer.data)
    assert shown.shape == exact.shape
    if exact.shape[1] >= LOSSY_MIN_WIDTH:
        assert answer.mimetype == "image/jpeg"
        assert psnr_db(exact, shown) >= MIN_PSNR_DB
    else:  # a narrow output (a stride) is drawn blown up: it comes exact
        assert answer.mimetype == "image/png"
        assert np.array_equal(exact, shown)


@pytest.mark.parametrize(("fmt", "media_type"), [("PNG", "image/png"), ("WEBP", "image/webp")])
def test_png_and_webp_frames_are_taken_too(client, fmt, media_type):
    pixels = np.ascontiguousarray(load_sample("astronaut")[:240, :320])
    options = {"lossless": True} if fmt == "WEBP" else {}
    answer = post_frame(client, encoded(pixels, fmt, **options), "kernel=identity&color=rgb", media_type)
    assert answer.status_code == 200
    assert psnr_db(pixels, pixels_of(answer.data)) >= MIN_PSNR_DB


def test_a_frame_held_upright_is_taken(client):
    pixels = np.zeros((1280, 720, 3), dtype=np.uint8)
    assert post_frame(client, encoded(pixels), "kernel=blur&size=64").status_code == 200


def test_image_and_compare_are_read_and_ignored(client):
    answer = post_frame(client, camera_frame(), "image=not-an-upload&compare=blur|sharpen&kernel=outline")
    plain = post_frame(client, camera_frame(), "kernel=outline")
    assert answer.status_code == 200 and answer.data == plain.data


@pytest.mark.parametrize(
    ("content_type", "data", "received"),
    [
        ("text/plain", b"hello", "text/plain"),
        ("application/octet-stream", camera_frame(), "application/octet-stream"),
        ("image/gif", encoded(np.zeros((8, 8, 3), np.uint8), "GIF"), "image/gif"),
        ("", camera_frame(), "no Content-Type"),
    ],
)
def test_another_media_type_is_415_naming_the_three_allowed(client, content_type, data, received):
    answer = post_frame(client, data, "kernel=blur", content_type)
    assert answer.status_code == 415
    body = answer.get_json()
    assert body["field"] == "frame"
    assert "image/jpeg, image/png or image/webp" in body["error"] and received in body["error"]


def test_a_body_that_is_not_what_its_type_says_is_415(client):
    answer = post_frame(client, encoded(np.zeros((8, 8, 3), np.uint8), "PNG"), "kernel=blur", "image/jpeg")
    assert answer.status_code == 415
    assert "is a PNG picture but was sent as JPEG" in answer.get_json()["error"]
    text = post_frame(client, b"just some text, not a picture", "kernel=blur")
    assert text.status_code == 415 and "text, not a picture" in text.get_json()["error"]


def test_more_than_a_megabyte_is_413_before_the_body_is_read(client, monkeypatch):
    monkeypatch.setattr("web.routes.frame.check_body", lambda *a: pytest.fail("the body was read"))
    answer = post_frame(client, b"\xff\xd8\xff" + bytes(MAX_FRAME_BYTES), "kernel=blur")
    assert answer.status_code == 413
    body = answer.get_json()
    assert body["field"] == "frame" and "at most 1,048,576 bytes (1 MB)" in body["error"]
    assert f"{MAX_FRAME_BYTES + 3:,} bytes" in body["error"]


@pytest.mark.parametrize(("width", "height"), [(1281, 16), (16, 1281), (1000, 1000)])
def test_too_many_pixels_is_413_before_decoding(client, monkeypatch, width, height):
    monkeypatch.setattr("web.routes.frame.decode_frame", lambda *a: pytest.fail("the frame was decoded"))
    answer = post_frame(client, encoded(np.zeros((height, width, 3), np.uint8), "PNG"), "kernel=blur", "image/png")
    assert answer.status_code == 413
    message = answer.get_json()["error"]
    assert "at most 1280 px a side and 921,600 pixels in all (1280×720)" in message
    assert f"{width}×{height} px" in message


@pytest.mark.parametrize("cut", [20, 2000])
def test_a_truncated_frame_is_400(client, cut):
    answer = post_frame(client, camera_frame()[:cut], "kernel=blur")
    assert answer.status_code == 400
    body = answer.get_json()
    assert body["field"] == "frame" and "truncated or damaged" in body["error"]


def test_an_empty_body_is_400(client):
    answer = post_frame(client, b"", "kernel=blur")
    assert answer.status_code == 400 and "is empty" in answer.get_json()["error"]


def test_a_bad_state_is_400_naming_its_field(client):
    for query, field in (("kernel=nope", "kernel"), ("divisor=0", "divisor"), ("color=rgb&display=signed", "display")):
        answer = post_frame(client, camera_frame(), query)
        assert answer.status_code == 400 and answer.get_json()["field"] == field, query
    assert post_frame(client, camera_frame(), "x=3").get_json()["field"] == "x"


def test_over_the_budget_is_422_before_decoding_or_computing(client, monkeypatch):
    monkeypatch.setattr("web.routes.frame.decode_frame", lambda *a: pytest.fail("the frame was decoded"))
    monkeypatch.setattr("web.services.frame_work.filter_image", lambda *a, **k: pytest.fail("the engine ran"))
    answer = post_frame(client, camera_frame(), "kernel=box(63)&dilation=32&repeat=10&color=rgb")
    assert answer.status_code == 422
    body = answer.get_json()
    assert body["field"] == "dilation"
    assert "too much work for this server" in body["error"] and "the limit is 2 s a request" in body["error"]


def test_the_budget_counts_the_frame_at_its_own_size(tmp_path):
    client = make(tmp_path, REQUEST_BUDGET_SECONDS=0.01)  # about 0.03 s modelled at 320×240, 0.003 s at 48×32
    query = "kernel=log(31,4)&color=rgb"
    assert post_frame(client, camera_frame(), query).status_code == 422
    assert post_frame(client, camera_frame(48, 32), query).status_code == 200


def test_heavy_frames_run_on_the_heavy_thread(tmp_path, monkeypatch):
    client = make(tmp_path, HEAVY_SECONDS=0.0)
    services = client.application.extensions["image_kernels"]
    ran = []
    original = services.heavy.run

    def run(work, seconds):
        ran.append(seconds)
        original(work, seconds)

    monkeypatch.setattr(services.heavy, "run", run)
    assert post_frame(client, camera_frame(), "kernel=sharpen").status_code == 200
    assert len(ran) == 1


def test_frames_have_their_own_rate_limit_with_retry_after(tmp_path):
    client = make(tmp_path, FRAME_RATE_LIMIT="3 per minute", RENDER_RATE_LIMIT="2 per minute")
    frame = camera_frame()
    assert [post_frame(client, frame, "kernel=blur").status_code for _ in range(3)] == [200, 200, 200]
    refused = post_frame(client, frame, "kernel=blur")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "too many camera frames from your network" in refused.get_json()["error"]
    assert client.get("/api/output.png?image=face&kernel=blur").status_code == 200  # renders count apart
    other = post_frame(client, frame, "kernel=blur", environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert other.status_code == 200


def test_the_rate_limit_refuses_before_anything_is_read(tmp_path, monkeypatch):
    client = make(tmp_path, FRAME_RATE_LIMIT="1 per minute")
    assert post_frame(client, camera_frame(), "kernel=blur").status_code == 200
    monkeypatch.setattr("web.routes.frame.check_media_type", lambda *a: pytest.fail("the request was read"))
    assert post_frame(client, camera_frame(), "kernel=blur").status_code == 429


def test_the_default_frame_limit_lets_a_class_stream(app):
    per_second = [limit.amount / limit.get_expiry() for limit in parse_many(app.config["FRAME_RATE_LIMIT"])]
    assert min(per_second) >= 30 * 15  # 30 students behind one address, 15 frames a second each


def test_nothing_is_stored_or_cached(tmp_path):
    client = make(tmp_path)
    services = client.application.extensions["image_kernels"]
    folder = tmp_path / "uploads"
    before = sorted(folder.rglob("*")) if folder.exists() else []
    for query in ("kernel=sharpen", "kernel=sobel-left&combine=magnitude", "kernel=blur&color=rgb"):
        assert post_frame(client, camera_frame(), query).status_code == 200
    after = sorted(folder.rglob("*")) if folder.exists() else []
    assert after == before
    caches = (services.inputs, services.results, services.pngs, services.picture_keys, services.histograms)
    assert all(not cache._items for cache in caches)


def test_the_camera_is_allowed_for_this_site_only(client):
    policy = client.get("/").headers["Permissions-Policy"]
    assert "camera=(self)" in policy and "microphone=()" in policy


def test_the_camera_view_and_its_snippet(client):
    page = client.get("/embed?view=camera&kernel=outline&color=rgb")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<h1>Live camera</h1>" in text and "data-camera" in text
    assert 'name="color" value="rgb" checked' in text  # the colour mode can be changed in the frame
    index = html.unescape(client.get("/").get_data(as_text=True))
    snippet = next(line for line in index.splitlines() if "view=camera" in line and "<iframe" in line)
    assert 'allow="camera"' in snippet and 'width="760"' in snippet
    assert 'href="#camera"' in index and 'id="camera"' in index
    refused = client.get("/embed?view=camera&display=signed&color=rgb")  # what frames would refuse, by its field
    assert refused.status_code == 400 and "signed shows one channel" in refused.get_data(as_text=True)
