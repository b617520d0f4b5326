"""The edge-mode comparison: the face's top-left corner as the kernel reads it under all seven edge modes.

Each table is a corner of the padded face made by the engine's own :func:`kernels.engine.padding.pad`, and the
source of every padded value by the engine's :func:`kernels.engine.padding.source_index`, so the numbers are the
ones the kernel multiplies. The number of padded rows and columns is how far the current kernel reaches
past the top and the left border (its origin times its dilation), at least 2 and at most :data:`MAX_PAD`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from kernels.engine import INDEX_MODES, pad, plan_passes, source_index
from kernels.options import EDGE_MODES, EDGE_WORDS, Options
from web.present.panel import fmt, shade

IMAGE_CELLS = 3
"""Image rows and columns shown after the padding."""
MIN_PAD, MAX_PAD = 2, 5


@dataclass
class EdgeCell:
    """One position of the corner: a value read (or none), and where it came from when outside the image."""

    text: str
    note: str  # "" inside the image; else the short source label shown under the value
    label: str  # the whole story, for screen readers
    padded: bool
    background: str = ""
    colour: str = ""
    value: str = ""  # exact float for data-value ("" when nothing is read)


@dataclass
class EdgeTable:
    mode: str
    title: str
    text: str
    current: bool
    col_heads: list[tuple[str, bool]]
    row_heads: list[tuple[str, bool]]
    rows: list[list[EdgeCell]]
    note: str = ""


@dataclass
class EdgeComparison:
    """All seven tables, and how many padded rows and columns the kernel needs (and how many are shown)."""

    tables: list[EdgeTable]
    reach: tuple[int, int]
    shown: tuple[int, int]
    cval: str

    @property
    def cut(self) -> bool:
        return self.reach != self.shown and (self.reach[0] > MAX_PAD or self.reach[1] > MAX_PAD)


def reach(image_shape: tuple[int, int], kernel_shape: tuple[int, int], options: Options) -> tuple[int, int]:
    """(rows, columns) the window reads above row 0 and left of column 0 for the first output pixel."""
    free = replace(options, edge="extend", repeat=1, stride=(1, 1))
    geometry = plan_passes(image_shape, kernel_shape, free)[0]
    return geometry.pad_rows[0], geometry.pad_cols[0]


def build_edge_comparison(image: np.ndarray, kernel_shape: tuple[int, int], options: Options) -> EdgeComparison:
    """The seven corner tables of a grey ``image`` (H, W) for this kernel size and these options."""
    height, width = image.shape[:2]
    need = reach((height, width), kernel_shape, options)
    rows_pad, cols_pad = (min(max(n, MIN_PAD), MAX_PAD) for n in need)
    n_rows, n_cols = min(IMAGE_CELLS, height), min(IMAGE_CELLS, width)
    row_pos = np.arange(-rows_pad, n_rows)
    col_pos = np.arange(-cols_pad, n_cols)
    col_heads = [(f"x {fmt(int(p))}", p < 0) for p in col_pos]
    row_heads = [(f"y {fmt(int(p))}", p < 0) for p in row_pos]
    crop_base = need  # with crop, output pixel (0, 0) sits on input (reach rows, reach columns)
    tables = []
    for mode in EDGE_MODES:
        corner = pad(
            image, (rows_pad, n_rows - height), (cols_pad, n_cols - width), mode, options.cval, dtype=np.float64
        )
        src_rows = source_index(row_pos, height, mode) if mode in INDEX_MODES else None
        src_cols = source_index(col_pos, width, mode) if mode in INDEX_MODES else None
        rows = []
        for i, y in enumerate(row_pos.tolist()):
            row = []
            for j, x in enumerate(col_pos.tolist()):
                inside = y >= 0 and x >= 0
                if inside:
                    row.append(_pixel(float(corner[i, j]), x, y))
                else:
                    source = (int(src_rows[i]), int(src_cols[j])) if src_rows is not None else None
                    row.append(_padded(mode, float(corner[i, j]), x, y, source, options.cval))
            rows.append(row)
        title, text = EDGE_WORDS[mode].title, EDGE_WORDS[mode].past
        note = ""
        if mode == "crop":
            spans = [(k - 1) * d + 1 for k, d in zip(kernel_shape, options.dilation, strict=True)]
            note = (
                f"The first output pixel sits on input (x {crop_base[1]}, y {crop_base[0]}); the output is "
                f"{spans[0] - 1} rows and {spans[1] - 1} columns smaller than the input."
            )
        elif mode == "constant":
            note = f"c = {fmt(options.cval)} (the “Constant value” field)."
        tables.append(EdgeTable(mode, title, text, mode == options.edge, col_heads, row_heads, rows, note))
    return EdgeComparison(tables, need, (rows_pad, cols_pad), fmt(options.cval))


def _pixel(value: float, x: int, y: int) -> EdgeCell:
    background, colour = shade(value, "gray")
    return EdgeCell(fmt(value), "", f"x {x}, y {y}: {fmt(value)}", False, background, colour, repr(value))


def _padded(mode: str, value: float, x: int, y: int, source: tuple[int, int] | None, cval: float) -> EdgeCell:
    where = f"x {fmt(x)}, y {fmt(y)}, outside the image"
    if mode == "crop":
        return EdgeCell("—", "no output here", f"{where}: not read, crop makes no output that would need it", True)
    if mode == "kernel-crop":
        return EdgeCell("—", "skipped", f"{where}: skipped, the tap is left out of the sum", True)
    background, colour = shade(value, "gray")
    if source is None:
        return EdgeCell(
            fmt(value), f"c = {fmt(cval)}", f"{where}: the constant {fmt(cval)}", True, background, colour, repr(value)
        )
    sy, sx = source
    return EdgeCell(
        fmt(value),
        f"({sx}, {sy})",
        f"{where}: {fmt(value)}, read from x {sx}, y {sy}",
        True,
        background,
        colour,
        repr(value),
    )
