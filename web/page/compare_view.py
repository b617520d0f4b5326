"""The "Compare kernels" section: up to four kernels on the playground's picture, side by side.

Each kernel of ``compare`` runs with the page's image, colour, display and options (its own default
origin), as :meth:`web.query.state.State.for_slot` defines. One selected output pixel serves them all: ``cx``,
``cy`` (0-based) and ``cpin``, separate from the playground's ``px``/``py`` so that pointing here redraws
only this section. The pixel defaults to the centre of the first kernel's output; when a kernel's output
is smaller (``edge=crop`` with a larger kernel), its panel takes the nearest pixel it has and says so.
Every number comes from the engine (:meth:`web.services.compute.Services.explain`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import url_for

from web.page.page_view import Figure, Mark
from web.present.panel import Panel, build_panel
from web.query.page_state import Selection
from web.query.pickers import Picker, compare_pickers
from web.query.state import State
from web.services.compute import Services

COMPARE_WIDTH = 240
"""Widest each compared picture is drawn, in CSS pixels (the page may shrink it)."""
MAX_SCALE = 12.0
"""Largest blow-up of a small picture (a pattern), in screen pixels per picture pixel."""
SUGGESTED = "blur|sharpen|outline|sobel-left"
"""The comparison offered when none is chosen yet."""


@dataclass
class CompareCard:
    """One compared kernel: its title, its output picture and the compact panel of the selected pixel."""

    index: int
    title: str
    figure: Figure
    panel: Panel
    clamped: bool


@dataclass
class CompareView:
    """What the section shows: the pickers, the cards, and the selected pixel (cx, cy)."""

    pickers: list[Picker]
    cards: list[CompareCard]
    selection: Selection
    suggested: str = SUGGESTED

    @property
    def summary(self) -> str:
        """One sentence for the polite live region."""
        if not self.cards:
            return ""
        parts = [f"{card.title} {card.panel.channels[0].stored}" for card in self.cards]
        return f"Pixel x {self.selection.x}, y {self.selection.y}: " + ", ".join(parts) + "."


def slot_states(state: State) -> list[State]:
    """The plain state of every compared kernel, in order."""
    return [state.for_slot(index) for index in range(state.slots)]


def default_pixel(services: Services, state: State) -> tuple[int, int]:
    """(x, y): the centre of the first compared kernel's output, (0, 0) when nothing is compared."""
    if not state.compare:
        return (0, 0)
    height, width = services.output_size(state.for_slot(0))
    return (width // 2, height // 2)


def build_compare(
    services: Services,
    state: State,
    selection: Selection,
    *,
    with_pickers: bool = True,
    submitted: Mapping[str, str] | None = None,
) -> CompareView:
    """Run every compared kernel (cached) and explain the selected pixel (clamped per output) in each."""
    pickers = compare_pickers(state, services.presets, submitted) if with_pickers else []
    x0, y0 = default_pixel(services, state)
    x = x0 if selection.x is None else selection.x
    y = y0 if selection.y is None else selection.y
    cards = [_card(services, index, slot, x, y) for index, slot in enumerate(slot_states(state))]
    return CompareView(pickers, cards, Selection(x, y, selection.pinned))


def _card(services: Services, index: int, slot: State, x: int, y: int) -> CompareCard:
    image = services.engine_input(slot)
    result = services.result(slot)
    in_h, in_w = image.shape[:2]
    out_h, out_w = result.raw.shape[:2]
    cx, cy = min(max(x, 0), out_w - 1), min(max(y, 0), out_h - 1)
    info = services.explain(slot, cx, cy)
    panel = build_panel(info, slot.options, slot.display, result.origin, result.last_input.shape[:2])
    preset = services.presets.get(slot.preset or "")
    title = preset.title if preset is not None else slot.kernel_text
    sx = slot.options.stride[1]
    scale = min(COMPARE_WIDTH / max(in_w, in_h), MAX_SCALE)
    figure = Figure(
        f"compare-image-{index}",
        url_for("api.output_preview", **slot.to_query()),
        f"Kernel {index + 1}, {title}: the picture after it, {out_w}×{out_h} pixels",
        out_w,
        out_h,
        out_w * scale * sx,
        "compare",
        (0, 0),
        (1, 1),
        (out_w, out_h),
    )
    figure.marks = [
        _pixel_mark("pixel", cx, cy, out_w, out_h, f"output pixel x {cx}, y {cy}"),
        _pixel_mark("reticle", cx, cy, out_w, out_h),
    ]
    return CompareCard(index, title, figure, panel, clamped=(cx, cy) != (x, y))


def _pixel_mark(kind: str, x: int, y: int, width: int, height: int, label: str = "") -> Mark:
    return Mark(kind, 100 * x / width, 100 * y / height, 100 / width, 100 / height, label=label)
