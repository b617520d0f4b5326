"""The kernel editor's generator picker and its sliders, read from and written back to the page form.

The form carries ``gen`` (a generator name from :data:`kernels.library.generators.GENERATORS`, or "" for none),
one range slider per argument (``g-size``, ``g-sigma``, ``g-n``, ``g-length``, ``g-angle``, ``g-amount``,
``g-radius``; generators that share an argument share its slider, so Gaussian → LoG keeps size and σ) and
``generated``: the generator call the grid was last filled from. None of them reach a permalink: the
``kernel`` parameter holds the call itself (``kernel=gaussian(7,1.5)``).

A slider "moved" when its value differs from what the page drew for ``generated``; the page draws values
snapped to the slider's steps and range, so a call such as ``gaussian(7,1.55)`` from a hand-written link
stays exactly as written until someone moves a slider.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from kernels.errors import InputError
from kernels.library.generators import DERIVATIVE_SIZES, GENERATORS, MAX_AMOUNT, MAX_SIGMA, parse_generator
from kernels.library.kernel_text import format_number, parse_number
from kernels.limits import MAX_KERNEL_SIDE

GEN_FIELD = "gen"
GENERATED_FIELD = "generated"


@dataclass(frozen=True)
class Slider:
    """One range slider: the form field, its label, range and step (slider units are the argument's own)."""

    field: str
    label: str
    low: float
    high: float
    step: float
    unit: str = ""  # shown after the value: "px", "°" or nothing (sizes and amounts)

    def snap(self, value: float) -> float:
        """``value`` on the slider: clamped to low…high and rounded to the nearest step from ``low``."""
        steps = round((min(max(value, self.low), self.high) - self.low) / self.step)
        return min(round(self.low + steps * self.step, 6), self.high)


SLIDERS_BY_KIND: dict[str, Slider] = {
    "size": Slider("g-n", "Size n", 1, MAX_KERNEL_SIDE, 1),
    "odd": Slider("g-size", "Size", 1, MAX_KERNEL_SIDE, 2),
    "derivative": Slider("g-size", "Size", DERIVATIVE_SIZES[0], DERIVATIVE_SIZES[-1], 2),
    "sigma": Slider("g-sigma", "σ (spread)", 0.1, MAX_SIGMA, 0.1, "px"),
    "amount": Slider("g-amount", "Amount", 0, MAX_AMOUNT, 0.1),
    "angle": Slider("g-angle", "Angle", 0, 179, 1, "°"),
}
"""The slider of each argument kind of :mod:`kernels.library.generators` (motion's length uses the odd size's rule)."""

_BY_NAME = {
    "length": Slider("g-length", "Length", 1, MAX_KERNEL_SIDE, 2, "px"),
    "radius": Slider("g-radius", "Radius σ", 0.1, MAX_SIGMA, 0.1, "px"),
}

SLIDER_FIELDS: tuple[str, ...] = tuple(sorted({s.field for s in (*SLIDERS_BY_KIND.values(), *_BY_NAME.values())}))
FORM_FIELDS: tuple[str, ...] = (GEN_FIELD, GENERATED_FIELD, *SLIDER_FIELDS)
"""Every form field this module reads; the page reader lets them through and keeps them out of permalinks."""

TITLES: dict[str, str] = {
    "box": "Box blur",
    "gaussian": "Gaussian blur",
    "motion": "Motion blur",
    "log": "Laplacian of Gaussian",
    "sobel-x": "Sobel, x (left to right)",
    "sobel-y": "Sobel, y (top to bottom)",
    "scharr-x": "Scharr, x (left to right)",
    "scharr-y": "Scharr, y (top to bottom)",
    "unsharp": "Unsharp mask",
    "sharpen": "Sharpen = identity + amount × Laplacian",
}
ABOUT: dict[str, str] = {
    "box": "Every weight is 1/n²: each pixel becomes the plain average of the n×n pixels around it.",
    "gaussian": "Weights fall off like a bell curve with the distance from the centre: a smooth blur that "
    "keeps no square traces. σ sets how far the bell reaches; the size only cuts it off.",
    "motion": "A line of equal weights: what a camera moving while the shutter is open records. The angle "
    "turns the line, counter-clockwise from horizontal.",
    "log": "A Gaussian blur followed by the Laplacian: it answers to blobs and edges of about σ's size and "
    "ignores finer noise. Its weights add up to 0.",
    "sobel-x": "Right minus left, smoothed down the columns: bright where the image gets lighter to the right.",
    "sobel-y": "Bottom minus top, smoothed along the rows: bright where the image gets lighter downwards.",
    "scharr-x": "Like Sobel x with weights 3, 10, 3: its response depends less on the edge's direction.",
    "scharr-y": "Like Sobel y with weights 3, 10, 3: its response depends less on the edge's direction.",
    "unsharp": "The picture plus amount × (picture − its Gaussian blur of radius σ): the detail a blur would "
    "remove is added back, stronger.",
    "sharpen": "The identity plus amount × the 4-neighbour Laplacian: amount 1 is the classic sharpen kernel.",
}
DEFAULT_CALLS: dict[str, str] = {
    "box": "box(5)",
    "gaussian": "gaussian(7,1.5)",
    "motion": "motion(9,30)",
    "log": "log(9,1.4)",
    "sobel-x": "sobel-x(3)",
    "sobel-y": "sobel-y(3)",
    "scharr-x": "scharr-x(3)",
    "scharr-y": "scharr-y(3)",
    "unsharp": "unsharp(1,1)",
    "sharpen": "sharpen(1)",
}
"""What picking a generator shows first, before any slider moves."""

_CALL = re.compile(r"([a-z][a-z0-9-]*)\((.*)\)")


@dataclass(frozen=True)
class SliderView:
    """One slider as the template draws it: its range, step and value (snapped onto the steps) as text."""

    field: str
    label: str
    low: str
    high: str
    step: str
    value: str
    unit: str


@dataclass(frozen=True)
class GeneratorView:
    """The picker's choice ("" for none), its title and sentence, and the sliders of its arguments."""

    name: str
    call: str
    title: str
    about: str
    sliders: tuple[SliderView, ...]
    choices: tuple[tuple[str, str], ...]


def sliders_of(name: str) -> tuple[Slider, ...]:
    """The sliders of a generator's arguments, in the order of its call."""
    return tuple(_BY_NAME.get(p.name) or SLIDERS_BY_KIND[p.kind] for p in GENERATORS[name].params)


def call_parts(call: str) -> tuple[str, list[float]]:
    """A canonical call (``gaussian(7,1.5)``) as its name and arguments."""
    match = _CALL.fullmatch(call)
    if match is None or match[1] not in GENERATORS:
        raise ValueError(f"not a generator call: {call!r}")
    return match[1], [float(part) for part in match[2].split(",")]


def drawn_values(call: str) -> dict[str, float]:
    """What the page's sliders show for a call: each argument snapped onto its slider (angles turned into 0…180°)."""
    name, args = call_parts(call)
    values = {}
    for slider, value in zip(sliders_of(name), args, strict=True):
        if slider.field == "g-angle":
            value = math.fmod(value, 180.0) % 180.0  # a line at θ and θ + 180° is the same line
        values[slider.field] = slider.snap(value)
    return values


def view(call: str | None) -> GeneratorView:
    """The picker and sliders for the generator call in use (None: the picker on "none", no sliders)."""
    choices = tuple((name, TITLES[name]) for name in GENERATORS)
    if call is None:
        return GeneratorView("", "", "", "", (), choices)
    name, _ = call_parts(call)
    drawn = drawn_values(call)
    sliders = tuple(
        SliderView(
            s.field,
            s.label,
            format_number(s.low),
            format_number(s.high),
            format_number(s.step),
            format_number(drawn[s.field]),
            s.unit,
        )
        for s in sliders_of(name)
    )
    return GeneratorView(name, call, TITLES[name], ABOUT[name], sliders, choices)


def _number(args: Mapping[str, str], field: str) -> float | None:
    text = args.get(field, "").strip()
    if not text:
        return None
    try:
        return parse_number(text, field)
    except InputError:
        return None


def read_generator(args: Mapping[str, str], errors: dict[str, str]) -> str | None:
    """The generator call the picker and sliders ask for, when it differs from ``generated``; else None.

    None also when the picker says "none" (the grid then keeps its weights as plain numbers). An unknown
    generator name is filed under ``gen``. Arguments missing or unreadable take the generator's default;
    every argument is put onto its slider, so the call is always one the generator accepts.
    """
    name = args.get(GEN_FIELD, "").strip()
    if not name:
        return None
    if name not in GENERATORS:
        errors[GEN_FIELD] = f"gen: must be one of {', '.join(GENERATORS)} or empty (received {name!r})"
        return None
    generated = args.get(GENERATED_FIELD, "").strip()
    try:
        shown_name, _ = call_parts(generated)
        shown = drawn_values(generated)
    except ValueError:
        shown_name, shown = "", {}
    if shown_name == name and all(_number(args, f) in (None, v) for f, v in shown.items()):
        return None  # nothing moved: the grid still shows ``generated``
    _, defaults = call_parts(DEFAULT_CALLS[name])
    values = []
    for slider, default in zip(sliders_of(name), defaults, strict=True):
        value = _number(args, slider.field)
        values.append(default if value is None else slider.snap(value))
    text = f"{name}({','.join(format_number(v) for v in values)})"
    try:
        return parse_generator(text, "kernel")[1]  # type: ignore[index]
    except InputError as err:
        errors.setdefault(GEN_FIELD, err.message)
        return None


def kept_generator(args: Mapping[str, str]) -> str | None:
    """``generated`` when it is a valid generator call (the call the grid was filled from), else None."""
    text = args.get(GENERATED_FIELD, "").strip()
    try:
        parsed = parse_generator(text, GENERATED_FIELD) if text else None
    except InputError:
        return None
    return None if parsed is None else parsed[1]
