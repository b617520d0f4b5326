"""A kernel's frequency response: the grid against NumPy's FFT of the taps, against what the engine does to a
picture, and the classification the panel's sentence is built on."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kernels.engine import filter_image
from kernels.errors import InputError
from kernels.library.generators import box, gaussian, motion
from kernels.library.presets import load_presets
from kernels.options import Options
from kernels.teaching.spectrum import (
    SIZES,
    canonical_frequency,
    check_fits,
    filter_taps,
    smallest_size,
    spectrum,
    spectrum_of,
)
from kernels.teaching.spectrum_picture import STOPS, colour_hex, heat_map, scale_position

PRESETS = load_presets()


def taps_by_hand(kernel: np.ndarray, options: Options) -> np.ndarray:
    """The filter as the engine's docstring defines it, written out again: normalise, rotate, divide, dilate."""
    w = np.array(kernel, dtype=np.float64)
    if options.normalize and w.sum() != 0:
        w = w / w.sum()
    if options.op == "convolve":
        w = w[::-1, ::-1]
    w = w / options.divisor
    dy, dx = options.dilation
    spread = np.zeros(((w.shape[0] - 1) * dy + 1, (w.shape[1] - 1) * dx + 1))
    spread[::dy, ::dx] = w
    return spread


def numpy_magnitude(taps: np.ndarray, n: int) -> np.ndarray:
    return np.abs(np.fft.fftshift(np.fft.fft2(taps, (n, n))))


weights = st.floats(-50, 50, allow_nan=False, allow_infinity=False, width=64)
kernels = st.tuples(st.integers(1, 9), st.integers(1, 9)).flatmap(
    lambda shape: arrays(np.float64, shape, elements=weights)
)
options = st.builds(
    Options,
    op=st.sampled_from(["correlate", "convolve"]),
    normalize=st.booleans(),
    divisor=st.sampled_from([1.0, 2.0, -3.0, 0.125, 9.0]),
    dilation=st.tuples(st.integers(1, 3), st.integers(1, 3)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kernel=kernels, opts=options, n=st.sampled_from(SIZES))
def test_the_grid_is_numpys_fft_of_the_taps_as_applied(kernel, opts, n):
    taps = taps_by_hand(kernel, opts)
    if max(taps.shape) > n:
        with pytest.raises(InputError):
            spectrum_of(kernel, opts, n)
        return
    s = spectrum_of(kernel, opts, n)
    scale = max(float(np.abs(taps).sum()), 1e-300)
    np.testing.assert_allclose(s.taps, taps, rtol=1e-12, atol=1e-15 * scale)
    np.testing.assert_allclose(s.magnitude, numpy_magnitude(taps, n), rtol=1e-9, atol=1e-12 * scale)
    assert s.magnitude.shape == (n, n)
    assert s.dc_gain == pytest.approx(abs(taps.sum()), rel=1e-9, abs=1e-12 * scale)
    assert s.total == pytest.approx(taps.sum(), rel=1e-9, abs=1e-12 * scale)
    assert np.array_equal(s.cut_x, s.magnitude[n // 2, :])
    assert np.array_equal(s.cut_y, s.magnitude[:, n // 2])
    assert s.frequencies[n // 2] == 0 and s.frequencies[0] == -0.5
    assert s.peak_gain == s.magnitude.max() and s.min_gain == s.magnitude.min()


@settings(max_examples=60, deadline=None)
@given(kernel=kernels)
def test_correlation_and_convolution_have_the_same_gains(kernel):
    """Rotating real taps by 180° only conjugates the transform (and shifts it), so |DFT| is unchanged."""
    a = spectrum_of(kernel, Options(op="correlate"), 16)
    b = spectrum_of(kernel, Options(op="convolve"), 16)
    np.testing.assert_allclose(a.magnitude, b.magnitude, rtol=1e-9, atol=1e-9 * max(1.0, a.peak_gain))


@pytest.mark.parametrize(
    "kernel, opts",
    [
        (PRESETS["box-blur-3"].weights, Options()),
        (PRESETS["sharpen"].weights, Options(divisor=2.0)),
        (PRESETS["emboss"].weights, Options(op="convolve")),
        (PRESETS["sobel-left"].weights, Options(dilation=(2, 3))),
        (np.arange(1.0, 16.0).reshape(3, 5), Options(normalize=True, op="convolve", origin=(0, 4))),
        (PRESETS["blur"].weights, Options(repeat=3)),
        (PRESETS["outline"].weights, Options(repeat=2, divisor=8.0)),
    ],
    ids=["box", "divisor", "convolve", "dilation", "normalise-origin", "repeat", "repeat-divisor"],
)
def test_the_engine_multiplies_each_frequency_by_its_gain(kernel, opts):
    """Filter noise with wrapped edges (a circular convolution): every frequency of the output is the input's
    times the gain, raised to the number of passes. This ties the grid to what the pictures go through."""
    n = 32
    noise = np.random.default_rng(7).uniform(0, 255, (n, n))
    out = filter_image(noise, kernel, replace(opts, edge="wrap"), method="direct").raw
    s = spectrum_of(kernel, opts, n)
    measured = np.abs(np.fft.fft2(out.astype(np.float64))) / np.abs(np.fft.fft2(noise))
    expected = np.fft.ifftshift(s.magnitude) ** opts.repeat
    np.testing.assert_allclose(measured, expected, rtol=2e-3, atol=2e-3 * max(1.0, float(expected.max())))


def test_dilation_squeezes_the_response():
    """Spreading the taps d apart evaluates the same response at d times the frequency (wrapped)."""
    n = 64
    kernel = PRESETS["sobel-left"].weights
    plain = np.fft.ifftshift(spectrum_of(kernel, Options(), n).magnitude)
    spread = np.fft.ifftshift(spectrum_of(kernel, Options(dilation=(2, 3)), n).magnitude)
    k = np.arange(n)
    np.testing.assert_allclose(spread, plain[np.ix_((2 * k) % n, (3 * k) % n)], atol=1e-12)


@pytest.mark.parametrize(
    "kernel, kind, directional, lobes",
    [
        (PRESETS["identity"].weights, "all-pass", False, set()),
        (np.array([[0.0, 0.0, 1.0]]), "all-pass", False, set()),  # a shift moves the picture, every gain stays 1
        (PRESETS["box-blur-3"].weights, "low-pass", False, {"x", "y", "diagonal", "antidiagonal"}),
        (PRESETS["box-blur-7"].weights, "low-pass", False, {"x", "y", "diagonal", "antidiagonal"}),
        (PRESETS["blur"].weights, "low-pass", False, set()),
        (PRESETS["gaussian-blur-5"].weights, "low-pass", False, set()),
        (gaussian(7, 1.5), "low-pass", False, set()),
        (PRESETS["sharpen"].weights, "high-boost", False, set()),
        (PRESETS["unsharp-mask-5"].weights, "high-boost", False, set()),
        (PRESETS["laplacian-4"].weights, "high-pass", False, set()),
        (PRESETS["outline"].weights, "high-pass", False, set()),
        (PRESETS["edge-diagonal"].weights, "band-pass", False, set()),
        (PRESETS["sobel-left"].weights, "band-pass", True, set()),
        (PRESETS["sobel-top"].weights, "band-pass", True, set()),
        (PRESETS["scharr-right"].weights, "band-pass", True, set()),
        (PRESETS["emboss"].weights, "high-boost", True, None),
        (motion(9, 0), "low-pass", True, None),
        (np.zeros((3, 3)), "zero", False, set()),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_the_classification(kernel, kind, directional, lobes):
    s = spectrum(kernel, 64)
    assert s.kind == kind
    assert s.directional is directional
    if lobes is not None:
        assert {lobe.ray for lobe in s.side_lobes} == lobes


@pytest.mark.parametrize(
    "name, direction",
    [("sobel-left", 0.0), ("sobel-right", 0.0), ("sobel-top", 90.0), ("prewitt-bottom", 90.0), ("emboss", 45.0)],
)
def test_the_direction_a_directional_kernel_passes_most(name, direction):
    assert spectrum(PRESETS[name].weights).direction == pytest.approx(direction, abs=1e-6)


def test_a_motion_blur_keeps_the_changes_across_its_streak():
    horizontal = spectrum(motion(9, 0))
    assert horizontal.direction == pytest.approx(90, abs=0.1)  # it keeps changes from top to bottom
    assert horizontal.ray("y")[-1] == pytest.approx(1)
    assert horizontal.ray("x")[-1] < 0.2


def test_the_box_blurs_first_side_lobe():
    """(1 + 2 cos 2πf) / 3 falls to 0 at f = 1/3 and comes back to 1/3 at f = 0.5."""
    lobe = next(lobe for lobe in spectrum(PRESETS["box-blur-3"].weights, 64).side_lobes if lobe.ray == "x")
    assert abs(lobe.dip_at - 1 / 3) <= 1 / 64
    assert lobe.dip_gain < 0.02
    assert lobe.lobe_at == 0.5 and lobe.lobe_gain == pytest.approx(1 / 3)


def test_peaks_are_named_once_and_nearest_zero_frequency():
    assert spectrum(PRESETS["sobel-left"].weights).peak_at == (0.25, 0.0)
    assert spectrum(PRESETS["sobel-top"].weights).peak_at == (0.0, 0.25)
    sharpen = spectrum(PRESETS["sharpen"].weights)
    assert sharpen.peak_at == (0.5, 0.5) and sharpen.peak_gain == pytest.approx(9)
    assert spectrum(PRESETS["outline"].weights).peak_at == (0.5, 0.0)  # 12 at (0.5, 0) and (0, 0.5)
    assert spectrum(PRESETS["identity"].weights).peak_at == (0.0, 0.0)
    assert spectrum(PRESETS["blur"].weights).peak_at == (0.0, 0.0)


def test_dc_gain_is_the_sum_after_normalise_and_divisor():
    ones = np.ones((3, 3))
    assert spectrum_of(ones).dc_gain == pytest.approx(9)
    assert spectrum_of(ones, Options(normalize=True)).dc_gain == pytest.approx(1)
    assert spectrum_of(ones, Options(normalize=True, divisor=4.0)).dc_gain == pytest.approx(0.25)
    assert spectrum_of(-ones, Options(divisor=3.0)).total == pytest.approx(-3)
    zero_sum = spectrum_of(PRESETS["laplacian-4"].weights, Options(normalize=True))
    assert zero_sum.dc_gain == pytest.approx(0, abs=1e-12)  # normalise leaves a zero-sum kernel alone
    assert zero_sum.peak_gain == pytest.approx(8)


def test_aliased_gain_is_what_a_stride_cannot_keep():
    s = spectrum(PRESETS["box-blur-3"].weights, 64)
    assert s.aliased_gain((1, 1)) == 0
    f = np.abs(s.frequencies)
    outside = (f[:, None] > 0.25) | (f[None, :] > 0.25)
    assert s.aliased_gain((2, 2)) == pytest.approx(s.magnitude[outside].max())
    assert s.aliased_gain((1, 4)) == pytest.approx(s.magnitude[:, f > 0.125].max())
    assert spectrum(box(9)).aliased_gain((2, 2)) < s.aliased_gain((2, 2))  # a wider blur aliases less


def test_grid_sizes_and_refusals():
    assert smallest_size((3, 3)) == 64 and smallest_size((65, 3)) == 128 and smallest_size((257, 1)) is None
    for n in (7, 0, 512, 100):
        with pytest.raises(InputError) as err:
            check_fits((3, 3), Options(), n)
        assert err.value.field == "n" and "power of two from 8 to 256" in err.value.message
    with pytest.raises(InputError) as err:
        check_fits((33, 33), Options(dilation=(2, 2)), 64)
    assert err.value.field == "n" and "n=128" in err.value.message and "65×65" in err.value.message
    with pytest.raises(InputError) as err:
        check_fits((31, 31), Options(dilation=(9, 9)), 256)
    assert err.value.field == "dilation" and "turn down the dilation" in err.value.message
    check_fits((63, 63), Options(), 64)  # a kernel as large as the grid fits
    assert filter_taps(np.ones((2, 2)), Options(dilation=(3, 1))).shape == (4, 2)


def test_heat_map_colours():
    s = spectrum(PRESETS["box-blur-3"].weights, 16)
    picture = heat_map(s)
    assert picture.shape == (17, 17, 3) and picture.dtype == np.uint8
    assert np.array_equal(picture, picture[::-1, ::-1])  # zero frequency in the middle, symmetric
    assert np.array_equal(picture[8, 8], [0xF7, 0xF7, 0xF7])  # gain 1: the scale's white
    assert colour_hex(0.0) == colour_hex(0.01) == STOPS[0]
    assert colour_hex(1.0) == STOPS[5] and colour_hex(100.0) == colour_hex(1e6) == STOPS[-1]
    assert scale_position(np.array([0.01, 0.1, 1, 10, 100])).tolist() == pytest.approx([0, 0.25, 0.5, 0.75, 1])


@pytest.mark.parametrize(
    "given, spelled",
    [
        ((-0.25, 0.0), (0.25, 0.0)),
        ((0.0, -0.25), (0.0, 0.25)),
        ((-0.5, -0.5), (0.5, 0.5)),
        ((-0.5, 0.25), (0.5, -0.25)),
        ((0.25, -0.5), (0.25, 0.5)),
        ((-0.0, 0.0), (0.0, 0.0)),
    ],
)
def test_one_spelling_per_frequency(given, spelled):
    assert canonical_frequency(*given) == spelled
    assert str(canonical_frequency(*given)) == str(spelled)  # no −0.0
