"""The engine against OpenCV's filter2D (a correlation, like ours by default).

Border types: extend → BORDER_REPLICATE, mirror → BORDER_REFLECT_101, symmetric → BORDER_REFLECT,
constant → BORDER_CONSTANT. filter2D refuses BORDER_WRAP and has no fill value, so wrap and constant
with a cval are checked by padding with cv2.copyMakeBorder first and filtering the padded image.
filter2D's anchor is (column, row) = (ox, oy).
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernels.engine import filter_image
from kernels.options import Options
from tests.kernels.test_engine_loops import tolerance
from tests.oracles import OPENCV_BORDERS as BORDERS
from tests.oracles import opencv_result


@st.composite
def opencv_cases(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    channels = draw(st.sampled_from([None, 3]))
    height, width = draw(st.integers(2, 30)), draw(st.integers(2, 30))
    image = rng.random((height, width) if channels is None else (height, width, channels)) * 255
    kh, kw = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    edge = draw(st.sampled_from(["extend", "mirror", "symmetric", "constant", "wrap"]))
    if edge == "mirror":  # OpenCV reflects only once: keep the kernel within the image
        kh, kw = min(kh, height), min(kw, width)
    if edge == "wrap":
        kh, kw = min(kh, height), min(kw, width)
    kernel = rng.standard_normal((kh, kw))
    options = Options(
        op=draw(st.sampled_from(["correlate", "convolve"])),
        edge=edge,
        cval=draw(st.sampled_from([0.0, 40.0])),
        origin=draw(st.none() | st.tuples(st.integers(0, kh - 1), st.integers(0, kw - 1))),
    )
    return image.astype(np.float64), kernel, options


@settings(max_examples=100, deadline=None)
@given(opencv_cases(), st.sampled_from(["auto", "direct", "fft"]))
def test_matches_filter2d(case, method: str) -> None:
    image, kernel, options = case
    expected = opencv_result(image, kernel, options)
    raw = filter_image(image, kernel, options, method=method).raw
    assert raw.shape == expected.shape
    assert np.abs(raw - expected).max() <= tolerance(expected)


@pytest.mark.parametrize("edge", sorted(BORDERS))
def test_every_anchor_of_a_4x3_kernel(edge: str) -> None:
    rng = np.random.default_rng(1)
    image = (rng.random((10, 12, 3)) * 255).astype(np.float32)
    kernel = rng.standard_normal((4, 3))
    for oy in range(4):
        for ox in range(3):
            options = Options(edge=edge, origin=(oy, ox))
            expected = opencv_result(image, kernel, options)
            raw = filter_image(image, kernel, options).raw
            assert np.abs(raw - expected).max() <= tolerance(expected), (oy, ox)


def test_large_kernel_agrees_with_filter2d_dft_path() -> None:
    rng = np.random.default_rng(9)
    image = (rng.random((120, 140)) * 255).astype(np.float32)
    kernel = rng.random((31, 31))
    expected = cv2.filter2D(image.astype(np.float64), cv2.CV_64F, kernel, borderType=cv2.BORDER_REFLECT_101)
    for method in ("auto", "direct", "fft"):
        raw = filter_image(image, kernel, Options(edge="mirror"), method=method).raw
        assert np.abs(raw - expected).max() <= tolerance(expected), method
