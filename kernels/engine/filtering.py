"""The convolution engine: one public entry point, :func:`filter_image`, and its checks.

Definitions (the page and the API explain the same ones):

* correlate: out[y, x] = Σ_ij K[i, j] · in[y + (i − oy)·dy, x + (j − ox)·dx]; the origin (oy, ox)
  defaults to (kh // 2, kw // 2).
* convolve: correlate with K rotated 180° and the origin moved to (kh − 1 − oy, kw − 1 − ox).
* normalize divides K by ΣK first (skipped when ΣK = 0); value = sum / divisor + offset; kernel-crop
  rescales by ΣK / Σ(weights of the taps used); repeat runs the whole pass again on the raw result.

Numbers are computed in float32 when that provably stays within 1e-4 × max(1, max |value|) of exact
arithmetic: after the run, a worst-case rounding bound for the method used is compared with that
tolerance, and the whole run is repeated in float64 when the bound does not hold (with the same methods,
then once more with every separable pass summed tap by tap if the bound still fails, since a rank-1
factorisation's own error does not shrink with precision).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np

from kernels import limits
from kernels.engine import methods
from kernels.engine.direct import Ranges
from kernels.engine.geometry import PassGeometry, plan_pass
from kernels.engine.kernelcrop import kernel_sum, scale_grid
from kernels.engine.padding import PaddedSource
from kernels.engine.precision import UNIT_ROUNDOFF, pass_error, rounding_units
from kernels.engine.separable import rank_one_factors
from kernels.engine.workers import blas_on_one_thread
from kernels.errors import InputError, Stopped
from kernels.options import EDGE_MODES, OPS, Options


def _settle_allocator() -> None:
    """Let the C allocator keep freed multi-megabyte buffers instead of returning them to the system.

    glibc serves large allocations with fresh mmap'd pages (a page fault on every 4 KiB touched) until
    it has seen a large mapped block freed; then it raises that threshold and reuses freed memory.
    Each pass allocates and frees a few buffers of 1–20 MB, and without this the first requests spend
    more time faulting pages than filtering (measured: 2.4 ms instead of 0.65 ms for a 512² blur).
    Freeing one untouched 24 MB block once sets the threshold; other allocators simply ignore it.
    """
    block = np.empty(24 << 20, dtype=np.uint8)
    del block


_settle_allocator()

METHOD_CHOICES = ("auto", *methods.METHODS)
"""Values of ``filter_image(method=...)``."""

DEFAULT_OPTIONS = Options()
"""Options() — frozen, so one shared default is safe."""

TOLERANCE = 1e-4
"""Raw values stay within TOLERANCE × max(1, max |value|) of exact arithmetic on the given input."""


@dataclass(frozen=True)
class FilterResult:
    """What one run of the engine produced.

    Attributes:
        raw: float32 or float64, (h, w) for one channel or (h, w, C); values before display.
        method: "direct", "separable" or "fft": the method of the (last) pass.
        weights: float64 (kh, kw) weights as multiplied: normalised, rotated when convolving.
        origin: (oy, ox) in ``weights`` coordinates (moved when convolving).
        last_input: what the last pass read: the image for repeat = 1, else the previous raw result.
    """

    raw: np.ndarray
    method: str
    weights: np.ndarray
    origin: tuple[int, int]
    last_input: np.ndarray


def _require_number(field: str, value: object, *, nonzero: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, Real) or not np.isfinite(float(value)):
        raise InputError(field, "must be a finite number", value)
    if abs(float(value)) > limits.MAX_ABS_NUMBER:
        raise InputError(field, f"must be between -{limits.MAX_ABS_NUMBER:g} and {limits.MAX_ABS_NUMBER:g}", value)
    if nonzero and float(value) == 0:
        raise InputError(field, "must not be 0 (the sum is divided by it)", value)


def _require_pair(field: str, value: object, low: int, high: int, what: str) -> None:
    if (
        not isinstance(value, Sequence)
        or len(value) != 2
        or not all(isinstance(v, Integral) and not isinstance(v, bool) for v in value)
    ):
        raise InputError(field, f"must be two whole numbers (rows, columns): {what}", value)
    if not all(low <= int(v) <= high for v in value):
        raise InputError(field, f"each must be between {low} and {high}: {what}", f"{value[0]},{value[1]}")


def _check_image_shape(image_shape: tuple[int, ...]) -> None:
    if len(image_shape) not in (2, 3) or min(image_shape) < 1 or (len(image_shape) == 3 and image_shape[2] > 4):
        raise InputError("image", "must be (height, width) or (height, width, channels ≤ 4) pixels", image_shape)
    height, width = image_shape[:2]
    if max(height, width) > limits.MAX_IMAGE_SIDE or height * width > limits.MAX_IMAGE_PIXELS:
        raise InputError(
            "image",
            f"may be at most {limits.MAX_IMAGE_SIDE} pixels a side and {limits.MAX_IMAGE_PIXELS:,} pixels in all",
            f"{width}×{height}",
            kind="too_large",
        )


def _check_kernel(kernel: np.ndarray) -> None:
    if kernel.ndim != 2 or kernel.size == 0:
        raise InputError("kernel", "must be a non-empty table of rows and columns", kernel.shape)
    kh, kw = kernel.shape
    if max(kh, kw) > limits.MAX_KERNEL_SIDE:
        side = limits.MAX_KERNEL_SIDE
        raise InputError("kernel", f"may have at most {side} rows and {side} columns", f"{kh}×{kw}")
    if not np.all(np.isfinite(kernel)):
        raise InputError("kernel", "every weight must be a finite number")
    if np.abs(kernel).max() > limits.MAX_ABS_NUMBER:
        raise InputError(
            "kernel",
            f"every weight must be between -{limits.MAX_ABS_NUMBER:g} and {limits.MAX_ABS_NUMBER:g}",
            float(np.abs(kernel).max()),
        )


def _as_kernel(kernel: object) -> np.ndarray:
    try:
        return np.asarray(kernel, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError("kernel", "must be a table of numbers") from None


def validate(image_shape: tuple[int, ...], kernel: np.ndarray, options: Options) -> None:
    """Raise :class:`InputError` for anything the engine cannot run.

    Fields are named as in the HTTP contract: ``image``, ``kernel``, ``origin``, ``op``, ``edge``,
    ``cval``, ``normalize``, ``divisor``, ``offset``, ``stride``, ``dilation``, ``repeat``. Checks the
    kernel (1…63 a side, finite weights), the origin (inside the kernel), the numbers (finite, divisor
    ≠ 0), stride 1…64, dilation 1…32, repeat 1…10, and that ``crop`` leaves pixels in every pass.
    """
    _checked_plan(image_shape, kernel, options)


def _checked_plan(image_shape: tuple[int, ...], kernel: np.ndarray, options: Options) -> list[PassGeometry]:
    """:func:`validate`'s checks; returns the passes' geometry."""
    _check_image_shape(tuple(image_shape))
    kernel = _as_kernel(kernel)
    _check_kernel(kernel)
    if options.op not in OPS:
        raise InputError("op", f"must be one of {', '.join(OPS)}", options.op)
    if options.edge not in EDGE_MODES:
        raise InputError("edge", f"must be one of {', '.join(EDGE_MODES)}", options.edge)
    _require_number("cval", options.cval)
    _require_number("divisor", options.divisor, nonzero=True)
    _require_number("offset", options.offset)
    if not isinstance(options.normalize, bool | np.bool_):
        raise InputError("normalize", "must be true or false", options.normalize)
    _require_pair("stride", options.stride, 1, limits.MAX_STRIDE, "input pixels between output pixels")
    _require_pair("dilation", options.dilation, 1, limits.MAX_DILATION, "input pixels between taps")
    repeat = options.repeat
    if isinstance(repeat, bool) or not isinstance(repeat, Integral) or not 1 <= repeat <= limits.MAX_REPEAT:
        raise InputError("repeat", f"must be a whole number from 1 to {limits.MAX_REPEAT}", repeat)
    if options.origin is not None:
        kh, kw = kernel.shape
        _require_pair("origin", options.origin, -(2**62), 2**62, "the tap on the output pixel, 0-based")
        oy, ox = options.origin
        if not (0 <= oy < kh and 0 <= ox < kw):
            raise InputError(
                "origin", f"must lie inside the {kh}×{kw} kernel: row 0…{kh - 1}, column 0…{kw - 1}", f"{oy},{ox}"
            )
    return plan_passes(tuple(image_shape[:2]), kernel.shape, options)


def effective_weights(kernel: np.ndarray, options: Options) -> tuple[np.ndarray, tuple[int, int]]:
    """The weights as multiplied (float64: normalised, then rotated 180° when convolving) and their origin."""
    weights = _as_kernel(kernel).copy()
    if options.normalize:
        total = kernel_sum(weights)
        if total != 0:
            weights /= total
    kh, kw = weights.shape
    oy, ox = options.origin if options.origin is not None else (kh // 2, kw // 2)
    if options.op == "convolve":
        return np.ascontiguousarray(weights[::-1, ::-1]), (kh - 1 - int(oy), kw - 1 - int(ox))
    return weights, (int(oy), int(ox))


def plan_passes(image_shape: tuple[int, int], kernel_shape: tuple[int, int], options: Options) -> list[PassGeometry]:
    """The geometry of every pass (repeat passes read the previous pass's output)."""
    kh, kw = kernel_shape
    origin = options.origin if options.origin is not None else (kh // 2, kw // 2)
    if options.op == "convolve":
        origin = (kh - 1 - origin[0], kw - 1 - origin[1])
    origin = (int(origin[0]), int(origin[1]))
    dilation = (int(options.dilation[0]), int(options.dilation[1]))
    stride = (int(options.stride[0]), int(options.stride[1]))
    passes = []
    shape = (int(image_shape[0]), int(image_shape[1]))
    for _ in range(int(options.repeat)):
        geometry = plan_pass(shape, (kh, kw), origin, dilation, stride, options.edge)
        passes.append(geometry)
        shape = geometry.out_shape
    return passes


def output_shape(image_shape: tuple[int, int], kernel_shape: tuple[int, int], options: Options) -> tuple[int, int]:
    """(height, width) of the result after every pass: the image's, or smaller with crop or a stride."""
    return plan_passes(tuple(image_shape[:2]), tuple(kernel_shape), options)[-1].out_shape


def _value_range(values: np.ndarray) -> tuple[float, float]:
    return float(values.min()), float(values.max())


def _run(image, weights, scaled, factors, passes, chosen, options, dtype, should_stop):
    """All passes in ``dtype``: (raw, last_input, range read by the first pass, raw's (min, max), error bound).

    The error bound is the worst-case rounding error of the raw values (see :mod:`kernels.engine.precision`).
    """
    unit = UNIT_ROUNDOFF[np.dtype(dtype)]
    taps_weights = scaled.astype(dtype)
    gain = float(np.abs(scaled).sum())
    kernel_one_sign = bool(scaled.min() >= 0 or scaled.max() <= 0)
    taps = int(np.count_nonzero(scaled))
    residual = factors[2] if factors is not None else 0.0
    current, previous, error, first_read = image, image, 0.0, None
    for geometry, method in zip(passes, chosen, strict=True):
        if should_stop():
            raise Stopped("stopped before a pass: nobody waits for this result any more")
        source = PaddedSource(current, geometry.pad_rows, geometry.pad_cols, options.edge, options.cval, dtype)
        ranges: Ranges = []
        out = methods.run(method, source, taps_weights, factors, geometry, taps, ranges)
        if ranges:
            table = np.array(ranges)  # NaN-propagating, unlike Python's min and max
            read = (float(table[:, 0].min()), float(table[:, 1].max()))
            lo, hi = float(table[:, 2].min()), float(table[:, 3].max())
        else:
            read = _value_range(current)
            lo, hi = _value_range(out)
        if options.edge == "constant":
            read = (min(read[0], options.cval), max(read[1], options.cval))
        first_read = first_read or read
        reach = max(-read[0], read[1])
        one_sign = kernel_one_sign and (read[0] >= 0 or read[1] <= 0)
        magnitude = max(-lo, hi)
        boost = 1.0
        if options.edge == "kernel-crop":
            grid = scale_grid(weights, geometry)
            if grid is not None:
                boost = float(np.abs(grid).max())
                out *= (grid if out.ndim == 2 else grid[:, :, None]).astype(dtype)
                lo, hi = _value_range(out)
        if options.offset:
            shift = dtype(options.offset)
            out += shift
            lo, hi = float(dtype(lo) + shift), float(dtype(hi) + shift)  # rounding is monotonic
        fft_log2 = methods.fft_log_size(geometry) if method == "fft" else 0.0
        units = rounding_units(method, taps, geometry.kernel_shape, fft_log2)
        error = gain * boost * error + pass_error(
            method=method,
            units=units,
            unit=unit,
            gain=gain,
            reach=reach,
            result_magnitude=magnitude,
            one_sign=one_sign,
            boost=boost,
            offset=options.offset,
            residual=residual,
        )
        previous, current = current, out
    return current, previous, first_read, (lo, hi), error


def _within_tolerance(read: tuple[float, float], largest: float, error: float) -> bool:
    return bool(np.isfinite(read).all() and np.isfinite(largest) and error <= TOLERANCE * max(1.0, largest))


def _overflow() -> InputError:
    return InputError(
        "kernel",
        "the result is too large to represent (beyond ±1.8e308): use smaller weights, a larger "
        "divisor or fewer repeats",
    )


def filter_image(
    image: np.ndarray,
    kernel: np.ndarray,
    options: Options = DEFAULT_OPTIONS,
    *,
    method: str = "auto",
    should_stop: Callable[[], bool] | None = None,
) -> FilterResult:
    """Run the kernel over the image as ``options`` say.

    Args:
        image: float (H, W) or (H, W, C) in grey levels (0…255 for real images; any finite values work).
        kernel: (kh, kw) weights, 1…63 a side.
        options: the pass's settings; validated by :func:`validate`.
        method: "auto" picks the least modelled cost per pass; "direct", "separable" or "fft" force one
            ("separable" raises :class:`InputError` with field ``method`` if the kernel is not rank 1).
        should_stop: asked before each pass (and each rerun in float64); when it answers True the call raises
            :class:`~kernels.errors.Stopped` (the server stops work for a client that has gone).

    Returns:
        A :class:`FilterResult` whose ``raw`` is float32 when that meets :data:`TOLERANCE`, else float64.
    """
    image = np.asarray(image)
    if not np.issubdtype(image.dtype, np.number) or np.iscomplexobj(image):
        raise InputError("image", "must hold real numbers", str(image.dtype))
    if method not in METHOD_CHOICES:
        raise InputError("method", f"must be one of {', '.join(METHOD_CHOICES)}", method)
    passes = _checked_plan(image.shape, kernel, options)
    # float32 overflow is caught and redone in float64
    with blas_on_one_thread(), np.errstate(over="ignore", invalid="ignore"):
        return _filter_checked(image, kernel, options, method, passes, should_stop or _never)


def _never() -> bool:
    return False


def _filter_checked(
    image: np.ndarray,
    kernel: np.ndarray,
    options: Options,
    method: str,
    passes: list[PassGeometry],
    should_stop: Callable[[], bool],
) -> FilterResult:
    weights, origin = effective_weights(kernel, options)
    divisor = float(options.divisor)
    scaled = weights / divisor
    if not np.all(np.isfinite(scaled)):
        raise _overflow()
    factors = rank_one_factors(weights) if method in ("auto", "separable") else None
    if factors is not None:
        root = abs(divisor) ** 0.5
        factors = (factors[0] / (root if divisor > 0 else -root), factors[1] / root, factors[2] / abs(divisor))
    if method == "separable" and factors is None:
        raise InputError("method", "separable needs a rank-1 kernel (a column times a row); this one is not")
    channels = image.shape[2] if image.ndim == 3 else 1
    if method == "auto":
        chosen = [methods.choose(g, channels, scaled, factors is not None) for g in passes]
    else:
        chosen = [method] * len(passes)

    raw, last_input, read, (lo, hi), error = _run(
        image, weights, scaled, factors, passes, chosen, options, np.float32, should_stop
    )
    largest = max(-lo, hi)
    if not _within_tolerance(read, largest, error):
        raw, last_input, read, (lo, hi), error = _run(
            image, weights, scaled, factors, passes, chosen, options, np.float64, should_stop
        )
        largest = max(-lo, hi)
        if not _within_tolerance(read, largest, error) and method == "auto" and "separable" in chosen:
            # The rank-1 factors' own error does not shrink with precision: sum every tap instead.
            chosen = ["direct" if m == "separable" else m for m in chosen]
            raw, last_input, read, (lo, hi), error = _run(
                image, weights, scaled, factors, passes, chosen, options, np.float64, should_stop
            )
            largest = max(-lo, hi)
        if not np.isfinite(read).all():
            raise InputError("image", "every pixel value must be a finite number")
    if not np.isfinite(largest):
        raise _overflow()
    return FilterResult(raw=raw, method=chosen[-1], weights=weights, origin=origin, last_input=last_input)
