"""One feature-map pixel of a layer, taken apart: each input channel's window times its weights, the sums, the
bias, the activation and, with pooling, the 2 × 2 block it came from.

The window, the products and the sums are recomputed from the definitions in :mod:`kernels.teaching.layer` (the same
pass geometry, the edge mode's own index mapping, the same kernel-crop factor) in float64, and summed with
``math.fsum``; ``pre``, ``act`` and the pooled ``value`` are the layer's own map values, so what is explained
is exactly what the pictures show.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from kernels.engine.kernelcrop import used_scale
from kernels.engine.padding import source_index
from kernels.errors import InputError
from kernels.teaching.explain import check_index, default_channel_names
from kernels.teaching.layer import POOL_SIZE, Layer, LayerResult

MAPS = ("pre", "act", "pool")
"""The maps a pixel can be chosen on: before the activation, after it, after pooling."""


@dataclass(frozen=True)
class ChannelSum:
    """One input channel's part of a filter's sum.

    Attributes:
        channel: the input channel (0-based) this grid of the filter reads.
        name: its name: ``grey``, or ``R``, ``G``, ``B``.
        window: kh × kw values read (grey levels); None for a tap skipped by ``kernel-crop``.
        sources: the (row, column) of the input each tap read; None where it read the fill 0 or nothing.
        weights: the filter's kh × kw weights for this channel.
        products: window × weights, tap by tap (None where skipped).
        total: Σ products, summed exactly (``math.fsum``).
    """

    channel: int
    name: str
    window: tuple[tuple[float | None, ...], ...]
    sources: tuple[tuple[tuple[int, int] | None, ...], ...]
    weights: tuple[tuple[float, ...], ...]
    products: tuple[tuple[float | None, ...], ...]
    total: float


@dataclass(frozen=True)
class ConvPixel:
    """How one pixel of a filter's map before pooling was computed.

    Attributes:
        filter: the filter, 0-based.
        x, y: the pixel in the map (column, row).
        input_x, input_y: the input pixel the filter's centre tap sat on.
        channels: each input channel's part, in the order of the filter's grids.
        total: Σ of every channel's products (exact).
        scale: the kernel-crop factor ΣK / Σ(K over the taps used), 1 for every other edge mode.
        bias: the filter's bias.
        pre: the map's value before the activation: total × scale + bias, as the layer stored it.
        activation: ``none`` or ``relu``.
        act: the value after the activation, as the layer stored it.
    """

    filter: int
    x: int
    y: int
    input_x: int
    input_y: int
    channels: tuple[ChannelSum, ...]
    total: float
    scale: float
    bias: float
    pre: float
    activation: str
    act: float


@dataclass(frozen=True)
class PoolInput:
    """One of the four values a pooled pixel reads: its place in the map after the activation, and the value."""

    x: int
    y: int
    value: float


@dataclass(frozen=True)
class PoolPixel:
    """One pixel of a pooled map.

    Attributes:
        kind: ``max`` or ``avg``.
        x, y: the pixel in the pooled map.
        inputs: the 2 × 2 block it reads, in reading order (top-left, top-right, bottom-left, bottom-right).
        winner: for ``max``, which input won (the first in reading order when several are equal); else None.
        mean: for ``avg``, Σ inputs / 4 summed exactly; else None.
        value: the pooled map's value, as the layer stored it.
    """

    kind: str
    x: int
    y: int
    inputs: tuple[PoolInput, ...]
    winner: int | None
    mean: float | None
    value: float


@dataclass(frozen=True)
class LayerPixel:
    """A chosen pixel of one filter's maps, explained.

    Attributes:
        filter: the filter, 0-based.
        map: the map it was chosen on (see :data:`MAPS`).
        x, y: the pixel in that map.
        conv: the sum behind it, tap by tap: that pixel itself before pooling; on a pooled map, the winner of a
            max, or the top-left input of an average.
        pool: the pooling step, for a pixel of the pooled map; else None.
    """

    filter: int
    map: str
    x: int
    y: int
    conv: ConvPixel
    pool: PoolPixel | None

    def to_json(self) -> dict:
        """Plain lists and numbers, for JSON."""
        return asdict(self)


def _row(layer: Layer, result: LayerResult, f: int) -> int:
    """Where filter ``f``'s maps are in ``result``: at ``f`` for the whole layer's result, at 0 for the result of
    the filter alone (:func:`kernels.teaching.layer.filter_alone`)."""
    count = result.pre.shape[0]
    if count == layer.filters:
        return f
    if count == 1:
        return 0
    raise ValueError(f"the result holds {count} maps: give the whole layer's ({layer.filters}) or one filter's")


def explain_conv(image: np.ndarray, layer: Layer, result: LayerResult, f: int, x: int, y: int) -> ConvPixel:
    """The sum behind pixel (x, y) of filter ``f``'s map before pooling; the arguments must be valid."""
    pixels = np.asarray(image)
    pixels = pixels if pixels.ndim == 3 else pixels[:, :, None]
    geometry = result.geometry
    (height, width), (kh, kw), (dy, dx) = geometry.image_shape, geometry.kernel_shape, geometry.dilation
    input_y, input_x = geometry.input_position(y, x)
    src_rows = source_index(input_y + (np.arange(kh) - kh // 2) * dy, height, layer.edge)
    src_cols = source_index(input_x + (np.arange(kw) - kw // 2) * dx, width, layer.edge)
    weights = np.asarray(layer.weights, dtype=np.float64)[f]
    scale = 1.0
    if layer.edge == "kernel-crop":
        summed = weights.sum(axis=0)
        scale = float(used_scale(summed, (src_rows >= 0)[None, :], (src_cols >= 0)[None, :])[0, 0])
    names = default_channel_names(layer.in_channels, single="grey")
    parts = []
    for index, channel in enumerate(layer.channels_of(f)):
        window, sources, products = [], [], []
        for i in range(kh):
            window_row: list[float | None] = []
            source_row: list[tuple[int, int] | None] = []
            product_row: list[float | None] = []
            for j in range(kw):
                if src_rows[i] >= 0 and src_cols[j] >= 0:
                    value: float | None = float(pixels[src_rows[i], src_cols[j], channel])
                    source_row.append((int(src_rows[i]), int(src_cols[j])))
                else:
                    value = 0.0 if layer.edge == "constant" else None
                    source_row.append(None)
                window_row.append(value)
                product_row.append(None if value is None else float(weights[index, i, j]) * value)
            window.append(tuple(window_row))
            sources.append(tuple(source_row))
            products.append(tuple(product_row))
        parts.append(
            ChannelSum(
                channel=channel,
                name=names[channel],
                window=tuple(window),
                sources=tuple(sources),
                weights=tuple(tuple(float(w) for w in row) for row in weights[index]),
                products=tuple(products),
                total=math.fsum(p for row in products for p in row if p is not None),
            )
        )
    return ConvPixel(
        filter=f,
        x=x,
        y=y,
        input_x=int(input_x),
        input_y=int(input_y),
        channels=tuple(parts),
        total=math.fsum(p for part in parts for row in part.products for p in row if p is not None),
        scale=scale,
        bias=float(layer.bias[f]),
        pre=float(result.pre[_row(layer, result, f), y, x]),
        activation=layer.activation,
        act=float(result.act[_row(layer, result, f), y, x]),
    )


def explain_pool(layer: Layer, result: LayerResult, f: int, x: int, y: int) -> PoolPixel:
    """The 2 × 2 block behind pixel (x, y) of filter ``f``'s pooled map; the arguments must be valid."""
    if result.pooled is None:
        raise InputError("lmap", "pool needs pooling: this layer has pool=none")
    block = [(x * POOL_SIZE + dx, y * POOL_SIZE + dy) for dy in range(POOL_SIZE) for dx in range(POOL_SIZE)]
    row = _row(layer, result, f)
    inputs = tuple(PoolInput(bx, by, float(result.act[row, by, bx])) for bx, by in block)
    values = [one.value for one in inputs]
    winner = values.index(max(values)) if layer.pool == "max" else None
    mean = math.fsum(values) / len(values) if layer.pool == "avg" else None
    return PoolPixel(layer.pool, x, y, inputs, winner, mean, float(result.pooled[row, y, x]))


def explain_pixel(
    image: np.ndarray, layer: Layer, result: LayerResult, f: int, x: int, y: int, map_name: str = "pre"
) -> LayerPixel:
    """Pixel (x, y) of filter ``f``'s map ``map_name`` (see :data:`MAPS`), explained.

    Args:
        image: the layer's input, (H, W) or (H, W, C), as :func:`kernels.teaching.layer.run_layer` read it.
        layer: the layer.
        result: ``run_layer(image, layer)``, or filter ``f``'s own result
            (see :func:`kernels.teaching.layer.filter_alone`).
        f: the filter, 0-based (InputError with field ``filter`` when it has no such filter).
        x, y: column and row in that map (fields ``lx``, ``ly``).
        map_name: ``pre``, ``act`` or ``pool`` (field ``lmap``; ``pool`` only with pooling).
    """
    if map_name not in MAPS:
        raise InputError("lmap", f"must be one of {', '.join(MAPS)}", map_name)
    f = check_index("filter", f, layer.filters, "a filter index")
    maps = result.pooled if map_name == "pool" else result.pre
    if maps is None:
        raise InputError("lmap", "pool needs pooling: this layer has pool=none", map_name)
    height, width = maps.shape[1:]
    x = check_index("lx", x, width, "a column of the map")
    y = check_index("ly", y, height, "a row of the map")
    pool = None
    cx, cy = x, y
    if map_name == "pool":
        pool = explain_pool(layer, result, f, x, y)
        chosen = pool.inputs[pool.winner if pool.winner is not None else 0]
        cx, cy = chosen.x, chosen.y
    return LayerPixel(f, map_name, x, y, explain_conv(image, layer, result, f, cx, cy), pool)
