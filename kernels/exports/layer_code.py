"""Code that reproduces a layer's feature maps: NumPy alone, or PyTorch's ``nn.Conv2d`` with ``F.relu`` and pooling.

Each snippet reads ``image``, the picture as the layer reads it (a float array, (H, W) grey or (H, W, 3)), and
leaves ``pre``, ``act`` and ``pooled`` (or None without pooling): float64 arrays of shape (filters, rows,
columns), the maps ``/api/layer`` returns, within rounding (about 1e-12 of the largest value). What PyTorch cannot
express (symmetric edges, kernel-crop) is said at the top and emulated with a few lines of NumPy or PyTorch.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kernels.errors import InputError
from kernels.exports.code import wrap_comment
from kernels.exports.formats import FORMAT_TITLES
from kernels.library.kernel_text import format_number
from kernels.options import EDGE_WORDS
from kernels.teaching.layer import Layer

FORMATS = ("numpy", "pytorch")
"""Values of ``format`` for :func:`export_layer`."""
TITLES = {name: FORMAT_TITLES[name] for name in FORMATS}
NUMPY_PAD_MODES = {"extend": "edge", "wrap": "wrap", "mirror": "reflect", "symmetric": "symmetric"}
"""``np.pad`` mode for each edge mode that reads a pixel past the border."""
TORCH_PADDING_MODES = {"constant": "zeros", "extend": "replicate", "wrap": "circular", "mirror": "reflect"}
"""``nn.Conv2d(padding_mode=…)`` for each edge mode PyTorch pads by itself."""
_SIMPLE_FRACTION = re.compile(r"-?\d{1,15}/\d{1,15}")


@dataclass(frozen=True)
class LayerExport:
    """One snippet: its text, what it had to emulate, and the file name it suggests."""

    text: str
    notes: tuple[str, ...]
    filename: str
    media_type: str = "text/x-python; charset=utf-8"


def _number(value: float, text: str | None) -> str:
    """Python source for a weight: the text as typed when Python reads it as the same float, else exact digits."""
    if text is not None and _SIMPLE_FRACTION.fullmatch(text.replace(" ", "")):
        return text.replace(" ", "")
    return format_number(value)


def _weights_lines(layer: Layer, texts: Sequence | None, titles: Sequence[str], names: Sequence[str]) -> list[str]:
    weights = np.asarray(layer.weights, dtype=np.float64)
    lines = ["weights = np.array(["]
    for f, grids in enumerate(weights):
        lines.append(f"    [  # filter {f + 1}: {titles[f]}")
        for index, grid in enumerate(grids):
            rows = []
            for i, row in enumerate(grid):
                cells = [_number(w, texts[f][index][i][j] if texts is not None else None) for j, w in enumerate(row)]
                rows.append("[" + ", ".join(cells) + "]")
            channel = names[layer.channels_of(f)[index]]
            lines.append(f"        [{', '.join(rows)}],  # reads {channel}")
        lines.append("    ],")
    lines.append("], dtype=np.float64)  # (filters, channels per group, rows, columns)")
    return lines


def _bias_line(layer: Layer, texts: Sequence[str] | None, array: str) -> str:
    values = [_number(b, texts[f] if texts is not None else None) for f, b in enumerate(np.asarray(layer.bias))]
    dtype = "torch.float64" if array.startswith("torch") else "np.float64"
    return f"bias = {array}([{', '.join(values)}], dtype={dtype})  # one per filter"


def _edge_words(edge: str) -> str:
    return "zeros past the border" if edge == "constant" else EDGE_WORDS[edge].past  # the layer pads with 0


def _header(layer: Layer, library: str, input_text: str, notes: list[str]) -> list[str]:
    count, per_group, kh, kw = np.shape(layer.weights)
    pool = {"none": "no pooling", "max": "2×2 max pooling", "avg": "2×2 average pooling"}[layer.pool]
    settings = (
        f"{count} filter{'s' if count > 1 else ''} of {kh}×{kw}×{per_group}, groups={layer.groups}, "
        f"stride {layer.stride[0]},{layer.stride[1]}, dilation {layer.dilation[0]},{layer.dilation[1]}, "
        f"edges: {layer.edge} ({_edge_words(layer.edge)}), activation: {layer.activation}, {pool}"
    )
    lines = [
        f"# One convolutional layer as Image Kernels computes it, reproduced with {library}.",
        "# Cross-correlation, as neural networks compute it: each window times the weights as written.",
        *wrap_comment(f"Settings: {settings}."),
        *wrap_comment(f"Input: `image`, {input_text}"),
        "# Output: `pre` (before the activation), `act` (after it) and `pooled` (None without pooling),",
        "#   float64 arrays of shape (filters, rows, columns), the maps /api/layer returns.",
    ]
    if notes:
        lines.append("#")
        for note in notes:
            lines.extend(wrap_comment(note))
    return lines


def _torch_lines(lines: list[str]) -> list[str]:
    return [line.replace("np.array([", "torch.tensor([", 1).replace("np.float64", "torch.float64") for line in lines]


def _names(channels: int) -> list[str]:
    return (
        ["grey"]
        if channels == 1
        else ["red", "green", "blue"][:channels] + [f"channel {c}" for c in range(3, channels)]
    )


def _opening(
    layer: Layer,
    library: str,
    input_text: str,
    notes: list[str],
    texts: Sequence | None,
    bias_texts: Sequence[str] | None,
    titles: Sequence[str] | None,
    names: Sequence[str] | None,
) -> list[str]:
    """How both snippets begin: the header, the imports, then ``weights`` and ``bias`` in the library's arrays.

    ``titles`` default to "filter 1", "filter 2"…; ``names`` to "grey", or "red", "green", "blue".
    """
    titles = titles or [f"filter {f + 1}" for f in range(layer.filters)]
    names = names or _names(layer.in_channels)
    weights = _weights_lines(layer, texts, titles, names)
    if library == "PyTorch":
        imports = ["import numpy as np", "import torch", "import torch.nn.functional as F"]
        weights, array = _torch_lines(weights), "torch.tensor"
    else:
        imports, array = ["import numpy as np"], "np.array"
    return [*_header(layer, library, input_text, notes), *imports, "", *weights, _bias_line(layer, bias_texts, array)]


def _kernel_crop_numpy(layer: Layer) -> list[str]:
    return [
        "# kernel-crop: the taps past the border were skipped (they read the zero padding); each filter's sum is",
        "# rescaled by ΣK / Σ(K over the taps used), K being its grids added up (not where either sum is 0).",
        "inside = np.pad(np.ones(x.shape[:2]), ((pad_y, pad_y), (pad_x, pad_x)))",
        "for f in range(filters):",
        "    k = weights[f].sum(axis=0)",
        "    used, size, taps = np.zeros((out_h, out_w)), np.zeros((out_h, out_w)), np.zeros((out_h, out_w))",
        "    for i in range(kh):",
        "        for j in range(kw):",
        "            taken = inside[i * dy :: sy, j * dx :: sx][:out_h, :out_w]",
        "            used += k[i, j] * taken",
        "            size += abs(k[i, j]) * taken",
        "            taps += taken",
        "    total = k.sum()",
        "    rescale = (np.abs(used) > 1e-12 * size) & (abs(total) > 1e-12 * np.abs(k).sum()) & (taps < kh * kw)",
        "    pre[f] *= np.where(rescale, total / np.where(rescale, used, 1.0), 1.0)",
    ]


def _pool_numpy(layer: Layer) -> list[str]:
    if layer.pool == "none":
        return ["pooled = None  # no pooling"]
    reduce = "max" if layer.pool == "max" else "mean"
    return [
        "# 2×2 blocks with stride 2; a last odd row or column is left out (as PyTorch does by default).",
        "rows, cols = act.shape[1] // 2, act.shape[2] // 2",
        f"pooled = act[:, : 2 * rows, : 2 * cols].reshape(filters, rows, 2, cols, 2).{reduce}(axis=(2, 4))",
    ]


def numpy_layer(
    layer: Layer,
    input_text: str,
    texts: Sequence | None = None,
    bias_texts: Sequence[str] | None = None,
    titles: Sequence[str] | None = None,
    names: Sequence[str] | None = None,
) -> LayerExport:
    """The NumPy snippet (see the module docstring)."""
    edge = layer.edge
    (sy, sx), (dy, dx) = layer.stride, layer.dilation
    if edge == "crop":
        padding = ["padded = x  # crop: no padding, only positions where the whole filter fits"]
    elif edge in NUMPY_PAD_MODES:
        padding = [f'padded = np.pad(x, ((pad_y, pad_y), (pad_x, pad_x), (0, 0)), mode="{NUMPY_PAD_MODES[edge]}")']
    else:
        padding = ["padded = np.pad(x, ((pad_y, pad_y), (pad_x, pad_x), (0, 0)))  # zeros"]
    lines = [
        *_opening(layer, "NumPy", input_text, [], texts, bias_texts, titles, names),
        f"groups = {layer.groups}  # filter f reads the channels of group f // (filters // groups)",
        f"sy, sx = {sy}, {sx}  # stride",
        f"dy, dx = {dy}, {dx}  # dilation",
        "",
        "x = np.asarray(image, dtype=np.float64)",
        "x = x if x.ndim == 3 else x[:, :, None]  # (rows, columns, channels)",
        "filters, per_group, kh, kw = weights.shape",
        "pad_y, pad_x = (kh // 2) * dy, (kw // 2) * dx  # the filter's centre sits on each output pixel",
        *padding,
        "out_h = (padded.shape[0] - (kh - 1) * dy - 1) // sy + 1",
        "out_w = (padded.shape[1] - (kw - 1) * dx - 1) // sx + 1",
        "pre = np.zeros((filters, out_h, out_w))",
        "for f in range(filters):",
        "    first = (f // (filters // groups)) * per_group  # the first channel of its group",
        "    for c in range(per_group):",
        "        for i in range(kh):",
        "            for j in range(kw):",
        "                window = padded[i * dy :: sy, j * dx :: sx, first + c][:out_h, :out_w]",
        "                pre[f] += weights[f, c, i, j] * window",
    ]
    if edge == "kernel-crop":
        lines += _kernel_crop_numpy(layer)
    lines += ["pre += bias[:, None, None]"]
    if layer.activation == "relu":
        lines.append("act = np.maximum(pre, 0.0)  # ReLU")
    else:
        lines.append("act = pre  # no activation")
    lines += _pool_numpy(layer)
    return LayerExport("\n".join(lines) + "\n", (), "image_kernels_layer_numpy.py")


def pytorch_layer(
    layer: Layer,
    input_text: str,
    texts: Sequence | None = None,
    bias_texts: Sequence[str] | None = None,
    titles: Sequence[str] | None = None,
    names: Sequence[str] | None = None,
) -> LayerExport:
    """The PyTorch snippet: ``nn.Conv2d`` with the edge mode as ``padding_mode``, ``F.relu``, pooling."""
    edge = layer.edge
    (kh, kw), (sy, sx), (dy, dx) = layer.kernel_shape, layer.stride, layer.dilation
    pad_y, pad_x = (kh // 2) * dy, (kw // 2) * dx
    notes: list[str] = []
    start = ["x = np.asarray(image, dtype=np.float64)", "x = x if x.ndim == 3 else x[:, :, None]"]
    padding, mode = (pad_y, pad_x), TORCH_PADDING_MODES.get(edge, "zeros")
    if edge in ("mirror", "wrap"):
        notes.append(
            f"padding_mode='{mode}' needs each pad ({pad_y} rows, {pad_x} columns) "
            + ("smaller than" if edge == "mirror" else "at most")
            + " the picture's side; for a smaller picture pad with np.pad(mode='reflect' or 'wrap') instead."
        )
    if edge == "symmetric":
        notes.append(
            "PyTorch has no symmetric padding (edge pixel repeated: c b a | a b c); its 'reflect' is the "
            "mirror mode. Emulated: np.pad(mode='symmetric') first, then a convolution without padding."
        )
        start.append(f'x = np.pad(x, (({pad_y}, {pad_y}), ({pad_x}, {pad_x}), (0, 0)), mode="symmetric")')
        padding = (0, 0)
    elif edge == "crop":
        padding = (0, 0)
    elif edge == "kernel-crop":
        notes.append(
            "PyTorch has no kernel-crop edge mode (taps past the border skipped, each filter's sum rescaled by "
            "ΣK / Σ(K over the taps used), K its grids added up). Emulated: zero padding, then the scale from a "
            "convolution of a mask of ones."
        )
    start.append("x = torch.from_numpy(x).permute(2, 0, 1)[None]  # (1, channels, rows, columns): a batch of one")
    conv = (
        f"conv = torch.nn.Conv2d({layer.in_channels}, {layer.filters}, kernel_size=({kh}, {kw}), "
        f"stride=({sy}, {sx}), padding={padding}, dilation=({dy}, {dx}), groups={layer.groups}, "
        f'padding_mode="{mode}", dtype=torch.float64)'
    )
    lines = [
        *_opening(layer, "PyTorch", input_text, notes, texts, bias_texts, titles, names),
        "",
        *start,
        "# Conv2d cross-correlates, like every CNN library: no kernel flip.",
        conv,
        "with torch.no_grad():",
        "    conv.weight.copy_(weights)",
        "    conv.bias.copy_(bias)",
        "    pre = conv(x)",
    ]
    if edge == "kernel-crop":
        lines += [
            "    # kernel-crop: rescale each filter's sum (before the bias) by ΣK / Σ(K over the taps used).",
            "    k = weights.sum(dim=1, keepdim=True)  # (filters, 1, rows, columns): each filter's grids added up",
            "    ones = torch.ones((1, 1, *x.shape[2:]), dtype=torch.float64)",
            f"    spread = dict(stride=({sy}, {sx}), padding={padding}, dilation=({dy}, {dx}))",
            "    used = F.conv2d(ones, k, **spread)",
            "    size = F.conv2d(ones, k.abs(), **spread)",
            "    taps = F.conv2d(ones, torch.ones_like(k[:1]), **spread)",
            "    total = k.sum(dim=(1, 2, 3)).reshape(1, -1, 1, 1)",
            "    full = k.abs().sum(dim=(1, 2, 3)).reshape(1, -1, 1, 1)",
            f"    rescale = (used.abs() > 1e-12 * size) & (total.abs() > 1e-12 * full) & (taps < {kh * kw})",
            "    scale = torch.where(rescale, total / torch.where(rescale, used, torch.ones_like(used)), 1.0)",
            "    b = bias.reshape(1, -1, 1, 1)",
            "    pre = (pre - b) * scale + b",
        ]
    if layer.activation == "relu":
        lines.append("    act = F.relu(pre)")
    else:
        lines.append("    act = pre  # no activation")
    if layer.pool == "max":
        lines.append("    pooled = F.max_pool2d(act, 2)  # 2×2, stride 2; a last odd row or column is left out")
    elif layer.pool == "avg":
        lines.append("    pooled = F.avg_pool2d(act, 2)  # 2×2, stride 2; a last odd row or column is left out")
    else:
        lines.append("    pooled = None  # no pooling")
    lines += [
        "pre, act = pre[0].numpy(), act[0].numpy()",
        "pooled = None if pooled is None else pooled[0].numpy()",
    ]
    return LayerExport("\n".join(lines) + "\n", tuple(notes), "image_kernels_layer_pytorch.py")


def export_layer(fmt: str, layer: Layer, input_text: str, **named: Sequence | None) -> LayerExport:
    """The snippet in ``fmt`` (``numpy`` or ``pytorch``); ``named`` are the optional ``texts``, ``bias_texts``
    (the weights as typed), ``titles`` (one per filter) and ``names`` (one per input channel)."""
    if fmt not in FORMATS:
        raise InputError("format", f"must be one of {', '.join(FORMATS)}", fmt)
    make = numpy_layer if fmt == "numpy" else pytorch_layer
    return make(layer, input_text, **named)
