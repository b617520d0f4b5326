"""Edge modes as index maps and padded copies, against numpy.pad and the plain-loop fold."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernels.engine.padding import pad, source_index
from tests.kernels.test_engine_loops import fold

NUMPY_MODES = {"extend": "edge", "wrap": "wrap", "mirror": "reflect", "symmetric": "symmetric"}


@pytest.mark.parametrize("edge", ["extend", "wrap", "mirror", "symmetric", "constant", "kernel-crop"])
def test_source_index_matches_fold(edge: str) -> None:
    for size in (1, 2, 3, 7):
        positions = np.arange(-40, 40)
        mapped = source_index(positions, size, edge)
        expected = [fold(int(p), size, edge) for p in positions]
        assert [None if m < 0 else int(m) for m in mapped] == expected


@settings(max_examples=80, deadline=None)
@given(
    st.integers(1, 7),
    st.integers(1, 7),
    st.sampled_from([None, 3]),
    st.tuples(st.integers(0, 15), st.integers(0, 15), st.integers(0, 15), st.integers(0, 15)),
    st.sampled_from(["extend", "wrap", "mirror", "symmetric", "constant", "kernel-crop"]),
    st.sampled_from([np.float32, np.float64]),
)
def test_pad_matches_numpy(height, width, channels, amounts, edge, dtype) -> None:
    shape = (height, width) if channels is None else (height, width, channels)
    image = np.random.default_rng(height * 31 + width).random(shape) * 100
    top, bottom, left, right = amounts
    out = pad(image, (top, bottom), (left, right), edge, cval=5.0, dtype=dtype)
    assert out.dtype == dtype and out.flags.c_contiguous
    widths = [(top, bottom), (left, right)] + ([(0, 0)] if channels else [])
    if edge in ("constant", "kernel-crop"):
        fill = 5.0 if edge == "constant" else 0.0
        expected = np.pad(image, widths, mode="constant", constant_values=fill)
    elif edge == "mirror" and min(height, width) == 1:
        rows = source_index(np.arange(-top, height + bottom), height, edge)
        cols = source_index(np.arange(-left, width + right), width, edge)
        expected = image[rows][:, cols]
    else:
        expected = np.pad(image, widths, mode=NUMPY_MODES[edge])
    np.testing.assert_array_equal(out, expected.astype(dtype))


def test_negative_after_stops_early() -> None:
    image = np.arange(20.0).reshape(4, 5)
    out = pad(image, (2, -1), (1, -3), "mirror", dtype=np.float64)
    full = np.pad(image, ((2, 0), (1, 0)), mode="reflect")
    np.testing.assert_array_equal(out, full[:5, :3])
    assert pad(image, (0, -3), (0, 0), "extend", dtype=np.float64).shape == (1, 5)


def test_pad_reads_rows_beyond_the_kept_window() -> None:
    image = np.arange(10.0).reshape(10, 1)
    out = pad(image, (5, -8), (0, 0), "mirror", dtype=np.float64)
    assert out[:, 0].tolist() == [5, 4, 3, 2, 1, 0, 1]
