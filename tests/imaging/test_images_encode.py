"""encode_png and to_engine_input."""

from __future__ import annotations

import io
import statistics
import time

import numpy as np
import pytest
from PIL import Image

from imaging.images import encode_png, to_engine_input
from kernels.errors import InputError


def decoded(body: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(body))
    assert image.format == "PNG"
    return np.asarray(image)


def noise(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


@pytest.mark.parametrize("compact", [False, True])
@pytest.mark.parametrize("shape", [(1, 1), (7, 5), (33, 64), (7, 5, 3), (1, 9, 3), (40, 31, 3)])
def test_png_round_trips_bit_for_bit(shape, compact):
    pixels = noise(shape)
    body = encode_png(pixels, compact=compact)
    image = Image.open(io.BytesIO(body))
    assert image.mode == ("L" if len(shape) == 2 else "RGB")
    assert np.array_equal(decoded(body), pixels)


def test_views_and_single_channel_arrays_are_accepted():
    pixels = noise((20, 30, 3), seed=1)
    view = pixels[2:18:2, ::-3]  # not contiguous
    assert np.array_equal(decoded(encode_png(view)), view)
    assert np.array_equal(decoded(encode_png(pixels[:, :, :1])), pixels[:, :, 0])
    read_only = pixels.copy()
    read_only.setflags(write=False)
    assert np.array_equal(decoded(encode_png(read_only, compact=True)), pixels)


def test_compact_is_smaller_for_smooth_images():
    ramp = np.tile(np.arange(256, dtype=np.uint8), (64, 1))
    assert len(encode_png(ramp, compact=True)) < len(encode_png(ramp)) / 10


@pytest.mark.parametrize(
    "pixels",
    [np.zeros((4, 4), np.float32), np.zeros((4, 4, 4), np.uint8), np.zeros((4,), np.uint8), np.zeros((0, 4), np.uint8)],
)
def test_bad_arrays_are_programming_errors(pixels):
    with pytest.raises(ValueError):
        encode_png(pixels)


def test_fast_encoding_of_512_rgb_takes_a_few_milliseconds():
    pixels = noise((512, 512, 3), seed=2)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        encode_png(pixels)
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.010  # about 1 ms when the machine is quiet


def test_gray_is_pillows_luma_exactly():
    rgb = noise((17, 23, 3), seed=3)
    rgb[0, :4] = [(255, 255, 255), (255, 0, 0), (0, 255, 0), (0, 0, 255)]
    gray = to_engine_input(rgb, "gray")
    assert gray.dtype == np.float32
    assert gray.shape == (17, 23)
    expected = np.asarray(Image.fromarray(rgb).convert("L"))
    assert np.array_equal(gray, expected.astype(np.float32))
    assert gray[0, :4].tolist() == [255, 76, 150, 29]  # ITU-R 601-2 weights, rounded by Pillow


def test_rgb_is_the_channels_as_float32():
    rgb = noise((6, 4, 3), seed=4)
    engine = to_engine_input(rgb, "rgb")
    assert engine.dtype == np.float32
    assert engine.shape == (6, 4, 3)
    assert np.array_equal(engine, rgb)
    engine[0, 0, 0] = -1  # a fresh array: changing it leaves the image alone
    assert rgb[0, 0, 0] >= 0


def test_read_only_and_non_contiguous_inputs_work():
    rgb = noise((10, 10, 3), seed=5)
    rgb.setflags(write=False)
    view = rgb[::2, 1::3]
    expected = np.asarray(Image.fromarray(np.ascontiguousarray(view)).convert("L"))
    assert np.array_equal(to_engine_input(view, "gray"), expected)


def test_unknown_colour_mode_names_the_field():
    with pytest.raises(InputError) as refused:
        to_engine_input(noise((2, 2, 3)), "cmyk")
    assert refused.value.field == "color"
    assert "gray, rgb" in str(refused.value)
