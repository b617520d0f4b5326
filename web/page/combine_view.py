"""Combining the kernel with a second one in the playground: the controls, the hue legend and the pixel.

With ``combine`` the playground's output is √(Gx² + Gy²) (magnitude) or atan2(Gy, Gx) shown as hue
(direction), where Gx is the page's kernel and Gy is ``kernel2`` (by default the transpose partner of a
gradient kernel). Pointing at a pixel explains both kernels' sums, the value each fed into the
combination, and the combination itself. The numbers are the engine's: each kernel's
:meth:`web.services.compute.Services.explain` and :func:`kernels.teaching.gradient.describe_pixel` for the
combined pixel; this module only lays them out and writes the formula down.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from imaging.images import encode_png
from kernels.library.kernel_text import MINUS
from kernels.library.presets import Preset
from kernels.teaching.display import DISPLAY_WORDS, SIGNED_COLOURS_FROM_ZERO
from kernels.teaching.gradient import describe_pixel, direction_colours, ramp_sign
from web.present.panel import CHANNEL_TITLES, Panel, build_panel, fmt
from web.query.kernel_choice import KernelChoice, conventional_x
from web.query.pickers import Picker, kernel2_picker
from web.query.state import State
from web.services.compute import Services

LEGEND_SIDE = 64
"""Pixels across the hue legend's disc."""
MODE_TITLES = {"magnitude": "Gradient magnitude", "direction": "Gradient direction"}


@dataclass
class CombineStep:
    """One colour channel of the combined pixel: the two values, what they combine into, and (for direction)
    where the picture is brighter, in words."""

    title: str
    gx: str
    gy: str
    formula: str
    result: str
    towards: str = ""


@dataclass(frozen=True)
class Orientation:
    """How the two kernels' signs enter the direction: ``sx`` is +1 when Gx is positive where brightness rises to
    the right (right − left), −1 for left − right; ``sy`` the same for Gy downwards. See
    :func:`kernels.teaching.gradient.ramp_sign`."""

    sx: int
    sy: int
    gx_name: str
    gy_name: str

    @property
    def gx_measures(self) -> str:
        return "right − left" if self.sx > 0 else "left − right"

    @property
    def gy_measures(self) -> str:
        return "bottom − top" if self.sy > 0 else "top − bottom"

    def side_angle(self, side: str) -> int:
        """The direction (degrees, as the engine gives it) whose colour means "brighter on this side"."""
        right, down = (0 if self.sx > 0 else 180), (90 if self.sy > 0 else -90)
        return {"right": right, "left": 180 - right, "down": down, "up": -down}[side]

    def towards(self, angle: float) -> str:
        """Where the picture is brighter for a pixel whose direction is ``angle`` degrees, in words."""
        rad = np.radians(angle)
        bright = np.degrees(np.arctan2(self.sy * np.sin(rad), self.sx * np.cos(rad)))
        return _COMPASS[int(np.round(bright / 45)) % 8]


_COMPASS = (
    "to the right",
    "below and to the right",
    "below",
    "below and to the left",
    "to the left",
    "above and to the left",
    "above",
    "above and to the right",
)
"""Where brightness rises, from 0° (right) in 45° steps towards +y (down)."""


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
    orientation: Orientation | None = None
    switched_from: str = ""


def build_combine(
    services: Services,
    state: State,
    *,
    pixel: tuple[int, int] | None,
    first: Panel | None,
    submitted: Mapping[str, str] | None = None,
    loaded: str = "",
) -> CombineView:
    """The controls for ``state``; with ``combine`` on and ``pixel`` (x, y) given, that pixel explained.

    ``first`` is the playground's panel of the same pixel (it already explains Gx). ``loaded`` is the preset
    the form's grid held before this request: when turning combine on replaced it, the view says so.
    """
    presets = services.presets
    partner = state.kernel2.text if state.kernel2 is not None and state.kernel2_default else ""
    second = state.kernel2
    second_title = _title(second, presets) if second is not None else ""
    view = CombineView(state.combine, kernel2_picker(state, presets, submitted), partner, second_title)
    view.orientation = orientation(state, presets)
    if (
        state.combine is not None
        and loaded in presets
        and state.preset is not None
        and conventional_x(loaded, presets, state.options.op) == state.preset
    ):
        view.switched_from = presets[loaded].title
    if state.combine == "direction":
        o = view.orientation
        view.legend_src = legend_src(o.sx, o.sy) if o is not None else legend_src()
    if state.combine is not None and pixel is not None and first is not None:
        view.pixel = combined_pixel(services, state, pixel[0], pixel[1], first)
    return view


def combined_pixel(services: Services, state: State, x: int, y: int, first: Panel) -> CombinedPixel:
    """Gy's panel at (x, y), and the engine's magnitude, direction and stored pixel there."""
    second = state.second_state()
    result = services.result(second)
    gy = build_panel(
        services.explain(second, x, y), second.options, second.display, result.origin, result.last_input.shape[:2]
    )
    combined = describe_pixel(services.gradient(state), state.combine, state.display, x, y)
    magnitudes, directions = _per_channel(combined["magnitude"]), _per_channel(combined["direction"])
    turned = orientation(state, services.presets)
    steps = []
    for ch_x, ch_y, mag, ang in zip(first.channels, gy.channels, magnitudes, directions, strict=True):
        a, b = ch_x.value, ch_y.value
        if state.combine == "magnitude":
            formula, result_text = f"√({_sq(a)} + {_sq(b)})", fmt(mag)
        else:
            formula, result_text = f"atan2({b}, {a})", f"{fmt(ang)}°"
        towards = ""
        if state.combine == "direction" and turned is not None:
            towards = f"brighter {turned.towards(ang)}" if mag > 0 else "flat here: no direction"
        steps.append(CombineStep(CHANNEL_TITLES.get(ch_x.name, ch_x.name), a, b, formula, result_text, towards))
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
        "x": str(x),
        "y": str(y),
        "gx-sum": first.data["sum"],
        "gy-sum": gy.data["sum"],
        "gx-value": first.data["value"],
        "gy-value": gy.data["value"],
        "magnitude": json.dumps(combined["magnitude"]),
        "direction": json.dumps(combined["direction"]),
        "stored": json.dumps(stored),
    }
    summary = (
        f"Output pixel x {x}, y {y}: {MODE_TITLES[state.combine].lower()} "
        f"{steps[0].result if len(steps) == 1 else ', '.join(s.result for s in steps)}, stored {stored_text}."
    )
    data["summary"] = summary
    return CombinedPixel(first, gy, steps, stored_text, swatch, _display_note(state), data, summary)


def _per_channel(value: float | list[float]) -> list[float]:
    return list(value) if isinstance(value, list) else [value]


def _sq(text: str) -> str:
    return f"({text})²" if text.startswith(MINUS) else f"{text}²"


def _display_note(state: State) -> str:
    if state.combine == "direction":
        return "hue from the direction, brightness from the magnitude (the strongest edge is brightest)"
    if state.display == "signed":
        return f"{SIGNED_COLOURS_FROM_ZERO} (a magnitude is never below 0)"
    rule = DISPLAY_WORDS[state.display].rule.format(v="magnitude")
    return f"{rule} (a magnitude is never negative)" if state.display == "abs" else rule


def orientation(state: State, presets: Mapping[str, Preset]) -> Orientation | None:
    """How the signs of Gx and Gy enter the direction, when Gx answers only to left–right changes and Gy only
    to up–down ones (Sobel, Prewitt, Scharr…); None otherwise (the legend then speaks of (Gx, Gy) alone)."""
    if state.combine is None or state.kernel2 is None:
        return None
    op = state.options.op
    gx, gy = state.kernel, state.kernel2.weights
    sx, sy = ramp_sign(gx, 1, op), ramp_sign(gy, 0, op)
    if 0 in (sx, sy) or ramp_sign(gx, 0, op) or ramp_sign(gy, 1, op):
        return None
    return Orientation(sx, sy, _title(state.choice, presets), _title(state.kernel2, presets))


def _title(choice: KernelChoice, presets: Mapping[str, Preset]) -> str:
    preset = presets.get(choice.preset or "")
    return preset.title if preset is not None else choice.text


def legend_src(sx: int = 1, sy: int = 1) -> str:
    """A square whose every point has the colour of the direction from its centre (the page rounds it):
    a data: PNG. Colours come from :func:`kernels.teaching.gradient.direction_colours`, the function that paints
    the output. With ``sx`` = ``sy`` = 1 right is 0°, down 90° (rows grow downwards), left 180°, up −90°;
    a −1 mirrors that axis, so that each colour sits on the side where the picture is brighter.
    """
    half = (LEGEND_SIDE - 1) / 2
    ys, xs = np.mgrid[0:LEGEND_SIDE, 0:LEGEND_SIDE].astype(np.float64) - half
    angles = np.degrees(np.arctan2(sy * ys, sx * xs))
    pixels = direction_colours(np.ones_like(angles), angles, 1.0)
    return "data:image/png;base64," + base64.b64encode(encode_png(pixels)).decode("ascii")
