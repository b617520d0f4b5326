"""Raw values to stored pixels: each display rule, and render() agreeing with stored_value() bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kernels.errors import InputError
from kernels.options import DISPLAYS
from kernels.teaching.display import SIGNED_LUT, display_range, is_clipped, render, stored_value

VALUES = np.array([[-300.0, -0.5, 0.5, 1.5], [2.5, 127.5, 254.5, 255.5], [-128.5, 127.4999, 1e6, -1e6]])


def test_clamp_rounds_half_to_even_and_clips() -> None:
    assert render(VALUES, "clamp").tolist() == [[0, 0, 0, 2], [2, 128, 254, 255], [0, 127, 255, 0]]


def test_abs_midgray_and_stretch() -> None:
    assert render(np.array([[-3.5, 2.5, -400.0]]), "abs").tolist() == [[4, 2, 255]]
    assert render(np.array([[-128.5, -0.5, 0.5, 127.0, 128.0]]), "midgray").tolist() == [[0, 128, 128, 255, 255]]
    assert render(np.array([[-10.0, 0.0, 10.0]]), "stretch").tolist() == [[0, 128, 255]]
    assert render(np.full((2, 3), 7.0), "stretch").tolist() == [[0, 0, 0], [0, 0, 0]]


def test_render_keeps_shape_and_type() -> None:
    raw = np.random.default_rng(0).normal(100, 80, (5, 6, 3)).astype(np.float32)
    for display in ("clamp", "abs", "midgray", "stretch"):
        out = render(raw, display)
        assert out.dtype == np.uint8 and out.shape == (5, 6, 3)
    signed = render(raw[:, :, 0], "signed")
    assert signed.dtype == np.uint8 and signed.shape == (5, 6, 3)


def test_signed_is_white_at_zero_and_symmetric() -> None:
    raw = np.array([[-4.0, -2.0, 0.0, 2.0, 4.0]])
    out = render(raw, "signed")
    assert out[0, 2].tolist() == [255, 255, 255]
    assert out[0, 0].tolist() == SIGNED_LUT[1].tolist() and out[0, 4].tolist() == SIGNED_LUT[255].tolist()
    assert out[0, 0, 2] > out[0, 0, 0]  # blue end
    assert out[0, 4, 0] > out[0, 4, 2]  # orange end
    assert render(np.zeros((2, 2)), "signed").reshape(-1, 3).tolist() == [[255, 255, 255]] * 4


def test_signed_refuses_colour_and_unknown_displays() -> None:
    with pytest.raises(InputError) as caught:
        render(np.zeros((2, 2, 3)), "signed")
    assert caught.value.field == "display" and "color=gray" in str(caught.value)
    with pytest.raises(InputError) as caught:
        render(np.zeros((2, 2)), "sepia")
    assert caught.value.field == "display" and "clamp, abs, midgray, stretch, signed" in str(caught.value)
    with pytest.raises(InputError):
        stored_value(1.0, "sepia", 0, 1)


def test_single_channel_third_axis_renders_as_grey() -> None:
    out = render(np.array([[[1.0], [2.0]]]), "signed")
    assert out.shape == (1, 2, 3)


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        np.float32,
        st.tuples(st.integers(1, 6), st.integers(1, 6)),
        elements=st.floats(-1e4, 1e4, width=32) | st.sampled_from([-0.5, 0.5, 127.5, 254.5, 255.5, -128.5]),
    ),
    st.sampled_from(DISPLAYS),
)
def test_render_and_stored_value_agree_exactly(raw: np.ndarray, display: str) -> None:
    image = render(raw, display)
    lo, hi = display_range(raw)
    for (y, x), value in np.ndenumerate(raw):
        stored = stored_value(float(value), display, lo, hi)
        expected = image[y, x].tolist()
        assert stored == expected, (value, display)


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, (3, 4), elements=st.floats(-1e6, 1e6)), st.sampled_from(DISPLAYS))
def test_float64_raw_agrees_too(raw: np.ndarray, display: str) -> None:
    image = render(raw, display)
    lo, hi = display_range(raw)
    assert all(stored_value(float(v), display, lo, hi) == image[y, x].tolist() for (y, x), v in np.ndenumerate(raw))


def test_is_clipped() -> None:
    assert is_clipped(-0.6, "clamp") and not is_clipped(-0.5, "clamp") and is_clipped(255.5, "clamp")
    assert not is_clipped(255.49, "clamp")
    assert is_clipped(-256.0, "abs") and not is_clipped(-255.0, "abs")
    assert is_clipped(127.5, "midgray") and not is_clipped(-128.5, "midgray") and is_clipped(-129.0, "midgray")
    assert not is_clipped(1e9, "stretch") and not is_clipped(-1e9, "signed")


def test_display_range_covers_every_channel() -> None:
    raw = np.zeros((2, 2, 3))
    raw[1, 1, 2] = 9.0
    raw[0, 1, 0] = -4.0
    assert display_range(raw) == (-4.0, 9.0)
