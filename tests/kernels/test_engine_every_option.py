"""Every option at once — convolve, edge mode, cval, normalise, divisor, offset, stride, dilation, repeat and a
corner origin — against SciPy and filter2D with the missing steps added around them (tests.oracles)."""

from __future__ import annotations

import numpy as np
import pytest

from kernels.engine import filter_image
from kernels.options import Options
from tests.kernels.test_engine_loops import tolerance
from tests.oracles import OPENCV_BORDERS, SCIPY_MODES, every_option, opencv_result, scipy_result

CASES = [(scipy_result, edge) for edge in sorted(SCIPY_MODES)] + [
    (opencv_result, edge) for edge in [*sorted(OPENCV_BORDERS), "wrap"]
]


@pytest.mark.parametrize(("reference", "edge"), CASES, ids=[f"{r.__name__}-{e}" for r, e in CASES])
@pytest.mark.parametrize("op", ["correlate", "convolve"])
def test_every_option_at_once(reference, edge: str, op: str) -> None:
    rng = np.random.default_rng(11)
    image = (rng.random((40, 36, 3)) * 255).astype(np.float32)
    kernel = rng.standard_normal((3, 4)) + 0.5
    options = Options(
        op=op,
        edge=edge,
        cval=30.0,
        normalize=True,
        divisor=2.0,
        offset=10.0,
        stride=(2, 3),
        dilation=(2, 1),
        repeat=2,
        origin=(0, 2),
    )
    expected = every_option(reference, image.astype(np.float64), kernel, options)
    raw = filter_image(image, kernel, options).raw
    assert raw.shape == expected.shape
    assert np.abs(raw - expected).max() <= tolerance(expected)


def test_normalising_leaves_zero_sum_kernels_alone() -> None:
    rng = np.random.default_rng(5)
    image = rng.random((12, 12)) * 255
    kernel = np.array([[1.0, 0.0, -1.0]] * 3)
    options = Options(normalize=True, divisor=4.0, offset=-3.0)
    expected = every_option(scipy_result, image, kernel, options)
    np.testing.assert_allclose(filter_image(image, kernel, options).raw, expected, atol=tolerance(expected))
