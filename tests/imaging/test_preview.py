"""The pictures the page shows: small JPEG previews of photos within 35 dB of the exact output, exact PNGs
for anything drawn blown up, and the exact PNG for downloads and the API."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from imaging import samples
from imaging.images import to_engine_input
from imaging.preview import LOSSY_MIN_WIDTH, MIN_PSNR_DB, encode_preview, is_lossy_size, psnr_db
from kernels.engine import filter_image
from kernels.library.presets import load_presets
from kernels.teaching.display import render

SETOSA = ("identity", "blur", "sharpen", "emboss", "outline", "sobel-left", "sobel-right", "sobel-top", "sobel-bottom")
PHOTOS = [s.name for s in samples.list_samples() if s.kind == "photo" and s.width >= LOSSY_MIN_WIDTH]
PRESETS = load_presets(None)


def decoded(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)))


@pytest.mark.parametrize("color", ["gray", "rgb"])
@pytest.mark.parametrize("photo", PHOTOS)
def test_every_photo_under_every_setosa_kernel_is_visually_lossless(photo, color):
    image = to_engine_input(samples.load_sample(photo), color)
    for name in SETOSA:
        exact = render(filter_image(image, PRESETS[name].weights).raw, "clamp")
        preview = encode_preview(exact)
        assert preview.media_type == "image/jpeg", (photo, color, name)
        fidelity = psnr_db(exact, decoded(preview.data))
        assert fidelity >= 35.0 and fidelity == pytest.approx(preview.psnr_db), (photo, color, name)


def test_the_photos_checked_are_the_bundled_ones():
    assert set(PHOTOS) == {"astronaut", "camera", "chelsea", "coffee", "brick"}


@pytest.mark.parametrize("name", ["face", "checkerboard", "step", "gradient", "impulse"])
def test_small_pictures_and_patterns_stay_lossless(name):
    for color in ("gray", "rgb"):
        exact = render(
            filter_image(to_engine_input(samples.load_sample(name), color), PRESETS["sharpen"].weights).raw, "clamp"
        )
        preview = encode_preview(exact)
        assert preview.media_type == "image/png" and not preview.lossy
        np.testing.assert_array_equal(decoded(preview.data), exact)


def test_a_picture_no_step_reaches_is_sent_losslessly():
    noise = np.random.default_rng(3).integers(0, 256, size=(64, 400, 3), dtype=np.uint8)
    preview = encode_preview(noise)
    if preview.lossy:  # a JPEG is only sent when it meets the bound
        assert psnr_db(noise, decoded(preview.data)) >= MIN_PSNR_DB
    else:
        np.testing.assert_array_equal(decoded(preview.data), noise)


def test_magnified_sizes_are_lossless():
    assert not is_lossy_size(LOSSY_MIN_WIDTH - 1, 600) and is_lossy_size(LOSSY_MIN_WIDTH, 300)


def test_the_preview_routes_answer_jpeg_for_photos_and_png_for_the_face(client):
    query = "image=astronaut&color=rgb&kernel=sharpen"
    preview = client.get(f"/api/preview/output?{query}")
    exact = client.get(f"/api/output.png?{query}")
    assert preview.mimetype == "image/jpeg" and exact.mimetype == "image/png"
    assert len(preview.data) <= 225_000 < len(exact.data)
    assert psnr_db(decoded(exact.data)[..., :3], decoded(preview.data)) >= 35.0
    face = client.get("/api/preview/output?image=face&kernel=sharpen")
    assert face.mimetype == "image/png"
    np.testing.assert_array_equal(decoded(face.data), decoded(client.get("/api/output.png?image=face").data))
    picture = client.get(f"/api/preview/input?{query}")
    assert picture.mimetype == "image/jpeg"
    assert psnr_db(decoded(client.get(f"/api/input.png?{query}").data), decoded(picture.data)) >= 35.0


def test_pictures_have_strong_etags_and_a_shared_lifetime(client):
    for url in (
        "/api/preview/output?image=camera&kernel=blur",
        "/api/preview/input?image=camera",
        "/api/output.png?image=camera&kernel=blur",
    ):
        answer = client.get(url)
        etag, weak = answer.get_etag()
        assert etag and not weak
        assert answer.headers["Cache-Control"] == "public, max-age=3600, s-maxage=86400"
        again = client.get(url, headers={"If-None-Match": f'"{etag}"'})
        assert again.status_code == 304 and not again.data
    same = client.get("/api/preview/output?image=camera&kernel=1/16,1/8,1/16;1/8,1/4,1/8;1/16,1/8,1/16")
    assert same.get_etag() == client.get("/api/preview/output?image=camera&kernel=blur").get_etag()


def test_the_page_shows_previews_downloads_the_exact_png_and_says_so(client):
    page = client.get("/?image=astronaut&color=rgb&kernel=sharpen").get_data(as_text=True)
    assert 'id="play-output-image" src="/api/preview/output?image=astronaut&amp;kernel=sharpen&amp;color=rgb"' in page
    assert 'href="/api/output.png?image=astronaut&amp;kernel=sharpen&amp;color=rgb" download=' in page
    assert "JPEG previews within 35 dB of the" in page
    small = client.get("/?image=checkerboard&kernel=sharpen").get_data(as_text=True)
    assert "JPEG previews" not in small
