"""The working size: an upload keeps its original, the engine reads a copy scaled down to at most
size × size pixels, the size is part of the permalink, and the exports reproduce the result at that size."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from imaging.images import RESAMPLING, fit_working_size, working_shape
from tests.kernels.test_export_python import run_snippet

PHOTO_SHAPE = (3000, 4000)


@pytest.fixture
def photo_id(client) -> str:
    """A 4000×3000 JPEG like a phone's, uploaded."""
    rng = np.random.default_rng(7)
    small = (rng.random((30, 40, 3)) * 255).astype(np.uint8)
    picture = Image.fromarray(small).resize(PHOTO_SHAPE[::-1], Image.Resampling.BICUBIC)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    answer = client.post("/api/images", data={"file": (io.BytesIO(buffer.getvalue()), "phone.jpg")})
    assert answer.status_code == 201 and answer.get_json()["width"] == 4000
    return answer.get_json()["id"]


def pixels(answer) -> np.ndarray:
    assert answer.status_code == 200, answer.data[:300]
    return np.asarray(Image.open(io.BytesIO(answer.data)))


@pytest.mark.parametrize(
    ("shape", "size", "expected"),
    [
        ((3000, 4000), 512, (443, 591)),
        ((4000, 3000), 512, (591, 443)),
        ((512, 512), 512, (512, 512)),
        ((400, 600), 512, (400, 600)),
        ((3000, 4000), None, (3000, 4000)),
        ((100, 100), 4096, (100, 100)),
        ((2000, 10), 64, (905, 4)),
    ],
)
def test_working_shape_keeps_the_aspect_and_never_scales_up(shape, size, expected):
    assert working_shape(*shape, size) == expected
    height, width = working_shape(*shape, size)
    if size is not None:
        assert height * width <= size * size


def test_the_copy_is_pillows_lanczos_reduction():
    rgb = np.random.default_rng(1).integers(0, 256, size=(300, 500, 3), dtype=np.uint8)
    copy = fit_working_size(rgb, 128)
    expected = Image.fromarray(rgb).resize((165, 99), RESAMPLING, reducing_gap=3.0)
    np.testing.assert_array_equal(copy, np.asarray(expected))
    assert fit_working_size(rgb, None) is rgb and fit_working_size(rgb, 512) is rgb


def test_a_phone_photo_is_read_at_the_default_working_size(client, photo_id):
    assert pixels(client.get(f"/api/input.png?image={photo_id}&color=rgb")).shape == (443, 591, 3)
    assert pixels(client.get(f"/api/input.png?image={photo_id}&size=1024")).shape == (886, 1182)
    assert pixels(client.get(f"/api/input.png?image={photo_id}&size=full")).shape == PHOTO_SHAPE
    assert pixels(client.get(f"/api/output.png?image={photo_id}&kernel=blur")).shape == (443, 591)
    explained = client.get(f"/api/explain?image={photo_id}&x=590&y=442").get_json()
    assert explained["input_x"] == 590
    assert client.get(f"/api/explain?image={photo_id}&x=591&y=0").status_code == 400


def test_the_size_is_in_the_permalink_and_the_page_says_what_it_costs(client, photo_id):
    answer = client.get(f"/?image={photo_id}&size=1024&color=rgb")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "size=1024" in answer.headers.get("X-Page-Url", "") or "size=1024" in page
    assert '<option value="1024" selected>Up to 1024²: 1182×886, about 4× the work and bytes</option>' in page
    assert '<option value="full">As uploaded: 4000×3000, about 46× the work and bytes</option>' in page
    assert "the kernel runs\n    on a copy of 1182×886" in page
    default = client.get(f"/?image={photo_id}").get_data(as_text=True)
    assert "size=" not in default.split('id="play-output-image"')[1].split(">")[0]


@pytest.mark.parametrize("value", ["0", "31", "4097", "big", "1.5", "-512"])
def test_a_bad_size_is_refused_with_what_is_allowed(client, value):
    answer = client.get(f"/api/output.png?image=astronaut&size={value}")
    assert answer.status_code == 400
    body = answer.get_json()
    assert body["field"] == "size" and "from 32 to 4096" in body["error"] and "full" in body["error"]
    page = client.get(f"/?image=astronaut&kernel=blur&size={value}")
    assert page.status_code == 400 and "from 32 to 4096" in page.get_data(as_text=True)


@pytest.mark.parametrize("fmt", ["numpy", "scipy", "opencv"])
def test_exports_reproduce_the_result_at_a_working_size(client, photo_id, fmt):
    state = f"image={photo_id}&size=96&kernel=sobel-left&edge=mirror&color=rgb"
    image = pixels(client.get(f"/api/input.png?{state}")).astype(np.float64)
    assert image.shape[:2] == working_shape(*PHOTO_SHAPE, 96)
    raw = client.get(f"/api/convolve?{state}").get_json()
    expected = np.asarray(raw["raw"], dtype=np.float64)
    result = run_snippet(client.get(f"/api/export?{state}&format={fmt}").text, image)
    np.testing.assert_allclose(result, expected, atol=1e-3)
