"""Combining two kernels' results into a gradient: magnitude √(Gx² + Gy²) and direction atan2(Gy, Gx).

Gx and Gy are the raw results of two kernels run over the same image with the same options (Sobel x
and y, or any pair of the same size). Magnitude and direction are computed per pixel and channel in
float64. Direction is in degrees, (−180, 180], measured from the +x axis (right) towards +y (down
the image, since rows grow downwards), as OpenCV's ``phase`` does with ``sobel-x``/``sobel-y``.

For display, direction becomes hue (0° red, 120° green, 240° blue) with full saturation and value =
magnitude / (largest magnitude in the output), so flat areas stay black and strong edges glow in the
colour of their direction. With several colour channels, each pixel shows the channel whose gradient
is strongest, as colour edge detectors such as OpenCV's Canny do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kernels.engine import DEFAULT_OPTIONS, FilterResult, filter_image
from kernels.errors import InputError
from kernels.options import Options
from kernels.teaching.display import check_display, display_range, render, stored_value

COMBINE_MODES: tuple[str, ...] = ("magnitude", "direction")
"""Values of the ``combine`` parameter."""


@dataclass(frozen=True)
class GradientResult:
    """Both passes and what they combine into.

    Attributes:
        gx, gy: the engine's results for the first and the second kernel.
        magnitude: float64 √(Gx² + Gy²), shaped like ``gx.raw``.
        direction: float64 atan2(Gy, Gx) in degrees, (−180, 180], shaped like ``gx.raw``.
    """

    gx: FilterResult
    gy: FilterResult
    magnitude: np.ndarray
    direction: np.ndarray

    def raw(self, mode: str) -> np.ndarray:
        """The combined values for ``mode`` ("magnitude" or "direction")."""
        check_mode(mode)
        return self.magnitude if mode == "magnitude" else self.direction


def check_mode(mode: str) -> None:
    """InputError (field ``combine``) unless ``mode`` is one of :data:`COMBINE_MODES`."""
    if mode not in COMBINE_MODES:
        raise InputError("combine", f"must be one of {', '.join(COMBINE_MODES)}", mode)


def check_pair(kernel_x: np.ndarray, kernel_y: np.ndarray, field: str = "kernel2") -> None:
    """InputError (``field``) unless both kernels have the same size: they share the origin and every option."""
    if np.shape(kernel_x) != np.shape(kernel_y):
        (ah, aw), (bh, bw) = np.shape(kernel_x), np.shape(kernel_y)
        raise InputError(
            field,
            f"must have the same size as the first kernel ({ah}×{aw}), since both share the origin and every option",
            f"{bh}×{bw}",
        )


def ramp_sign(weights: np.ndarray, axis: int, op: str = "correlate") -> int:
    """Which way brightness must rise for the kernel to answer positively: +1 towards +``axis`` (right for
    axis 1, down for axis 0), −1 towards −``axis``, 0 when a ramp along ``axis`` does not move its answer.

    It is the sign of the kernel's response to a ramp that grows by 1 per pixel along ``axis``: Σ K·index
    for correlation, the opposite for convolution (which turns the kernel 180° first). Sobel right and
    ``sobel-x`` give +1 along x; Sobel left gives −1 (it measures left − right).
    """
    k = np.asarray(weights, dtype=np.float64)
    index = np.arange(k.shape[axis], dtype=np.float64) - (k.shape[axis] - 1) / 2
    slope = float(np.sum(k * (index[:, None] if axis == 0 else index[None, :])))
    if abs(slope) <= 1e-12 * max(1.0, float(np.abs(k).sum())):
        return 0
    return (1 if slope > 0 else -1) * (-1 if op == "convolve" else 1)


def magnitude(gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
    """√(Gx² + Gy²) in float64, without overflow for large values."""
    return np.hypot(np.asarray(gx, dtype=np.float64), np.asarray(gy, dtype=np.float64))


def direction(gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
    """atan2(Gy, Gx) in degrees, (−180, 180]; 0 where both are 0."""
    # Adding 0.0 turns −0.0 into +0.0, so a leftward gradient reads 180°, never −180°.
    y = np.asarray(gy, dtype=np.float64) + 0.0
    x = np.asarray(gx, dtype=np.float64) + 0.0
    return np.degrees(np.arctan2(y, x))


def combine(gx: FilterResult, gy: FilterResult) -> GradientResult:
    """Magnitude and direction of two results of the same shape."""
    if gx.raw.shape != gy.raw.shape:
        raise InputError(
            "kernel2", "gives an output of a different size than the first kernel", f"{gy.raw.shape} vs {gx.raw.shape}"
        )
    return GradientResult(gx=gx, gy=gy, magnitude=magnitude(gx.raw, gy.raw), direction=direction(gx.raw, gy.raw))


def gradient(
    image: np.ndarray,
    kernel_x: np.ndarray,
    kernel_y: np.ndarray,
    options: Options = DEFAULT_OPTIONS,
    *,
    results: Sequence[FilterResult] | None = None,
) -> GradientResult:
    """Run both kernels over ``image`` with the same ``options`` and combine them.

    Args:
        image: float (H, W) or (H, W, C), as for :func:`kernels.engine.filter_image`.
        kernel_x, kernel_y: (kh, kw) weights each, the same size.
        results: the two engine results if already computed (callers with a cache pass them).
    """
    check_pair(kernel_x, kernel_y)
    if results is None:
        results = (filter_image(image, kernel_x, options), filter_image(image, kernel_y, options))
    return combine(results[0], results[1])


def hsv_to_rgb(hue: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Fully saturated colours: hue in turns [0, 1) (0 red, 1/3 green, 2/3 blue), value 0…1 → float RGB 0…1."""
    h6 = np.mod(hue, 1.0) * 6.0
    sector = np.floor(h6).astype(np.int64) % 6
    f = h6 - np.floor(h6)
    v = value
    rising, falling, zero = v * f, v * (1.0 - f), np.zeros_like(v)
    channels = (  # (r, g, b) in each of the six sectors of the colour wheel
        (v, rising, zero),
        (falling, v, zero),
        (zero, v, rising),
        (zero, falling, v),
        (rising, zero, v),
        (v, zero, falling),
    )
    rgb = np.zeros((*np.shape(hue), 3))
    for index, (r, g, b) in enumerate(channels):
        mask = sector == index
        rgb[..., 0] = np.where(mask, r, rgb[..., 0])
        rgb[..., 1] = np.where(mask, g, rgb[..., 1])
        rgb[..., 2] = np.where(mask, b, rgb[..., 2])
    return rgb


def strongest_channel(result: GradientResult) -> tuple[np.ndarray, np.ndarray]:
    """(magnitude, direction) as (h, w): the only channel, or per pixel the channel of largest magnitude."""
    mag, ang = result.magnitude, result.direction
    if mag.ndim == 2:
        return mag, ang
    pick = np.argmax(mag, axis=2)[:, :, None]
    return np.take_along_axis(mag, pick, axis=2)[:, :, 0], np.take_along_axis(ang, pick, axis=2)[:, :, 0]


def direction_colours(mag: np.ndarray, ang: np.ndarray, largest: float) -> np.ndarray:
    """uint8 RGB (..., 3): hue from ``ang`` (degrees), value = ``mag`` / ``largest`` (black when largest is 0)."""
    value = np.zeros_like(mag) if largest <= 0 else np.clip(mag / largest, 0.0, 1.0)
    rgb = hsv_to_rgb(np.mod(ang, 360.0) / 360.0, value)
    return np.clip(np.rint(rgb * 255.0), 0, 255).astype(np.uint8)


def direction_image(result: GradientResult) -> np.ndarray:
    """The direction as hue and the magnitude as brightness: uint8 (h, w, 3)."""
    mag, ang = strongest_channel(result)
    return direction_colours(mag, ang, float(mag.max()) if mag.size else 0.0)


def render_combined(result: GradientResult, mode: str, display: str) -> np.ndarray:
    """The stored image: the magnitude through ``display``, or the direction as :func:`direction_image`."""
    check_mode(mode)
    if mode == "magnitude":
        return render(result.magnitude, display)
    return direction_image(result)


def describe_pixel(result: GradientResult, mode: str, display: str, x: int, y: int) -> dict:
    """The combined values at output pixel (x, y), JSON-ready.

    Returns ``{"mode", "magnitude", "direction", "stored"}``: magnitude and direction (degrees) are a
    number for one channel or a list per channel; ``stored`` is the pixel of :func:`render_combined`
    (a level, a list per channel, or [r, g, b] for the direction image and ``signed``).
    """
    check_mode(mode)
    mag, ang = result.magnitude[y, x], result.direction[y, x]
    if mode == "magnitude":
        lo, hi = display_range(result.magnitude)
        check_display(display, int(np.size(mag)))
        stored = (
            [stored_value(float(v), display, lo, hi) for v in mag]
            if np.ndim(mag)
            else stored_value(float(mag), display, lo, hi)
        )
    else:
        pick = int(np.argmax(mag)) if np.ndim(mag) else None
        strongest = mag if pick is None else mag[pick]
        angle = ang if pick is None else ang[pick]
        largest = float(result.magnitude.max())
        stored = direction_colours(np.asarray(strongest), np.asarray(angle), largest).tolist()
    return {
        "mode": mode,
        "magnitude": mag.tolist() if np.ndim(mag) else float(mag),
        "direction": ang.tolist() if np.ndim(ang) else float(ang),
        "stored": stored,
    }
