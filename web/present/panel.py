"""The explanation panel: the engine's ``explain`` answer laid out for people.

Nothing here computes a pixel: every value, weight, product, sum and stored
pixel comes from :func:`kernels.teaching.explain.explain` (a
:class:`kernels.teaching.explain.PixelExplanation`). This module only formats
those numbers, picks shades and colours for them, and words where each padded
value came from under the edge mode in force.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from kernels.engine import kernel_sum
from kernels.library.kernel_text import format_for_people as fmt
from kernels.options import EDGE_WORDS, Options
from kernels.teaching.display import DISPLAY_WORDS
from kernels.teaching.explain import ChannelExplanation, PixelExplanation

if TYPE_CHECKING:
    from web.present.guess import GuessView

MAX_TABLE_TAPS = 81
"""Kernels with more taps than this (9×9) get a summary instead of the tap-by-tap table."""

WHY_CORRELATE = (
    "PyTorch’s conv2d and OpenCV’s filter2D correlate: their kernels are learned or designed for the job, so "
    "flipping them first would gain nothing, and for kernels that look the same turned 180° the two are equal."
)
CHANNEL_TITLES = {"gray": "Grey (luma)", "R": "Red", "G": "Green", "B": "Blue"}
_CHANNEL_RGB = {"gray": (1, 1, 1), "R": (1, 0, 0), "G": (0, 1, 0), "B": (0, 0, 1)}


@lru_cache(maxsize=4096)
def shade(value: float, channel: str) -> tuple[str, str]:
    """A background in the channel's colour at this value (0…255, clipped) and the text colour that reads on it;
    remembered, since a panel shades the same few pixel values again and again."""
    level = min(max(float(value), 0.0), 255.0)
    r, g, b = (round(level * k) for k in _CHANNEL_RGB.get(channel, (1, 1, 1)))
    return f"rgb({r},{g},{b})", text_colour_on(r, g, b)


def text_colour_on(r: int, g: int, b: int) -> str:
    """Black or white, whichever has the higher WCAG contrast on this background (always at least 4.5:1)."""

    def linear(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    return "#000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#fff"


@dataclass
class Tap:
    """One cell of the window: input value × weight = product, and where the value came from."""

    value: str
    weight: str
    product: str
    sign: str  # "pos", "neg", "zero" or "none" (a skipped tap)
    background: str
    colour: str
    origin_note: str = ""  # "" for a pixel inside the image
    origin_label: str = ""  # the same, for screen readers


@dataclass
class ColourTap:
    """One cell of a colour picture's window: the channels' values, the weight they share, and their products."""

    values: list[tuple[str, str, str]]  # per channel: (value, background, text colour)
    weight: str
    products: list[tuple[str, str]]  # per channel: (product, sign)
    sign: str  # of the weight: "pos", "neg" or "zero"; "none" for a skipped tap
    origin_note: str = ""
    origin_label: str = ""


@dataclass
class ChannelPanel:
    """The arithmetic for one channel of one output pixel."""

    name: str
    title: str
    rows: list[list[Tap]] | None
    sum: str
    value: str
    stored: str
    stored_swatch: str | None
    clipped: bool
    clip_note: str
    display_note: str


@dataclass
class FlipView:
    """The kernel as written and as multiplied (turned 180°, and normalised when asked), for small kernels."""

    written: list[list[str]]
    turned: list[list[str]]
    written_origin: tuple[int, int]
    turned_origin: tuple[int, int]
    normalised_by: str
    symmetric: bool
    why: str = WHY_CORRELATE


class Head(NamedTuple):
    """A column or row head of the window: its image coordinate, whether that lies outside the image, and
    where every tap of a column (or row) outside it reads from ("from x 1", "fill 0", "left out")."""

    text: str
    outside: bool
    note: str = ""


@dataclass
class Panel:
    """Everything the panel template shows, plus the exact numbers for ``data-*``."""

    x: int
    y: int
    input_x: int
    input_y: int
    kernel_shape: tuple[int, int]
    col_heads: list[Head]
    row_heads: list[Head]
    channels: list[ChannelPanel]
    value_steps: str
    pass_note: str
    summary: str
    data: dict[str, str] = field(default_factory=dict)
    flip: FlipView | None = None
    colour_rows: list[list[ColourTap]] | None = None
    """For a picture with several channels: one window whose cells hold every channel (the weights are shared)."""
    display_rule: str = ""
    """How a value becomes a stored pixel, for every channel at once."""
    colour: str | None = None
    """The stored pixel as a CSS colour, when its channels are red, green and blue."""
    guess: GuessView | None = None
    """For "Guess the pixel": the guess box that stands in for the hidden numbers, then the verdict
    (web.page.quiz_guess)."""

    @property
    def taps(self) -> int:
        return self.kernel_shape[0] * self.kernel_shape[1]

    @property
    def heads_say_where(self) -> bool:
        """True when the heads say where the padded taps read from, so the cells need not."""
        return any(head.note for head in self.col_heads + self.row_heads)


def build_panel(
    info: PixelExplanation, options: Options, display: str, origin: tuple[int, int], source_size: tuple[int, int]
) -> Panel:
    """Lay out an ``explain`` answer. ``origin`` is the engine's origin in the weights as multiplied;
    ``source_size`` (height, width) is the size of the image the window reads."""
    height, width = source_size
    dy, dx = options.dilation
    oy, ox = origin
    first = info.channels[0]
    weights = first.weights
    kh, kw = len(weights), len(weights[0])
    vys = [info.input_y + (i - oy) * dy for i in range(kh)]
    vxs = [info.input_x + (j - ox) * dx for j in range(kw)]
    col_notes = _axis_notes(first, vxs, width, 1, options)
    row_notes = _axis_notes(first, vys, height, 0, options)
    if col_notes is None or row_notes is None:  # each cell says where its own value came from
        col_notes, row_notes = [""] * kw, [""] * kh
    channels = [_channel(ch, options, display, vys, vxs) for ch in info.channels]
    panel = Panel(
        x=info.x,
        y=info.y,
        input_x=info.input_x,
        input_y=info.input_y,
        kernel_shape=(kh, kw),
        col_heads=[Head(f"x {fmt(v)}", not 0 <= v < width, note) for v, note in zip(vxs, col_notes, strict=True)],
        row_heads=[Head(f"y {fmt(v)}", not 0 <= v < height, note) for v, note in zip(vys, row_notes, strict=True)],
        channels=channels,
        value_steps=_value_steps(options, first, info.scale),
        pass_note=(
            f"Pass {options.repeat} of {options.repeat}: the window reads the raw result of the pass before."
            if options.repeat > 1
            else ""
        ),
        summary=_summary(info, channels),
        display_rule=_display_rule(display),
    )
    if len(channels) > 1 and all(ch.rows for ch in channels):
        panel.colour_rows = [
            [_colour_tap([ch.rows[i][j] for ch in channels], weights[i][j]) for j in range(kw)] for i in range(kh)
        ]
    stored = [ch.stored for ch in info.channels]
    if [ch.name for ch in info.channels] == ["R", "G", "B"] and all(isinstance(v, int) for v in stored):
        panel.colour = f"rgb({stored[0]},{stored[1]},{stored[2]})"
    panel.data = {
        "x": str(info.x),
        "y": str(info.y),
        "input-x": str(info.input_x),
        "input-y": str(info.input_y),
        "sum": repr(float(first.sum)),
        "value": repr(float(first.value)),
        "stored": json.dumps(first.stored),
        "clipped": "true" if first.clipped else "false",
        "summary": panel.summary,
    }
    return panel


def _axis_notes(
    ch: ChannelExplanation, positions: list[int], size: int, axis: int, options: Options
) -> list[str] | None:
    """For each column (``axis`` 1) or row (``axis`` 0) of the window, where its taps read from when it lies
    outside the image, worded once for the head ("" inside). Every edge mode pads one axis at a time, so all
    the taps of a column read from the same x (or the same fill value); None if they ever disagree, and each
    tap then says where its own value came from."""
    notes = []
    for k, position in enumerate(positions):
        if 0 <= position < size:
            notes.append("")
            continue
        rows, cols = len(ch.window), len(ch.window[0])
        cells = [(i, k) for i in range(rows)] if axis == 1 else [(k, j) for j in range(cols)]
        words = {_read_from(ch, i, j, axis, options) for i, j in cells}
        if len(words) != 1:
            return None
        notes.append(words.pop())
    return notes


def _read_from(ch: ChannelExplanation, i: int, j: int, axis: int, options: Options) -> str:
    if ch.window[i][j] is None:
        return "left out"
    source = ch.sources[i][j]
    if source is None:
        return f"fill {fmt(options.cval)}"
    return f"from {'x' if axis == 1 else 'y'} {source[axis]}"


def _channel(ch: ChannelExplanation, options: Options, display: str, vys: list[int], vxs: list[int]) -> ChannelPanel:
    name = ch.name
    rows = None
    if len(vys) * len(vxs) <= MAX_TABLE_TAPS:
        rows = [[_tap(ch, i, j, options, name, vys[i], vxs[j]) for j in range(len(vxs))] for i in range(len(vys))]
    stored = ch.stored
    swatch = None
    if isinstance(stored, tuple):
        swatch = f"rgb({stored[0]},{stored[1]},{stored[2]})"
        stored_text = f"rgb({', '.join(str(v) for v in stored)})"
    else:
        stored_text = str(stored)
    return ChannelPanel(
        name=name,
        title=CHANNEL_TITLES.get(name, name),
        rows=rows,
        sum=fmt(ch.sum),
        value=fmt(ch.value),
        stored=stored_text,
        stored_swatch=swatch,
        clipped=bool(ch.clipped),
        clip_note=_clip_note(float(ch.value), display) if ch.clipped else "",
        display_note=_display_rule(display, fmt(float(ch.value))),
    )


def _tap(ch: ChannelExplanation, i: int, j: int, options: Options, channel: str, vy: int, vx: int) -> Tap:
    value = ch.window[i][j]
    weight = ch.weights[i][j]
    if value is None:
        return Tap(
            "—",
            "× " + fmt(weight),
            "skipped",
            "none",
            "transparent",
            "inherit",
            "outside: left out",
            "outside the image, left out by kernel-crop",
        )
    product = ch.products[i][j]
    background, colour = shade(value, channel)
    tap = Tap(fmt(value), "× " + fmt(weight), "= " + fmt(product, signed=True), _sign(product), background, colour)
    source = ch.sources[i][j]
    if source is None:
        tap.origin_note = f"fill {fmt(options.cval)}"
        tap.origin_label = f"outside the image: the constant fill value {fmt(options.cval)}"
    elif (source[0], source[1]) != (vy, vx):
        tap.origin_note = f"from ({source[1]}, {source[0]})"
        words = EDGE_WORDS[options.edge]
        tap.origin_label = f"outside the image: {words.copied} x {source[1]}, y {source[0]} ({words.title})"
    return tap


def _sign(number: float) -> str:
    """The CSS class of a number's sign: "pos", "neg" or "zero"."""
    return "zero" if number == 0 else ("pos" if number > 0 else "neg")


def _colour_tap(taps: list[Tap], weight: float) -> ColourTap:
    """The channels' cells at one place of the window, merged: they share the weight and where the value came from."""
    sign = "none" if taps[0].sign == "none" else _sign(weight)
    return ColourTap(
        values=[(t.value, t.background, t.colour) for t in taps],
        weight=taps[0].weight,
        products=[(t.product.removeprefix("= "), t.sign) for t in taps],
        sign=sign,
        origin_note=taps[0].origin_note,
        origin_label=taps[0].origin_label,
    )


def _value_steps(options: Options, ch: ChannelExplanation, scale: float) -> str:
    """How the sum became the value, in words (empty when value = sum). ``scale`` is the engine's kernel-crop
    factor ΣK / Σ(weights used)."""
    parts = []
    # A factor of 1 (a kernel summing to 0, or the taps left out summing to 0) rescales nothing: say nothing.
    if options.edge == "kernel-crop" and scale != 1 and any(v is None for row in ch.window for v in row):
        parts.append(f"rescaled by kernel-crop for the taps left out (× {fmt(scale)})")
    if options.divisor != 1:
        parts.append(f"divided by {fmt(options.divisor)}")
    if options.offset != 0:
        parts.append(f"plus {fmt(options.offset)}")
    if not parts:
        return ""
    return "the sum " + ", ".join(parts)


def _display_rule(display: str, value: str = "value") -> str:
    """What the display does to a raw value, written ``value`` (or the number given)."""
    return DISPLAY_WORDS[display].rule.format(v=value) if display in DISPLAY_WORDS else ""


def _clip_note(value: float, display: str) -> str:
    shown = abs(value) if display == "abs" else value + 128 if display == "midgray" else value
    return f"clipped: {fmt(shown)} is {'below 0' if shown < 0 else 'above 255'}"


def _summary(info: PixelExplanation, channels: list[ChannelPanel]) -> str:
    """One short sentence for the polite live region."""
    head = f"Output pixel x {info.x}, y {info.y}:"
    if len(channels) == 1:
        ch = channels[0]
        return f"{head} sum {ch.sum}, stored {ch.stored}{', clipped' if ch.clipped else ''}."
    parts = [f"{ch.name} {ch.stored}{' clipped' if ch.clipped else ''}" for ch in channels]
    return f"{head} stored {', '.join(parts)}."


def flip_view(kernel: np.ndarray, multiplied: np.ndarray, origin: tuple[int, int], options: Options) -> FlipView | None:
    """Written and turned kernels side by side, when convolving a kernel small enough to list (≤ 9×9).

    ``multiplied`` and ``origin`` are the engine's weights as multiplied and their origin
    (:class:`kernels.engine.FilterResult`).
    """
    kernel = np.asarray(kernel, dtype=np.float64)
    if options.op != "convolve" or kernel.size > MAX_TABLE_TAPS:
        return None
    kh, kw = kernel.shape
    written_origin = (kh - 1 - origin[0], kw - 1 - origin[1])
    total = kernel_sum(kernel)
    normalised_by = fmt(total) if options.normalize and total not in (0, 1) else ""
    return FlipView(
        written=[[fmt(v) for v in row] for row in kernel.tolist()],
        turned=[[fmt(v) for v in row] for row in np.asarray(multiplied).tolist()],
        written_origin=written_origin,
        turned_origin=(int(origin[0]), int(origin[1])),
        normalised_by=normalised_by,
        symmetric=bool(np.array_equal(kernel, kernel[::-1, ::-1])),
    )
