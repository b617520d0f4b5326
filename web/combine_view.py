"""Combining the kernel with a second one in the playground: the controls, the hue legend and the pixel.

With ``combine`` the playground's output is √(Gx² + Gy²) (magnitude) or atan2(Gy, Gx) shown as hue
(direction), where Gx is the page's kernel and Gy is ``kernel2`` (by default the transpose partner of a
gradient kernel). Pointing at a pixel explains both kernels' sums, the value each fed into the
combination, and the combination itself. The numbers are the engine's: each kernel's
:meth:`web.compute.Services.explain` and :func:`kernels.gradient.describe_pixel` for the combined pixel;
this module only lays them out and writes the formula down.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from kernels.display import SIGNED_COLOURS_FROM_ZERO
from kernels.gradient import describe_pixel, direction_colours
from kernels.images import encode_png
from web.compute import Services
from web.panel import CHANNEL_TITLES, Panel, build_panel, fmt
from web.pickers import Picker, kernel2_picker
from web.state import State

LEGEND_SIDE = 64
"""Pixels across the hue legend's disc."""
MODE_TITLES = {"magnitude": "Gradient magnitude", "direction": "Gradient direction"}


@dataclass
class CombineStep:
    """One colour channel of the combined pixel: the two values and what they combine into."""

    title: str
    gx: str
    gy: str
    formula: str
    result: str


@dataclass
class CombinedPixel:
    """The selected pixel of a combined playground: both kernels' panels and the combination."""

    gx: Panel
    gy: Panel
    steps: list[CombineStep]
    stored: str
    swatch: str | None
    display_note: str
    data: dict[str, str] = field(default_factory=dict)
    summary: str = ""


@dataclass
class CombineView:
    """The combine controls and, when combining, the second kernel's name and the selected pixel."""

    mode: str | None
    picker: Picker
    partner: str
    second_title: str
    pixel: CombinedPixel | None = None
    legend_src: str = ""


def build_combine(services: Services, state: State, *, pixel: tuple[int, int] | None, first: Panel | None,
                  submitted: Mapping[str, str] | None = None) -> CombineView:
    """The controls for ``state``; with ``combine`` on and ``pixel`` (x, y) given, that pixel explained.

    ``first`` is the playground's panel of the same pixel (it already explains Gx).
    """
    presets = services.presets
    partner = state.kernel2.text if state.kernel2 is not None and state.kernel2_default else ""
    second = state.kernel2
    second_title = ""
    if second is not None:
        preset = presets.get(second.preset or "")
        second_title = preset.title if preset is not None else second.text
    view = CombineView(state.combine, kernel2_picker(state, presets, submitted), partner, second_title)
    if state.combine == "direction":
        view.legend_src = legend_src()
    if state.combine is not None and pixel is not None and first is not None:
        view.pixel = combined_pixel(services, state, pixel[0], pixel[1], first)
    return view


def combined_pixel(services: Services, state: State, x: int, y: int, first: Panel) -> CombinedPixel:
    """Gy's panel at (x, y), and the engine's magnitude, direction and stored pixel there."""
    second = state.second_state()
    result = services.result(second)
    gy = build_panel(services.explain(second, x, y), second.options, second.display, result.origin,
                     result.last_input.shape[:2])
    combined = describe_pixel(services.gradient(state), state.combine, state.display, x, y)
    magnitudes, directions = _per_channel(combined["magnitude"]), _per_channel(combined["direction"])
    steps = []
    for ch_x, ch_y, mag, ang in zip(first.channels, gy.channels, magnitudes, directions, strict=True):
        a, b = ch_x.value, ch_y.value
        if state.combine == "magnitude":
            formula, result_text = f"√({_sq(a)} + {_sq(b)})", fmt(mag)
        else:
            formula, result_text = f"atan2({b}, {a})", f"{fmt(ang)}°"
        steps.append(CombineStep(CHANNEL_TITLES.get(ch_x.name, ch_x.name), a, b, formula, result_text))
    stored = combined["stored"]
    swatch = None
    if isinstance(stored, list) and len(stored) == 3 and state.combine == "direction":
        swatch = f"rgb({stored[0]},{stored[1]},{stored[2]})"
        stored_text = f"rgb({', '.join(str(v) for v in stored)})"
    elif isinstance(stored, list):
        stored_text = ", ".join(str(v) for v in stored)
    else:
        stored_text = str(stored)
    data = {
        "x": str(x), "y": str(y),
        "gx-sum": first.data["sum"], "gy-sum": gy.data["sum"],
        "gx-value": first.data["value"], "gy-value": gy.data["value"],
        "magnitude": json.dumps(combined["magnitude"]),
        "direction": json.dumps(combined["direction"]),
        "stored": json.dumps(stored),
    }
    summary = (f"Output pixel x {x}, y {y}: {MODE_TITLES[state.combine].lower()} "
               f"{steps[0].result if len(steps) == 1 else ', '.join(s.result for s in steps)}, stored {stored_text}.")
    data["summary"] = summary
    return CombinedPixel(first, gy, steps, stored_text, swatch, _display_note(state), data, summary)


def _per_channel(value: float | list[float]) -> list[float]:
    return list(value) if isinstance(value, list) else [value]


def _sq(text: str) -> str:
    return f"({text})²" if text.startswith("\u2212") else f"{text}²"


def _display_note(state: State) -> str:
    if state.combine == "direction":
        return "hue from the direction, brightness from the magnitude (the strongest edge is brightest)"
    return {
        "clamp": "rounded and kept within 0\u2060…\u2060255",
        "abs": "rounded and kept within 0\u2060…\u2060255 (a magnitude is never negative)",
        "midgray": "plus 128, rounded and kept within 0\u2060…\u2060255",
        "stretch": "the output's lowest…highest magnitudes stretched to 0…255",
        "signed": f"{SIGNED_COLOURS_FROM_ZERO} (a magnitude is never below 0)",
    }.get(state.display, "")


def legend_src() -> str:
    """A square whose every point has the colour of the direction from its centre (the page rounds it):
    a data: PNG. Colours come from :func:`kernels.gradient.direction_colours`, the function that paints
    the output; right is 0°, down 90° (rows grow downwards), left 180°, up −90°.
    """
    half = (LEGEND_SIDE - 1) / 2
    ys, xs = np.mgrid[0:LEGEND_SIDE, 0:LEGEND_SIDE].astype(np.float64) - half
    angles = np.degrees(np.arctan2(ys, xs))
    pixels = direction_colours(np.ones_like(angles), angles, 1.0)
    return "data:image/png;base64," + base64.b64encode(encode_png(pixels)).decode("ascii")
