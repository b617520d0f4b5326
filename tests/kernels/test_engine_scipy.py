"""The engine against scipy.ndimage.correlate / convolve and scipy.signal.correlate2d.

The mapping of modes and origins is in :mod:`tests.oracles`.

SciPy 1.17's 2-D correlate reads uninitialised memory when a (spread) kernel reaches more than an
image-length past the border (e.g. a 9×1 kernel on a 2×1 image with origin (4, 0) gives 1.6e-322 in
mode reflect), so these comparisons keep the kernel's span within the image; the far-reaching cases
are checked against the plain-loop reference and numpy.pad instead.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.ndimage as ndi
import scipy.signal
from hypothesis import given, settings
from hypothesis import strategies as st

from kernels.engine import filter_image
from kernels.engine.fftconv import dilate
from kernels.options import Options
from tests.kernels.test_engine_loops import tolerance
from tests.oracles import SCIPY_MODES, scipy_result


@st.composite
def scipy_cases(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    channels = draw(st.sampled_from([None, 3]))
    height, width = draw(st.integers(1, 24)), draw(st.integers(1, 24))
    image = rng.random((height, width) if channels is None else (height, width, channels)) * 255
    kh, kw = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    dilation = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    kh = max(1, min(kh, (height - 1) // dilation[0] + 1))
    kw = max(1, min(kw, (width - 1) // dilation[1] + 1))
    kernel = rng.standard_normal((kh, kw))
    options = Options(
        op=draw(st.sampled_from(["correlate", "convolve"])),
        edge=draw(st.sampled_from(sorted(SCIPY_MODES))),
        cval=draw(st.sampled_from([0.0, 55.0])),
        stride=(draw(st.integers(1, 3)), draw(st.integers(1, 3))),
        dilation=dilation,
        origin=draw(st.none() | st.tuples(st.integers(0, kh - 1), st.integers(0, kw - 1))),
    )
    return image, kernel, options


@settings(max_examples=100, deadline=None)
@given(scipy_cases(), st.sampled_from(["auto", "direct", "fft"]))
def test_matches_scipy_ndimage(case, method: str) -> None:
    image, kernel, options = case
    expected = scipy_result(image, kernel, options)
    raw = filter_image(image, kernel, options, method=method).raw
    assert raw.shape == expected.shape
    assert np.abs(raw - expected).max() <= tolerance(expected)


@pytest.mark.parametrize("edge", sorted(SCIPY_MODES))
@pytest.mark.parametrize("op", ["correlate", "convolve"])
@pytest.mark.parametrize("shape", [(4, 4), (2, 6), (5, 2), (3, 3)])
def test_every_origin_of_even_and_odd_kernels(edge: str, op: str, shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(11)
    image = rng.random((9, 10)) * 255
    kernel = rng.integers(-5, 6, shape).astype(float)
    for oy in range(shape[0]):
        for ox in range(shape[1]):
            options = Options(op=op, edge=edge, origin=(oy, ox), cval=3.0)
            expected = scipy_result(image, kernel, options)
            raw = filter_image(image, kernel, options).raw
            assert np.abs(raw - expected).max() <= tolerance(expected), (oy, ox)


def test_default_origin_is_scipys_for_even_sides() -> None:
    rng = np.random.default_rng(5)
    image = rng.random((8, 8)) * 255
    kernel = rng.standard_normal((4, 2))
    for op, run in (("correlate", ndi.correlate), ("convolve", ndi.convolve)):
        expected = run(image, kernel, mode="nearest")
        raw = filter_image(image, kernel, Options(op=op)).raw
        np.testing.assert_allclose(raw, expected, atol=tolerance(expected))


@pytest.mark.parametrize("method", ["direct", "fft", "auto"])
@pytest.mark.parametrize("shape", [(3, 3), (2, 5), (6, 4)])
def test_crop_matches_correlate2d_valid(method: str, shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(2)
    image = rng.random((13, 11)) * 255
    kernel = rng.standard_normal(shape)
    expected = scipy.signal.correlate2d(image, kernel, mode="valid")
    raw = filter_image(image, kernel, Options(edge="crop"), method=method).raw
    np.testing.assert_allclose(raw, expected, atol=tolerance(expected))
    flipped = scipy.signal.convolve2d(image, kernel, mode="valid")
    raw = filter_image(image, kernel, Options(edge="crop", op="convolve"), method=method).raw
    np.testing.assert_allclose(raw, flipped, atol=tolerance(flipped))


def test_crop_with_stride_starts_where_the_kernel_first_fits() -> None:
    rng = np.random.default_rng(4)
    image = rng.random((20, 17)) * 255
    kernel = rng.standard_normal((3, 4))
    valid = scipy.signal.correlate2d(image, dilate(kernel, (2, 1)), mode="valid")
    raw = filter_image(image, kernel, Options(edge="crop", stride=(3, 2), dilation=(2, 1))).raw
    np.testing.assert_allclose(raw, valid[::3, ::2], atol=tolerance(valid))
    assert raw.shape == ((20 - 5) // 3 + 1, (17 - 4) // 2 + 1)


def test_colour_channels_are_filtered_independently() -> None:
    rng = np.random.default_rng(8)
    image = rng.random((12, 9, 3)) * 255
    kernel = rng.standard_normal((3, 5))
    options = Options(edge="mirror", op="convolve")
    raw = filter_image(image, kernel, options).raw
    for channel in range(3):
        alone = filter_image(np.ascontiguousarray(image[:, :, channel]), kernel, options).raw
        np.testing.assert_allclose(raw[:, :, channel], alone, atol=1e-3)
