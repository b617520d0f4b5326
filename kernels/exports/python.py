"""Python snippets that reproduce the engine's raw result with NumPy alone, SciPy's ndimage, or OpenCV.

Every builder returns ``(text, notes)``: the snippet, and the settings the library cannot express
directly (each note is also written at the top of the snippet, and emulated in the code below it).
"""

from __future__ import annotations

from kernels.engine import plan_passes
from kernels.exports.code import (
    crop_slice,
    finish_pass_lines,
    header,
    join,
    kernel_crop_scale_lines,
    kernel_lines,
    plural,
    prepare_kernel_lines,
    repeat_lines,
    start_lines,
)
from kernels.exports.plan import Plan, num, pair

NUMPY_PAD_MODES = {
    "extend": "edge",
    "wrap": "wrap",
    "mirror": "reflect",
    "symmetric": "symmetric",
    "constant": "constant",
    "kernel-crop": "constant",
}
"""``np.pad`` mode for each edge mode that pads (crop pads nothing)."""

SCIPY_MODES = {"extend": "nearest", "wrap": "wrap", "mirror": "mirror", "symmetric": "reflect", "constant": "constant"}
"""``scipy.ndimage`` mode names (see REFERENCE: SciPy's "reflect" repeats the edge pixel, "mirror" does not)."""

OPENCV_BORDERS = {
    "extend": "cv2.BORDER_REPLICATE",
    "mirror": "cv2.BORDER_REFLECT_101",
    "symmetric": "cv2.BORDER_REFLECT",
    "constant": "cv2.BORDER_CONSTANT",
}
"""OpenCV border types that ``filter2D`` accepts; wrap is refused by filter2D and emulated."""

KERNEL_CROP_NOTE = (
    "{library} has no kernel-crop edge mode (taps outside the image skipped, the sum rescaled by "
    "ΣK / Σ used weights). Emulated: filter the zero-padded image and a mask of ones, then rescale."
)
KERNEL_CROP_ZERO_SUM_NOTE = (
    "kernel-crop with weights that add up to 0 never rescales, so skipping the outside taps is the "
    "same as reading zeros there: zero padding."
)


def scipy_reflect_unreliable(plan: Plan) -> bool:
    """Whether SciPy's "reflect" may read wrong pixels here (measured with SciPy 1.17).

    ndimage's "reflect" returns wrong values where the kernel reaches 4 or more image-lengths above or
    left of an image at least 2 pixels long; "mirror", "wrap" and the others are right. Every pass is
    checked (stride and crop shrink the later ones). Without the image size, any reach of 8 pixels
    (4 lengths of a 2-pixel image) counts as unreliable.
    """
    if plan.options.edge != "symmetric":
        return False
    (top, _), (left, _) = plan.pads
    if plan.image_shape is None:
        return max(top, left) >= 8
    for geometry in plan_passes(plan.image_shape, plan.kernel.shape, plan.options):
        height, width = geometry.image_shape
        if (height >= 2 and top >= 4 * height) or (width >= 2 and left >= 4 * width):
            return True
    return False


def pad_widths(plan: Plan, *, colour_axis: bool | None = None) -> str:
    """``[(above, below), (left, right)]`` for np.pad, plus ``(0, 0)`` for the colour axis of RGB."""
    (top, bottom), (left, right) = plan.pads
    colour = ", (0, 0)" if (plan.rgb if colour_axis is None else colour_axis) else ""
    return f"[({top}, {bottom}), ({left}, {right}){colour}]"


def pad_comment(plan: Plan) -> str:
    (top, bottom), (left, right) = plan.pads
    return (
        f"# pad {plural(top, 'row')} above, {bottom} below, {plural(left, 'column')} left, {right} right: "
        "every tap then has a pixel to read"
    )


def np_pad_call(plan: Plan, var: str) -> str:
    """``np.pad(var, widths, mode=...)`` for the plan's edge mode (zeros for kernel-crop)."""
    mode = NUMPY_PAD_MODES[plan.options.edge]
    extra = f", constant_values={num(plan.options.cval)}" if plan.options.edge == "constant" else ""
    return f'np.pad({var}, {pad_widths(plan)}, mode="{mode}"{extra})'


def _window(index: str, step: int, size: str) -> str:
    start = index if step == 1 else f"{index} * {step}"
    return f"{start} : {start} + {size}"


def numpy_snippet(plan: Plan) -> tuple[str, list[str]]:
    """Pure NumPy: pad as the edge mode says, then add up one shifted copy of the image per tap."""
    o = plan.options
    notes: list[str] = []
    if plan.kernel_crop_rescales:
        notes.append(KERNEL_CROP_NOTE.format(library="NumPy"))
    elif o.edge == "kernel-crop":
        notes.append(KERNEL_CROP_ZERO_SUM_NOTE)
    kh, kw = plan.kernel.shape
    (dy, dx), (sh, sw) = o.dilation, plan.span
    kernel = kernel_lines(plan) + prepare_kernel_lines(plan, rotate="kernel[::-1, ::-1]", dilate=False)

    body: list[str] = []
    if plan.crop:
        body.append("padded = result  # crop: no padding, the output keeps the positions where the kernel fits")
    else:
        body += [pad_comment(plan), f"padded = {np_pad_call(plan, 'result')}"]
        if plan.kernel_crop_rescales:
            body.append(f"inside = np.pad(np.ones(result.shape[:2]), {pad_widths(plan, colour_axis=False)})")
    out_h = f"padded.shape[0] - {sh - 1}" if sh > 1 else "padded.shape[0]"
    out_w = f"padded.shape[1] - {sw - 1}" if sw > 1 else "padded.shape[1]"
    body.append(f"out_h, out_w = {out_h}, {out_w}  # the positions where the whole (dilated) kernel fits")
    body.append("sums = np.zeros((out_h, out_w) + result.shape[2:])")
    if plan.kernel_crop_rescales:
        body.append("used = np.zeros((out_h, out_w))")
    rows, cols = _window("i", dy, "out_h"), _window("j", dx, "out_w")
    reach = "tap (i, j) reads the pixel "
    reach += ("i" if dy == 1 else f"{dy}·i") + " rows and " + ("j" if dx == 1 else f"{dx}·j") + " columns"
    body += [
        f"for i in range({kh}):",
        f"    for j in range({kw}):",
        f"        # {reach} from the window's top-left corner",
        f"        sums += kernel[i, j] * padded[{rows}, {cols}]",
    ]
    if plan.kernel_crop_rescales:
        body.append(f"        used += kernel[i, j] * inside[{rows}, {cols}]")
        body += kernel_crop_scale_lines(plan, "used", "sums")
    else:
        body.append("result = sums")
    body += finish_pass_lines(plan)
    text = join(
        header(plan, "NumPy only", notes), ["import numpy as np"], kernel, start_lines(), repeat_lines(plan, body)
    )
    return text, notes


def scipy_snippet(plan: Plan) -> tuple[str, list[str]]:
    """``scipy.ndimage.correlate`` / ``convolve`` with SciPy's mode names and centred origin."""
    o = plan.options
    notes: list[str] = []
    if o.dilation != (1, 1):
        notes.append("scipy.ndimage has no dilation parameter: the kernel is spread out with zeros instead.")
    if plan.crop:
        notes.append(
            "scipy.ndimage has no 'valid' (crop) mode: it filters at full size, then keeps the pixels "
            "where the whole kernel lies inside the image."
        )
    if o.stride != (1, 1):
        notes.append("scipy.ndimage has no stride: it filters every pixel, then keeps every s-th one.")
    if scipy_reflect_unreliable(plan):
        notes.append(
            "scipy.ndimage's mode='reflect' (the app's symmetric) reads wrong pixels when the kernel reaches "
            "4 or more image-lengths past the top or left border (seen in SciPy 1.17), as it can here: "
            "the image is padded with np.pad(mode='symmetric') first instead."
        )
    if plan.kernel_crop_rescales:
        notes.append(KERNEL_CROP_NOTE.format(library="scipy.ndimage"))
    elif o.edge == "kernel-crop":
        notes.append(KERNEL_CROP_ZERO_SUM_NOTE)

    kernel = kernel_lines(plan) + prepare_kernel_lines(plan, rotate=None, dilate=True)
    if plan.flip:
        kernel.append("# ndimage.convolve rotates the kernel itself (and mirrors the origin with it).")
    origin = plan.centred_origin
    weights = "kernel"
    if plan.rgb:
        kernel.append("weights = kernel[:, :, np.newaxis]  # the same kernel for R, G and B: size 1 on the colour axis")
        weights = "weights"
    origin_arg = ""
    if origin != (0, 0):
        oy, ox = plan.written_origin
        kernel.append(f"# The origin (row {oy}, column {ox}) as SciPy counts it: from the centre, size // 2.")
        kernel.append(f"origin = ({origin[0]}, {origin[1]}, 0)" if plan.rgb else f"origin = {pair(origin)}")
        origin_arg = ", origin=origin"
    function = "ndimage.convolve" if plan.flip else "ndimage.correlate"

    body: list[str] = []
    edge = o.edge
    if edge == "kernel-crop":
        if plan.kernel_crop_rescales:
            mask_origin = f", origin={pair(origin)}" if origin_arg else ""
            body += [
                f'sums = {function}(result, {weights}, mode="constant", cval=0.0{origin_arg})',
                f'used = {function}(np.ones(result.shape[:2]), kernel, mode="constant", cval=0.0{mask_origin})',
            ]
            body += kernel_crop_scale_lines(plan, "used", "sums")
        else:
            body.append(f'result = {function}(result, {weights}, mode="constant", cval=0.0{origin_arg})')
    elif plan.crop:
        body += [
            "# Any mode will do: the pixels kept below never read past the border.",
            f'result = {function}(result, {weights}, mode="nearest"{origin_arg})',
            f"result = {crop_slice(plan, 'result')}  # crop (and stride)",
        ]
    elif scipy_reflect_unreliable(plan):
        (top, _), (left, _) = plan.pads
        body += [
            "h, w = result.shape[:2]",
            pad_comment(plan),
            f"padded = {np_pad_call(plan, 'result')}",
            f'result = {function}(padded, {weights}, mode="constant"{origin_arg})',
            f"result = result[{top} : {top} + h, {left} : {left} + w]  # the pixels of the original size",
        ]
    else:
        cval = f", cval={num(o.cval)}" if edge == "constant" else ""
        body.append(f'result = {function}(result, {weights}, mode="{SCIPY_MODES[edge]}"{cval}{origin_arg})')
    body += finish_pass_lines(plan, stride=not plan.crop)
    text = join(
        header(plan, "SciPy (scipy.ndimage)", notes),
        ["import numpy as np", "from scipy import ndimage"],
        kernel,
        start_lines(),
        repeat_lines(plan, body),
    )
    return text, notes


def opencv_snippet(plan: Plan) -> tuple[str, list[str]]:
    """``cv2.filter2D`` (a correlation) with an anchor, OpenCV border types and NumPy where it must."""
    o = plan.options
    notes: list[str] = []
    if plan.flip:
        notes.append(
            "cv2.filter2D always correlates: to convolve, the kernel is rotated 180° first "
            "(cv2.flip(kernel, -1)) and the anchor moves with it."
        )
    if o.dilation != (1, 1):
        notes.append("cv2.filter2D has no dilation parameter: the kernel is spread out with zeros instead.")
    if o.edge == "wrap":
        notes.append(
            "cv2.filter2D refuses BORDER_WRAP: the image is padded with np.pad(mode='wrap') first, "
            "then only the pixels of the original size are kept."
        )
    if o.edge == "constant" and o.cval != 0:
        notes.append(
            "cv2.filter2D's BORDER_CONSTANT always reads 0 and it has no fill-value parameter: the image "
            "is padded with np.pad(constant_values=...) first."
        )
    if plan.crop:
        notes.append(
            "cv2.filter2D has no 'valid' (crop) mode: it filters at full size, then keeps the pixels "
            "where the whole kernel lies inside the image."
        )
    if o.stride != (1, 1):
        notes.append("cv2.filter2D has no stride: it filters every pixel, then keeps every s-th one.")
    if plan.kernel_crop_rescales:
        notes.append(KERNEL_CROP_NOTE.format(library="OpenCV"))
    elif o.edge == "kernel-crop":
        notes.append(KERNEL_CROP_ZERO_SUM_NOTE)

    kernel = kernel_lines(plan) + prepare_kernel_lines(plan, rotate="cv2.flip(kernel, -1)", dilate=True)
    ay, ax = plan.anchor
    kernel.append(f"anchor = ({ax}, {ay})  # OpenCV writes points as (x, y): column {ax}, row {ay} of the kernel")
    call = "cv2.filter2D({src}, -1, kernel, anchor=anchor{border})"  # -1: the result keeps the input's float64

    body: list[str] = []
    edge = o.edge
    if edge == "wrap" or (edge == "constant" and o.cval != 0):
        (top, _), (left, _) = plan.pads
        body += [
            "h, w = result.shape[:2]",
            pad_comment(plan),
            f"padded = {np_pad_call(plan, 'result')}",
            "# The border type no longer matters: the pixels kept were computed from the padded values.",
            f"result = {call.format(src='padded', border='')}[{top} : {top} + h, {left} : {left} + w]",
        ]
    elif edge == "kernel-crop" and plan.kernel_crop_rescales:
        border = ", borderType=cv2.BORDER_CONSTANT"
        body += [
            f"sums = {call.format(src='result', border=border)}",
            f"used = {call.format(src='np.ones(result.shape[:2])', border=border)}",
        ]
        body += kernel_crop_scale_lines(plan, "used", "sums")
    elif edge == "kernel-crop":
        body.append(f"result = {call.format(src='result', border=', borderType=cv2.BORDER_CONSTANT')}")
    elif plan.crop:
        body += [
            f"result = {call.format(src='result', border='')}",
            f"result = {crop_slice(plan, 'result')}  # crop (and stride)",
        ]
    else:
        body.append(f"result = {call.format(src='result', border=', borderType=' + OPENCV_BORDERS[edge])}")
    body += finish_pass_lines(plan, stride=not plan.crop)
    text = join(
        header(plan, "OpenCV (cv2.filter2D)", notes),
        ["import cv2", "import numpy as np"],
        kernel,
        start_lines(),
        repeat_lines(plan, body),
    )
    return text, notes
