"""One output pixel, taken apart: the window read, where each value came from, the products and the sum.

Everything is recomputed from the same definitions the engine uses (the pass geometry, the edge
mode's index mapping, the kernel-crop scale), in float64; ``value`` and ``stored`` are the engine's
own raw value and stored pixel, so what is explained is exactly what the image shows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from kernels.engine import FilterResult, filter_image, plan
from kernels.engine.kernelcrop import used_scale
from kernels.engine.padding import source_index
from kernels.errors import InputError
from kernels.options import Options
from kernels.teaching.display import check_display, display_range, is_clipped, stored_value


def _default_names(channels: int) -> list[str]:
    if channels == 1:
        return ["gray"]
    if channels == 3:
        return ["R", "G", "B"]
    return [f"channel {index}" for index in range(channels)]


def _check_position(name: str, value: int, size: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not 0 <= value < size:
        raise InputError(name, f"must be an output {'column' if name == 'x' else 'row'} from 0 to {size - 1}", value)


def explain(
    image: np.ndarray,
    kernel: np.ndarray,
    options: Options,
    display: str,
    x: int,
    y: int,
    *,
    result: FilterResult | None = None,
    channel_names: Sequence[str] | None = None,
) -> dict:
    """How output pixel (x, y) was computed, ready for JSON.

    Args:
        image: the engine's input, (H, W) or (H, W, C).
        kernel: the kernel as given (before normalising or rotating).
        options: the run's options.
        display: how raw values become stored pixels (see :mod:`kernels.teaching.display`).
        x, y: output column and row, 0-based (InputError with field "x" or "y" when outside).
        result: the engine's result for these arguments, if already computed.
        channel_names: one name per channel; default "gray" or "R", "G", "B".

    Returns:
        ``{"x", "y", "input_x", "input_y", "scale", "channels": [...]}`` where input_x/input_y is where
        the kernel's origin sat in the pass's input, ``scale`` the kernel-crop factor ΣK / Σ(used
        weights) (1 otherwise), and each channel has ``name``, ``window`` (kh × kw values read, None
        for skipped taps), ``sources`` ([row, column] read, None for constant fill or skipped taps),
        ``weights`` (as multiplied), ``products``, ``sum`` (Σ products), ``value`` (raw: sum × scale /
        divisor + offset), ``stored`` (level or [r, g, b]) and ``clipped``. With repeat > 1 the last
        pass is explained; its input is the previous pass's raw output.
    """
    image = np.asarray(image)
    if result is None:
        result = filter_image(image, kernel, options)
    raw = result.raw
    height, width = raw.shape[:2]
    _check_position("x", x, width)
    _check_position("y", y, height)
    channels = raw.shape[2] if raw.ndim == 3 else 1
    check_display(display, channels)
    names = list(channel_names) if channel_names is not None else _default_names(channels)

    geometry = plan(image.shape[:2], result.weights.shape, options)[-1]
    source = result.last_input if result.last_input.ndim == 3 else result.last_input[:, :, None]
    in_h, in_w = geometry.image_shape
    input_y, input_x = geometry.input_position(y, x)
    (kh, kw), (oy, ox), (dy, dx) = result.weights.shape, result.origin, geometry.dilation
    rows = input_y + (np.arange(kh) - oy) * dy
    cols = input_x + (np.arange(kw) - ox) * dx
    src_rows = source_index(rows, in_h, options.edge)
    src_cols = source_index(cols, in_w, options.edge)
    scale = 1.0
    if options.edge == "kernel-crop":
        scale = float(used_scale(result.weights, (src_rows >= 0)[None, :], (src_cols >= 0)[None, :])[0, 0])

    weights = [[float(w) for w in row] for row in result.weights]
    # Only the stretching displays need the whole output's range: a scan of every value, skipped otherwise.
    lo, hi = display_range(raw) if display in ("stretch", "signed") else (0.0, 0.0)
    described = []
    for channel in range(channels):
        window: list[list[float | None]] = []
        sources: list[list[list[int] | None]] = []
        products: list[list[float | None]] = []
        for i in range(kh):
            window_row, source_row, product_row = [], [], []
            for j in range(kw):
                if src_rows[i] >= 0 and src_cols[j] >= 0:
                    value = float(source[src_rows[i], src_cols[j], channel])
                    source_row.append([int(src_rows[i]), int(src_cols[j])])
                elif options.edge == "constant":
                    value = float(options.cval)
                    source_row.append(None)
                else:
                    value = None
                    source_row.append(None)
                window_row.append(value)
                product_row.append(None if value is None else weights[i][j] * value)
            window.append(window_row)
            sources.append(source_row)
            products.append(product_row)
        value = float(raw[y, x, channel] if raw.ndim == 3 else raw[y, x])
        described.append(
            {
                "name": names[channel],
                "window": window,
                "sources": sources,
                "weights": weights,
                "products": products,
                "sum": math.fsum(p for row in products for p in row if p is not None),
                "value": value,
                "stored": stored_value(value, display, lo, hi),
                "clipped": is_clipped(value, display),
            }
        )
    return {
        "x": int(x),
        "y": int(y),
        "input_x": int(input_x),
        "input_y": int(input_y),
        "scale": scale,
        "channels": described,
    }
