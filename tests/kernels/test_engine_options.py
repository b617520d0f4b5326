"""Normalise, divisor and offset, repeat, the reported weights and origin, output shapes."""

from __future__ import annotations

import numpy as np
import pytest

from kernels.engine import effective_weights, filter_image, output_shape
from kernels.engine.kernelcrop import kernel_sum
from kernels.options import Options
from tests.kernels.test_engine_loops import reference_filter, tolerance

RNG = np.random.default_rng(21)
IMAGE = RNG.random((12, 14)) * 255
RGB = RNG.random((9, 11, 3)) * 255


def check(image: np.ndarray, kernel: np.ndarray, options: Options) -> np.ndarray:
    expected = reference_filter(image, kernel, options)
    raw = filter_image(image, kernel, options).raw
    assert raw.shape == expected.shape
    assert np.abs(raw - expected).max() <= tolerance(expected)
    return raw


def test_normalize_divides_by_the_sum() -> None:
    kernel = np.array([[1.0, 2.0, 1.0]])
    plain = filter_image(IMAGE, kernel / 4).raw
    normalised = check(IMAGE, kernel, Options(normalize=True))
    np.testing.assert_allclose(normalised, plain, rtol=1e-6)


def test_normalize_leaves_zero_sum_kernels_alone() -> None:
    kernel = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
    np.testing.assert_array_equal(effective_weights(kernel, Options(normalize=True))[0], kernel)
    rounding = np.array([[0.1, 0.2, -0.3]])
    assert kernel_sum(rounding) == 0.0
    np.testing.assert_array_equal(effective_weights(rounding, Options(normalize=True))[0], rounding)


@pytest.mark.parametrize(("divisor", "offset"), [(9.0, 0.0), (-4.0, 128.0), (0.5, -20.0)])
def test_divisor_and_offset(divisor: float, offset: float) -> None:
    kernel = np.ones((3, 3))
    raw = check(RGB, kernel, Options(divisor=divisor, offset=offset))
    base = filter_image(RGB, kernel).raw
    np.testing.assert_allclose(raw, base / divisor + offset, rtol=1e-5, atol=1e-3)


@pytest.mark.parametrize("repeat", [1, 2, 5, 10])
def test_repeat_reads_the_raw_result(repeat: int) -> None:
    kernel = np.array([[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]])
    options = Options(repeat=repeat, edge="symmetric", divisor=2.0, offset=1.0)
    check(IMAGE, kernel, options)
    result = filter_image(IMAGE, kernel, options)
    if repeat == 1:
        assert result.last_input is IMAGE or np.array_equal(result.last_input, IMAGE)
    else:
        previous = filter_image(IMAGE, kernel, Options(repeat=repeat - 1, edge="symmetric", divisor=2.0, offset=1.0))
        np.testing.assert_allclose(result.last_input, previous.raw, rtol=1e-6, atol=1e-3)


def test_repeat_with_stride_and_crop_shrinks_each_pass() -> None:
    options = Options(edge="crop", repeat=2, stride=(2, 1))
    assert output_shape((12, 14), (3, 3), options) == (2, 10)
    check(IMAGE, np.ones((3, 3)), options)
    assert output_shape((12, 14), (3, 3), Options(stride=(5, 4), repeat=2)) == (1, 1)


def test_reported_weights_and_origin() -> None:
    kernel = np.arange(6.0).reshape(2, 3)
    result = filter_image(IMAGE, kernel, Options(op="convolve", origin=(0, 2)))
    np.testing.assert_array_equal(result.weights, kernel[::-1, ::-1])
    assert result.origin == (1, 0)
    assert result.weights.dtype == np.float64
    result = filter_image(IMAGE, kernel)
    assert result.origin == (1, 1)


def test_uint8_input_never_wraps() -> None:
    image = np.full((6, 6), 250, dtype=np.uint8)
    raw = filter_image(image, np.ones((3, 3))).raw
    assert raw.min() == 2250.0 and raw.dtype == np.float32


def test_impulse_draws_the_kernel() -> None:
    image = np.zeros((7, 7))
    image[3, 3] = 1.0
    kernel = np.arange(1.0, 10.0).reshape(3, 3)
    convolved = filter_image(image, kernel, Options(op="convolve", edge="constant")).raw
    np.testing.assert_allclose(convolved[2:5, 2:5], kernel, atol=1e-6)
    correlated = filter_image(image, kernel, Options(edge="constant")).raw
    np.testing.assert_allclose(correlated[2:5, 2:5], kernel[::-1, ::-1], atol=1e-6)


def test_kernel_crop_keeps_a_blur_s_brightness_at_the_border() -> None:
    image = np.full((8, 9, 3), 100.0)
    raw = check(image, np.ones((5, 5)) / 25, Options(edge="kernel-crop"))
    np.testing.assert_allclose(raw, 100.0, rtol=1e-5)
    zero_sum = np.array([[1.0, -1.0, 0.0]])
    check(IMAGE, zero_sum, Options(edge="kernel-crop"))


def test_values_beyond_float32_are_computed_in_float64() -> None:
    image = np.full((6, 7), 1e39)
    image[2, 3] = 3e39
    raw = filter_image(image, np.ones((3, 3)) / 9, Options(edge="wrap")).raw
    assert raw.dtype == np.float64 and np.isfinite(raw).all()
    np.testing.assert_allclose(raw, reference_filter(image, np.ones((3, 3)) / 9, Options(edge="wrap")), rtol=1e-9)
