"""What the options region says about the options in force: the rules in words, the value step, the output
size with its formula (the engine's size rule, through :func:`web.present.kernel_api.output_formula`) and the
edge-mode comparison.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kernels.engine import kernel_sum
from kernels.errors import InputError
from kernels.options import Options
from kernels.teaching.display import SIGNED_COLOURS
from web.page.page_view import face_state
from web.present.edge_view import EdgeComparison, build_edge_comparison
from web.present.kernel_api import output_formula
from web.present.panel import WHY_CORRELATE, fmt
from web.query.state import State
from web.services.compute import Services

NORMALIZE_RULE = (
    "Normalise divides every weight by the sum of all the weights, so they add up to 1 and flat areas keep "
    "their brightness. Weights that add up to 0 (edge kernels) cannot be divided by 0: normalise leaves them "
    "as they are."
)
PIXEL_FORMULAS = {
    "clamp": "pixel = clip(round(value), 0, 255)",
    "abs": "pixel = clip(round(|value|), 0, 255)",
    "midgray": "pixel = clip(round(value) + 128, 0, 255)",
    "stretch": "pixel = round((value − min) ÷ (max − min) × 255), min and max over the whole output",
    "signed": f"colour from value ÷ max |value|: {SIGNED_COLOURS}",
}


@dataclass
class SizeView:
    """One picture's output size: ``input`` → ``output`` (rows×columns text) and each pass's formulas."""

    name: str
    input: str
    output: str
    passes: list[tuple[str, str, str]]  # (which passes, rows formula, columns formula)
    chain: str


@dataclass
class OptionsView:
    why_correlate: str
    normalize_rule: str
    normalize_now: str
    value_formula: str
    crop_note: str
    pixel_formula: str
    sizes: list[SizeView]
    edges: EdgeComparison | None


def build_options_view(services: Services, state: State, view: str | None) -> OptionsView:
    """The options region's words and numbers for ``state``; section 2's pictures (the face) unless the view
    is the playground, the playground's picture unless it is section 2."""
    o = state.options
    face = face_state(state)
    pictures = []
    if view in (None, "inspect"):
        pictures.append(("The face", face))
    if view in (None, "playground"):
        pictures.append(("The picture", state))
    sizes = [size for name, s in pictures if (size := _size(name, services.engine_input(s).shape, s)) is not None]
    edges = None
    if view in (None, "inspect"):
        # Only the kernel's size and the options shape the corner tables: typing new weights reuses them.
        edges = services.edge_tables.get_or_make(
            (face.image, state.kernel.shape, o),
            lambda: build_edge_comparison(services.engine_input(face), state.kernel.shape, o),
        )
    return OptionsView(
        WHY_CORRELATE,
        NORMALIZE_RULE,
        normalize_now(state.kernel, o),
        value_formula(o, state.kernel),
        crop_note(o, state.kernel),
        PIXEL_FORMULAS.get(state.display, ""),
        sizes,
        edges,
    )


def normalize_now(kernel: np.ndarray, options: Options) -> str:
    """What normalise does (or would do) to this kernel, by the engine's own zero-sum test."""
    total = kernel_sum(np.asarray(kernel, dtype=np.float64))
    if total == 0:
        verb = "are used as they are" if options.normalize else "would be used as they are"
        return f"These weights add up to 0: normalised, they {verb}."
    if abs(total - 1) < 1e-12:
        return "These weights already add up to 1: normalising changes nothing."
    if options.normalize:
        return f"These weights add up to {fmt(total)}: each is divided by {fmt(total)}."
    return f"These weights add up to {fmt(total)}; normalised, each would be divided by {fmt(total)}."


def _crop_rescales(options: Options, kernel: np.ndarray) -> bool:
    return options.edge == "kernel-crop" and kernel_sum(kernel) != 0


def value_formula(options: Options, kernel: np.ndarray) -> str:
    """The value step with the numbers in force, e.g. ``value = sum ÷ 2 + 128``."""
    crop = " × (ΣK ÷ Σ weights used)" if _crop_rescales(options, kernel) else ""
    offset = options.offset
    sign = "+" if offset >= 0 else "−"
    return f"value = sum{crop} ÷ {fmt(options.divisor)} {sign} {fmt(abs(offset))}"


def crop_note(options: Options, kernel: np.ndarray) -> str:
    """What kernel crop does to the sum before the value step ("" for the other edge modes)."""
    if options.edge != "kernel-crop":
        return ""
    if _crop_rescales(options, kernel):
        return "(kernel crop first rescales the sum for the taps it left out)"
    return "(these weights add up to 0, so kernel crop leaves the sum as it is)"


def _size(name: str, shape: tuple[int, ...], state: State) -> SizeView | None:
    try:
        info = output_formula(tuple(shape[:2]), state.kernel.shape, state.options)
    except InputError:
        return None
    groups: list[tuple[list[int], str, str]] = []
    for index, one in enumerate(info["passes"], start=1):
        formulas = (one["rows"]["formula"], one["cols"]["formula"])
        if groups and (groups[-1][1], groups[-1][2]) == formulas:
            groups[-1][0].append(index)
        else:
            groups.append(([index], *formulas))
    several = len(info["passes"]) > 1
    passes = [(_passes_text(numbers) if several else "", rows, cols) for numbers, rows, cols in groups]
    sizes = [f"{info['input']['height']}×{info['input']['width']}"]
    sizes += [f"{p['rows']['output']}×{p['cols']['output']}" for p in info["passes"]]
    chain = " → ".join(sizes) if several and len(set(sizes)) > 1 else ""
    return SizeView(name, sizes[0], f"{info['height']}×{info['width']}", passes, chain)


def _passes_text(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"pass {numbers[0]}"
    return f"passes {numbers[0]}–{numbers[-1]}"
