"""An ImageMagick 6 command line (Debian's ``convert``) that reads input.png and writes output.png.

What the options map to, checked against ImageMagick 6.9 (Q16, no HDRI, as Debian ships it):

* ``-morphology Correlate 'WxH+X+Y: ...'`` is the engine's correlation with the origin at column X,
  row Y; ``Convolve`` with the same kernel and offset is the engine's convolution (ImageMagick rotates
  the kernel and mirrors the origin itself).
* ``-virtual-pixel``: Edge = extend, Tile = wrap, Mirror = symmetric (the edge pixel repeated),
  Background (with ``-background``) = constant. Nothing matches mirror (edge not repeated) or kernel-crop.
* ``-define convolve:scale=s`` multiplies every sum by s; ``-bias p%`` adds p% of white after it, in
  every pass; ``Correlate:n`` runs n passes.
* Pixels are stored as 0…65535 integers between passes and written to an 8-bit PNG by truncation, so
  values outside 0…255 are clipped between passes and a pixel can come out 1 grey level darker.
* ``-chop`` removes rows and columns (crop); ``-extent`` to a multiple of the stride, then
  ``-sample`` with ``sample:offset=1`` (1% into each block) keeps the top-left pixel of each block.
"""

from __future__ import annotations

import numpy as np

from kernels.engine import plan_passes
from kernels.engine.fftconv import dilate
from kernels.exports.code import wrap_comment
from kernels.exports.plan import Plan, WrittenKernel, describe, num, write_kernel

VIRTUAL_PIXELS = {"extend": "Edge", "wrap": "Tile", "symmetric": "Mirror", "crop": "Edge"}
"""ImageMagick's virtual-pixel method for each edge mode it can express (crop reads none of them)."""

MAX_KERNEL_CELLS = 10_000
"""Most kernel cells written on a command line (dilation can spread a kernel over 1985×1985 pixels; one
argument of a Linux command line may hold 128 KiB)."""

VIRTUAL_PIXEL_WORDS = {
    "Edge": "past the border, read the nearest edge pixel",
    "Tile": "past the border, read the image tiled (wrapped around)",
    "Mirror": "past the border, read the image reflected with its edge pixel repeated",
    "Background": "past the border, read the -background colour",
}


def percent_of_white(grey: float) -> str:
    """A grey level (0…255) as ImageMagick's percentage of white: 128 → "50.19607843137255%"."""
    return f"{num(grey / 255 * 100)}%"


def _safe_between_passes(plan: Plan, scale: float, numerators: np.ndarray) -> bool:
    """Whether every pass provably stays within 0…255, so storing it as 0…255 between passes loses nothing."""
    o = plan.options
    if np.any(numerators * scale < 0):
        return False
    gain = float(np.sum(numerators) * scale)
    fill_ok = o.edge != "constant" or 0 <= o.cval <= 255
    return fill_ok and o.offset >= 0 and 255 * gain + o.offset <= 255


def imagemagick_command(plan: Plan, image_shape: tuple[int, ...] | None, query: str) -> tuple[str, list[str]]:
    """The command line (with explaining comments) and the settings it cannot reproduce."""
    o = plan.options
    notes: list[str] = []
    (sh, sw) = plan.span
    if sh * sw > MAX_KERNEL_CELLS:
        notes.append(
            f"With its dilation the kernel covers {sh}×{sw} pixels, and ImageMagick needs every one of them "
            f"written out (zeros between the taps): more than {MAX_KERNEL_CELLS:,} cells do not fit on a "
            "command line. Use one of the Python exports instead."
        )
        lines = [
            "# Image Kernels, reproduced with ImageMagick 6 (Debian's `convert`): not possible here.",
            *wrap_comment(f"Settings: {describe(plan)}."),
            *wrap_comment("NOTE: " + notes[0]),
        ]
        return "\n".join(lines) + "\n", notes
    written = write_kernel(dilate(np.asarray(plan.kernel, dtype=np.float64), plan.options.dilation))
    numerators = np.array([[float(c) for c in row] for row in written.cells])
    scale = 1.0 / (written.denominator * o.divisor * (plan.normalize_sum or 1.0))
    method = "Convolve" if plan.flip else "Correlate"

    edge = o.edge
    background: str | None = None
    if edge in VIRTUAL_PIXELS:
        virtual = VIRTUAL_PIXELS[edge]
    elif edge == "constant" or (edge == "kernel-crop" and not plan.kernel_crop_rescales):
        virtual = "Background"
        fill = o.cval if edge == "constant" else 0.0
        cval = min(255.0, max(0.0, fill))
        if cval != fill:
            notes.append(
                f"ImageMagick stores colours as 0…255: the fill value {num(o.cval)} is clipped to "
                f"{num(cval)}, so pixels near the border differ."
            )
        background = "black" if cval == 0 else f"gray({percent_of_white(cval)})"
    elif edge == "mirror":
        virtual = "Mirror"
        notes.append(
            "ImageMagick has no mirror edge (reflection without repeating the edge pixel, d c b | a b c): "
            "its Mirror repeats the edge pixel (the app's symmetric), so pixels near the border differ."
        )
    else:
        virtual = "Edge"
        notes.append(
            "ImageMagick has no kernel-crop edge mode (taps outside the image skipped, the sum rescaled): "
            "this command reads the nearest edge pixel instead, so pixels near the border differ."
        )

    bias = o.offset
    display = plan.display
    two_signs = False
    if display == "midgray" and o.repeat == 1:
        bias += 128
    elif display == "abs" and o.repeat == 1:
        two_signs = True
    elif display != "clamp":
        notes.append(
            f"ImageMagick cannot show the '{display}' display"
            f"{' with repeat' if display in ('abs', 'midgray') else ''}: this command writes the clamped "
            "values (0…255) instead."
        )
    if o.repeat > 1 and not _safe_between_passes(plan, scale, numerators):
        notes.append(
            "Debian's ImageMagick stores every pass as 0…255 (16-bit integers, no HDRI): with these weights "
            "a pass can leave that range and is clipped before the next one, where the app keeps the raw "
            "values."
        )
    passes = plan_passes(tuple(image_shape[:2]), plan.kernel.shape, o) if image_shape else None
    if o.stride != (1, 1) and passes is None:
        notes.append("The stride needs the image size, which was not given: this command keeps every pixel.")
    notes.append(
        "ImageMagick truncates to 8 bits when it writes the PNG where the app rounds: a pixel can be 1 grey "
        "level darker."
    )

    # ImageMagick takes the kernel as written: Convolve rotates it and mirrors this origin itself.
    (dy, dx), (oy, ox) = o.dilation, plan.written_origin
    origin_x, origin_y = ox * dx, oy * dy
    geometry = f"{plan.span[1]}x{plan.span[0]}+{origin_x}+{origin_y}"

    def morphology(sign: int = 1, iterations: int = 1) -> list[str]:
        cells = [[num(sign * v) for v in row] for row in numerators.tolist()]
        rows = WrittenKernel(cells, written.denominator, written.constant).rows(", ")
        kernel_arg = f"'{geometry}:\n" + "\n".join(f"      {row}" for row in rows) + "'"
        count = f":{iterations}" if iterations > 1 else ""
        steps = [f"-bias {percent_of_white(sign * bias)}"] if two_signs and bias else []
        return [*steps, f"-morphology {method}{count} {kernel_arg}"]

    def reshape(pass_index: int) -> list[str]:
        steps: list[str] = []
        (top, bottom), (left, right) = plan.pads
        if plan.crop and (top or left):
            steps.append(f"-chop {left}x{top}")
        if plan.crop and (bottom or right):
            steps += ["-gravity SouthEast", f"-chop {right}x{bottom}", "+gravity"]
        if o.stride != (1, 1) and passes is not None:
            (sy, sx), (oh, ow) = o.stride, passes[pass_index].out_shape
            steps += [f"-extent {ow * sx}x{oh * sy}", "-define sample:offset=1", f"-sample '{ow}x{oh}!'"]
        return steps

    steps = [f"-virtual-pixel {virtual}"]
    if background:
        steps.insert(0, f"-background '{background}'" if "(" in background else f"-background {background}")
    if scale != 1:
        steps.append(f"-define convolve:scale={num(scale)}")
    if bias and not two_signs:
        steps.append(f"-bias {percent_of_white(bias)}")
    if two_signs:
        # -compose Over afterwards: -extent (the stride) composes too, and must not add.
        steps += [
            "\\( -clone 0",
            *morphology(+1),
            "\\)",
            "\\( -clone 0",
            *morphology(-1),
            "\\)",
            "-delete 0 -compose Plus -composite -compose Over",
            *reshape(0),
        ]
    elif not reshape(0):
        steps += morphology(iterations=o.repeat)
    else:
        for index in range(o.repeat):
            steps += morphology() + reshape(index)

    explain = [
        f'-virtual-pixel {virtual}: {VIRTUAL_PIXEL_WORDS[virtual]} (the app\'s edge mode "{edge}").',
    ]
    if scale != 1:
        d = written.denominator
        parts = [f"1/{d} (the weights are written {d} times larger)"] if d > 1 else []
        if plan.normalize_sum is not None and plan.normalize_sum != 1:
            parts.append(f"normalise (1/{num(plan.normalize_sum)})")
        if o.divisor != 1:
            parts.append(f"the divisor {num(o.divisor)}")
        explain.append(f"-define convolve:scale={num(scale)}: every sum times {' × '.join(parts)}.")
    if bias:
        what = "the offset" if display != "midgray" or o.repeat > 1 else "the offset plus 128 for mid-grey zero"
        explain.append(f"-bias {percent_of_white(bias)}: {what}, {num(bias)} grey levels, as a share of white.")
    explain.append(
        f"-morphology {method} '{geometry}: ...': the kernel, {plan.span[1]} columns × {plan.span[0]} "
        f"rows, origin at column {origin_x}, row {origin_y}"
        + (" (zeros between the taps for the dilation)." if o.dilation != (1, 1) else ".")
    )
    if method == "Convolve":
        explain.append("Convolve rotates the kernel 180° (and mirrors the origin) itself; Correlate would not.")
    if o.repeat > 1 and not reshape(0) and not two_signs:
        explain.append(f"{method}:{o.repeat} runs {o.repeat} passes, each on the previous pass's result.")
    if two_signs:
        explain.append(
            "abs display: one copy filtered as is, one with the weights and offset negated; each keeps "
            "its positive part, and their sum (-compose Plus) is |value|."
        )
    if plan.crop:
        explain.append("-chop: crop away the rows and columns where the kernel would reach past the border.")
    if o.stride != (1, 1) and passes is not None:
        explain.append("-extent and -sample: keep the top-left pixel of every stride-sized block (the stride).")

    colour = "RGB" if plan.rgb else "grey"
    source = f"/api/input.png?{query}" if query else "/api/input.png with the same settings"
    lines = [
        "# Image Kernels, reproduced with ImageMagick 6 (Debian's `convert`).",
        *wrap_comment(f"Settings: {describe(plan)}."),
        *wrap_comment(
            f"Reads input.png, the picture exactly as Image Kernels filters it ({colour}; save it from "
            f"{source}), and writes output.png as the page shows it ({display} display)."
        ),
        "#",
        *[line for note in notes for line in wrap_comment("NOTE: " + note)],
        "#",
        *[line for step in explain for line in wrap_comment(step)],
        "convert input.png \\",
        *[f"  {step} \\" for step in steps],
        "  output.png",
    ]
    return "\n".join(lines) + "\n", notes
