"""The "Frequencies" panel and the ``/api/spectrum`` routes' requests and answers.

The numbers come from :mod:`kernels.teaching.spectrum`, the heat map's colours from
:mod:`kernels.teaching.spectrum_picture`, the pictures' geometry from :mod:`web.present.spectrum_charts` and every word
from :mod:`web.present.spectrum_words`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from flask import url_for

from imaging.images import encode_png
from kernels.errors import InputError
from kernels.library.presets import Preset
from kernels.teaching.spectrum import (
    DEFAULT_N,
    MAX_N,
    MIN_N,
    SIZES,
    check_fits,
    filter_taps,
    smallest_size,
    spectrum,
    spectrum_of,
)
from kernels.teaching.spectrum_picture import heat_map
from web.present.spectrum_charts import CutChart, Legend, MapAxes, cut_chart, legend, map_axes
from web.present.spectrum_words import CUT_TITLES, alt_text, cut_description, gain_text, sentences, too_wide_text
from web.query.query_values import parse_int
from web.query.state import MAX_COMPARE, State, parse_state

N_RULE = f"must be a power of two from {MIN_N} to {MAX_N} ({', '.join(map(str, SIZES))}): the grid is N × N frequencies"
PICTURE_VERSION = 1
"""Bumped whenever the heat map's colours or layout change, so cached PNGs are not reused."""
TAP_PARAMS = ("kernel", "op", "normalize", "divisor", "dilation")
"""The state parameters that change the filter's taps, and so its spectrum (origin, edges and offset do not)."""


def parse_n(args: Mapping[str, str]) -> int:
    """The ``n`` parameter: one of :data:`kernels.teaching.spectrum.SIZES`, :data:`DEFAULT_N` when absent or empty."""
    text = args.get("n", "").strip()
    if text == "":
        return DEFAULT_N
    if not re.fullmatch(r"\d{1,9}", text) or int(text) not in SIZES:
        raise InputError("n", N_RULE, text)
    return int(text)


def spectrum_request(args: Mapping[str, str], presets: Mapping[str, Preset]) -> tuple[State, int]:
    """The state (``compare[N]``'s with ``slot=N``) and grid size of a ``/api/spectrum`` request, checked: the
    picture's parameters are read but not loaded (the spectrum does not depend on the picture)."""
    state = parse_state(args, presets, ("n", "slot"))
    slot = parse_int(args, "slot", 0, MAX_COMPARE - 1)
    state = state if slot is None else state.for_slot(slot)
    n = parse_n(args)
    check_fits(state.kernel.shape, state.options, n)
    return state, n


def spectrum_json(state: State, n: int) -> dict:
    """``/api/spectrum``'s answer: :meth:`kernels.teaching.spectrum.Spectrum.to_json`, the kernel's text, what the
    stride cannot keep, and the panel's sentences."""
    s = spectrum_of(state.kernel, state.options, n)
    stride = state.options.stride
    return {
        **s.to_json(),
        "kernel": state.kernel_text,
        "stride": list(stride),
        "aliased_gain": s.aliased_gain(stride),
        "repeat": state.options.repeat,
        "summary": sentences(s, state),
    }


def spectrum_picture(state: State, n: int) -> tuple[tuple, Callable[[], bytes]]:
    """What identifies the heat map's PNG (the taps as applied, N and the colour scale's version) and how to
    make it, so that a cached copy is answered without computing anything."""
    taps = filter_taps(state.kernel, state.options) + 0.0  # −0.0 and 0.0 give the same map
    key = ("spectrum", PICTURE_VERSION, n, taps.shape, taps.tobytes())
    return key, lambda: encode_png(heat_map(spectrum(taps, n)), compact=True)


def spectrum_query(state: State, n: int) -> dict[str, str]:
    """The smallest query that gives ``state``'s spectrum: the parameters in :data:`TAP_PARAMS`, and ``n``."""
    query = {name: value for name, value in state.to_query().items() if name in TAP_PARAMS}
    if n != DEFAULT_N:
        query["n"] = str(n)
    return query


@dataclass(frozen=True)
class SpectrumPanel:
    """What ``partials/spectrum.html`` shows: the heat map's address, size and words, its colour legend, the
    two cuts, and the sentences; or only ``refused`` (why there is no map) when the filter is too large."""

    n: int
    src: str = ""
    side: int = 0
    alt: str = ""
    axes: MapAxes | None = None
    legend: Legend | None = None
    cuts: tuple[CutChart, ...] = ()
    sentences: tuple[str, ...] = ()
    kind: str = ""
    refused: str = ""


def spectrum_panel(state: State) -> SpectrumPanel:
    """The panel for ``state``'s main kernel and options, on the smallest grid (64 or more) that holds it."""
    kh, kw = state.kernel.shape
    dy, dx = state.options.dilation
    n = smallest_size(((kh - 1) * dy + 1, (kw - 1) * dx + 1))
    if n is None:
        return SpectrumPanel(n=MAX_N, refused=too_wide_text(MAX_N))
    s = spectrum_of(state.kernel, state.options, n)
    top = max(s.peak_gain, 1.0)
    sy, sx = state.options.stride
    cuts = tuple(
        cut_chart(
            f"spectrum-cut-{axis}", CUT_TITLES[axis], cut_description(s, gains, axis), gains, top, step, gain_text
        )
        for axis, gains, step in (("x", s.cut_x, sx), ("y", s.cut_y, sy))
    )
    return SpectrumPanel(
        n=n,
        src=url_for("api.spectrum_png", **spectrum_query(state, n)),
        side=n + 1,
        alt=alt_text(s),
        axes=map_axes(n, (sy, sx), gain_text),
        legend=legend(gain_text),
        cuts=cuts,
        sentences=tuple(sentences(s, state)),
        kind=s.kind + (" directional" if s.directional else ""),
    )
