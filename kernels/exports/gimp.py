"""The values to type into GIMP's Convolution Matrix dialog (Filters ▸ Generic ▸ Convolution Matrix…).

Facts from GIMP 2.10/3.0 (the GEGL operation ``gegl:convolution-matrix`` and its dialog):

* a 5×5 grid whose centre cell sits on the output pixel; the grid is applied as laid out, without
  rotation (a correlation), so a convolution is typed in already rotated;
* result = Σ / Divisor + Offset, with the offset counted in fractions of white (−1…1);
* "Normalize" replaces the divisor by the weight sum (and for sums ≤ 0 also sets the offset), so it is
  left off and the divisor typed in instead;
* Border: None, Clamp (nearest edge pixel), Loop (wrap), Black, White;
* the filter runs on linear-light values ("RGBA float"), not on the stored sRGB values.
"""

from __future__ import annotations

import numpy as np

from kernels.exports.plan import Plan, describe, num, write_kernel
from kernels.options import EDGE_WORDS

GRID = 5
"""Side of GIMP's matrix, in cells."""

CENTRE = GRID // 2
"""Row and column of the cell that sits on the output pixel."""

BORDERS = {"extend": "Clamp", "wrap": "Loop", "crop": "Clamp"}
"""GIMP's border for each edge mode it can express (crop: any border, the edge pixels are cut away)."""

LINEAR_LIGHT_NOTE = (
    "GIMP 2.10 and later run this filter on linear-light values: they turn the stored sRGB values into "
    "linear light first and back afterwards, while Image Kernels adds up the stored values. The effect "
    "looks alike, but the numbers differ, most in the mid-tones."
)


def placed_weights(plan: Plan) -> np.ndarray | None:
    """The weights GIMP must multiply, dilated and centred in a 5×5 grid; None when they do not fit."""
    (ay, ax), (sh, sw) = plan.anchor, plan.span
    if max(ay, ax, sh - 1 - ay, sw - 1 - ax) > CENTRE:
        return None
    (dy, dx), kernel = plan.options.dilation, plan.kernel
    rotated = kernel[::-1, ::-1] if plan.flip else kernel
    grid = np.zeros((GRID, GRID))
    top, left = CENTRE - ay, CENTRE - ax
    grid[top : top + sh : dy, left : left + sw : dx] = rotated
    return grid


def gimp_values(plan: Plan, image_shape: tuple[int, ...] | None) -> tuple[str, list[str]]:
    """Readable instructions for GIMP's dialog, and what cannot be expressed there."""
    o = plan.options
    notes: list[str] = []
    lines = [
        "GIMP: Filters ▸ Generic ▸ Convolution Matrix…",
        f"Settings in Image Kernels: {describe(plan)}.",
        f"Open the input image exactly as Image Kernels filters it ({'RGB' if plan.rgb else 'grey'}: "
        "save it from /api/input.png with the same settings).",
        "",
    ]
    grid = placed_weights(plan)
    if grid is None:
        (ay, ax), (sh, sw) = plan.anchor, plan.span
        reach = max(ay, ax, sh - 1 - ay, sw - 1 - ax)
        notes.append(
            f"GIMP's matrix is 5×5 with its centre cell on the output pixel, so it reaches 2 pixels each "
            f"way; this kernel ({sh}×{sw} with dilation, origin at row {ay}, column {ax}) reaches "
            f"{reach}. It cannot be typed into GIMP's Convolution Matrix."
        )
        return "\n".join([*lines, *("Cannot: " + note for note in notes)]) + "\n", notes

    written = write_kernel(grid, prefer_whole=True)
    if any(len(cell.partition(".")[2]) > 2 or "e" in cell for row in written.cells for cell in row):
        notes.append(
            "GIMP's matrix boxes show two decimals, and some weights have more: type them in full and "
            "check that the box kept them, or scale the matrix and the divisor by the same factor."
        )
    divisor = written.denominator * o.divisor * (plan.normalize_sum or 1.0)
    offset = o.offset
    if plan.display == "midgray":
        offset += 128

    lines.append("Matrix (5×5, the centre cell on the output pixel; type each number in its box):")
    lines += [f"    {row}" for row in written.rows("  ")]
    lines.append("")
    why = []
    if written.denominator > 1:
        why.append(f"{written.denominator} for the whole numbers above")
    if plan.normalize_sum is not None and plan.normalize_sum != 1:
        why.append(f"{num(plan.normalize_sum)} to normalise")
    if o.divisor != 1:
        why.append(f"the divisor {num(o.divisor)}")
    lines.append(f"Divisor: {num(divisor)}" + (f"  ({' × '.join(why)})" if len(why) > 1 else ""))
    gimp_offset = offset / 255
    if offset:
        lines.append(
            f"Offset: {num(gimp_offset)}  ({num(offset)} grey levels; GIMP counts the offset in fractions "
            "of white, −1…1)"
        )
    else:
        lines.append("Offset: 0")
    if abs(gimp_offset) > 1:
        notes.append(f"GIMP's offset stops at ±1 (±255 grey levels); this one is {num(offset)} grey levels.")
    if plan.normalize_skipped:
        lines.append("Normalize: off (the weights add up to 0; Image Kernels then leaves them as they are)")
    else:
        lines.append("Normalize: off (the divisor above already does what Image Kernels' normalise does)")
    lines.append("Alpha-weighting: off")
    lines.append("Channels: Red, Green and Blue on; Alpha off")

    edge = o.edge
    if edge in BORDERS:
        border = BORDERS[edge]
    elif edge == "constant" and o.cval in (0, 255):
        border = "Black" if o.cval == 0 else "White"
    elif edge == "kernel-crop" and not plan.kernel_crop_rescales:
        border = "Black"
    else:
        border = "Clamp"
        if edge == "constant":
            what = f"constant with fill {num(o.cval)} (only 0 = Black and 255 = White exist)"
        else:
            what = f"{edge} ({EDGE_WORDS[edge].past})"
        notes.append(f"GIMP has no {what} border: Clamp is the nearest, so pixels near the border differ.")
    names = {"Clamp": "Clamp (Extend in GIMP 2.8)", "Loop": "Loop (Wrap in GIMP 2.8)"}
    lines.append(f"Border: {names.get(border, border)}")

    after = []
    if o.repeat > 1:
        after.append(
            f'Apply it {o.repeat} times in all (Filters ▸ Repeat "Convolution Matrix", Ctrl+F). '
            "In 8-bit precision each pass is clipped to 0…255; Image ▸ Precision ▸ 32 bit floating "
            "point keeps the raw values between passes."
        )
    if plan.crop:
        (top, bottom), (left, right) = plan.pads
        if image_shape is not None:
            height, width = image_shape[:2]
            size = f"width {width - left - right}, height {height - top - bottom}"
        else:
            size = f"width − {left + right}, height − {top + bottom}"
        after.append(
            f"Crop (the app's edge mode): Image ▸ Canvas Size… {size}, offset X −{left}, Y −{top}, "
            "then Layer ▸ Layer to Image Size."
        )
    if o.stride != (1, 1):
        notes.append("GIMP's Convolution Matrix has no stride (keeping every s-th pixel): no equivalent.")
    if plan.display in ("abs", "stretch", "signed"):
        notes.append(f"GIMP cannot show the '{plan.display}' display: the image shows clipped values (0…255).")
    notes.append(LINEAR_LIGHT_NOTE)

    if after:
        lines += ["", "Then:", *(f"- {step}" for step in after)]
    lines += ["", "Cannot be expressed, or differs:", *(f"- {note}" for note in notes)]
    return "\n".join(lines) + "\n", notes
