"""Where each output pixel sits in the input, and how much padding one pass needs.

Every method computes the same "valid" sum over a padded array P:

    out[r, c] = Σ_ij K[i, j] · P[r·sy + i·dy, c·sx + j·dx]

where P row p is input row p − top (and likewise for columns). This module works out ``top`` and the
rest from the definitions: output pixel (r, c) sits at input (base_y + r·sy, base_x + c·sx), tap (i, j)
reads input (y + (i − oy)·dy, x + (j − ox)·dx), and ``crop`` starts at the first position where the
whole kernel fits.
"""

from __future__ import annotations

from dataclasses import dataclass

from kernels.errors import InputError


@dataclass(frozen=True)
class PassGeometry:
    """The shape bookkeeping of one pass of a kernel over an image (all values in pixels or taps).

    Attributes:
        image_shape: (H, W) of the pass's input.
        kernel_shape: (kh, kw) taps.
        origin: (oy, ox), the tap that sits on the output pixel's input position.
        dilation: (dy, dx) ≥ 1, input pixels between neighbouring taps.
        stride: (sy, sx) ≥ 1, input pixels between neighbouring output pixels.
        out_shape: (h, w) of the pass's output.
        base: (y, x) input position of output pixel (0, 0).
        pad_rows: (before, after) rows of padding; ``after`` < 0 means the last rows are never read.
        pad_cols: (before, after) columns, likewise.
    """

    image_shape: tuple[int, int]
    kernel_shape: tuple[int, int]
    origin: tuple[int, int]
    dilation: tuple[int, int]
    stride: tuple[int, int]
    out_shape: tuple[int, int]
    base: tuple[int, int]
    pad_rows: tuple[int, int]
    pad_cols: tuple[int, int]

    @property
    def span(self) -> tuple[int, int]:
        """Rows and columns of input one output pixel reads: (kh − 1)·dy + 1, (kw − 1)·dx + 1."""
        (kh, kw), (dy, dx) = self.kernel_shape, self.dilation
        return (kh - 1) * dy + 1, (kw - 1) * dx + 1

    def input_position(self, row: int, col: int) -> tuple[int, int]:
        """The input (y, x) of output pixel (row, col): where the kernel's origin sits."""
        return self.base[0] + row * self.stride[0], self.base[1] + col * self.stride[1]


def _axis(size: int, taps: int, origin: int, dilation: int, stride: int, crop: bool) -> tuple[int, int, int, int]:
    """(out, base, before, after) along one axis, or out = 0 when crop leaves nothing."""
    span = (taps - 1) * dilation + 1
    if crop:
        positions = size - span + 1
        if positions <= 0:
            return 0, 0, 0, 0
        base = origin * dilation
    else:
        positions = size
        base = 0
    out = (positions - 1) // stride + 1
    before = origin * dilation - base
    needed = (out - 1) * stride + span
    return out, base, before, needed - before - size


def plan_pass(
    image_shape: tuple[int, int],
    kernel_shape: tuple[int, int],
    origin: tuple[int, int],
    dilation: tuple[int, int],
    stride: tuple[int, int],
    edge: str,
) -> PassGeometry:
    """The geometry of one pass; raises :class:`InputError` (field ``"kernel"``) when ``crop`` leaves no pixel."""
    crop = edge == "crop"
    rows = _axis(image_shape[0], kernel_shape[0], origin[0], dilation[0], stride[0], crop)
    cols = _axis(image_shape[1], kernel_shape[1], origin[1], dilation[1], stride[1], crop)
    if rows[0] == 0 or cols[0] == 0:
        span = ((kernel_shape[0] - 1) * dilation[0] + 1, (kernel_shape[1] - 1) * dilation[1] + 1)
        raise InputError(
            "kernel",
            f"with edge=crop the kernel must fit inside the image: it spans {span[0]}×{span[1]} pixels "
            f"(rows×columns, dilation included) but the image is {image_shape[0]}×{image_shape[1]}",
            f"{kernel_shape[0]}×{kernel_shape[1]}",
        )
    return PassGeometry(
        image_shape=(int(image_shape[0]), int(image_shape[1])),
        kernel_shape=(int(kernel_shape[0]), int(kernel_shape[1])),
        origin=origin,
        dilation=dilation,
        stride=stride,
        out_shape=(rows[0], cols[0]),
        base=(rows[1], cols[1]),
        pad_rows=(rows[2], rows[3]),
        pad_cols=(cols[2], cols[3]),
    )
