"""Every method agrees with the direct one on images big enough to use strips, threads and tiles.

Small cases are covered against the plain-loop reference; here the images are a few hundred pixels
so the banded products run in several strips on the worker threads and the FFT in several tiles.
The kernel-crop reference is built from SciPy: the zero-padded correlation, rescaled by ΣK over the
correlation of the image's support (ones) with the kernel.
"""

from __future__ import annotations

import numpy as np
import pytest

from kernels.engine import filter_image
from kernels.engine.direct import correlate_band, correlate_row_band, correlate_taps
from kernels.engine.fftconv import correlate_fft, dilate
from kernels.engine.padding import PaddedSource
from kernels.engine.separable import correlate_separable, rank_one_factors
from kernels.options import EDGE_MODES, Options
from tests.kernels.test_engine_loops import tolerance
from tests.oracles import scipy_result

GAUSS = np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1]) / 256.0


def kernel_crop_reference(image: np.ndarray, kernel: np.ndarray, options: Options) -> np.ndarray:
    zero = Options(**{**options.__dict__, "edge": "constant", "cval": 0.0})
    total = scipy_result(image, kernel, zero)
    support = np.ones(image.shape[:2])
    used = scipy_result(support, kernel, zero)
    magnitude = scipy_result(support, np.abs(kernel), zero)
    whole = kernel.sum()
    scale = np.ones_like(used)
    usable = (np.abs(used) > 1e-12 * magnitude) & (abs(whole) > 1e-12 * np.abs(kernel).sum())
    scale[usable] = whole / used[usable]
    return total * (scale if total.ndim == 2 else scale[:, :, None])


def expected_result(image: np.ndarray, kernel: np.ndarray, options: Options) -> np.ndarray:
    if options.edge == "kernel-crop":
        return kernel_crop_reference(image, kernel, options)
    if options.edge == "crop":
        full = scipy_result(image, kernel, Options(**{**options.__dict__, "edge": "extend", "stride": (1, 1)}))
        kh, kw = kernel.shape
        (dy, dx), (sy, sx) = options.dilation, options.stride
        oy, ox = options.origin if options.origin is not None else (kh // 2, kw // 2)
        if options.op == "convolve":
            oy, ox = kh - 1 - oy, kw - 1 - ox
        y0, x0 = oy * dy, ox * dx
        y1 = image.shape[0] - (kh - 1 - oy) * dy
        x1 = image.shape[1] - (kw - 1 - ox) * dx
        return full[y0:y1:sy, x0:x1:sx]
    return scipy_result(image, kernel, options)


CASES = [
    ((220, 190), np.random.default_rng(1).standard_normal((5, 5)), (1, 1), (1, 1)),
    ((160, 230, 3), GAUSS, (1, 1), (1, 1)),
    ((200, 170, 3), np.random.default_rng(2).standard_normal((4, 7)), (2, 1), (1, 3)),
    ((180, 200), np.outer(np.arange(1.0, 10), np.ones(9)), (1, 2), (2, 1)),
    ((150, 150, 3), np.random.default_rng(3).random((15, 15)), (1, 1), (3, 3)),
    ((130, 170), np.random.default_rng(4).random((1, 11)), (1, 1), (1, 1)),
]


@pytest.mark.parametrize("edge", EDGE_MODES)
@pytest.mark.parametrize("case", range(len(CASES)))
def test_methods_agree_on_large_images(edge: str, case: int) -> None:
    shape, kernel, dilation, stride = CASES[case]
    image = np.random.default_rng(case).random(shape).astype(np.float32) * 255
    op = "convolve" if case % 2 else "correlate"
    options = Options(edge=edge, dilation=dilation, stride=stride, cval=30.0, op=op)
    expected = expected_result(image.astype(np.float64), kernel, options)
    methods = ["direct", "fft"] + (["separable"] if rank_one_factors(kernel) is not None else [])
    for method in methods:
        result = filter_image(image, kernel, options, method=method)
        assert result.method == method
        assert result.raw.shape == expected.shape
        assert np.abs(result.raw - expected).max() <= tolerance(expected), method


@pytest.mark.parametrize("channels", [None, 3])
@pytest.mark.parametrize(
    ("kernel_shape", "dilation", "stride"),
    [
        ((3, 3), (1, 1), (1, 1)),
        ((6, 5), (3, 2), (1, 1)),
        ((5, 3), (2, 3), (4, 2)),
        ((1, 9), (1, 2), (1, 3)),
        ((9, 1), (2, 1), (3, 1)),
        ((2, 2), (1, 1), (5, 7)),
    ],
)
def test_internal_forms_agree(channels, kernel_shape, dilation, stride) -> None:
    rng = np.random.default_rng(sum(kernel_shape) + 7 * dilation[0] + stride[1])
    oh, ow = 150, 133
    hp = (oh - 1) * stride[0] + (kernel_shape[0] - 1) * dilation[0] + 1
    wp = (ow - 1) * stride[1] + (kernel_shape[1] - 1) * dilation[1] + 1
    padded = rng.random((hp, wp) if channels is None else (hp, wp, channels)) * 255
    kernel = rng.standard_normal(kernel_shape)
    reference = correlate_taps(padded, kernel, dilation, stride, (oh, ow))
    assert reference.shape[:2] == (oh, ow)
    for run in (correlate_band, correlate_fft):
        np.testing.assert_allclose(run(padded, kernel, dilation, stride, (oh, ow)), reference, atol=1e-8)
    column, row, _ = rank_one_factors(np.outer(kernel[:, 0], kernel[0]))
    outer = np.outer(column, row)
    np.testing.assert_allclose(
        correlate_separable(padded, column, row, dilation, stride, (oh, ow)),
        correlate_taps(padded, outer, dilation, stride, (oh, ow)),
        atol=1e-8,
    )
    if kernel_shape[0] == 1:
        np.testing.assert_allclose(
            correlate_row_band(padded, kernel[0], dilation[1], stride, (oh, ow)), reference, atol=1e-8
        )
        narrow = kernel[:, :3]
        np.testing.assert_allclose(
            correlate_row_band(padded, narrow[0], dilation[1], stride, (oh, ow)),
            correlate_taps(padded, narrow, dilation, stride, (oh, ow)),
            atol=1e-8,
        )


@pytest.mark.parametrize("edge", EDGE_MODES)
def test_strips_pad_their_own_rows_like_the_whole_padding(edge: str) -> None:
    rng = np.random.default_rng(31)
    image = rng.random((23, 19, 3)) * 255
    source = PaddedSource(image, (7, 5), (4, 6), edge, cval=-9.0, dtype=np.float64)
    whole = source.full()
    scratch = np.empty((40, *source.shape[1:]))
    for start, step, count in ((0, 1, 35), (3, 2, 12), (9, 1, 5), (30, 3, 10), (0, 4, 9), (11, 1, 1)):
        rows = source.rows(start, step, count, scratch)
        positions = start + step * np.arange(count)
        inside = positions < whole.shape[0]
        np.testing.assert_array_equal(rows[inside], whole[positions[inside]])


def test_auto_reports_the_method_it_ran() -> None:
    image = np.random.default_rng(0).random((256, 256)).astype(np.float32) * 255
    wide = np.outer(np.hanning(17)[1:-1], np.hanning(17)[1:-1])
    assert filter_image(image, wide).method == "separable"
    assert filter_image(image, np.random.default_rng(1).random((3, 3))).method == "direct"
    assert filter_image(image, np.random.default_rng(1).random((31, 31))).method == "fft"


def test_dilated_kernel_equals_spread_kernel() -> None:
    rng = np.random.default_rng(6)
    image = rng.random((40, 50)) * 255
    kernel = rng.standard_normal((3, 4))
    for edge in EDGE_MODES:
        dilated = filter_image(image, kernel, Options(edge=edge, dilation=(3, 2))).raw
        spread = dilate(kernel, (3, 2))
        origin = (1 * 3, 2 * 2)
        plain = filter_image(image, spread, Options(edge=edge, origin=origin)).raw
        if edge == "kernel-crop":
            continue  # zeros of the spread kernel count as "used" taps there; covered by the loop reference
        np.testing.assert_allclose(dilated, plain, atol=tolerance(plain), err_msg=edge)


def test_stride_slices_the_full_result() -> None:
    rng = np.random.default_rng(12)
    image = rng.random((37, 41, 3)) * 255
    kernel = rng.standard_normal((3, 5))
    for edge in ("extend", "wrap", "mirror", "symmetric", "constant", "kernel-crop"):
        full = filter_image(image, kernel, Options(edge=edge)).raw
        strided = filter_image(image, kernel, Options(edge=edge, stride=(4, 3))).raw
        np.testing.assert_allclose(strided, full[::4, ::3], atol=tolerance(full))


def test_separable_threshold_rejects_rank_two() -> None:
    assert rank_one_factors(GAUSS) is not None
    assert rank_one_factors(np.eye(3)) is None
    column, row, residual = rank_one_factors(np.array([[1.0, 2.0, 1.0]]))
    assert residual == 0 and column.shape == (1,) and row.shape == (3,)


@pytest.mark.parametrize("edge", ["extend", "constant", "kernel-crop", "crop"])
def test_threads_and_many_strips_give_the_same_result(monkeypatch, edge: str) -> None:
    from kernels.engine import direct, fftconv

    rng = np.random.default_rng(40)
    image = (rng.random((97, 83, 3)) * 255).astype(np.float32)
    options = Options(edge=edge, dilation=(2, 1), stride=(1, 2))
    kernels = [rng.random((5, 4)), GAUSS, rng.random((1, 7)), rng.random((9, 9))]
    expected = [filter_image(image, k, options, method=m).raw for k in kernels for m in ("direct", "fft")]
    monkeypatch.setattr(direct, "SPLIT_WORK", 0)
    monkeypatch.setattr(direct, "STRIP_BYTES", 1 << 12)
    monkeypatch.setattr(fftconv, "PARALLEL_PIXELS", 0)
    threaded = [filter_image(image, k, options, method=m).raw for k in kernels for m in ("direct", "fft")]
    for before, after in zip(expected, threaded, strict=True):
        np.testing.assert_allclose(after, before, rtol=1e-5, atol=1e-3)
    separable = filter_image(image, GAUSS, options, method="separable").raw
    np.testing.assert_allclose(separable, expected[2], rtol=1e-5, atol=1e-3)
