"""The bundled samples: list, pixels, caching, patterns, provenance and licences."""

from __future__ import annotations

import json
import re
from dataclasses import asdict

import numpy as np
import pytest
from PIL import Image

from imaging import samples
from kernels.errors import InputError

REQUIRED = {"astronaut", "camera", "chelsea", "coffee", "brick", "face", "checkerboard", "step", "gradient", "impulse"}


def test_the_list_has_every_required_sample_with_clean_names():
    listed = samples.list_samples()
    names = [sample.name for sample in listed]
    assert set(names) == REQUIRED
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", name) for name in names)
    assert {sample.kind for sample in listed} == {"photo", "pattern"}
    for sample in listed:
        assert sample.title and sample.credit and sample.licence and sample.alt
        assert sample.width > 0 and sample.height > 0


def test_the_list_is_json_ready():
    text = json.dumps([asdict(sample) for sample in samples.list_samples()])
    assert json.loads(text)[0]["name"] == "astronaut"


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_every_sample_loads_as_read_only_rgb_of_its_listed_size(name):
    sample = samples.get_sample(name)
    pixels = samples.load_sample(name)
    assert pixels.dtype == np.uint8
    assert pixels.shape == (sample.height, sample.width, 3)
    assert not pixels.flags.writeable
    with pytest.raises(ValueError):
        pixels[0, 0, 0] = 1
    assert samples.load_sample(name) is pixels  # decoded once, then shared


def test_astronaut_is_the_512_rgb_photo():
    pixels = samples.load_sample("astronaut")
    assert pixels.shape == (512, 512, 3)
    assert not (pixels[..., 0] == pixels[..., 1]).all()  # really colour


def test_grey_photos_have_equal_channels():
    for name in ("camera", "brick"):
        pixels = samples.load_sample(name)
        assert (pixels[..., 0] == pixels[..., 1]).all() and (pixels[..., 1] == pixels[..., 2]).all()


def test_face_is_the_astronauts_face_reduced_to_32():
    astronaut = Image.fromarray(np.ascontiguousarray(samples.load_sample("astronaut")))
    expected = np.asarray(astronaut.crop((174, 64, 270, 160)).reduce(3))
    assert np.array_equal(samples.load_sample("face"), expected)


@pytest.mark.parametrize("name", ["nope", "", "Astronaut", "../imaging/data/samples/astronaut", "face.png", "LICENSES"])
def test_unknown_names_name_the_image_field(name):
    with pytest.raises(InputError) as refused:
        samples.load_sample(name)
    assert refused.value.field == "image"
    assert "astronaut" in str(refused.value)


def test_checkerboard_has_8_pixel_squares():
    grey = samples.load_sample("checkerboard")[..., 0]
    assert grey.shape == (64, 64)
    assert grey[0, 0] == 255 and grey[0, 8] == 0 and grey[8, 0] == 0 and grey[8, 8] == 255
    assert (grey[:8, :8] == 255).all() and (grey[:8, 8:16] == 0).all()
    assert set(np.unique(grey).tolist()) == {0, 255}


def test_step_is_one_vertical_edge():
    grey = samples.load_sample("step")[..., 0]
    assert (grey[:, :32] == samples.STEP_DARK).all()
    assert (grey[:, 32:] == samples.STEP_BRIGHT).all()


def test_gradient_is_a_horizontal_ramp():
    grey = samples.load_sample("gradient")[..., 0]
    assert grey.shape == (64, 256)
    assert (grey == np.arange(256)).all()


def test_impulse_is_one_white_pixel_in_the_centre():
    pixels = samples.load_sample("impulse")
    assert pixels.shape == (33, 33, 3)
    assert (pixels[16, 16] == 255).all()
    assert np.count_nonzero(pixels) == 3


def test_every_photo_file_is_credited_and_nothing_unlisted_is_shipped():
    licences = (samples.SAMPLES_DIR / "LICENSES.md").read_text()
    photos = {s.name for s in samples.list_samples() if s.kind == "photo"}
    shipped = {path.stem for path in samples.SAMPLES_DIR.glob("*.png")}
    assert shipped == photos
    for name in photos:
        assert f"`{name}.png`" in licences
    assert "CC0" in licences and "Public domain" in licences


def test_photo_files_are_small_and_hold_what_the_list_says():
    for sample in samples.list_samples():
        if sample.kind != "photo":
            continue
        path = samples.SAMPLES_DIR / f"{sample.name}.png"
        assert path.stat().st_size < 600_000
        with Image.open(path) as image:
            assert image.size == (sample.width, sample.height)
            assert image.mode in ("RGB", "L")
