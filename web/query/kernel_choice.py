"""One kernel as a query parameter spells it: a preset name, a generator call, or rows of numbers.

``kernel``, ``kernel2`` and every entry of ``compare`` use this syntax:

* a preset name: ``sobel-left`` (see ``/api/presets``);
* a generator: ``gaussian(7,1.5)``, ``motion(9,30)``, ``box(5)``, ``log(9,1.4)``, ``sobel-x(5)``,
  ``scharr-y(3)``, ``unsharp(1.5,2)``, ``sharpen(0.8)`` (see :mod:`kernels.library.generators`);
* rows separated by ``;`` and values by ``,``: ``0,-1,0;-1,5,-1;0,-1,0``;
* a preset or generator with some cells changed, each as ``rROWcCOL=VALUE`` (1-based) after a space:
  ``gaussian(5,1) r3c3=0.5 r1c1=0``. Links use this form when it is under half as long as the rows, so a
  generated kernel with one edited cell stays a short link.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from kernels.errors import InputError
from kernels.library.generators import GENERATORS, parse_generator, scharr, sobel
from kernels.library.generators import transpose_partner as generator_partner
from kernels.library.kernel_text import format_kernel, format_number, parse_kernel, parse_number
from kernels.library.presets import Preset
from kernels.teaching.gradient import ramp_sign

_WORD = re.compile(r"[a-z][a-z0-9-]*")
_EDITED = re.compile(r"([a-z][a-z0-9-]*(?:\([^)]*\))?)\s+(\S.*)", re.DOTALL)
_EDIT = re.compile(r"r(\d{1,3})c(\d{1,3})=(\S+)")
GRADIENT_GROUP = "gradient"
"""Presets in this group whose transpose is also a known kernel pair up for ``combine`` by default."""


@dataclass(frozen=True, eq=False)
class KernelChoice:
    """A kernel and how it was named: ``preset`` or ``generator`` (canonical text), or neither for rows."""

    weights: np.ndarray
    preset: str | None = None
    generator: str | None = None
    base: KernelChoice | None = None
    """The preset or generator these weights were edited from, if known: it lets :attr:`text` list only the
    changed cells. It never changes the weights, only how they are spelled."""

    @property
    def text(self) -> str:
        """The parameter text that gives this kernel back: the preset name, the generator call, or the
        rows or, much shorter, the base with its changed cells."""
        if self.preset is not None:
            return self.preset
        if self.generator is not None:
            return self.generator
        rows = format_kernel(self.weights)
        return briefer(rows, spell_edits(self.base, self.weights) if self.base is not None else None)

    def key(self) -> tuple:
        """Hashable weights for cache keys (−0.0 and 0.0 filter alike)."""
        k = np.ascontiguousarray(self.weights, dtype=np.float64) + 0.0
        return (k.shape, k.tobytes())


def preset_named(weights: np.ndarray, presets: Mapping[str, Preset], prefer: str | None = None) -> str | None:
    """The name of a preset with exactly these weights, ``prefer`` first when it is one; None when none has."""
    names = [prefer, *presets] if prefer in presets else list(presets)
    for name in names:
        if same_weights(presets[name].weights, weights):  # type: ignore[index]
            return name
    return None


def syntax_rule() -> str:
    names = ", ".join(f"{name}(…)" for name in GENERATORS)
    return (
        f"must be a preset name (see /api/presets), a generator ({names}) or rows like "
        "0,-1,0;-1,5,-1;0,-1,0, each of the first two optionally followed by changed cells like ' r2c2=6'"
    )


def spell_edits(base: KernelChoice, weights: np.ndarray, texts: list[list[str]] | None = None) -> str | None:
    """``weights`` as ``base`` plus its changed cells (``gaussian(5,1) r3c3=0.5``); None when the shapes differ
    or no cell changed (the base alone would name the preset or generator, not a hand-made kernel).

    ``texts`` (the cells as typed; ignored unless the same shape) spells each changed cell as the person wrote
    it (``1/16``); without it, the shortest number that reads back exactly. Cells are listed in raster order.
    """
    if base.weights.shape != weights.shape:
        return None
    changed = np.argwhere(np.asarray(weights, dtype=np.float64) != base.weights)
    if len(changed) == 0:
        return None
    if texts is not None and [len(row) for row in texts] != [weights.shape[1]] * weights.shape[0]:
        texts = None
    cells = [
        f"r{r + 1}c{c + 1}={texts[r][c].strip() if texts is not None else format_number(weights[r, c])}"
        for r, c in changed.tolist()
    ]
    return " ".join([base.text, *cells])


def briefer(rows: str, edited: str | None) -> str:
    """The spelling a link uses: the rows, which show every weight, unless the edited form is under half as long."""
    return edited if edited is not None and 2 * len(edited) <= len(rows) else rows


def _parse_edits(text: str, start: int, presets: Mapping[str, Preset], field: str) -> KernelChoice:
    """Read ``BASE rROWcCOL=VALUE ...`` whose first edit begins at ``start``."""
    base = parse_kernel_choice(text[:start], presets, field)
    if base.preset is None and base.generator is None:
        raise InputError(field, "edited cells (rROWcCOL=VALUE) must follow a preset name or a generator call", text)
    weights = base.weights.copy()
    rows, cols = weights.shape
    for item in text[start:].split():
        match = _EDIT.fullmatch(item)
        if match is None:
            raise InputError(field, f"each edited cell must read rROWcCOL=VALUE, like r2c3=0.5 (not {item!r})", text)
        row, col = int(match[1]), int(match[2])
        if not (1 <= row <= rows and 1 <= col <= cols):
            raise InputError(
                field,
                f"{item.split('=')[0]} is outside the {rows}×{cols} kernel (rows 1–{rows}, columns 1–{cols})",
                text,
            )
        weights[row - 1, col - 1] = parse_number(match[3], field)
    return KernelChoice(weights, base=base)


def parse_kernel_choice(text: str, presets: Mapping[str, Preset], field: str = "kernel") -> KernelChoice:
    """Read one kernel parameter; InputError with ``field`` naming what is wrong and what is allowed."""
    text = text.strip()
    edited = _EDITED.fullmatch(text)
    if edited is not None:
        return _parse_edits(text, edited.start(2), presets, field)
    if text in presets:
        return KernelChoice(presets[text].weights, preset=text)
    generated = parse_generator(text, field)
    if generated is not None:
        return KernelChoice(generated[0], generator=generated[1])
    if _WORD.fullmatch(text):
        if text in GENERATORS:
            raise InputError(
                field, f"the generator {text} needs its arguments in brackets, like {GENERATORS[text].form}", text
            )
        raise InputError(field, syntax_rule(), text)
    return KernelChoice(parse_kernel(text, field))


def same_weights(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two kernels have the same shape and exactly the same weights."""
    return a.shape == b.shape and bool(np.array_equal(a, b))


def _derivative_generators() -> dict[str, np.ndarray]:
    return {
        f"{name}-{axis}({size})": build(axis, size)
        for name, build in (("sobel", sobel), ("scharr", scharr))
        for axis in "xy"
        for size in (3, 5)
    }


_DERIVATIVES = _derivative_generators()


def conventional_x(text: str, presets: Mapping[str, Preset], op: str = "correlate") -> str | None:
    """The kernel a gradient pair starts from: the right − left member of the family of the named gradient
    kernel ``text`` (``sobel-left`` and ``sobel-top`` give ``sobel-right``, ``scharr-y(3)`` gives
    ``scharr-x(3)``), so that atan2(Gy, Gx) points where brightness increases. None when ``text`` already
    is that kernel or is not a named gradient kernel.
    """
    if text in presets and presets[text].group == GRADIENT_GROUP:
        family = text.rsplit("-", 1)[0]
        candidates = [f"{family}-right", f"{family}-left"]
        weights = {name: presets[name].weights for name in candidates if name in presets}
    elif (match := re.fullmatch(r"(sobel|scharr)-[xy]\((\d+)\)", text)) is not None:
        weights = {f"{match[1]}-x({match[2]})": parse_generator(f"{match[1]}-x({match[2]})")[0]}  # type: ignore[index]
    else:
        return None
    for name, w in weights.items():
        if ramp_sign(w, 1, op) == 1 and ramp_sign(w, 0, op) == 0:
            return None if name == text else name
    return None


def transpose_partner(choice: KernelChoice, presets: Mapping[str, Preset]) -> KernelChoice | None:
    """The default second kernel for ``combine``: the transpose, when ``choice`` is a known x/y gradient kernel.

    Known: the presets of the "gradient" group (Sobel, Prewitt, Scharr…) and the Sobel and Scharr
    generators, whatever way they are written. The partner is named like the first kernel when it can
    be (a generator stays a generator; otherwise a preset with the same weights, else rows). None when
    the kernel is not one of those.
    """
    weights = choice.weights
    known = any(p.group == GRADIENT_GROUP and same_weights(p.weights, weights) for p in presets.values())
    known = known or any(same_weights(w, weights) for w in _DERIVATIVES.values())
    if not known:
        return None
    partner = np.ascontiguousarray(weights.T)
    if choice.generator is not None:
        text = generator_partner(choice.generator)
        if text is not None:
            return KernelChoice(partner, generator=text)
    named = [name for name, p in presets.items() if same_weights(p.weights, partner)]
    graded = [name for name in named if presets[name].group == GRADIENT_GROUP]
    if graded or named:
        return KernelChoice(presets[(graded or named)[0]].weights, preset=(graded or named)[0])
    for text, w in _DERIVATIVES.items():
        if same_weights(w, partner):
            return KernelChoice(partner, generator=text)
    return KernelChoice(partner)
