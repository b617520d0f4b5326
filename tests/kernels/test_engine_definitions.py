"""Property tests: every method of the engine against the plain-loop reference, over random settings."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kernels.engine import filter_image
from kernels.engine.separable import rank_one_factors
from kernels.errors import InputError
from kernels.options import EDGE_MODES, Options
from tests.kernels.test_engine_loops import reference_filter, tolerance

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def cases(draw, max_side: int = 9, max_kernel: int = 5):
    height = draw(st.integers(1, max_side))
    width = draw(st.integers(1, max_side))
    channels = draw(st.sampled_from([None, 1, 3]))
    shape = (height, width) if channels is None else (height, width, channels)
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    image = np.rint(rng.random(shape) * 255) if draw(st.booleans()) else rng.standard_normal(shape) * 100
    kh = draw(st.integers(1, max_kernel))
    kw = draw(st.integers(1, max_kernel))
    style = draw(st.sampled_from(["integers", "normal", "rank1", "positive"]))
    if style == "integers":
        kernel = rng.integers(-4, 5, (kh, kw)).astype(np.float64)
    elif style == "normal":
        kernel = rng.standard_normal((kh, kw))
    elif style == "rank1":
        kernel = np.outer(rng.integers(-3, 4, kh), rng.integers(-3, 4, kw)).astype(np.float64)
    else:
        kernel = rng.random((kh, kw)) + 0.1
    options = Options(
        op=draw(st.sampled_from(["correlate", "convolve"])),
        edge=draw(st.sampled_from(EDGE_MODES)),
        cval=draw(st.sampled_from([0.0, 17.5, -300.0])),
        normalize=draw(st.booleans()),
        divisor=draw(st.sampled_from([1.0, 9.0, -2.0, 0.25])),
        offset=draw(st.sampled_from([0.0, 128.0, -3.5])),
        stride=(draw(st.integers(1, 3)), draw(st.integers(1, 3))),
        dilation=(draw(st.integers(1, 3)), draw(st.integers(1, 3))),
        repeat=draw(st.integers(1, 3)),
        origin=draw(st.none() | st.tuples(st.integers(0, kh - 1), st.integers(0, kw - 1))),
    )
    return image, kernel, options


def _check_all_methods(image: np.ndarray, kernel: np.ndarray, options: Options) -> None:
    try:
        expected = reference_filter(image, kernel, options)
    except (ValueError, IndexError):
        expected = None
    methods = ["auto", "direct", "fft"]
    if rank_one_factors(kernel) is not None:
        methods.append("separable")
    for method in methods:
        try:
            result = filter_image(image, kernel, options, method=method)
        except InputError as error:
            # Only crop can refuse these settings: when the kernel no longer fits in some pass.
            assert error.field == "kernel" and options.edge == "crop", error
            continue
        assert expected is not None and expected.size
        assert result.raw.shape == expected.shape, method
        assert np.all(np.isfinite(result.raw))
        worst = float(np.abs(result.raw - expected).max())
        assert worst <= tolerance(expected), (method, result.method, worst, tolerance(expected))


@SETTINGS
@given(cases())
def test_every_method_matches_the_definitions(case) -> None:
    _check_all_methods(*case)


@settings(max_examples=40, deadline=None)
@given(cases(max_side=14, max_kernel=7))
def test_larger_cases_match_the_definitions(case) -> None:
    _check_all_methods(*case)


def test_float64_fallback_keeps_cancelling_kernels_exact() -> None:
    # A zero-sum kernel with huge weights on a flat image: float32 rounding would dwarf the true 0.
    image = np.full((20, 20), 200.0)
    image[10, 10] = 201.0
    kernel = np.array([[1e9, -1e9 + 1.0, -1.0]])
    result = filter_image(image, kernel, Options(edge="wrap"))
    expected = reference_filter(image, kernel, Options(edge="wrap"))
    assert np.abs(result.raw - expected).max() <= tolerance(expected)
    assert result.raw.dtype == np.float64


def test_ordinary_runs_stay_float32() -> None:
    image = np.random.default_rng(0).random((64, 64, 3)).astype(np.float32) * 255
    for kernel in (np.ones((3, 3)) / 9, np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], float)):
        assert filter_image(image, kernel).raw.dtype == np.float32


def test_large_offset_and_repeat_stay_within_tolerance() -> None:
    rng = np.random.default_rng(3)
    image = rng.random((16, 16)) * 255
    kernel = rng.standard_normal((3, 3))
    options = Options(offset=5e8, repeat=4, divisor=3.0, edge="mirror")
    expected = reference_filter(image, kernel, options)
    for method in ("direct", "fft"):
        result = filter_image(image, kernel, options, method=method)
        assert np.abs(result.raw - expected).max() <= tolerance(expected)
