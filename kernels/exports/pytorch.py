"""A PyTorch snippet: ``F.pad`` for the edge mode, then ``F.conv2d`` (a correlation, like every CNN library).

``conv2d`` has stride and dilation parameters but no edge modes, so the padding is done first with
``F.pad`` and the convolution itself is a "valid" one. PyTorch has no symmetric padding (edge pixel
repeated) and no kernel-crop; both are emulated, and the snippet says so at the top.
"""

from __future__ import annotations

from kernels.exports.code import (
    finish_pass_lines,
    header,
    join,
    kernel_crop_scale_lines,
    kernel_lines,
    plural,
    repeat_lines,
)
from kernels.exports.plan import Plan, num, pair

TORCH_PAD_MODES = {"extend": "replicate", "wrap": "circular", "mirror": "reflect", "constant": "constant"}
"""``F.pad`` mode for each edge mode PyTorch can pad by itself."""


def pytorch_snippet(plan: Plan) -> tuple[str, list[str]]:
    """``torch.nn.functional.conv2d`` on a (1, C, H, W) tensor with groups=C, in float64."""
    o = plan.options
    notes: list[str] = []
    edge = o.edge
    if edge == "symmetric":
        notes.append(
            "PyTorch has no symmetric padding (edge pixel repeated: c b a | a b c); its 'reflect' "
            "is the app's mirror. Emulated: np.pad(mode='symmetric') on the NumPy array."
        )
    if edge in ("mirror", "wrap"):
        notes.append(
            "F.pad's 'reflect' needs every pad smaller than the image side, and 'circular' at most the "
            "image side; for a smaller image pad with np.pad(mode='reflect' or 'wrap') instead."
        )
    if plan.kernel_crop_rescales:
        notes.append(
            "PyTorch has no kernel-crop edge mode (taps outside the image skipped, the sum rescaled by "
            "ΣK / Σ used weights). Emulated: convolve the zero-padded image and a mask of ones, "
            "then rescale."
        )
    elif edge == "kernel-crop":
        notes.append(
            "kernel-crop with weights that add up to 0 never rescales, so skipping the outside taps is "
            "the same as reading zeros there: zero padding."
        )

    channels = 3 if plan.rgb else 1
    kernel = kernel_lines(plan, array="torch.tensor", dtype="dtype=torch.float64")
    if plan.normalize_sum is not None:
        kernel.append("kernel = kernel / kernel.sum()  # normalise: the weights now add up to 1")
    elif plan.normalize_skipped:
        kernel.append("# Normalise is on, but these weights add up to 0: they are used as they are.")
    if plan.flip:
        oy, ox = plan.origin
        kernel += [
            "# conv2d correlates, like every CNN library: to convolve, rotate the kernel 180° first.",
            "kernel = torch.flip(kernel, dims=(0, 1))",
            f"# The rotation moves the origin too: row {oy}, column {ox} of the rotated kernel.",
        ]
    if plan.rgb:
        kernel += [
            "# conv2d wants weights as (out channels, in channels per group, rows, columns); with groups=3",
            "# each of R, G and B is filtered on its own by its copy of the kernel.",
            f"weight = kernel.repeat({channels}, 1, 1, 1)",
        ]
    else:
        kernel.append("weight = kernel[None, None]  # conv2d wants (out channels, in channels, rows, columns)")

    start = ["result = torch.from_numpy(np.array(image, dtype=np.float64))"]
    if plan.rgb:
        start.append("result = result.permute(2, 0, 1)[None]  # (H, W, 3) → (1, 3, H, W): batch of one, channels first")
    else:
        start.append("result = result[None, None]  # (H, W) → (1, 1, H, W): a batch of one, one channel")

    (top, bottom), (left, right) = plan.pads
    pads = f"({left}, {right}, {top}, {bottom})"
    conv_args = []
    if o.stride != (1, 1):
        conv_args.append(f"stride={pair(o.stride)}")
    if o.dilation != (1, 1):
        conv_args.append(f"dilation={pair(o.dilation)}")
    groups = [f"groups={channels}"] if plan.rgb else []
    conv = ", ".join(["{src}", "{weight}", *conv_args, *groups])
    mask_conv = ", ".join(["{src}", "kernel[None, None]", *conv_args])

    body: list[str] = []
    if not plan.crop:
        body.append(
            f"# pad {plural(top, 'row')} above, {bottom} below, {plural(left, 'column')} left, {right} right "
            "(F.pad lists the last axis first)"
        )
    if plan.crop:
        body.append("# crop: no padding, so conv2d keeps only the positions where the whole kernel fits")
        body.append(f"result = F.conv2d({conv.format(src='result', weight='weight')})")
    elif edge == "symmetric":
        body += [
            f"widths = [(0, 0), (0, 0), ({top}, {bottom}), ({left}, {right})]",
            'padded = torch.from_numpy(np.pad(result.numpy(), widths, mode="symmetric"))',
            f"result = F.conv2d({conv.format(src='padded', weight='weight')})",
        ]
    elif edge == "kernel-crop":
        body.append(f"padded = F.pad(result, {pads})  # zeros")
        if plan.kernel_crop_rescales:
            body += [
                f"inside = F.pad(torch.ones_like(result[:, :1]), {pads})  # 1 on the image, 0 outside",
                f"sums = F.conv2d({conv.format(src='padded', weight='weight')})",
                f"used = F.conv2d({mask_conv.format(src='inside')})",
            ]
            body += kernel_crop_scale_lines(plan, "used", "sums", torch=True)
        else:
            body.append(f"result = F.conv2d({conv.format(src='padded', weight='weight')})")
    else:
        value = f", value={num(o.cval)}" if edge == "constant" else ""
        body.append(f'padded = F.pad(result, {pads}, mode="{TORCH_PAD_MODES[edge]}"{value})')
        body.append(f"result = F.conv2d({conv.format(src='padded', weight='weight')})")
    body += finish_pass_lines(plan, stride=False)

    if plan.rgb:
        finish = ["result = result[0].permute(1, 2, 0).numpy()  # back to (H, W, 3), channels last"]
    else:
        finish = ["result = result[0, 0].numpy()  # back to (H, W)"]
    imports = ["import numpy as np", "import torch", "import torch.nn.functional as F"]
    text = join(
        header(plan, "PyTorch (torch.nn.functional.conv2d)", notes),
        imports,
        kernel,
        start,
        repeat_lines(plan, body),
        finish,
    )
    return text, notes
