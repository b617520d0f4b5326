"""The engine's definitions spelled with SciPy and OpenCV: the oracles the tests check the engine against (the
benchmark times them too).

SciPy mode names: extend → nearest, wrap → grid-wrap, mirror → mirror, symmetric → reflect,
constant → constant (cval). SciPy's ``origin`` counts from the kernel's centre (n // 2), so our origin
o is SciPy's o − n // 2; for ``convolve`` SciPy moves the origin itself (it negates it and, for even
sides, subtracts 1), which lands on exactly the rotated-kernel origin (n − 1 − o) of our definition,
so the same shift is passed to both functions. Dilation spreads the kernel out with zeros; the
stride slices the full-resolution result.

OpenCV border types: extend → BORDER_REPLICATE, mirror → BORDER_REFLECT_101, symmetric →
BORDER_REFLECT, constant → BORDER_CONSTANT. filter2D refuses BORDER_WRAP and has no fill value, so
wrap and constant with a cval pad with cv2.copyMakeBorder first and filter the padded image.
filter2D's anchor is (column, row) = (ox, oy). It only correlates: convolution turns the kernel 180°.

:func:`every_option` adds what neither library has to one pass of either: normalise, divisor,
offset, stride and repeat.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import cv2
import numpy as np
import scipy.ndimage as ndi

from kernels.engine.fftconv import dilate
from kernels.options import Options

SCIPY_MODES = {
    "extend": "nearest",
    "wrap": "grid-wrap",
    "mirror": "mirror",
    "symmetric": "reflect",
    "constant": "constant",
}
OPENCV_BORDERS = {
    "extend": cv2.BORDER_REPLICATE,
    "mirror": cv2.BORDER_REFLECT_101,
    "symmetric": cv2.BORDER_REFLECT,
    "constant": cv2.BORDER_CONSTANT,
}


def scipy_result(image: np.ndarray, kernel: np.ndarray, options: Options) -> np.ndarray:
    """One pass of ``ndimage.correlate``/``convolve`` with the options' edge, origin, dilation and stride."""
    spread = dilate(kernel, options.dilation)
    kh, kw = kernel.shape
    oy, ox = options.origin if options.origin is not None else (kh // 2, kw // 2)
    shift = [oy * options.dilation[0] - spread.shape[0] // 2, ox * options.dilation[1] - spread.shape[1] // 2]
    if image.ndim == 3:
        spread = spread[:, :, None]
        shift.append(0)
    run = ndi.correlate if options.op == "correlate" else ndi.convolve
    full = run(image, spread, mode=SCIPY_MODES[options.edge], cval=options.cval, origin=shift)
    return full[:: options.stride[0], :: options.stride[1]]


def opencv_result(image: np.ndarray, kernel: np.ndarray, options: Options, dtype: type = np.float64) -> np.ndarray:
    """One pass of ``cv2.filter2D`` with the options' edge, origin, operation, dilation and stride."""
    spread = dilate(kernel, options.dilation)
    kh, kw = spread.shape
    oy, ox = options.origin if options.origin is not None else (kernel.shape[0] // 2, kernel.shape[1] // 2)
    oy, ox = oy * options.dilation[0], ox * options.dilation[1]
    if options.op == "convolve":
        spread = spread[::-1, ::-1]
        oy, ox = kh - 1 - oy, kw - 1 - ox
    spread = np.ascontiguousarray(spread, dtype=dtype)
    image = image.astype(dtype, copy=False)
    depth = cv2.CV_64F if dtype == np.float64 else cv2.CV_32F
    if options.edge == "wrap" or (options.edge == "constant" and options.cval != 0):
        border = cv2.BORDER_WRAP if options.edge == "wrap" else cv2.BORDER_CONSTANT
        padded = cv2.copyMakeBorder(image, oy, kh - 1 - oy, ox, kw - 1 - ox, border, value=[options.cval] * 4)
        if image.ndim == 3 and padded.ndim == 2:
            padded = padded[:, :, None]
        full = cv2.filter2D(padded, depth, spread, anchor=(ox, oy), borderType=cv2.BORDER_CONSTANT)
        if full.ndim == 2 and image.ndim == 3:
            full = full[:, :, None]
        out = full[oy : oy + image.shape[0], ox : ox + image.shape[1]]
    else:
        out = cv2.filter2D(image, depth, spread, anchor=(ox, oy), borderType=OPENCV_BORDERS[options.edge])
        if image.ndim == 3 and out.ndim == 2:
            out = out[:, :, None]
    return out[:: options.stride[0], :: options.stride[1]]


OnePass = Callable[[np.ndarray, np.ndarray, Options], np.ndarray]


def every_option(one_pass: OnePass, image: np.ndarray, kernel: np.ndarray, options: Options) -> np.ndarray:
    """``one_pass`` with normalise (skipped when the weights add up to 0), divisor, offset and repeat around it."""
    total = float(np.sum(kernel))
    if options.normalize and total != 0:
        kernel = kernel / total
    single = replace(options, normalize=False, divisor=1.0, offset=0.0, repeat=1)
    result = image
    for _ in range(options.repeat):
        result = one_pass(result, kernel, single) / options.divisor + options.offset
    return result


def valid_conv2d(x, weight, bias=None, stride=(1, 1), dilation=(1, 1), groups=1) -> np.ndarray:
    """PyTorch's ``F.conv2d`` without padding, plainly in float64: a correlation of (N, C, H, W) with
    (out, C / groups, kh, kw) weights, plus a bias per output channel; (N, out, oh, ow)."""
    (sy, sx), (dy, dx) = stride, dilation
    n, channels, height, width = x.shape
    out_channels, per_group, kh, kw = weight.shape
    assert channels == per_group * groups and out_channels % groups == 0
    oh, ow = (height - (kh - 1) * dy - 1) // sy + 1, (width - (kw - 1) * dx - 1) // sx + 1
    out = np.zeros((n, out_channels, oh, ow))
    for o in range(out_channels):
        group = o // (out_channels // groups)
        for c in range(per_group):
            for i in range(kh):
                for j in range(kw):
                    rows = slice(i * dy, i * dy + (oh - 1) * sy + 1, sy)
                    cols = slice(j * dx, j * dx + (ow - 1) * sx + 1, sx)
                    out[:, o] += weight[o, c, i, j] * np.asarray(x[:, group * per_group + c, rows, cols])
        if bias is not None:
            out[:, o] += bias[o]
    return out
