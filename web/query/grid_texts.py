"""How the kernel grid spells weights, and how it reads them back exactly.

A generated weight such as 0.002969016743950497 is exact but unreadable in a cell four characters wide, so the
grid shows it to :data:`SIGNIFICANT` significant figures (``0.00297``). A cell still showing that rounded text
keeps the exact weight it stands for: reading the grid back puts the exact weight of the kernel it was filled
from (its *root*, a preset or generator) in every cell whose text is that weight's rounded text. A cell the
person changed reads as typed. Links always spell exact numbers (:func:`exact_rows`).
"""

from __future__ import annotations

import math

import numpy as np

from kernels.library.kernel_text import format_number, parse_number

SIGNIFICANT = 3
"""Significant figures a cell shows for a weight whose exact text is longer than :data:`SHORT`."""
SHORT = 6
LONGEST = 7
"""Most characters (the sign aside) of a rounded decimal a cell shows; beyond it, scientific notation when that
is shorter (``0.000481`` shows as ``4.81e-4``)."""
"""Exact texts up to this many characters (``-0.125``, ``1/16`` from a preset) are shown as they are."""


def readable_weight(value: float) -> str:
    """The text a grid cell shows for ``value``: exact when short, else rounded (``0.00297``, ``-12.3``, ``1235``),
    in scientific notation when the decimals would pass :data:`LONGEST` characters (``-2.39e-4``).

    Numbers of 1000 or more keep every integer digit; smaller ones keep :data:`SIGNIFICANT` significant figures.
    """
    exact = format_number(value)
    if len(exact) <= SHORT or not math.isfinite(value):
        return exact
    digits = max(SIGNIFICANT, math.floor(math.log10(abs(value))) + 1)
    rounded = float(f"{value:.{digits}g}")
    positional = format_number(rounded)
    mantissa, exponent = f"{rounded:.{SIGNIFICANT - 1}e}".split("e")
    scientific = f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"
    return scientific if len(positional.lstrip("-")) > LONGEST and len(scientific) < len(positional) else positional


def readable_texts(weights: np.ndarray) -> list[list[str]]:
    """Every weight as :func:`readable_weight` spells it, row by row."""
    return [[readable_weight(float(w)) for w in row] for row in np.asarray(weights, dtype=np.float64)]


def restore_exact(weights: np.ndarray, texts: list[list[str]], root: np.ndarray | None) -> np.ndarray:
    """``weights`` (read from ``texts``) with every cell still showing ``root``'s rounded weight set to that
    exact weight.

    A grid of another size is matched centre to centre (growing or shrinking keeps the centre). ``root`` None
    returns ``weights`` unchanged.
    """
    if root is None:
        return weights
    exact = weights.copy()
    shift_r = root.shape[0] // 2 - weights.shape[0] // 2
    shift_c = root.shape[1] // 2 - weights.shape[1] // 2
    for r, row in enumerate(texts):
        for c, text in enumerate(row):
            rr, cc = r + shift_r, c + shift_c
            inside = 0 <= rr < root.shape[0] and 0 <= cc < root.shape[1]
            if inside and text.strip() == readable_weight(float(root[rr, cc])):
                exact[r, c] = root[rr, cc]
    return exact


def exact_rows(texts: list[list[str]], weights: np.ndarray) -> str:
    """The rows for a link (``1/16,1/8;…``): each cell as typed when that reads back as its weight exactly,
    else the weight's shortest exact text (every cell, when ``texts`` is not the shape of ``weights``)."""

    def cell(text: str, weight: float) -> str:
        try:
            if parse_number(text, "kernel") == weight:
                return text.strip()
        except ValueError:
            pass
        return format_number(weight)

    if [len(row) for row in texts] != [weights.shape[1]] * weights.shape[0]:
        texts = [[""] * weights.shape[1]] * weights.shape[0]
    return ";".join(
        ",".join(cell(text, float(w)) for text, w in zip(row, weight_row, strict=True))
        for row, weight_row in zip(texts, weights, strict=True)
    )
