"""What every export needs to know about one request, worked out once, and how to write numbers down.

The exporters (Python snippets, an ImageMagick command line, GIMP's dialog values) all describe the
computation of :mod:`kernels.engine`; this module derives the facts they share from the kernel and the
options with the engine's own functions, so an export cannot drift from what the app computes:

* the weights as multiplied (normalised, rotated 180° when convolving) and their origin;
* the dilated footprint ("span") and where the origin sits in it ("anchor");
* the padding each side needs so that a "valid" filter returns one value per input pixel.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kernels.engine import effective_weights
from kernels.engine.kernelcrop import kernel_sum
from kernels.library.kernel_text import format_number
from kernels.options import Options

MAX_DENOMINATOR = 1024
"""Largest common denominator tried when writing a kernel as whole numbers over one divisor."""

MAX_NUMERATOR = 99_999
"""Largest whole number written when a kernel is shown as numerators over a common denominator."""


@dataclass(frozen=True)
class Plan:
    """One filtering request, as the exporters describe it.

    Attributes:
        kernel: float64 (kh, kw) weights as written (before normalise or flip).
        options: the request's options.
        color: "gray" (one channel, (H, W)) or "rgb" ((H, W, 3), each channel on its own).
        display: how raw values become pixels (only the command-line and dialog exports can follow it).
        written_origin: (oy, ox) in the kernel as written (the default is (kh // 2, kw // 2)).
        weights: float64 (kh, kw) weights as multiplied: normalised, rotated 180° when convolving.
        origin: (oy, ox) in ``weights`` coordinates.
        normalize_sum: ΣK when normalise divides by it; None when normalise is off or ΣK is 0.
        weights_sum: Σ of ``weights`` (0 when it is 0 up to rounding); kernel-crop rescales by it.
        image_shape: (H, W) of the input when known; None otherwise.
    """

    kernel: np.ndarray
    options: Options
    color: str
    display: str
    written_origin: tuple[int, int]
    weights: np.ndarray
    origin: tuple[int, int]
    normalize_sum: float | None
    weights_sum: float
    image_shape: tuple[int, int] | None = None

    @property
    def rgb(self) -> bool:
        return self.color == "rgb"

    @property
    def flip(self) -> bool:
        """Whether the kernel is rotated 180° before the window sums (convolution)."""
        return self.options.op == "convolve"

    @property
    def normalize_skipped(self) -> bool:
        """Normalise was asked for but the weights add up to 0, so they stay as they are."""
        return self.options.normalize and self.normalize_sum is None

    @property
    def span(self) -> tuple[int, int]:
        """Rows and columns the dilated kernel covers: (k − 1)·d + 1 per axis, in pixels."""
        (kh, kw), (dy, dx) = self.kernel.shape, self.options.dilation
        return (kh - 1) * dy + 1, (kw - 1) * dx + 1

    @property
    def anchor(self) -> tuple[int, int]:
        """The origin inside the dilated, possibly rotated kernel: (row, column) in pixels."""
        (oy, ox), (dy, dx) = self.origin, self.options.dilation
        return oy * dy, ox * dx

    @property
    def pads(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """((above, below), (left, right)) pixels of padding so a "valid" pass keeps every pixel."""
        (ay, ax), (sh, sw) = self.anchor, self.span
        return (ay, sh - 1 - ay), (ax, sw - 1 - ax)

    @property
    def centred_origin(self) -> tuple[int, int]:
        """SciPy's ``origin`` for the written kernel: the dilated origin minus the centre (span // 2).

        The same numbers serve ``ndimage.correlate`` and ``ndimage.convolve`` with the written (not
        rotated) kernel: SciPy's convolve mirrors the origin the way the engine's convolution does.
        """
        (oy, ox), (dy, dx), (sh, sw) = self.written_origin, self.options.dilation, self.span
        return oy * dy - sh // 2, ox * dx - sw // 2

    @property
    def crop(self) -> bool:
        return self.options.edge == "crop"

    @property
    def kernel_crop_rescales(self) -> bool:
        """Kernel-crop with a non-zero weight sum rescales border sums; with a zero sum it only skips taps."""
        return self.options.edge == "kernel-crop" and self.weights_sum != 0


def make_plan(
    kernel: np.ndarray, options: Options, color: str, display: str, image_shape: tuple[int, ...] | None = None
) -> Plan:
    """Work out the shared facts; ``kernel`` and ``options`` must already pass :func:`kernels.engine.validate`."""
    written = np.array(kernel, dtype=np.float64)
    kh, kw = written.shape
    origin = options.origin if options.origin is not None else (kh // 2, kw // 2)
    weights, used_origin = effective_weights(written, options)
    total = kernel_sum(written) if options.normalize else 0.0
    return Plan(
        kernel=written,
        options=options,
        color=color,
        display=display,
        written_origin=(int(origin[0]), int(origin[1])),
        weights=weights,
        origin=used_origin,
        normalize_sum=total if options.normalize and total != 0 else None,
        weights_sum=kernel_sum(weights),
        image_shape=(int(image_shape[0]), int(image_shape[1])) if image_shape is not None else None,
    )


def num(value: float) -> str:
    """A number as Python (and most tools) read it back exactly: ``2``, ``-0.5``, ``0.1111111111111111``."""
    return format_number(float(value))


def pair(values: tuple[int, int] | tuple[float, float]) -> str:
    """A pair as a Python tuple: ``(1, 2)``."""
    return f"({num(values[0])}, {num(values[1])})"


@dataclass(frozen=True)
class WrittenKernel:
    """A kernel as text: a grid of numbers, optionally over one common denominator.

    Attributes:
        cells: the numbers as text, rows × columns (whole numbers when ``denominator`` > 1).
        denominator: the kernel is ``cells / denominator``; 1 when the cells are the weights themselves.
        constant: every cell holds the same number (a box kernel, say).
    """

    cells: list[list[str]]
    denominator: int
    constant: bool

    def rows(self, separator: str = ", ") -> list[str]:
        """Each row's numbers, right-aligned in columns so the grid reads as a table."""
        width = max(len(cell) for row in self.cells for cell in row)
        return [separator.join(cell.rjust(width) for cell in row) for row in self.cells]


def write_kernel(kernel: np.ndarray, *, prefer_whole: bool = False) -> WrittenKernel:
    """The shortest exact way to write ``kernel``: its own numbers, or whole numbers over a denominator.

    ``cells / denominator`` equals ``kernel`` bit for bit in float64 arithmetic, so code built from the
    text multiplies exactly the weights the engine multiplies. With ``prefer_whole`` whole numbers win
    whenever a denominator up to :data:`MAX_DENOMINATOR` exists, however long they are.
    """
    k = np.asarray(kernel, dtype=np.float64)
    plain = [[num(v) for v in row] for row in k.tolist()]
    best = WrittenKernel(plain, 1, bool(np.all(k == k.flat[0])))
    if all(float(v).is_integer() for v in k.flat):
        return best
    plain_length = sum(len(cell) for row in plain for cell in row)
    denominator = _least_denominator(k)
    if denominator is not None:
        numerators = np.rint(k * denominator)
        cells = [[num(v) for v in row] for row in numerators.tolist()]
        if prefer_whole or sum(len(cell) for row in cells for cell in row) + len(str(denominator)) < plain_length:
            best = WrittenKernel(cells, denominator, best.constant)
    return best


def _least_denominator(k: np.ndarray, block: int = 64) -> int | None:
    """The least d in 2…MAX_DENOMINATOR with rint(k·d)/d == k exactly and |rint(k·d)| ≤ MAX_NUMERATOR.

    Tried a block of denominators at a time (one array operation each), so a typed 3×3 kernel is checked in
    microseconds rather than a thousand loop turns.
    """
    flat = k.reshape(1, -1)
    for start in range(2, MAX_DENOMINATOR + 1, block):
        denominators = np.arange(start, min(start + block, MAX_DENOMINATOR + 1), dtype=np.float64)[:, None]
        numerators = np.rint(flat * denominators)
        exact = np.all(numerators / denominators == flat, axis=1)
        exact &= np.abs(numerators).max(axis=1) <= MAX_NUMERATOR
        hits = np.flatnonzero(exact)
        if hits.size:
            return int(denominators[hits[0], 0])
    return None


def describe(plan: Plan) -> str:
    """The settings in one line, for a snippet's header: "convolve, 3×3 kernel, origin (1, 1), edge extend"."""
    o = plan.options
    kh, kw = plan.kernel.shape
    parts = [o.op, f"{kh}×{kw} kernel", f"origin (row {plan.written_origin[0]}, column {plan.written_origin[1]})"]
    edge = f"edge {o.edge}"
    if o.edge == "constant":
        edge += f" (fill {num(o.cval)})"
    parts.append(edge)
    if o.normalize:
        parts.append("normalise")
    if o.divisor != 1:
        parts.append(f"divisor {num(o.divisor)}")
    if o.offset != 0:
        parts.append(f"offset {num(o.offset)}")
    if o.stride != (1, 1):
        parts.append(f"stride {o.stride[0]}×{o.stride[1]}")
    if o.dilation != (1, 1):
        parts.append(f"dilation {o.dilation[0]}×{o.dilation[1]}")
    if o.repeat != 1:
        parts.append(f"repeat {o.repeat}")
    parts.append("RGB" if plan.rgb else "grey")
    return ", ".join(parts)


def shape_text(plan: Plan) -> str:
    """The array layout of the input and the result, in words."""
    if plan.rgb:
        return "(H, W, 3): rows, columns, then R, G, B, each 0…255"
    return "(H, W): rows and columns of grey levels 0…255 (ITU-R 601-2 luma)"
