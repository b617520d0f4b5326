"""One convolutional layer, computed the way a neural network computes it: filters, bias, activation, pooling.

Definitions (the page, the API and the exports say the same):

* The input is a picture of C channels, (H, W) for C = 1 or (H, W, C), in grey levels (0…255).
* F filters, each with weights W[f] of shape (C / groups, kh, kw) — one kh × kw grid per input channel it
  reads — and a bias b[f]. With ``groups`` g, the channels and the filters are split into g groups in order;
  filter f belongs to group f // (F / g) and reads only that group's C / g channels (g = 1: every filter reads
  every channel; g = C: depthwise, each filter reads one channel).
* Cross-correlation, as every CNN library computes it (no kernel flip):
  pre[f, y, x] = s · Σ_c Σ_ij W[f, c, i, j] · in[c, y·sy + (i − kh // 2)·dy, x·sx + (j − kw // 2)·dx] + b[f],
  where positions past the border read what the edge mode says (:mod:`kernels.engine.padding`; ``constant`` reads 0,
  ``crop`` keeps only the positions where the whole filter fits) and s is 1, except with ``kernel-crop``:
  there the taps past the border are skipped and s = ΣK / Σ(K over the taps used), with K = Σ_c W[f, c] the
  filter's grids added up (1 when either sum is 0).
* act = max(pre, 0) for ReLU, pre itself for none.
* Pooling (max or average) takes 2 × 2 blocks with stride 2 of ``act``; a last odd row or column is left out,
  as PyTorch's ``max_pool2d`` and ``avg_pool2d`` do by default. Average is (a + b + c + d) / 4.

Everything is computed in float64. The products are summed by matrix products in strips of output rows
(the windows copied side by side, times the filters' weights), which keeps every result within about
1e-12 of the exact sums.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from numbers import Integral

import numpy as np

from kernels import limits
from kernels.engine.cost import Cost
from kernels.engine.geometry import PassGeometry, plan_pass
from kernels.engine.kernelcrop import scale_grid
from kernels.engine.padding import pad
from kernels.engine.workers import WORKERS, blas_on_one_thread, run_tasks
from kernels.errors import InputError, Stopped
from kernels.options import EDGE_MODES

MAX_FILTERS = 8
"""Most filters (output channels) one layer may have."""
FILTER_SIDES = (1, 3, 5, 7)
"""Allowed filter sides, in taps: odd, so every filter has a centre tap."""
MAX_LAYER_STRIDE = 4
"""Largest stride along either axis, in input pixels."""
MAX_LAYER_DILATION = 4
"""Largest dilation along either axis, in input pixels between taps."""
ACTIVATIONS = ("none", "relu")
POOLS = ("none", "max", "avg")
POOL_SIZE = 2
"""Pooling takes POOL_SIZE × POOL_SIZE blocks with stride POOL_SIZE."""

STRIP_BYTES = 4 << 20
"""Largest copied window block of one strip, in bytes (as the direct method's strips)."""

COSTS = (6.7e-10, 2.3e-10, 1.7e-9, 3.4e-9, 2.1e-4)
"""Seconds per: element copied into the windows, multiply-add, padded element, map element (bias, activation,
pooling), and a fixed cost per layer. Fitted on this project's development machine (2-core AMD EPYC VM, NumPy
2.4 with OpenBLAS) by ``python -m bench.layer --calibrate``, which prints them: predictions landed within 0.2–1.9×
of the measurements, which is why a budget counts several times the modelled seconds (see ``web.services.budget``)."""


@dataclass(frozen=True, eq=False)
class Layer:
    """One convolutional layer's parameters.

    Attributes:
        weights: float64 (F, C / groups, kh, kw): F filters of 1…:data:`MAX_FILTERS`, sides in :data:`FILTER_SIDES`.
        bias: float64 (F,), added to each filter's sum.
        groups: 1 (every filter reads every channel) up to C (depthwise); divides both C and F.
        stride: (sy, sx), 1…:data:`MAX_LAYER_STRIDE`: input pixels between neighbouring output pixels.
        dilation: (dy, dx), 1…:data:`MAX_LAYER_DILATION`: input pixels between neighbouring taps.
        edge: an edge mode of :data:`kernels.options.EDGE_MODES`; ``constant`` reads 0 past the border.
        activation: ``"none"`` or ``"relu"``.
        pool: ``"none"``, ``"max"`` or ``"avg"`` (2 × 2, stride 2).
    """

    weights: np.ndarray
    bias: np.ndarray
    groups: int = 1
    stride: tuple[int, int] = (1, 1)
    dilation: tuple[int, int] = (1, 1)
    edge: str = "constant"
    activation: str = "relu"
    pool: str = "max"

    @property
    def filters(self) -> int:
        """F, the number of filters (output channels)."""
        return int(np.shape(self.weights)[0])

    @property
    def in_channels(self) -> int:
        """C, the number of input channels the layer reads: groups × the grids per filter."""
        return int(np.shape(self.weights)[1]) * int(self.groups)

    @property
    def kernel_shape(self) -> tuple[int, int]:
        """(kh, kw) taps of every grid."""
        shape = np.shape(self.weights)
        return int(shape[2]), int(shape[3])

    def group_of(self, f: int) -> int:
        """The group filter ``f`` (0-based) belongs to."""
        return f // (self.filters // self.groups)

    def channels_of(self, f: int) -> range:
        """The input channels filter ``f`` reads, in the order of its grids."""
        per_group = self.in_channels // self.groups
        first = self.group_of(f) * per_group
        return range(first, first + per_group)

    def key(self) -> tuple:
        """A hashable key that changes whenever a result could (-0.0 and 0.0 count as the same)."""
        weights = np.ascontiguousarray(self.weights, dtype=np.float64) + 0.0
        bias = np.ascontiguousarray(self.bias, dtype=np.float64) + 0.0
        settings = (self.groups, self.stride, self.dilation, self.edge, self.activation, self.pool)
        return (weights.shape, weights.tobytes(), bias.tobytes(), *settings)


@dataclass(frozen=True)
class LayerResult:
    """What one layer produced, float64 maps of shape (F, h, w).

    Attributes:
        pre: the feature maps before the activation (the sums plus the bias).
        act: after the activation (the same array as ``pre`` when the activation is none).
        pooled: after pooling, (F, h // 2, w // 2), or None without pooling.
        geometry: where each output pixel sits in the input, and the padding (see :mod:`kernels.engine.geometry`).
    """

    pre: np.ndarray
    act: np.ndarray
    pooled: np.ndarray | None
    geometry: PassGeometry

    @property
    def nbytes(self) -> int:
        pooled = 0 if self.pooled is None else self.pooled.nbytes
        return self.pre.nbytes + (0 if self.act is self.pre else self.act.nbytes) + pooled


def filter_alone(layer: Layer, f: int) -> tuple[Layer, range]:
    """Filter ``f`` (0-based) as a layer of its own, and the input channels it reads.

    ``run_layer(image[:, :, channels], alone)`` gives filter f's maps of ``run_layer(image, layer)`` bit for bit
    (for a one-channel image, ``image`` itself): so one filter can be recomputed without the others.
    """
    alone = Layer(
        weights=np.asarray(layer.weights, dtype=np.float64)[f : f + 1],
        bias=np.asarray(layer.bias, dtype=np.float64)[f : f + 1],
        groups=1,
        stride=layer.stride,
        dilation=layer.dilation,
        edge=layer.edge,
        activation=layer.activation,
        pool=layer.pool,
    )
    return alone, layer.channels_of(f)


def _as_array(field: str, value: object, ndim: int) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(field, "must be numbers") from None
    if array.ndim != ndim:
        raise InputError(field, f"must be a {ndim}-D array of numbers", array.shape)
    if not np.all(np.isfinite(array)):
        raise InputError(field, "every value must be a finite number")
    if array.size and np.abs(array).max() > limits.MAX_ABS_NUMBER:
        bound = f"{limits.MAX_ABS_NUMBER:g}"
        raise InputError(field, f"every value must be between -{bound} and {bound}", float(np.abs(array).max()))
    return array


def _require_pair(field: str, value: object, high: int, what: str) -> tuple[int, int]:
    ok = (
        isinstance(value, tuple | list)
        and len(value) == 2
        and all(isinstance(v, Integral) and not isinstance(v, bool) for v in value)
    )
    if not ok or not all(1 <= int(v) <= high for v in value):
        raise InputError(field, f"must be two whole numbers (rows, columns), each from 1 to {high}: {what}", value)
    return int(value[0]), int(value[1])


def validate_layer(image_shape: tuple[int, ...], layer: Layer) -> PassGeometry:
    """Raise :class:`InputError` for anything :func:`run_layer` cannot run; returns the pass's geometry.

    Fields are named as in the HTTP contract: ``image``, ``filters``, ``bias``, ``groups``, ``lstride``,
    ``ldilation``, ``ledge``, ``act``, ``pool``.
    """
    if len(image_shape) not in (2, 3) or min(image_shape) < 1:
        raise InputError("image", "must be (height, width) or (height, width, channels) pixels", image_shape)
    height, width = image_shape[:2]
    if max(height, width) > limits.MAX_IMAGE_SIDE or height * width > limits.MAX_IMAGE_PIXELS:
        raise InputError(
            "image",
            f"may be at most {limits.MAX_IMAGE_SIDE} pixels a side and {limits.MAX_IMAGE_PIXELS:,} in all",
            f"{width}×{height}",
            kind="too_large",
        )
    channels = 1 if len(image_shape) == 2 else int(image_shape[2])
    weights = _as_array("filters", layer.weights, 4)
    count, per_group, kh, kw = weights.shape
    if not 1 <= count <= MAX_FILTERS:
        raise InputError("filters", f"must hold 1 to {MAX_FILTERS} filters", count)
    sides = ", ".join(map(str, FILTER_SIDES[:-1])) + f" or {FILTER_SIDES[-1]}"
    if kh not in FILTER_SIDES or kw not in FILTER_SIDES:
        raise InputError("filters", f"each side of a filter must be {sides} taps (odd: a centre tap)", f"{kh}×{kw}")
    bias = _as_array("bias", layer.bias, 1)
    if bias.shape[0] != count:
        raise InputError("bias", f"must give one number per filter: {count}", bias.shape[0])
    groups = layer.groups
    if isinstance(groups, bool) or not isinstance(groups, Integral) or groups < 1:
        raise InputError("groups", "must be a whole number from 1 (every filter reads every channel)", groups)
    if channels % groups or count % groups:
        raise InputError(
            "groups",
            f"must divide both the input channels ({channels}) and the number of filters ({count})",
            int(groups),
        )
    if per_group * groups != channels:
        raise InputError(
            "filters",
            f"each filter must have one grid per input channel of its group: {channels} channels in {groups} "
            f"group{'s' if groups > 1 else ''} is {channels // groups} grid{'s' if channels // groups > 1 else ''}",
            per_group,
        )
    stride = _require_pair("lstride", layer.stride, MAX_LAYER_STRIDE, "input pixels between output pixels")
    dilation = _require_pair("ldilation", layer.dilation, MAX_LAYER_DILATION, "input pixels between taps")
    if layer.edge not in EDGE_MODES:
        raise InputError("ledge", f"must be one of {', '.join(EDGE_MODES)}", layer.edge)
    if layer.activation not in ACTIVATIONS:
        raise InputError("act", f"must be one of {', '.join(ACTIVATIONS)}", layer.activation)
    if layer.pool not in POOLS:
        raise InputError("pool", f"must be one of {', '.join(POOLS)}", layer.pool)
    try:
        geometry = plan_pass((height, width), (kh, kw), (kh // 2, kw // 2), dilation, stride, layer.edge)
    except InputError:
        span = f"{(kh - 1) * dilation[0] + 1}×{(kw - 1) * dilation[1] + 1}"
        raise InputError(
            "filters",
            f"with ledge=crop each filter must fit inside the picture: it spans {span} pixels (rows×columns, "
            f"dilation included) but the picture is {height}×{width}",
            f"{kh}×{kw}",
        ) from None
    oh, ow = geometry.out_shape
    if layer.pool != "none" and min(oh, ow) < POOL_SIZE:
        raise InputError(
            "pool", f"needs feature maps of at least {POOL_SIZE}×{POOL_SIZE} pixels; these are {ow}×{oh}", layer.pool
        )
    return geometry


def pooled_shape(shape: tuple[int, int]) -> tuple[int, int]:
    """(h // 2, w // 2): the pooled map's size for a map of ``shape`` (h, w)."""
    return shape[0] // POOL_SIZE, shape[1] // POOL_SIZE


def _strip_rows(per_row: int) -> int:
    return max(1, STRIP_BYTES // max(1, per_row * 8))


def _correlate(channels_first: np.ndarray, layer: Layer, geometry: PassGeometry, stop: Callable[[], bool]):
    """Σ_c Σ_ij W · window for every filter: (F, oh, ow) float64 (no kernel-crop scale, no bias)."""
    weights = np.asarray(layer.weights, dtype=np.float64)
    count, per_group, kh, kw = weights.shape
    per_filter_group = count // layer.groups
    (oh, ow), (sy, sx), (dy, dx) = geometry.out_shape, geometry.stride, geometry.dilation
    out = np.empty((count, oh, ow))
    rows = _strip_rows(per_group * kh * kw * ow)
    tasks = [(g, r0, min(rows, oh - r0)) for g in range(layer.groups) for r0 in range(0, oh, rows)]

    def work(task: tuple[int, int, int], scratch: np.ndarray) -> None:
        if stop():
            raise Stopped("stopped between strips: nobody waits for this layer any more")
        group, r0, n = task
        source = channels_first[group * per_group : (group + 1) * per_group]
        windows = scratch[:, :, :, :n]
        for i in range(kh):
            rows_read = slice(r0 * sy + i * dy, r0 * sy + i * dy + (n - 1) * sy + 1, sy)
            for j in range(kw):
                windows[:, i, j] = source[:, rows_read, j * dx : j * dx + (ow - 1) * sx + 1 : sx]
        columns = windows.reshape(per_group * kh * kw, n * ow)
        for f in range(group * per_filter_group, (group + 1) * per_filter_group):
            # One filter at a time (a matrix-vector product): each filter's sums are then the same numbers,
            # bit for bit, whichever other filters share its layer (see filter_alone).
            np.matmul(weights[f : f + 1].reshape(1, -1), columns, out=out[f, r0 : r0 + n].reshape(1, n * ow))

    multiply_adds = count * per_group * kh * kw * oh * ow
    run_tasks(
        tasks,
        work,
        lambda: np.empty((per_group, kh, kw, rows, ow)),
        parallel=WORKERS > 1 and multiply_adds > 8_000_000,
    )
    return out


def run_layer(image: np.ndarray, layer: Layer, *, should_stop: Callable[[], bool] | None = None) -> LayerResult:
    """Run the layer over a picture.

    Args:
        image: float (H, W) for one channel or (H, W, C), in grey levels (any finite values up to 1e9 in size).
        layer: the layer's parameters; checked by :func:`validate_layer`.
        should_stop: asked between strips; when it answers True the call raises :class:`~kernels.errors.Stopped`.

    Returns:
        The feature maps before and after the activation and after pooling, float64 (F, h, w).
    """
    image = np.asarray(image)
    if not np.issubdtype(image.dtype, np.number) or np.iscomplexobj(image):
        raise InputError("image", "must hold real numbers", str(image.dtype))
    geometry = validate_layer(image.shape, layer)
    stop = should_stop or (lambda: False)
    pixels = image if image.ndim == 3 else image[:, :, None]
    largest = float(np.abs(pixels).max())  # NaN when any pixel is NaN
    if not largest <= limits.MAX_ABS_NUMBER:
        bound = f"{limits.MAX_ABS_NUMBER:g}"
        raise InputError("image", f"every pixel value must be a finite number from -{bound} to {bound}", largest)
    padded = pad(pixels, geometry.pad_rows, geometry.pad_cols, layer.edge, 0.0, np.float64)
    with blas_on_one_thread(), np.errstate(over="ignore", invalid="ignore"):
        pre = _correlate(np.ascontiguousarray(padded.transpose(2, 0, 1)), layer, geometry, stop)
        weights = np.asarray(layer.weights, dtype=np.float64)
        if layer.edge == "kernel-crop":
            for f in range(layer.filters):
                grid = scale_grid(weights[f].sum(axis=0), geometry)
                if grid is not None:
                    pre[f] *= grid
        pre += np.asarray(layer.bias, dtype=np.float64)[:, None, None]
    # Weights, bias and pixels are at most 1e9 in size, so no sum can overflow: the maps are finite.
    act = pre
    if layer.activation == "relu":
        act = np.maximum(pre, 0.0)
        act += 0.0  # max(−0, 0) may keep −0; adding 0 makes it +0, as PyTorch's relu shows it
    return LayerResult(pre=pre, act=act, pooled=pool_maps(act, layer.pool), geometry=geometry)


def pool_maps(maps: np.ndarray, pool: str) -> np.ndarray | None:
    """2 × 2, stride 2 pooling of (F, h, w) maps: (F, h // 2, w // 2); None for ``pool="none"``."""
    if pool == "none":
        return None
    ph, pw = pooled_shape(maps.shape[1:])
    rows, cols = slice(0, ph * POOL_SIZE, POOL_SIZE), slice(0, pw * POOL_SIZE, POOL_SIZE)
    rows2, cols2 = slice(1, ph * POOL_SIZE, POOL_SIZE), slice(1, pw * POOL_SIZE, POOL_SIZE)
    # The four corners of every block, in reading order: top-left, top-right, bottom-left, bottom-right.
    a, b = maps[:, rows, cols], maps[:, rows, cols2]
    c, d = maps[:, rows2, cols], maps[:, rows2, cols2]
    if pool == "max":
        return np.maximum(np.maximum(a, b), np.maximum(c, d))
    return (((a + b) + c) + d) / 4.0


def layer_cost(image_shape: tuple[int, ...], layer: Layer) -> Cost:
    """Modelled seconds and peak working bytes of :func:`run_layer`; the arguments must be valid."""
    geometry = validate_layer(image_shape, layer)
    count, per_group, kh, kw = np.shape(layer.weights)
    channels = per_group * layer.groups
    oh, ow = geometry.out_shape
    padded = (image_shape[0] + sum(geometry.pad_rows)) * (image_shape[1] + sum(geometry.pad_cols)) * channels
    copied = layer.groups * per_group * kh * kw * oh * ow
    multiply_adds = count * per_group * kh * kw * oh * ow
    maps = count * oh * ow
    copy, mac, padding, per_map, fixed = COSTS
    seconds = copy * copied + mac * multiply_adds + padding * padded + per_map * maps + fixed
    strip = per_group * kh * kw * _strip_rows(per_group * kh * kw * ow) * ow
    peak = 8 * (2 * padded + 3 * maps + WORKERS * strip)
    return Cost(seconds, peak)
