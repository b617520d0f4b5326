"""Pieces shared by the Python snippets: header, kernel literal, the steps every library writes alike.

Each snippet reads a NumPy float array ``image`` (the input exactly as the engine filters it) and leaves
the raw result, before display, in ``result``. Settings a library cannot express are stated in the
header and emulated with a line or two of NumPy.
"""

from __future__ import annotations

from kernels.exports.plan import Plan, describe, num, shape_text, write_kernel


def header(plan: Plan, library: str, notes: list[str]) -> list[str]:
    """The comment block at the top of a snippet: settings, input, output, and what had to be emulated."""
    lines = [
        f"# Image Kernels, reproduced with {library}.",
        *wrap_comment(f"Settings: {describe(plan)}."),
        "# Input: `image`, the picture exactly as Image Kernels filters it, a float array",
        f"#   {shape_text(plan)}.",
        "# Output: `result`, the raw values before display (not rounded, not clipped), same layout"
        + (" with fewer rows and columns (crop, stride)." if plan.crop or plan.options.stride != (1, 1) else "."),
    ]
    if notes:
        lines.append("#")
        for note in notes:
            lines.extend(wrap_comment(note))
    return lines


def wrap_comment(text: str, width: int = 100) -> list[str]:
    """``text`` as ``#`` comment lines of at most ``width`` characters (continuations indented)."""
    lines: list[str] = []
    current = "#"
    for word in text.split():
        if len(current) + 1 + len(word) > width and current not in ("#", "#  "):
            lines.append(current)
            current = "#  "
        current += " " + word
    lines.append(current)
    return lines


def kernel_lines(plan: Plan, name: str = "kernel", array: str = "np.array", dtype: str = "dtype=float") -> list[str]:
    """``kernel = np.array([...])`` with the weights as written, as an aligned grid."""
    written = write_kernel(plan.kernel)
    kh, kw = plan.kernel.shape
    scale = f" / {written.denominator}" if written.denominator > 1 else ""
    ones = "torch.ones" if array.startswith("torch") else "np.ones"
    if written.constant and kh * kw > 1:
        value = written.cells[0][0]
        if value == "1":
            return [f"{name} = {ones}(({kh}, {kw}), {dtype}){scale}  # every weight the same"]
        return [f"{name} = {ones}(({kh}, {kw}), {dtype}) * {value}{scale}  # every weight the same"]
    lines = [f"{name} = {array}(["]
    lines += [f"    [{row}]," for row in written.rows()]
    lines.append(f"], {dtype}){scale}")
    return lines


def prepare_kernel_lines(plan: Plan, *, rotate: str | None, dilate: bool) -> list[str]:
    """Normalise, then (when convolving and ``rotate`` is given) rotate, then spread the taps for dilation.

    Args:
        rotate: the expression that rotates ``kernel`` by 180°, or None when the library convolves itself.
        dilate: whether to build the dilated kernel with zeros between the taps.
    """
    lines: list[str] = []
    if plan.normalize_sum is not None:
        lines.append("kernel = kernel / kernel.sum()  # normalise: the weights now add up to 1")
    elif plan.normalize_skipped:
        lines.append("# Normalise is on, but these weights add up to 0: they are used as they are.")
    if plan.flip and rotate is not None:
        oy, ox = plan.origin
        lines.append(f"kernel = {rotate}  # convolve = correlate with the kernel rotated 180°")
        lines.append(f"# The rotation moves the origin too: row {oy}, column {ox} of the rotated kernel.")
    (dy, dx), (sh, sw) = plan.options.dilation, plan.span
    if dilate and (dy, dx) != (1, 1):
        lines += [
            f"# Dilation {dy}×{dx}: neighbouring taps sit {plural(dy, 'row')} and {plural(dx, 'column')} apart,",
            "# so spread the weights out with zeros in between.",
            f"dilated = np.zeros(({sh}, {sw}))",
            f"dilated[{'::' + str(dy) if dy > 1 else ':'}, {'::' + str(dx) if dx > 1 else ':'}] = kernel",
            "kernel = dilated",
        ]
    return lines


def plural(count: int, word: str) -> str:
    """``"1 row"``, ``"2 rows"``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def start_lines(torch: bool = False) -> list[str]:
    """Copy the input as float64 into ``result`` (a copy, so ``image`` is never modified)."""
    if torch:
        return ["result = np.array(image, dtype=np.float64)"]
    return ["result = np.array(image, dtype=float)"]


def finish_pass_lines(plan: Plan, var: str = "result", *, stride: bool = True) -> list[str]:
    """Stride (keep every s-th pixel) and divisor/offset, the last steps of one pass."""
    lines: list[str] = []
    sy, sx = plan.options.stride
    if stride and (sy, sx) != (1, 1):
        lines.append(f"{var} = {var}[::{sy}, ::{sx}]  # stride: output pixel (r, c) sits at input ({sy}·r, {sx}·c)")
    arithmetic = var
    if plan.options.divisor != 1:
        arithmetic += f" / {num(plan.options.divisor)}"
    if plan.options.offset > 0:
        arithmetic += f" + {num(plan.options.offset)}"
    elif plan.options.offset < 0:
        arithmetic += f" - {num(-plan.options.offset)}"
    if arithmetic != var:
        lines.append(f"{var} = {arithmetic}  # divisor and offset: value = sum / divisor + offset")
    return lines


def crop_slice(plan: Plan, var: str, stride: bool = True) -> str:
    """``var[a : H - b, c : W - d]``: the pixels of a same-size result where the whole kernel lies inside.

    With ``stride`` the step is included, so crop and stride are one slice.
    """
    (top, bottom), (left, right) = plan.pads
    sy, sx = plan.options.stride if stride else (1, 1)
    rows = axis_slice(top, bottom, sy, f"{var}.shape[0]")
    cols = axis_slice(left, right, sx, f"{var}.shape[1]")
    return f"{var}[{rows}, {cols}]"


def axis_slice(start: int, cut: int, step: int, length: str) -> str:
    """A slice that drops ``start`` items at the front and ``cut`` at the end, keeping every ``step``-th."""
    parts = [str(start) if start else "", f"{length} - {cut}" if cut else ""]
    if step != 1:
        parts.append(str(step))
    return (" : " if cut else ":").join(parts)


def repeat_lines(plan: Plan, body: list[str]) -> list[str]:
    """The pass once, or inside a loop when repeat > 1."""
    n = plan.options.repeat
    if n == 1:
        return body
    loop = f"for _ in range({n}):  # repeat: each pass filters the previous pass's raw result"
    return [loop, *("    " + line if line else "" for line in body)]


def kernel_crop_scale_lines(plan: Plan, used: str, sums: str, *, torch: bool = False) -> list[str]:
    """Rescale border sums by ΣK / Σ(weights of the taps used), where both are non-zero."""
    if torch:
        return [
            "# kernel-crop: rescale by ΣK / Σ(weights of the taps inside), where both are non-zero",
            f"usable = {used}.abs() > 1e-12 * kernel.abs().sum()",
            f"scale = torch.where(usable, kernel.sum() / {used}, torch.ones_like({used}))",
            f"result = {sums} * scale",
        ]
    expand = "[..., np.newaxis]" if plan.rgb else ""
    return [
        "# kernel-crop: rescale by ΣK / Σ(weights of the taps inside), where both are non-zero",
        f"scale = np.ones_like({used})",
        f"usable = np.abs({used}) > 1e-12 * np.abs(kernel).sum()",
        f"scale[usable] = kernel.sum() / {used}[usable]",
        f"result = {sums} * scale{expand}",
    ]


def join(*blocks: list[str]) -> str:
    """Blocks of lines separated by one blank line, ending with a newline."""
    return "\n\n".join("\n".join(block) for block in blocks if block) + "\n"
