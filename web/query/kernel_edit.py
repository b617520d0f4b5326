"""Kernel tools applied to a whole state, so a page can offer each tool as a plain link to the next state.

:func:`apply_tool` is what both ``/api/kernel/tool`` and the pages call: the new state's
``to_query()`` is the permalink of the edited kernel.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace
from urllib.parse import urlencode

import numpy as np

from kernels.errors import InputError
from kernels.library import kernel_tools
from kernels.library.generators import transpose_partner as generator_partner
from kernels.library.kernel_text import format_number
from kernels.library.presets import Preset
from kernels.limits import MAX_KERNEL_SIDE
from web.query.kernel_choice import KernelChoice, preset_named, transpose_partner
from web.query.query_values import READABLE
from web.query.state import State

"""Characters left as they are in permalinks written here (they are legal in a query and easier to read)."""

LINKED_TOOLS: tuple[str, ...] = (*kernel_tools.SIMPLE_TOOLS, "randomise")
"""Tools :func:`tool_links` lists; ``resize`` is listed as ``grow`` and ``shrink`` (two taps more or fewer a side)."""


def default_seed(kernel: np.ndarray) -> int:
    """A seed taken from the kernel's weights: deterministic, and new after every randomise."""
    weights = np.ascontiguousarray(kernel, dtype=np.float64) + 0.0
    digest = hashlib.sha256(repr(weights.shape).encode() + weights.tobytes()).digest()
    return int.from_bytes(digest[:8], "big") % (kernel_tools.MAX_SEED + 1)


def apply_tool(
    state: State,
    tool: str,
    *,
    presets: Mapping[str, Preset],
    seed: int | None = None,
    rows: int | None = None,
    cols: int | None = None,
) -> State:
    """``state`` with one of :data:`kernels.library.kernel_tools.TOOLS` applied to its main kernel.

    The origin moves with its tap (and is written only when it differs from the new default). The
    result is named after a preset when its weights are exactly a preset's (transposing ``sobel-left``
    gives ``sobel-top``); transposing ``sobel-x(3)`` gives ``sobel-y(3)``; anything else becomes rows.
    With ``combine``, a second kernel that followed the first as its transpose partner keeps following
    it when the new kernel has a partner; otherwise it stays as it was, resized (keeping its centre) when
    the new kernel has another size.

    Args:
        tool: a tool name; InputError (field ``tool``) otherwise.
        seed: for ``randomise``, 0…999 999 999; default :func:`default_seed` of the current kernel.
        rows, cols: for ``resize``, 1…63 each (InputError with that field when missing or out of range).
    """
    if seed is None:
        seed = default_seed(state.kernel)
    weights, origin = kernel_tools.apply(tool, state.kernel, state.options.origin, seed=seed, rows=rows, cols=cols)
    generator = None
    if tool == "transpose" and state.generator is not None:
        generator = generator_partner(state.generator)
    preset = None if generator is not None else preset_named(weights, presets, state.preset)
    kept_origin = None if origin == kernel_tools.default_origin(weights.shape) else origin
    edited = replace(
        state, kernel=weights, preset=preset, generator=generator, options=replace(state.options, origin=kept_origin)
    )
    if state.combine is None or state.kernel2 is None:
        return edited
    partner = transpose_partner(edited.choice, presets) if state.kernel2_default else None
    if partner is not None:
        return replace(edited, kernel2=partner, kernel2_default=True)
    second = state.kernel2
    if second.weights.shape != weights.shape:
        resized, _ = kernel_tools.resize(second.weights, None, rows=weights.shape[0], cols=weights.shape[1])
        second = KernelChoice(resized, preset=preset_named(resized, presets, None))
    return replace(edited, kernel2=second, kernel2_default=False)


def permalink_query(state: State) -> str:
    """``state.to_query()`` as a query string."""
    return urlencode(state.to_query(), safe=READABLE)


def tool_result(state: State) -> dict:
    """What a tool link needs: the kernel text, the origin ("row,col" or None for the default), the permalink."""
    origin = state.options.origin
    return {
        "kernel": state.kernel_text,
        "origin": None if origin is None else f"{origin[0]},{origin[1]}",
        "rows": int(state.kernel.shape[0]),
        "cols": int(state.kernel.shape[1]),
        "query": permalink_query(state),
    }


def tool_links(state: State, presets: Mapping[str, Preset]) -> dict[str, dict | None]:
    """Every tool applied to ``state``'s main kernel, as :func:`tool_result` dicts, by tool name.

    Also ``grow`` and ``shrink``: ``resize`` by two taps a side (None when the size limits forbid it).
    """
    links: dict[str, dict | None] = {
        name: tool_result(apply_tool(state, name, presets=presets)) for name in LINKED_TOOLS
    }
    kh, kw = state.kernel.shape
    for name, step in (("grow", 2), ("shrink", -2)):
        rows, cols = kh + step, kw + step
        fits = 1 <= rows <= MAX_KERNEL_SIDE and 1 <= cols <= MAX_KERNEL_SIDE
        links[name] = tool_result(apply_tool(state, "resize", presets=presets, rows=rows, cols=cols)) if fits else None
    return links


PAGE_TOOLS: tuple[str, ...] = (*LINKED_TOOLS, "grow", "shrink")
"""The tools the kernel editor offers as buttons (``tool=NAME`` in its form, never in a permalink)."""

_MOVING_TOOLS = frozenset({"rotate-left", "rotate-right", "flip-h", "flip-v", "transpose", "resize"})
"""Tools that only move taps (or add zeros): the editor keeps each cell's text as typed (``1/16`` stays ``1/16``)."""


def moved_texts(
    texts: list[list[str]],
    tool: str,
    origin: tuple[int, int] | None,
    *,
    rows: int | None = None,
    cols: int | None = None,
) -> list[list[str]]:
    """The grid's cell texts moved the way ``tool`` (one of the tap-moving tools) moves the weights.

    The tool runs on the cells' numbers 1…kh·kw, so where each tap goes is decided by
    :mod:`kernels.library.kernel_tools` alone; a new cell (0 after a resize) reads ``0``.
    """
    kh, kw = len(texts), len(texts[0])
    numbers = np.arange(1, kh * kw + 1, dtype=np.float64).reshape(kh, kw)
    moved, _ = kernel_tools.apply(tool, numbers, origin, rows=rows, cols=cols)
    flat = [text for row in texts for text in row]
    return [[flat[int(n) - 1] if n else "0" for n in row] for row in moved]


def page_tool(
    state: State,
    texts: list[list[str]],
    tool: str,
    *,
    presets: Mapping[str, Preset],
    reset_to: KernelChoice | None = None,
) -> tuple[State, list[list[str]] | None]:
    """One editor button: the new state and its grid texts (None when the kernel is now named, see below).

    Args:
        texts: the grid as typed, the same taps as ``state.kernel``.
        tool: one of :data:`PAGE_TOOLS`; ``grow`` and ``shrink`` resize by two taps a side (keeping the
            centre, within 1…63); InputError with field ``tool`` for another name.
        reset_to: what ``reset`` goes back to (the preset or generator the grid was filled from, or the rows
            of the link the page was opened from); None for :func:`kernels.library.kernel_tools.reset`, the identity
            of the same size.

    Returns:
        The edited state (origin moved with its tap) and the grid's texts: the moved texts for tools that
        only move taps, the new numbers for the others, and None when the result is a preset or a
        generator (the caller writes those in their own spelling).
    """
    if tool not in PAGE_TOOLS:
        raise InputError("tool", f"must be one of {', '.join(PAGE_TOOLS)}", tool)
    if tool == "reset" and reset_to is not None:
        edited = replace(
            state,
            kernel=reset_to.weights,
            preset=reset_to.preset,
            generator=reset_to.generator,
            options=replace(state.options, origin=None),
        )
        if reset_to.preset is None and reset_to.generator is None:  # rows from a link: back as they were written
            return edited, [[cell.strip() for cell in row.split(",")] for row in reset_to.text.split(";")]
        return edited, None
    rows = cols = None
    name = tool
    if tool in ("grow", "shrink"):
        step = 2 if tool == "grow" else -2
        rows, cols = (min(max(side + step, 1), MAX_KERNEL_SIDE) for side in state.kernel.shape)
        name = "resize"
    edited = apply_tool(state, name, presets=presets, rows=rows, cols=cols)
    if edited.preset is not None or edited.generator is not None:
        return edited, None
    if name in _MOVING_TOOLS:
        return edited, moved_texts(texts, name, state.options.origin, rows=rows, cols=cols)
    return edited, [[format_number(float(w)) for w in row] for row in edited.kernel]
