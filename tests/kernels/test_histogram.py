"""The histogram of raw values and the share a display clips, against NumPy and the display's own rule."""

from __future__ import annotations

import numpy as np
import pytest

from kernels.options import DISPLAYS
from kernels.teaching.display import is_clipped
from kernels.teaching.histogram import SHOWN_RANGES, clipped_counts, raw_histogram
from web.page.histogram_view import build_view, percent

# Halves and the levels either side of 0, 255 and ±128, where rounding decides what is clipped.
EDGES = np.array(
    [
        -300.0,
        -255.6,
        -255.5,
        -254.5,
        -128.5,
        -128.49,
        -0.5,
        -0.51,
        0.0,
        0.49,
        127.5,
        128.5,
        254.5,
        255.49,
        255.5,
        256.0,
        1e6,
    ]
)


@pytest.mark.parametrize("display", DISPLAYS)
def test_clipped_counts_follow_is_clipped_value_by_value(display):
    rng = np.random.default_rng(4)
    raw = np.concatenate([EDGES, rng.normal(100, 200, 500)]).astype(np.float32)
    below, above = clipped_counts(raw, display)
    flags = [is_clipped(float(v), display) for v in raw]
    assert below + above == sum(flags)
    if display in SHOWN_RANGES:
        shown = np.abs(raw) if display == "abs" else raw
        levels = np.rint(shown.astype(np.float64)) + (128 if display == "midgray" else 0)
        assert below == int(np.sum(levels < 0)) and above == int(np.sum(levels > 255))
    else:
        assert (below, above) == (0, 0)


@pytest.mark.parametrize("display", DISPLAYS)
@pytest.mark.parametrize("shape", [(32, 32), (17, 9, 3)])
def test_counts_are_numpys_histogram_over_a_range_that_holds_the_shown_levels(display, shape):
    rng = np.random.default_rng(7)
    raw = rng.normal(120, 300, shape).astype(np.float32)
    hist = raw_histogram(raw, display, bins=40)
    values = raw.astype(np.float64).ravel()
    lo, hi = values.min(), values.max()
    shown = SHOWN_RANGES.get(display)
    start, stop = (min(lo, shown[0]), max(hi, shown[1])) if shown else (lo, hi)
    counts, edges = np.histogram(values, bins=40, range=(start, stop))
    assert hist.counts.tolist() == counts.tolist()
    assert np.array_equal(hist.edges, edges)
    assert hist.total == raw.size == int(hist.counts.sum())
    assert (hist.lo, hist.hi) == (float(lo), float(hi))
    assert hist.shown == shown


def test_a_result_inside_the_shown_levels_still_spans_them():
    hist = raw_histogram(np.array([[10.0, 20.0], [30.0, 40.0]]), "clamp")
    assert hist.edges[0] == 0 and hist.edges[-1] == 255
    assert hist.clipped == 0 and hist.clipped_share == 0


def test_a_flat_result_gets_a_range_one_level_wide():
    hist = raw_histogram(np.full((4, 4), 7.0), "stretch")
    assert (hist.edges[0], hist.edges[-1]) == (6.5, 7.5)
    assert hist.counts.sum() == 16


def test_the_clipped_share_is_the_fraction_of_all_values():
    raw = np.array([-10.0, 0, 100, 200, 300, 255.4, 255.5, 256])  # 255.5 rounds to 256 (half to even)
    hist = raw_histogram(raw, "clamp")
    assert (hist.below, hist.above) == (1, 3)
    assert hist.clipped_share == pytest.approx(4 / 8)
    view = build_view(hist, "clamp", "inspect")
    assert view.clip_text == "50.0 % of values were below 0 or above 255 and were clipped."
    assert view.data["clipped"] == "4" and view.data["total"] == "8"


@pytest.mark.parametrize(
    "share, text",
    [(0, "0 %"), (0.0004, "less than 0.1 %"), (0.042, "4.2 %"), (1, "100.0 %"), (0.99999, "more than 99.9 %")],
)
def test_percent_never_rounds_a_share_to_zero_or_all(share, text):
    assert percent(share) == text


def test_the_views_words_per_display():
    raw = np.array([[-100.0, 50.0], [0.0, 400.0]])
    assert "−100 → 0" in [t.label for t in build_view(raw_histogram(raw, "stretch"), "stretch", "play").ticks]
    signed = build_view(raw_histogram(raw, "signed"), "signed", "play")
    assert [label for label, _ in signed.legend] == ["−400", "0", "+400"]
    assert signed.bars and all(bar.fill.startswith("rgb(") for bar in signed.bars)
    midgray = build_view(raw_histogram(raw, "midgray"), "midgray", "play")
    assert midgray.clip_text == "25.0 % of values were below 0 or above 255 after adding 128 and were clipped."


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_values_on_and_beside_every_edge_fall_in_numpys_bins(dtype):
    edges = np.linspace(-300.0, 555.0, 49)
    around = np.concatenate([edges, np.nextafter(edges, -np.inf), np.nextafter(edges, np.inf)])
    raw = np.clip(around, -300.0, 555.0).astype(dtype)
    raw = np.concatenate([raw, np.random.default_rng(8).normal(100, 200, 5000).clip(-300, 555).astype(dtype)])
    hist = raw_histogram(raw.reshape(1, -1), "stretch")
    counts, _ = np.histogram(raw.astype(np.float64), bins=len(hist.counts), range=(hist.edges[0], hist.edges[-1]))
    assert np.array_equal(hist.counts, counts)
