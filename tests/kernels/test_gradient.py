"""Gradient magnitude and direction from two kernels, against SciPy, and the direction-as-hue image."""

from __future__ import annotations

import colorsys

import numpy as np
import pytest
from scipy import ndimage

from kernels.engine import filter_image
from kernels.errors import InputError
from kernels.library.generators import scharr, sobel
from kernels.options import EDGE_MODES, Options
from kernels.teaching import gradient as gr
from kernels.teaching.display import render

IMAGE = np.random.default_rng(11).uniform(0, 255, (13, 17)).astype(np.float32)
SCIPY_MODES = {"extend": "nearest", "wrap": "wrap", "mirror": "mirror", "symmetric": "reflect", "constant": "constant"}


def scipy_reference(image, kx, ky, edge, cval=0.0):
    """hypot and atan2 of two SciPy correlations, with each edge mode written in SciPy's terms."""
    if edge in ("crop", "kernel-crop"):
        # crop keeps the positions where the kernel fits; a zero-sum kernel is never rescaled by
        # kernel-crop, so skipping the taps outside is reading zeros there.
        gx = ndimage.correlate(image.astype(np.float64), kx, mode="constant", cval=0.0)
        gy = ndimage.correlate(image.astype(np.float64), ky, mode="constant", cval=0.0)
        if edge == "crop":
            h, w = kx.shape[0] // 2, kx.shape[1] // 2
            gx, gy = gx[h:-h, w:-w], gy[h:-h, w:-w]
    else:
        mode = SCIPY_MODES[edge]
        gx = ndimage.correlate(image.astype(np.float64), kx, mode=mode, cval=cval)
        gy = ndimage.correlate(image.astype(np.float64), ky, mode=mode, cval=cval)
    return np.hypot(gx, gy), np.degrees(np.arctan2(gy, gx))


@pytest.mark.parametrize("edge", EDGE_MODES)
@pytest.mark.parametrize("size", [3, 5])
def test_magnitude_and_direction_match_scipy(edge, size):
    kx, ky = sobel("x", size), sobel("y", size)
    options = Options(edge=edge, cval=40.0)
    result = gr.gradient(IMAGE, kx, ky, options)
    magnitude, angle = scipy_reference(IMAGE, kx, ky, edge, cval=40.0)
    # Gx and Gy are each within 1e-4 × their largest value of exact arithmetic (the engine's guarantee).
    bound = 2e-4 * max(1.0, float(np.abs(magnitude).max()))
    np.testing.assert_allclose(result.magnitude, magnitude, rtol=0, atol=bound)
    strong = magnitude > 100 * bound  # where the angle is well defined
    difference = (result.direction - angle + 180) % 360 - 180
    assert np.all(np.abs(difference[strong]) <= np.degrees(2 * bound / magnitude[strong]))


def test_rgb_channels_are_combined_one_by_one():
    image = np.random.default_rng(4).uniform(0, 255, (9, 10, 3)).astype(np.float32)
    kx, ky = scharr("x", 3), scharr("y", 3)
    result = gr.gradient(image, kx, ky, Options(edge="wrap"))
    assert result.magnitude.shape == (9, 10, 3)
    for c in range(3):
        magnitude, _ = scipy_reference(image[:, :, c], kx, ky, "wrap")
        np.testing.assert_allclose(result.magnitude[:, :, c], magnitude, atol=1e-4 * float(magnitude.max()))


def test_direction_range_and_sign_of_zero():
    gx = np.array([-1.0, 1.0, 0.0, 0.0, 0.0, -2.0])
    gy = np.array([-0.0, 0.0, 1.0, -1.0, 0.0, 0.0])
    np.testing.assert_array_equal(gr.direction(gx, gy), [180.0, 0.0, 90.0, -90.0, 0.0, 180.0])
    assert gr.magnitude(np.array([3.0]), np.array([4.0]))[0] == 5.0


def test_step_edges_point_across_the_edge():
    image = np.zeros((9, 9), dtype=np.float32)
    image[:, 5:] = 100  # brighter to the right: +x
    result = gr.gradient(image, sobel("x", 3), sobel("y", 3))
    assert np.all(result.direction[result.magnitude > 0] == 0)
    result = gr.gradient(image.T.copy(), sobel("x", 3), sobel("y", 3))  # brighter below: +y, 90°
    assert np.all(result.direction[result.magnitude > 0] == 90)


@pytest.mark.parametrize("hue", [0.0, 0.1, 1 / 6, 0.25, 0.5, 0.6, 0.83, 0.99])
@pytest.mark.parametrize("value", [0.0, 0.3, 1.0])
def test_hsv_matches_colorsys(hue, value):
    ours = gr.hsv_to_rgb(np.array([hue]), np.array([value]))[0]
    np.testing.assert_allclose(ours, colorsys.hsv_to_rgb(hue, 1.0, value), atol=1e-12)


def test_direction_image_hue_and_brightness():
    image = np.zeros((9, 9), dtype=np.float32)
    image[:, 5:] = 100
    result = gr.gradient(image, sobel("x", 3), sobel("y", 3))
    picture = gr.direction_image(result)
    assert picture.shape == (9, 9, 3) and picture.dtype == np.uint8
    strongest = result.magnitude == result.magnitude.max()
    assert np.all(picture[strongest] == [255, 0, 0])  # 0°: red, full brightness
    assert np.all(picture[result.magnitude == 0] == 0)  # flat: black
    down = gr.direction_image(gr.gradient(image.T.copy(), sobel("x", 3), sobel("y", 3)))
    assert np.all(down[strongest.T] == [128, 255, 0])  # 90°: a quarter turn round the colour wheel
    flat = gr.gradient(np.full((5, 5), 7.0), sobel("x", 3), sobel("y", 3))
    assert not gr.direction_image(flat).any()


def test_direction_image_of_rgb_uses_the_strongest_channel():
    image = np.zeros((7, 7, 3), dtype=np.float32)
    image[:, 4:, 0] = 50  # weak red step to the right
    image[4:, :, 2] = 200  # strong blue step downwards
    result = gr.gradient(image, sobel("x", 3), sobel("y", 3))
    magnitude, angle = gr.strongest_channel(result)
    assert magnitude.shape == (7, 7)
    assert angle[4, 1] == 90 and magnitude[4, 1] == result.magnitude[4, 1, 2]
    assert angle[1, 4] == 0 and magnitude[1, 4] == result.magnitude[1, 4, 0]


@pytest.mark.parametrize(
    "mode, display", [("magnitude", "clamp"), ("magnitude", "stretch"), ("direction", "clamp"), ("magnitude", "signed")]
)
def test_described_pixels_are_the_rendered_ones(mode, display):
    result = gr.gradient(IMAGE, sobel("x", 5), sobel("y", 5), Options(edge="mirror"))
    picture = gr.render_combined(result, mode, display)
    for y, x in ((0, 0), (6, 9), (12, 16)):
        described = gr.describe_pixel(result, mode, display, x, y)
        assert np.array_equal(np.asarray(described["stored"]), picture[y, x])
        assert described["magnitude"] == pytest.approx(float(result.magnitude[y, x]))
        assert described["direction"] == pytest.approx(float(result.direction[y, x]))
    if mode == "magnitude":
        assert np.array_equal(picture, render(result.magnitude, display))


def test_described_rgb_pixels_list_each_channel():
    image = np.random.default_rng(6).uniform(0, 255, (6, 6, 3))
    result = gr.gradient(image, sobel("x", 3), sobel("y", 3))
    for mode in gr.COMBINE_MODES:
        described = gr.describe_pixel(result, mode, "clamp", 2, 3)
        assert len(described["magnitude"]) == 3 and len(described["direction"]) == 3
        assert np.array_equal(described["stored"], gr.render_combined(result, mode, "clamp")[3, 2])


def test_cached_results_are_reused():
    kx, ky = sobel("x", 3), sobel("y", 3)
    results = (filter_image(IMAGE, kx), filter_image(IMAGE, ky))
    combined = gr.gradient(IMAGE, kx, ky, results=results)
    assert combined.gx is results[0] and combined.gy is results[1]
    assert combined.raw("magnitude") is combined.magnitude and combined.raw("direction") is combined.direction


def test_refusals_name_their_field():
    with pytest.raises(InputError) as info:
        gr.gradient(IMAGE, sobel("x", 3), sobel("y", 5))
    assert info.value.field == "kernel2" and "3×3" in info.value.message
    with pytest.raises(InputError) as info:
        gr.check_mode("angle")
    assert info.value.field == "combine"
    result = gr.gradient(IMAGE, sobel("x", 3), sobel("y", 3))
    with pytest.raises(InputError):
        result.raw("phase")
