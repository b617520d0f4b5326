"""Exports that reproduce an output elsewhere: data (JSON, CSV), Python snippets, a command line, GIMP.

One entry point, :func:`export`. Every Python snippet reads a NumPy float array named ``image`` (the
input exactly as the engine filters it: (H, W) grey luma or (H, W, 3) RGB) and leaves the raw result,
before display, in ``result``; the ImageMagick command reads ``input.png`` and writes ``output.png``;
the GIMP text lists what to type into its Convolution Matrix dialog. Whatever a tool cannot express
is said at the top of the export (and listed in ``Export.notes``), and emulated where a line or two of
NumPy can do it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from kernels import limits
from kernels.engine import output_shape, validate
from kernels.errors import InputError
from kernels.exports.gimp import gimp_values
from kernels.exports.magick import imagemagick_command
from kernels.exports.plan import Plan, make_plan, num
from kernels.exports.python import numpy_snippet, opencv_snippet, scipy_snippet
from kernels.exports.pytorch import pytorch_snippet
from kernels.options import COLORS, DISPLAYS, Options

FORMATS: tuple[str, ...] = ("json", "csv", "numpy", "scipy", "opencv", "pytorch", "imagemagick", "gimp")
"""Values of the ``format`` parameter, in the order the page lists them."""

FILENAMES: dict[str, str] = {
    "json": "image_kernels.json",
    "csv": "image_kernels_weights.csv",
    "imagemagick": "image_kernels_imagemagick.sh",
    "gimp": "image_kernels_gimp.txt",
    **{name: f"image_kernels_{name}.py" for name in ("numpy", "scipy", "opencv", "pytorch")},
}
"""The file name each format suggests."""

FORMAT_TITLES: dict[str, str] = {
    "json": "JSON",
    "csv": "CSV",
    "numpy": "NumPy",
    "scipy": "SciPy",
    "opencv": "OpenCV",
    "pytorch": "PyTorch",
    "imagemagick": "ImageMagick",
    "gimp": "GIMP",
}
"""How each format is named to people."""
FORMAT_HINTS: dict[str, str] = {
    "json": "every setting and the kernel as written and as multiplied",
    "csv": "the weights as multiplied, one row per line",
    "numpy": "turns a float array image into result with NumPy alone",
    "scipy": "scipy.ndimage.correlate or convolve",
    "opencv": "cv2.filter2D",
    "pytorch": "torch.nn.functional.conv2d",
    "imagemagick": "a command line from input.png to output.png",
    "gimp": "what to type into Filters › Generic › Convolution Matrix",
}
"""What each format holds, in a few words."""

_NUMBER_LIST = re.compile(r"\[\s+(-?[0-9.eE+-]+(?:,\s+-?[0-9.eE+-]+)*)\s+\]")

_NOMINAL_SHAPE = (limits.MAX_IMAGE_SIDE, limits.MAX_IMAGE_PIXELS // limits.MAX_IMAGE_SIDE)
"""Image size used to check the options when the caller does not give one (every kernel fits in it)."""


@dataclass(frozen=True)
class Export:
    """One export, ready to send.

    Attributes:
        text: the export itself (UTF-8 text).
        media_type: its MIME type, without charset.
        filename: a suggested file name.
        notes: the settings the target cannot express directly, each a sentence (emulated or explained).
    """

    text: str
    media_type: str
    filename: str
    notes: list[str] = field(default_factory=list)


def export(
    fmt: str,
    kernel: np.ndarray,
    options: Options,
    color: str,
    display: str,
    image_name: str,
    *,
    query: str = "",
    image_shape: tuple[int, ...] | None = None,
) -> Export:
    """Describe one filtering request in the format ``fmt`` (one of :data:`FORMATS`).

    Args:
        fmt: "json", "csv", "numpy", "scipy", "opencv", "pytorch", "imagemagick" or "gimp".
        kernel: (kh, kw) weights as written, 1…63 a side.
        options: the engine options.
        color: "gray" or "rgb".
        display: one of :data:`kernels.options.DISPLAYS` (followed by the ImageMagick and GIMP exports).
        image_name: the sample name or upload id (recorded in the JSON export).
        query: the state's query string (``image=...&kernel=...``), quoted by JSON and ImageMagick exports.
        image_shape: the engine input's shape, (H, W) or (H, W, C). Checks that crop fits, and gives
            ImageMagick its stride sizes and GIMP its crop size; optional otherwise.

    Raises:
        InputError: field "format" for an unknown format; "color"/"display" for unknown values; the
            engine's fields (see :func:`kernels.engine.validate`) for settings it would refuse.
    """
    if fmt not in FORMATS:
        raise InputError("format", f"must be one of {', '.join(FORMATS)}", fmt)
    if color not in COLORS:
        raise InputError("color", f"must be one of {', '.join(COLORS)}", color)
    if display not in DISPLAYS:
        raise InputError("display", f"must be one of {', '.join(DISPLAYS)}", display)
    weights = np.asarray(kernel, dtype=np.float64)
    validate(tuple(image_shape) if image_shape is not None else _NOMINAL_SHAPE, weights, options)
    plan = make_plan(weights, options, color, display, image_shape)
    return _BUILDERS[fmt](plan, image_name, query, image_shape)


def _json(plan: Plan, image_name: str, query: str, image_shape: tuple[int, ...] | None) -> Export:
    o = plan.options
    body: dict = {
        "image": image_name,
        "query": query,
        "color": plan.color,
        "display": plan.display,
        "kernel": {
            "rows": int(plan.kernel.shape[0]),
            "columns": int(plan.kernel.shape[1]),
            "as_written": plan.kernel.tolist(),
            "origin_as_written": list(plan.written_origin),
            "as_multiplied": plan.weights.tolist(),
            "origin_as_multiplied": list(plan.origin),
            "sum_as_multiplied": plan.weights_sum,
        },
        "options": {
            "op": o.op,
            "edge": o.edge,
            "cval": o.cval,
            "normalize": bool(o.normalize),
            "divisor": o.divisor,
            "offset": o.offset,
            "stride": list(o.stride),
            "dilation": list(o.dilation),
            "repeat": o.repeat,
            "origin": list(o.origin) if o.origin is not None else None,
        },
        "formula": "value = Σ as_multiplied[i][j] · input[y + (i − oy)·dy, x + (j − ox)·dx] / divisor + offset",
    }
    if image_shape is not None:
        height, width = output_shape(tuple(image_shape[:2]), plan.kernel.shape, o)
        body["output"] = {"width": width, "height": height}
    text = json.dumps(body, indent=2, ensure_ascii=False)
    # One kernel row (or pair) per line: lists of plain numbers are written on one line each.
    text = _NUMBER_LIST.sub(lambda m: "[" + ", ".join(v.strip() for v in m[1].split(",")) + "]", text)
    return Export(text + "\n", "application/json", FILENAMES["json"])


def _csv(plan: Plan, image_name: str, query: str, image_shape: tuple[int, ...] | None) -> Export:
    rows = [",".join(num(v) for v in row) for row in plan.weights.tolist()]
    return Export("\n".join(rows) + "\n", "text/csv", FILENAMES["csv"])


def _python(build: Callable[[Plan], tuple[str, list[str]]], name: str):
    def make(plan: Plan, image_name: str, query: str, image_shape: tuple[int, ...] | None) -> Export:
        text, notes = build(plan)
        return Export(text, "text/x-python", FILENAMES[name], notes)

    return make


def _imagemagick(plan: Plan, image_name: str, query: str, image_shape: tuple[int, ...] | None) -> Export:
    text, notes = imagemagick_command(plan, image_shape, query)
    return Export(text, "text/x-shellscript", FILENAMES["imagemagick"], notes)


def _gimp(plan: Plan, image_name: str, query: str, image_shape: tuple[int, ...] | None) -> Export:
    text, notes = gimp_values(plan, image_shape)
    return Export(text, "text/plain", FILENAMES["gimp"], notes)


_BUILDERS = {
    "json": _json,
    "csv": _csv,
    "numpy": _python(numpy_snippet, "numpy"),
    "scipy": _python(scipy_snippet, "scipy"),
    "opencv": _python(opencv_snippet, "opencv"),
    "pytorch": _python(pytorch_snippet, "pytorch"),
    "imagemagick": _imagemagick,
    "gimp": _gimp,
}
