"""Kernels built from a few numbers, and their text form for the ``kernel`` parameter.

A generator is written ``name(arg,arg…)`` so a permalink keeps the slider values, e.g.
``gaussian(7,1.5)``, ``motion(9,30)``, ``box(5)``, ``log(9,1.4)``, ``sobel-x(5)``, ``scharr-y(3)``,
``unsharp(1.5,2)``, ``sharpen(0.8)``. Arguments are numbers in the ``kernel`` syntax (decimals or
fractions); :func:`parse_generator` reads the text and gives the weights with the canonical spelling.

All weights are meant for correlation (the window times the kernel as written, like OpenCV's
``filter2D``); every generator except Sobel and Scharr gives a kernel that is the same rotated 180°.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from kernels.errors import InputError
from kernels.library.kernel_text import format_number, parse_number
from kernels.limits import MAX_ABS_NUMBER, MAX_KERNEL_SIDE

MAX_SIGMA = 20.0
"""Largest σ (Gaussian, LoG) and unsharp radius, in pixels."""

MAX_AMOUNT = 10.0
"""Largest amount for unsharp and sharpen."""

DERIVATIVE_SIZES = (3, 5)
"""Sides the Sobel and Scharr generators come in."""

LAPLACIAN = np.array([[0.0, -1.0, 0.0], [-1.0, 4.0, -1.0], [0.0, -1.0, 0.0]])
"""The 4-neighbour Laplacian with a positive centre (centre minus neighbours), used by ``sharpen``."""

_SNAP = 1e-12  # motion-blur coverage below this is rounding noise from cos/sin, not a pixel the line touches


def _identity(size: int) -> np.ndarray:
    kernel = np.zeros((size, size))
    kernel[size // 2, size // 2] = 1.0
    return kernel


def _gaussian_1d(size: int, sigma: float) -> np.ndarray:
    x = np.arange(size, dtype=np.float64) - size // 2
    with np.errstate(over="ignore", under="ignore"):
        g = np.exp(-0.5 * (x / sigma) ** 2)  # x / σ first: σ² may underflow to 0 when σ is tiny
    return g / g.sum()


def box(size: int) -> np.ndarray:
    """size×size average: every weight 1/size², sum 1. size 1…63 (even sizes allowed)."""
    return np.full((size, size), 1.0 / (size * size))


def gaussian(size: int, sigma: float) -> np.ndarray:
    """Sampled Gaussian exp(−(x² + y²) / 2σ²) on a size×size grid (size odd, 1…63), normalised to sum 1.

    σ in pixels, (0, 20]; as σ → 0 it becomes the identity (a single 1 at the centre).
    """
    g = _gaussian_1d(size, sigma)
    return np.outer(g, g)


def motion(length: int, angle: float) -> np.ndarray:
    """A straight streak through the centre: what a camera moving during the exposure records.

    The line runs ``length`` pixels (odd, 1…63; the kernel is length×length) at ``angle`` degrees,
    counter-clockwise from the +x axis with y pointing up the screen (0 = horizontal, 90 = vertical,
    any number allowed). It is anti-aliased: a pixel's weight is 1 − its distance to the line segment
    (0 when a pixel or more away), then all weights are divided by their sum.
    """
    half = (length - 1) / 2.0
    theta = math.radians(math.fmod(angle, 360.0))
    ux, uy = math.cos(theta), math.sin(theta)
    offsets = np.arange(length, dtype=np.float64) - length // 2
    px = offsets[None, :]  # column offset, to the right
    py = -offsets[:, None]  # row offset turned upwards
    t = np.clip(px * ux + py * uy, -half, half)
    distance = np.hypot(px - t * ux, py - t * uy)
    weights = np.clip(1.0 - distance, 0.0, None)
    weights[weights < _SNAP] = 0.0
    return weights / weights.sum()


def laplacian_of_gaussian(size: int, sigma: float) -> np.ndarray:
    """The Laplacian of a Gaussian, sampled and made zero-sum: a blob/edge detector ("Mexican hat").

    As MATLAB's ``fspecial('log')``: h = G · (r² − 2σ²) / σ⁴ with G the normalised Gaussian of
    :func:`gaussian`, then its mean subtracted so the weights add up to exactly 0. The centre is
    negative (like the ``laplacian-4`` preset). size odd 1…63, σ in (0, 20]; weights grow like 1/σ².
    """
    g = gaussian(size, sigma)
    x = np.arange(size, dtype=np.float64) - size // 2
    r2 = x[None, :] ** 2 + x[:, None] ** 2
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        factor = (r2 / (sigma * sigma) - 2.0) / (sigma * sigma)
        h = np.where(g > 0, g * factor, 0.0)
    return h - h.mean()


def _derivative(smooth: list[float], size: int, axis: str) -> np.ndarray:
    """x: smoothing down the rows times a central difference along them; y: its transpose."""
    difference = np.array([-1.0, 0.0, 1.0])
    smooth_arr = np.array(smooth, dtype=np.float64)
    if size == 5:
        # One more [1, 2, 1] smoothing on both axes: how OpenCV builds its 5×5 Sobel from the 3×3 one.
        binomial = np.array([1.0, 2.0, 1.0])
        difference = np.convolve(difference, binomial)
        smooth_arr = np.convolve(smooth_arr, binomial)
    kernel = np.outer(smooth_arr, difference)
    return kernel if axis == "x" else np.ascontiguousarray(kernel.T)


def sobel(axis: str, size: int) -> np.ndarray:
    """Sobel derivative along x (right minus left) or y (down minus up), 3×3 or 5×5.

    Equals OpenCV's ``getDerivKernels`` outer product (``sobel-x(3)`` is the ``sobel-right`` preset,
    ``sobel-y(3)`` is ``sobel-bottom``); 5×5: smoothing [1, 4, 6, 4, 1], difference [−1, −2, 0, 2, 1].
    """
    return _derivative([1.0, 2.0, 1.0], size, axis)


def scharr(axis: str, size: int) -> np.ndarray:
    """Scharr derivative along x or y: smoothing [3, 10, 3] (better rotation symmetry than Sobel).

    3×3 is OpenCV's ``Scharr`` kernel; 5×5 is built as OpenCV builds the 5×5 Sobel, one more [1, 2, 1]
    on both axes: smoothing [3, 16, 26, 16, 3], difference [−1, −2, 0, 2, 1].
    """
    return _derivative([3.0, 10.0, 3.0], size, axis)


def unsharp_size(radius: float) -> int:
    """The side of the unsharp mask's Gaussian: 2·⌈3σ⌉ + 1 (three σ each way), at most 63."""
    return min(2 * math.ceil(3.0 * radius) + 1, MAX_KERNEL_SIDE)


def unsharp(amount: float, radius: float) -> np.ndarray:
    """identity + amount × (identity − Gaussian(σ = radius)): add back ``amount`` times the detail a blur removes.

    amount 0…10 (0 = identity), radius σ in pixels, (0, 20]; the side is :func:`unsharp_size`. Sum 1.
    """
    size = unsharp_size(radius)
    identity = _identity(size)
    return identity + amount * (identity - gaussian(size, radius))


def sharpen(amount: float) -> np.ndarray:
    """identity + amount × :data:`LAPLACIAN` (3×3); amount 0…10, and 1 gives the ``sharpen`` preset."""
    return _identity(3) + amount * LAPLACIAN


@dataclass(frozen=True)
class Param:
    """One argument of a generator: its name as messages show it and the rule it obeys."""

    name: str
    kind: str  # "size", "odd", "derivative", "sigma", "amount" or "angle"


@dataclass(frozen=True)
class Generator:
    name: str
    params: tuple[Param, ...]
    build: Callable[..., np.ndarray]

    @property
    def form(self) -> str:
        return f"{self.name}({','.join(p.name for p in self.params)})"


_SIZE = Param("n", "size")
_ODD = Param("size", "odd")
_SIGMA = Param("σ", "sigma")
_DERIV = Param("size", "derivative")

GENERATORS: dict[str, Generator] = {
    g.name: g
    for g in (
        Generator("box", (_SIZE,), box),
        Generator("gaussian", (_ODD, _SIGMA), gaussian),
        Generator("motion", (Param("length", "odd"), Param("angle", "angle")), motion),
        Generator("log", (_ODD, _SIGMA), laplacian_of_gaussian),
        Generator("sobel-x", (_DERIV,), lambda size: sobel("x", size)),
        Generator("sobel-y", (_DERIV,), lambda size: sobel("y", size)),
        Generator("scharr-x", (_DERIV,), lambda size: scharr("x", size)),
        Generator("scharr-y", (_DERIV,), lambda size: scharr("y", size)),
        Generator("unsharp", (Param("amount", "amount"), Param("radius", "sigma")), unsharp),
        Generator("sharpen", (Param("amount", "amount"),), sharpen),
    )
}
"""Every generator, by the name the ``kernel`` parameter uses."""

RULES = (
    f"n is 1 to {MAX_KERNEL_SIDE}; size and length are odd, 1 to {MAX_KERNEL_SIDE}, but 3 or 5 for Sobel and Scharr; "
    f"σ and radius in pixels, more than 0 and at most {MAX_SIGMA:g}; amount 0 to {MAX_AMOUNT:g}; angle in degrees"
)
SYNTAX = f"{', '.join(g.form for g in GENERATORS.values())} ({RULES})"
"""The generators and their argument ranges, as quoted in error messages."""

_CALL = re.compile(r"\s*([a-z][a-z0-9-]*)\s*\((.*)\)\s*", re.ASCII | re.DOTALL)
_PARTNERS = {"sobel-x": "sobel-y", "sobel-y": "sobel-x", "scharr-x": "scharr-y", "scharr-y": "scharr-x"}


def looks_like_generator(text: str) -> bool:
    """Whether ``text`` has the ``name(…)`` shape (it may still be refused by :func:`parse_generator`)."""
    return _CALL.fullmatch(text) is not None


def _argument(generator: Generator, param: Param, text: str, field: str) -> float:
    where = f"{generator.form}: {param.name}"
    try:
        value = parse_number(text, field)
    except InputError as err:
        raise InputError(field, f"{where} {err.rule}", text) from None
    if param.kind in ("size", "odd", "derivative"):
        whole = value.is_integer()
        if param.kind == "derivative" and not (whole and int(value) in DERIVATIVE_SIZES):
            raise InputError(field, f"{where} must be 3 or 5", text)
        if not (whole and 1 <= value <= MAX_KERNEL_SIDE):
            raise InputError(field, f"{where} must be a whole number from 1 to {MAX_KERNEL_SIDE}", text)
        if param.kind == "odd" and int(value) % 2 == 0:
            raise InputError(field, f"{where} must be odd, so the kernel has a centre tap", text)
        return float(int(value))
    if param.kind == "sigma" and not 0 < value <= MAX_SIGMA:
        raise InputError(field, f"{where} must be more than 0 and at most {MAX_SIGMA:g} pixels", text)
    if param.kind == "amount" and not 0 <= value <= MAX_AMOUNT:
        raise InputError(field, f"{where} must be from 0 to {MAX_AMOUNT:g}", text)
    return value


def parse_generator(text: str, field: str = "kernel") -> tuple[np.ndarray, str] | None:
    """Read a generator call such as ``gaussian(7, 1.5)``.

    Returns:
        None when ``text`` is not of the form ``name(…)`` (so the caller can try other syntaxes);
        otherwise (float64 weights, canonical text), the text with no spaces and shortest numbers:
        ``"gaussian(7,1.5)"``.

    Raises:
        InputError: with ``field``, for an unknown name, a wrong number of arguments or an argument
            out of range; the message lists the generators and their ranges.
    """
    match = _CALL.fullmatch(text)
    if match is None:
        return None
    name, inside = match[1], match[2]
    generator = GENERATORS.get(name)
    if generator is None:
        raise InputError(field, f"unknown generator {name!r}; the generators are {SYNTAX}", text)
    parts = inside.split(",") if inside.strip() else []
    if len(parts) != len(generator.params):
        count = len(generator.params)
        rule = f"{generator.form} takes {count} argument{'s' if count > 1 else ''}, got {len(parts)} ({RULES})"
        raise InputError(field, rule, text)
    values = [_argument(generator, p, part, field) for p, part in zip(generator.params, parts, strict=True)]
    args = [
        int(v) if p.kind in ("size", "odd", "derivative") else v for p, v in zip(generator.params, values, strict=True)
    ]
    weights = generator.build(*args)
    if not np.all(np.isfinite(weights)) or np.abs(weights).max() > MAX_ABS_NUMBER:
        raise InputError(
            field,
            f"{generator.form}: these values make weights beyond ±{MAX_ABS_NUMBER:g} "
            "(for log, the centre is about −2/σ²: use a larger σ)",
            text,
        )
    canonical = f"{name}({','.join(format_number(v) for v in values)})"
    return weights, canonical


def transpose_partner(canonical: str) -> str | None:
    """The generator text of the transposed kernel for the x/y derivative pairs (``sobel-x(5)`` → ``sobel-y(5)``)."""
    match = _CALL.fullmatch(canonical)
    if match is None or match[1] not in _PARTNERS:
        return None
    return f"{_PARTNERS[match[1]]}({match[2]})"
