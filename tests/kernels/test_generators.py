"""Generated kernels: their formulas, sums, symmetries and limits, and the ``name(args)`` syntax."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
from scipy import signal

from kernels.engine import filter_image
from kernels.errors import InputError
from kernels.library import generators as gen
from kernels.library.presets import load_presets
from kernels.options import Options

PRESETS = load_presets()


def flip_symmetric(k: np.ndarray) -> bool:
    return np.allclose(k, k[::-1, ::-1], rtol=0, atol=1e-15)


def identity(size: int) -> np.ndarray:
    k = np.zeros((size, size))
    k[size // 2, size // 2] = 1
    return k


@pytest.mark.parametrize("size", [1, 2, 5, 63])
def test_box_is_an_average(size):
    k = gen.box(size)
    assert k.shape == (size, size)
    assert k.sum() == pytest.approx(1)
    assert np.all(k == k[0, 0])


@pytest.mark.parametrize("size, sigma", [(3, 0.8), (7, 1.5), (15, 4), (63, 20)])
def test_gaussian_is_normalised_symmetric_and_separable(size, sigma):
    k = gen.gaussian(size, sigma)
    assert k.sum() == pytest.approx(1, abs=1e-12)
    assert np.array_equal(k, k.T) and flip_symmetric(k)
    assert np.linalg.matrix_rank(k) == 1
    x = np.arange(size) - size // 2
    expected = np.exp(-(x[:, None] ** 2 + x[None, :] ** 2) / (2 * sigma**2))
    np.testing.assert_allclose(k, expected / expected.sum(), rtol=1e-12)
    assert k.argmax() == k.size // 2


def test_gaussian_tends_to_the_identity_as_sigma_goes_to_zero():
    np.testing.assert_allclose(gen.gaussian(7, 0.05), identity(7), rtol=0, atol=1e-80)
    assert np.array_equal(gen.gaussian(7, 1e-300), identity(7))
    assert gen.gaussian(7, 0.3)[3, 3] > 0.98


def test_motion_angle_zero_is_a_horizontal_line_and_ninety_vertical():
    horizontal = gen.motion(9, 0)
    expected = np.zeros((9, 9))
    expected[4, :] = 1 / 9
    np.testing.assert_allclose(horizontal, expected, atol=1e-15)
    np.testing.assert_allclose(gen.motion(9, 90), expected.T, atol=1e-15)
    np.testing.assert_allclose(gen.motion(9, 180), expected, atol=1e-15)
    np.testing.assert_allclose(gen.motion(9, -270), expected.T, atol=1e-15)


@pytest.mark.parametrize("angle", [0, 17, 30, 45, 90, 123.5, 300])
def test_motion_is_normalised_non_negative_and_point_symmetric(angle):
    k = gen.motion(11, angle)
    assert k.sum() == pytest.approx(1, abs=1e-12)
    assert k.min() >= 0
    assert flip_symmetric(k)
    np.testing.assert_allclose(k, gen.motion(11, angle + 180), atol=1e-15)
    np.testing.assert_allclose(k, gen.motion(11, angle - 360), atol=1e-15)


def test_motion_at_45_degrees_rises_to_the_right_and_is_anti_aliased():
    k = gen.motion(7, 45)
    assert k[1, 5] > 0 and k[5, 1] > 0 and k[1, 1] == 0 and k[5, 5] == 0  # up-right: the anti-diagonal
    assert k[0, 6] == 0  # the corner is 3√2 from the centre, more than a pixel past the end of the line
    np.testing.assert_allclose(k, k[::-1, ::-1].T, atol=1e-15)
    assert len(np.unique(np.round(k[k > 0], 12))) > 1  # partial coverage beside the line
    np.testing.assert_allclose(gen.motion(7, 30), gen.motion(7, 150)[:, ::-1], atol=1e-15)
    assert np.array_equal(gen.motion(1, 77), [[1.0]])


@pytest.mark.parametrize("size, sigma", [(5, 1.0), (9, 1.4), (15, 2.5), (7, 0.01)])
def test_log_is_zero_sum_with_a_negative_centre(size, sigma):
    k = gen.laplacian_of_gaussian(size, sigma)
    assert abs(k.sum()) < 1e-12 * np.abs(k).sum()
    assert k[size // 2, size // 2] == k.min() < 0
    assert np.array_equal(k, k.T) and flip_symmetric(k)
    x = np.arange(size) - size // 2
    r2 = x[:, None] ** 2 + x[None, :] ** 2
    g = np.exp(-r2 / (2 * sigma**2))
    h = g / g.sum() * (r2 - 2 * sigma**2) / sigma**4
    np.testing.assert_allclose(k, h - h.mean(), rtol=1e-9, atol=1e-12 * np.abs(h).max())


@pytest.mark.parametrize("size", [3, 5])
@pytest.mark.parametrize("dx, dy, name", [(1, 0, "sobel-x"), (0, 1, "sobel-y")])
def test_sobel_matches_opencv_deriv_kernels(size, dx, dy, name):
    kx, ky = cv2.getDerivKernels(dx, dy, size)
    expected = np.outer(ky.ravel(), kx.ravel())
    weights, _ = gen.parse_generator(f"{name}({size})")
    np.testing.assert_array_equal(weights, expected)


def test_sobel_5_filters_like_opencv_sobel():
    image = np.random.default_rng(3).uniform(0, 255, (12, 14)).astype(np.float32)
    ours = filter_image(image, gen.sobel("x", 5), Options(edge="extend")).raw
    theirs = cv2.Sobel(image, cv2.CV_64F, 1, 0, ksize=5, borderType=cv2.BORDER_REPLICATE)
    np.testing.assert_allclose(ours, theirs, atol=1e-3)


def test_scharr_3_matches_opencv_and_5_is_scharr_3_smoothed_once_more():
    kx, ky = cv2.getDerivKernels(1, 0, cv2.FILTER_SCHARR)
    np.testing.assert_array_equal(gen.scharr("x", 3), np.outer(ky.ravel(), kx.ravel()))
    binomial = np.outer([1, 2, 1], [1, 2, 1])
    np.testing.assert_array_equal(gen.scharr("x", 5), signal.convolve2d(gen.scharr("x", 3), binomial))
    np.testing.assert_array_equal(gen.sobel("x", 5), signal.convolve2d(gen.sobel("x", 3), binomial))
    np.testing.assert_array_equal(gen.scharr("y", 5), gen.scharr("x", 5).T)


def test_three_by_three_derivatives_are_the_presets():
    assert np.array_equal(gen.sobel("x", 3), PRESETS["sobel-right"].weights)
    assert np.array_equal(gen.sobel("y", 3), PRESETS["sobel-bottom"].weights)
    assert np.array_equal(gen.scharr("x", 3), PRESETS["scharr-right"].weights)
    assert np.array_equal(gen.scharr("y", 3), PRESETS["scharr-bottom"].weights)


@pytest.mark.parametrize("amount, radius", [(0, 1), (1.5, 2), (10, 0.5), (2, 20)])
def test_unsharp_is_identity_plus_amount_times_detail(amount, radius):
    k = gen.unsharp(amount, radius)
    size = min(2 * math.ceil(3 * radius) + 1, 63)
    assert k.shape == (size, size)
    np.testing.assert_allclose(k, identity(size) + amount * (identity(size) - gen.gaussian(size, radius)), atol=1e-15)
    assert k.sum() == pytest.approx(1, abs=1e-12)
    assert flip_symmetric(k)


def test_unsharp_tends_to_the_identity_as_the_radius_shrinks():
    assert np.array_equal(gen.unsharp(3, 0.01), identity(3))
    assert np.array_equal(gen.unsharp(0, 5), identity(31))


def test_sharpen_is_identity_plus_amount_times_laplacian():
    np.testing.assert_array_equal(gen.sharpen(1), PRESETS["sharpen"].weights)
    np.testing.assert_array_equal(gen.sharpen(0), identity(3))
    np.testing.assert_allclose(gen.sharpen(0.8), identity(3) + 0.8 * gen.LAPLACIAN)
    assert gen.LAPLACIAN.sum() == 0 and gen.sharpen(7.5).sum() == pytest.approx(1)


@pytest.mark.parametrize(
    "text, canonical, shape",
    [
        ("gaussian(7,1.5)", "gaussian(7,1.5)", (7, 7)),
        (" gaussian( 7 , 3/2 ) ", "gaussian(7,1.5)", (7, 7)),
        ("motion(9,30)", "motion(9,30)", (9, 9)),
        ("motion(9,-400.5)", "motion(9,-400.5)", (9, 9)),
        ("box(5)", "box(5)", (5, 5)),
        ("box(4.0)", "box(4)", (4, 4)),
        ("log(9,1.4)", "log(9,1.4)", (9, 9)),
        ("sobel-x(5)", "sobel-x(5)", (5, 5)),
        ("scharr-y(3)", "scharr-y(3)", (3, 3)),
        ("unsharp(1.5,2)", "unsharp(1.5,2)", (13, 13)),
        ("sharpen(0.8)", "sharpen(0.8)", (3, 3)),
        ("sharpen(1e-1)", "sharpen(0.1)", (3, 3)),
    ],
)
def test_parse_generator_gives_weights_and_canonical_text(text, canonical, shape):
    weights, written = gen.parse_generator(text)
    assert written == canonical and weights.shape == shape
    again, rewritten = gen.parse_generator(written)
    assert rewritten == canonical and np.array_equal(again, weights)


@pytest.mark.parametrize("text", ["sharpen", "1,2,1", "", "0,-1,0;-1,5,-1;0,-1,0"])
def test_other_kernel_syntaxes_are_not_generators(text):
    assert gen.parse_generator(text) is None


@pytest.mark.parametrize(
    "text, words",
    [
        ("gauss(7,1)", ["unknown generator", "gaussian(size,σ)", "motion(length,angle)"]),
        ("gaussian(7)", ["takes 2 arguments, got 1"]),
        ("box()", ["takes 1 argument, got 0"]),
        ("gaussian(8,1)", ["odd"]),
        ("gaussian(65,1)", ["1 to 63"]),
        ("box(0)", ["1 to 63"]),
        ("box(2.5)", ["whole number"]),
        ("gaussian(7,0)", ["more than 0", "20"]),
        ("gaussian(7,20.5)", ["at most 20"]),
        ("log(7,-1)", ["more than 0"]),
        ("unsharp(11,1)", ["0 to 10"]),
        ("sharpen(-0.5)", ["0 to 10"]),
        ("sobel-x(7)", ["3 or 5"]),
        ("scharr-y(4)", ["3 or 5"]),
        ("motion(9,nan)", ["angle"]),
        ("motion(8,0)", ["odd"]),
        ("log(7,1e-6)", ["larger σ"]),
    ],
)
def test_bad_generators_name_the_rule(text, words):
    with pytest.raises(InputError) as info:
        gen.parse_generator(text, "compare[1]")
    assert info.value.field == "compare[1]"
    for word in words:
        assert word in info.value.message, info.value.message


def test_transpose_partners():
    assert gen.transpose_partner("sobel-x(5)") == "sobel-y(5)"
    assert gen.transpose_partner("scharr-y(3)") == "scharr-x(3)"
    assert gen.transpose_partner("gaussian(7,1.5)") is None
    weights, _ = gen.parse_generator("sobel-x(5)")
    assert np.array_equal(gen.parse_generator(gen.transpose_partner("sobel-x(5)"))[0], weights.T)
