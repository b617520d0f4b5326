"""The small histogram of raw values under each output picture: geometry for an inline SVG, and its words.

The counts come from :func:`kernels.teaching.histogram.raw_histogram` on the engine's raw result (cached with it);
this module only scales them into SVG units and words what the display did with them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from kernels.teaching.display import SIGNED_LUT, signed_scale
from kernels.teaching.histogram import RawHistogram, raw_histogram
from web.present.panel import fmt
from web.query.state import State
from web.services.compute import Services

WIDTH = 300.0
"""SVG user units across (the picture scales to its box)."""
PLOT_TOP, PLOT_HEIGHT = 16.0, 52.0
"""Where the plot starts below the top edge (room for the upper labels), and its height."""
SIDE = 4.0
"""The margin left and right of the plot."""
HEIGHT = PLOT_TOP + PLOT_HEIGHT + 16.0
"""SVG user units down: the plot and room for the lower labels."""
PLOT_BOTTOM = PLOT_TOP + PLOT_HEIGHT
FRAME = {"width": WIDTH, "height": HEIGHT, "side": SIDE, "top": PLOT_TOP, "bottom": PLOT_BOTTOM}
"""The geometry ``partials/histogram.html`` draws the frame with, in the same units as the bars."""


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str = ""  # the signed display's colour at the bin's middle ("" for the plain bar colour)


@dataclass
class Tick:
    x: float
    label: str
    anchor: str  # SVG text-anchor: start, middle or end
    place: str  # "top" (the shown range's ends) or "bottom" (the lowest and highest value)


CHAR_WIDTH = 6.2
"""Widest average advance of the labels' characters (600 10px sans-serif digits and signs), in SVG units."""
LABEL_GAP = 6.0


def _tick_pair(low_x: float, low: str, high_x: float, high: str, place: str) -> list[Tick]:
    """Two labels for the ends of a range, placed so they never overlap or leave the picture: the low one
    ends at its mark and the high one starts at its mark where there is room, else they are pushed apart."""
    low_width, high_width = len(low) * CHAR_WIDTH, len(high) * CHAR_WIDTH
    low_start = low_x - low_width if low_x - low_width >= 0 else max(low_x, 0.0)
    high_start = high_x if high_x + high_width <= WIDTH else high_x - high_width
    high_start = max(high_start, low_start + low_width + LABEL_GAP)
    overflow = high_start + high_width - WIDTH
    if overflow > 0:
        low_start, high_start = max(low_start - overflow, 0.0), high_start - overflow
    return [Tick(low_start, low, "start", place), Tick(high_start, high, "start", place)]


@dataclass
class HistogramView:
    """Everything ``partials/histogram.html`` draws for one output picture."""

    area: str
    bars: list[Bar]
    band: tuple[float, float] | None  # x from…to of the values shown without clipping
    ticks: list[Tick]
    range_text: str
    clip_text: str
    mapping_text: str
    legend: list[tuple[str, str]] = field(default_factory=list)  # (label, colour) for the signed colour map
    legend_gradient: str = ""
    data: dict[str, str] = field(default_factory=dict)

    @property
    def frame(self) -> dict[str, float]:
        return FRAME

    @property
    def summary_id(self) -> str:
        return f"{self.area}-histogram-summary"


def histogram_view(services: Services, state: State, area: str) -> HistogramView | None:
    """The histogram of ``state``'s raw result as shown, or None where the picture is not a display of it
    (the direction of a gradient pair is drawn as hues)."""
    if state.combine == "direction":
        return None
    hist = services.histograms.get_or_make(
        ("histogram", *state.cache_key()), lambda: raw_histogram(services.raw(state)[0], state.display)
    )
    view = build_view(hist, state.display, area)
    if state.color == "rgb":
        view.range_text += " Red, green and blue counted together."
    return view


def build_view(hist: RawHistogram, display: str, area: str) -> HistogramView:
    start, stop = float(hist.edges[0]), float(hist.edges[-1])
    span = stop - start
    inner = WIDTH - 2 * SIDE

    def at(value: float) -> float:
        return SIDE + (value - start) / span * inner

    peak = math.sqrt(float(hist.counts.max())) or 1.0
    bars = []
    for i, count in enumerate(hist.counts.tolist()):
        if count == 0:
            continue
        height = max(math.sqrt(count) / peak * PLOT_HEIGHT, 1.0)
        left, right = at(float(hist.edges[i])), at(float(hist.edges[i + 1]))
        top = PLOT_TOP + PLOT_HEIGHT - height
        fill = ""
        if display == "signed":
            fill = _signed_colour((float(hist.edges[i]) + float(hist.edges[i + 1])) / 2, hist)
        bars.append(Bar(round(left, 2), round(top, 2), round(max(right - left - 0.4, 0.6), 2), round(height, 2), fill))

    band = None
    low_x, high_x = at(hist.lo), at(hist.hi)
    low_text, high_text = f"min {fmt(hist.lo)}", f"max {fmt(hist.hi)}"
    if display == "stretch" and hist.hi > hist.lo:
        low_text, high_text = f"{fmt(hist.lo)} → 0", f"{fmt(hist.hi)} → 255"
    ticks = _tick_pair(low_x, low_text, high_x, high_text, "bottom")
    if hist.shown is not None:
        # A whole grey level v covers the raw values that round to it: v − ½ … v + ½.
        low, high = at(max(hist.shown[0] - 0.5, start)), at(min(hist.shown[1] + 0.5, stop))
        band = (round(low, 2), round(high, 2))
        shown_lo, shown_hi = (fmt(v) for v in hist.shown)
        ticks += _tick_pair(low, shown_lo, high, shown_hi, "top")

    view = HistogramView(
        area, bars, band, ticks, _range_text(hist), _clip_text(hist, display), _mapping_text(hist, display)
    )
    if display == "signed":
        scale = signed_scale(hist.lo, hist.hi)
        colours = {index: "rgb({},{},{})".format(*SIGNED_LUT[index]) for index in (1, 64, 128, 192, 255)}
        view.legend = [
            (fmt(-scale), colours[1]),
            ("0", colours[128]),
            (fmt(scale, signed=True), colours[255]),
        ]
        stops = ", ".join(f"{colour} {100 * (index - 1) / 254:.1f}%" for index, colour in colours.items())
        view.legend_gradient = f"linear-gradient(90deg, {stops})"
    view.data = {
        "total": str(hist.total),
        "below": str(hist.below),
        "above": str(hist.above),
        "clipped": str(hist.clipped),
        "lo": repr(hist.lo),
        "hi": repr(hist.hi),
        "counts": json.dumps(hist.counts.tolist()),
        "start": repr(start),
        "stop": repr(stop),
    }
    return view


def _signed_colour(value: float, hist: RawHistogram) -> str:
    """The signed display's colour for a raw value (its own rule: index rint(v / m · 127) + 128)."""
    scale = signed_scale(hist.lo, hist.hi)
    index = 128 if scale == 0 else int(min(max(round(value / scale * 127) + 128, 1), 255))
    return "rgb({},{},{})".format(*SIGNED_LUT[index])


def percent(share: float) -> str:
    """A share 0…1 as people read it: one decimal, never "0.0 %" for a share that is not zero."""
    if share == 0:
        return "0 %"
    if share < 0.001:
        return "less than 0.1 %"
    if share > 0.999 and share < 1:
        return "more than 99.9 %"
    return f"{100 * share:.1f} %"


def _range_text(hist: RawHistogram) -> str:
    values = f"{hist.total:,} value{'s' if hist.total != 1 else ''}"
    return f"Raw values from {fmt(hist.lo)} to {fmt(hist.hi)} ({values})."


def _clip_text(hist: RawHistogram, display: str) -> str:
    if hist.shown is None:
        return "Nothing is clipped: the whole range is mapped onto the picture."
    if hist.clipped == 0:
        what = {
            "clamp": "every value lies in 0\u2060…\u2060255",
            "abs": "every |value| is at most 255",
            "midgray": "every value + 128 lies in 0\u2060…\u2060255",
        }[display]
        return f"Nothing was clipped: {what}."
    share = percent(hist.clipped_share)
    rule = {
        "clamp": "were below 0 or above 255",
        "abs": "had a size |v| above 255",
        "midgray": "were below 0 or above 255 after adding 128",
    }[display]
    return f"{share} of values {rule} and were clipped."


def _mapping_text(hist: RawHistogram, display: str) -> str:
    if display == "stretch":
        if not hist.hi > hist.lo:
            return f"Every value is {fmt(hist.lo)}: stretch has no range to spread, so all pixels are 0."
        return f"Stretch maps the lowest value {fmt(hist.lo)} → 0 (black) and the highest {fmt(hist.hi)} → 255 (white)."
    if display == "signed":
        scale = signed_scale(hist.lo, hist.hi)
        return (
            f"Colour by sign: {fmt(-scale)} is dark blue, 0 white, {fmt(scale, signed=True)} dark orange "
            f"(the largest size, {fmt(scale)}, sets both ends)."
        )
    if display == "abs":
        return "Abs shows |value|: −v and +v look the same."
    if display == "midgray":
        return "Mid-grey adds 128: 0 is mid-grey, negative values darker."
    return ""
