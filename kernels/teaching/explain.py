"""One output pixel, taken apart: the window read, where each value came from, the products and the sum.

Everything is recomputed from the same definitions the engine uses (the pass geometry, the edge
mode's index mapping, the kernel-crop scale), in float64; ``value`` and ``stored`` are the engine's
own raw value and stored pixel, so what is explained is exactly what the image shows. The answer is a
:class:`PixelExplanation`; its ``to_json`` is the body ``/api/explain`` sends.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kernels.engine import FilterResult, filter_image, plan_passes
from kernels.engine.kernelcrop import used_scale
from kernels.engine.padding import source_index
from kernels.errors import InputError
from kernels.options import Options
from kernels.teaching.display import check_display, display_range, is_clipped, stored_value

Stored = int | tuple[int, int, int]
"""A stored pixel: a level 0…255, or an (r, g, b) colour for the ``signed`` display of one channel."""


@dataclass(frozen=True, slots=True)
class ChannelExplanation:
    """One channel of an output pixel, tap by tap.

    Attributes:
        name: the channel's name: ``gray``, ``R``, ``G``, ``B``, or the name given.
        window: kh × kw values read, in the units of the pass's input (grey levels, or the previous pass's raw
            values); the fill value ``cval`` for ``constant`` outside the image; None for a tap skipped by
            ``kernel-crop``.
        sources: the (row, column) of the pass's input each tap read, 0-based; None for the constant fill or a
            skipped tap.
        weights: the kh × kw weights as multiplied (turned 180° for convolution, normalised when asked).
        products: window × weights, tap by tap; None where skipped.
        sum: Σ products, summed exactly (``math.fsum``).
        value: the engine's raw output value, sum × scale / divisor + offset (not rounded, not clipped).
        stored: the stored pixel under the display (see :mod:`kernels.teaching.display`).
        clipped: True when the display had to clip the value into 0…255 (``clamp``, ``abs``, ``midgray``; never
            ``stretch`` or ``signed``).
    """

    name: str
    window: tuple[tuple[float | None, ...], ...]
    sources: tuple[tuple[tuple[int, int] | None, ...], ...]
    weights: tuple[tuple[float, ...], ...]
    products: tuple[tuple[float | None, ...], ...]
    sum: float
    value: float
    stored: Stored
    clipped: bool

    def to_json(self) -> dict:
        """``{"name", "window", "sources", "weights", "products", "sum", "value", "stored", "clipped"}`` in plain
        lists and numbers (a source is ``[row, column]``, an (r, g, b) stored pixel ``[r, g, b]``)."""
        return {
            "name": self.name,
            "window": [list(row) for row in self.window],
            "sources": [[None if source is None else list(source) for source in row] for row in self.sources],
            "weights": [list(row) for row in self.weights],
            "products": [list(row) for row in self.products],
            "sum": self.sum,
            "value": self.value,
            "stored": list(self.stored) if isinstance(self.stored, tuple) else self.stored,
            "clipped": self.clipped,
        }


@dataclass(frozen=True, slots=True)
class PixelExplanation:
    """How one output pixel was computed.

    Attributes:
        x, y: the output column and row, 0-based.
        input_x, input_y: where the kernel's origin sat in the pass's input: column and row, 0-based, always
            inside it.
        scale: the kernel-crop factor ΣK / Σ(weights of the taps used); 1 for every other edge mode.
        channels: one :class:`ChannelExplanation` per channel of the output, in order.
    """

    x: int
    y: int
    input_x: int
    input_y: int
    scale: float
    channels: tuple[ChannelExplanation, ...]

    def to_json(self) -> dict:
        """``{"x", "y", "input_x", "input_y", "scale", "channels": [...]}``, each channel as
        :meth:`ChannelExplanation.to_json` gives it: plain lists and numbers, for JSON."""
        return {
            "x": self.x,
            "y": self.y,
            "input_x": self.input_x,
            "input_y": self.input_y,
            "scale": self.scale,
            "channels": [channel.to_json() for channel in self.channels],
        }


@dataclass(frozen=True, slots=True)
class CombinedExplanation:
    """A pixel of a combined gradient output: both kernels' sums and the combination.

    Attributes:
        gx: the page's kernel (Gx) at the pixel.
        gy: the second kernel (Gy) at the same pixel.
        combined: :func:`kernels.teaching.gradient.describe_pixel` at the pixel (magnitude, direction in degrees
            and stored pixel).
    """

    gx: PixelExplanation
    gy: PixelExplanation
    combined: dict

    def to_json(self) -> dict:
        """Gx's :meth:`PixelExplanation.to_json` with the channels of both kernels, alternating per colour, and
        ``combined``. The channels are named "Gx" and "Gy" (grey) or "Gx (R)", "Gy (R)"…, each with the extra keys
        ``kernel`` ("Gx" or "Gy") and ``channel`` (the colour's name)."""
        channels = []
        for gx, gy in zip(self.gx.channels, self.gy.channels, strict=True):
            colour = gx.name
            for role, channel in (("Gx", gx), ("Gy", gy)):
                name = role if colour == "gray" else f"{role} ({colour})"
                channels.append({**channel.to_json(), "name": name, "kernel": role, "channel": colour})
        return {**self.gx.to_json(), "channels": channels, "combined": self.combined}


def default_channel_names(channels: int, single: str = "gray") -> list[str]:
    """``[single]`` for one channel, ``["R", "G", "B"]`` for three, else ``channel 0``…

    ``/api/explain`` names a single channel "gray" (as ``color=gray``) and the layer's API "grey": both are
    public, so each keeps its spelling.
    """
    if channels == 1:
        return [single]
    if channels == 3:
        return ["R", "G", "B"]
    return [f"channel {index}" for index in range(channels)]


def check_index(field: str, value: int, size: int, what: str) -> int:
    """``value`` as an int; :class:`InputError` (under ``field``) unless it is an integer from 0 to size − 1.
    ``what`` names it in the message: "an output column"."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not 0 <= value < size:
        raise InputError(field, f"must be {what} from 0 to {size - 1}", value)
    return int(value)


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
) -> PixelExplanation:
    """How output pixel (x, y) was computed.

    Args:
        image: the engine's input, (H, W) or (H, W, C).
        kernel: the kernel as given (before normalising or rotating).
        options: the run's options.
        display: how raw values become stored pixels (see :mod:`kernels.teaching.display`).
        x, y: output column and row, 0-based (InputError with field "x" or "y" when outside).
        result: the engine's result for these arguments, if already computed.
        channel_names: one name per channel; default "gray" or "R", "G", "B".

    Returns:
        The :class:`PixelExplanation`; :meth:`PixelExplanation.to_json` gives ``{"x", "y", "input_x", "input_y",
        "scale", "channels": [{"name", "window", "sources", "weights", "products", "sum", "value", "stored",
        "clipped"}, ...]}``. With repeat > 1 the last pass is explained; its input is the previous pass's raw
        output.
    """
    image = np.asarray(image)
    if result is None:
        result = filter_image(image, kernel, options)
    raw = result.raw
    height, width = raw.shape[:2]
    check_index("x", x, width, "an output column")
    check_index("y", y, height, "an output row")
    channels = raw.shape[2] if raw.ndim == 3 else 1
    check_display(display, channels)
    names = list(channel_names) if channel_names is not None else default_channel_names(channels)

    geometry = plan_passes(image.shape[:2], result.weights.shape, options)[-1]
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

    weights = tuple(tuple(float(w) for w in row) for row in result.weights)
    # Only the stretching displays need the whole output's range: a scan of every value, skipped otherwise.
    lo, hi = display_range(raw) if display in ("stretch", "signed") else (0.0, 0.0)
    described = []
    for channel in range(channels):
        window: list[tuple[float | None, ...]] = []
        sources: list[tuple[tuple[int, int] | None, ...]] = []
        products: list[tuple[float | None, ...]] = []
        for i in range(kh):
            window_row: list[float | None] = []
            source_row: list[tuple[int, int] | None] = []
            product_row: list[float | None] = []
            for j in range(kw):
                if src_rows[i] >= 0 and src_cols[j] >= 0:
                    value: float | None = float(source[src_rows[i], src_cols[j], channel])
                    source_row.append((int(src_rows[i]), int(src_cols[j])))
                elif options.edge == "constant":
                    value = float(options.cval)
                    source_row.append(None)
                else:
                    value = None
                    source_row.append(None)
                window_row.append(value)
                product_row.append(None if value is None else weights[i][j] * value)
            window.append(tuple(window_row))
            sources.append(tuple(source_row))
            products.append(tuple(product_row))
        raw_value = float(raw[y, x, channel] if raw.ndim == 3 else raw[y, x])
        stored = stored_value(raw_value, display, lo, hi)
        described.append(
            ChannelExplanation(
                name=names[channel],
                window=tuple(window),
                sources=tuple(sources),
                weights=weights,
                products=tuple(products),
                sum=math.fsum(p for row in products for p in row if p is not None),
                value=raw_value,
                stored=(stored[0], stored[1], stored[2]) if isinstance(stored, list) else stored,
                clipped=is_clipped(raw_value, display),
            )
        )
    return PixelExplanation(
        x=int(x),
        y=int(y),
        input_x=int(input_x),
        input_y=int(input_y),
        scale=scale,
        channels=tuple(described),
    )
