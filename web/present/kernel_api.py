"""The JSON of ``GET /api/kernel``: a state's kernel as written and as multiplied, its properties,
the output size with its formula, and where each kernel tool leads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from kernels.engine import effective_weights, plan_passes
from kernels.library.kernel_text import format_for_people
from kernels.library.presets import Preset
from kernels.options import Options
from kernels.teaching.properties import kernel_properties
from web.query.kernel_edit import tool_links
from web.query.state import State


def axis_size(axis: str, size: int, taps: int, origin: int, dilation: int, stride: int, crop: bool) -> dict:
    """One axis of one pass: out = floor((in − k_eff + pad_before + pad_after) / stride) + 1.

    k_eff = dilation·(k − 1) + 1 is the span one output pixel reads. ``crop`` pads nothing; every other
    edge mode pads k_eff − 1 in all ("same" size before the stride), origin·dilation of it before.
    """
    k_eff = dilation * (taps - 1) + 1
    before = 0 if crop else origin * dilation
    after = 0 if crop else k_eff - 1 - before
    out = (size - k_eff + before + after) // stride + 1
    pad = f"2·{before}" if before == after else f"({before} + {after})"
    return {
        "axis": axis,
        "input": size,
        "k": taps,
        "dilation": dilation,
        "k_eff": k_eff,
        "pad_before": before,
        "pad_after": after,
        "stride": stride,
        "output": out,
        "formula": f"floor(({size} − {k_eff} + {pad}) / {stride}) + 1 = {out}",
    }


def output_formula(image_shape: tuple[int, int], kernel_shape: tuple[int, int], options: Options) -> dict:
    """Output height and width, with the formula of every pass and axis (repeat runs several passes).

    Returns ``{"input": {"height", "width"}, "height", "width", "padding": "crop" | "same",
    "passes": [{"rows": axis, "cols": axis}]}`` with each axis as :func:`axis_size` gives it.
    """
    crop = options.edge == "crop"
    passes = []
    for geometry in plan_passes(image_shape, kernel_shape, options):
        (h, w), (kh, kw) = geometry.image_shape, geometry.kernel_shape
        (oy, ox), (dy, dx), (sy, sx) = geometry.origin, geometry.dilation, geometry.stride
        passes.append(
            {
                "rows": axis_size("rows", h, kh, oy, dy, sy, crop),
                "cols": axis_size("cols", w, kw, ox, dx, sx, crop),
            }
        )
    return {
        "input": {"height": int(image_shape[0]), "width": int(image_shape[1])},
        "height": passes[-1]["rows"]["output"],
        "width": passes[-1]["cols"]["output"],
        "padding": "crop" if crop else "same",
        "passes": passes,
    }


def describe_kernel(
    state: State, image_shape: tuple[int, ...], presets: Mapping[str, Preset], *, tools: bool = True
) -> dict:
    """Everything ``/api/kernel`` says about ``state``'s main kernel.

    Keys: ``kernel`` (parameter text), ``preset``, ``generator``, ``rows``, ``cols``, ``weights`` (as
    written), ``multiplied`` (after normalise, rotated 180° when convolving), ``origin`` ([row, col] in
    the written kernel) and ``origin_multiplied`` (in ``multiplied``), ``op``, ``properties``
    (:meth:`kernels.teaching.properties.Properties.to_json`), ``output`` (:func:`output_formula`), ``combine``,
    ``kernel2`` (``{"kernel", "default", "weights", "properties"}`` or None), ``compare`` (the listed
    kernels' texts) and ``tools`` (:func:`web.query.kernel_edit.tool_links`, or None when ``tools`` is false).
    """
    kernel, options = state.kernel, state.options
    kh, kw = kernel.shape
    multiplied, moved = effective_weights(kernel, options)
    origin = options.origin if options.origin is not None else (kh // 2, kw // 2)
    second = None
    if state.kernel2 is not None:
        second = {
            "kernel": state.kernel2.text,
            "default": state.kernel2_default,
            "weights": state.kernel2.weights.tolist(),
            "properties": kernel_properties(state.kernel2.weights, options).to_json(),
        }
    return {
        "kernel": state.kernel_text,
        "preset": state.preset,
        "generator": state.generator,
        "rows": int(kh),
        "cols": int(kw),
        "weights": np.asarray(kernel, dtype=np.float64).tolist(),
        "multiplied": multiplied.tolist(),
        "origin": [int(origin[0]), int(origin[1])],
        "origin_multiplied": [int(moved[0]), int(moved[1])],
        "op": options.op,
        "properties": kernel_properties(kernel, options).to_json(),
        "output": output_formula(tuple(image_shape[:2]), (kh, kw), options),
        "combine": state.combine,
        "kernel2": second,
        "compare": [choice.text for choice in state.compare],
        "tools": tool_links(state, presets) if tools else None,
    }


MEANING_LABELS: dict[str, str] = {
    "keeps": "keeps the brightness",
    "edges": "detects edges",
    "brightens": "brightens",
    "darkens": "darkens",
    "inverts": "inverts (a negative)",
    "empty": "blacks everything out",
}
"""A few words for each kind of :data:`kernels.teaching.properties.MEANINGS`, shown beside the sum."""

MAX_VECTOR_SHOWN = 9
"""Longest factor drawn in full; longer ones show their first and last values around an ellipsis."""


@dataclass(frozen=True)
class KernelFacts:
    """:class:`kernels.teaching.properties.Properties` as the kernel editor shows them (numbers already as text).

    ``column`` and ``row`` are the separable factors (None when not separable), each a list of texts with
    "…" standing for left-out middle values; ``taps`` is kh·kw, ``two_pass`` kh + kw (or None).
    """

    rows: int
    cols: int
    sum: str
    meaning: str
    label: str
    meaning_text: str
    separable: bool
    column: list[str] | None
    row: list[str] | None
    rank: int
    taps: int
    two_pass: int | None
    symmetry_text: str


def _vector(values: np.ndarray) -> list[str]:
    texts = [format_for_people(v) for v in values]
    if len(texts) <= MAX_VECTOR_SHOWN:
        return texts
    return [*texts[:3], "…", *texts[-3:]]


def kernel_facts(weights: np.ndarray, options: Options) -> KernelFacts:
    """The sum and what it does, separability (factors and cost) and rank of ``weights`` under ``options``."""
    p = kernel_properties(weights, options)
    column = row = None
    if p.two_pass is not None and p.factors is not None:
        column, row = _vector(p.factors[0]), _vector(p.factors[1])
    return KernelFacts(
        rows=p.rows,
        cols=p.cols,
        sum=format_for_people(p.sum),
        meaning=p.meaning,
        label=MEANING_LABELS[p.meaning],
        meaning_text=p.meaning_text,
        separable=p.two_pass is not None,
        column=column,
        row=row,
        rank=p.rank,
        taps=p.taps,
        two_pass=p.two_pass,
        symmetry_text=p.symmetry_text,
    )
