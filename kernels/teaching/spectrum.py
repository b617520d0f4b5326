"""A kernel's frequency response: how strongly it passes each pattern of stripes, from flat areas to the finest
pixel-to-pixel detail.

The filter a picture goes through is the taps as the engine multiplies them (:func:`filter_taps`): normalised,
rotated 180° for convolution, divided by the divisor, with dilation's gaps as zeros. Its gain at a frequency
(fx, fy), in cycles per pixel from −0.5 to 0.5, is |Σ taps[r, c] · e^(−2πi(fx·c + fy·r))|: the factor by which
a sine pattern of that frequency comes out stronger or weaker (a flat area is (0, 0), a checkerboard is
(0.5, 0.5)). :func:`spectrum_of` samples it on an N × N grid, N a power of two, as
``|fftshift(fft2(taps, (N, N)))|``: the taps sit at the array's top-left corner, zero-padded. Where the kernel's
origin is put changes only the phase (a shift of the picture), never the gain, so it is left out. Zero frequency
is at row N // 2, column N // 2; row r holds fy = (r − N // 2) / N and column c holds fx = (c − N // 2) / N, y
growing downwards as in the picture.

The response describes the inside of the picture: edge modes only change the pixels near the border. Offset adds
a constant and is not a gain; repeat multiplies the response by itself once per pass; stride keeps only
frequencies up to 0.5 / stride (:meth:`Spectrum.aliased_gain`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from functools import cached_property

import numpy as np

from kernels.engine import effective_weights
from kernels.errors import InputError
from kernels.options import Options

MIN_N = 8
MAX_N = 256
DEFAULT_N = 64
SIZES: tuple[int, ...] = tuple(2**p for p in range(3, 9))
"""The allowed grid sizes N: the powers of two from :data:`MIN_N` to :data:`MAX_N`."""

KINDS: tuple[str, ...] = ("zero", "all-pass", "low-pass", "high-pass", "band-pass", "high-boost")
"""What :attr:`Spectrum.kind` may be: every gain 0; every gain the same; the highest gain at zero frequency;
no gain at zero frequency and much at the finest patterns; none at zero frequency and little at the finest
patterns (the most in between); some at zero frequency and more elsewhere (sharpening)."""

RAYS: dict[str, tuple[int, int]] = {"x": (0, 1), "y": (1, 0), "diagonal": (1, 1), "antidiagonal": (1, -1)}
"""Lines from zero frequency outwards, as (row step, column step) in the grid: changes from left to right
(x), from top to bottom (y), from top-left to bottom-right (diagonal) and from top-right to bottom-left
(antidiagonal)."""
RAY_ANGLES: dict[str, float] = {"x": 0.0, "diagonal": 45.0, "y": 90.0, "antidiagonal": 135.0}
"""Each ray's direction in degrees, measured from +fx towards +fy (downwards)."""

PEAK_TIE = 1e-9
"""Gains within this fraction of the highest count as equally high when :attr:`Spectrum.peak_at` picks one."""
FLAT = 1e-6
"""Gains that differ by at most this fraction of the highest gain count as equal (an all-pass kernel)."""
DC_SHARE = 0.02
"""A zero-frequency gain within this fraction of the highest gain counts as the highest (low-pass); one below
this fraction of it counts as none (high-pass or band-pass)."""
FINEST_SHARE = 0.5
"""A kernel without zero-frequency gain is high-pass when its highest gain at the finest patterns (|fx| or
|fy| = 0.5) is at least this fraction of its highest gain, band-pass otherwise."""
SIDE_LOBE = 0.02
"""A dip and a rise along a ray, each at least this fraction of the highest gain, make a side lobe (a
ripple); smaller wiggles are rounding and truncation."""
DIRECTIONAL = 0.1
"""Kernels whose gain changes by at least this share when the grid is turned 90° are directional (measured as
Σ|G − G turned| / Σ(G + G turned), from 0 for a round response to 1)."""


@dataclass(frozen=True)
class SideLobe:
    """A ripple along one ray: the gain falls to ``dip_gain`` at ``dip_at`` and rises again to ``lobe_gain``
    at ``lobe_at`` (cycles per pixel along each moving axis of the ray, 0…0.5)."""

    ray: str
    dip_at: float
    dip_gain: float
    lobe_at: float
    lobe_gain: float


@dataclass(frozen=True)
class Spectrum:
    """The gain of a filter at every frequency of an N × N grid, and what it says about the filter.

    Attributes:
        n: the grid size N (a power of two, :data:`MIN_N`…:data:`MAX_N`).
        taps: the filter as applied (:func:`filter_taps`), float64 (rows, cols), both at most N.
        magnitude: (N, N) float64 gains ≥ 0, zero frequency at [N // 2, N // 2] (see the module text).
        total: Σ taps, signed: what a flat area is multiplied by.
        kind: one of :data:`KINDS`.
        directional: the gain depends on the direction of the stripes (see :data:`DIRECTIONAL`).
        anisotropy: that measure, 0…1.
        direction: for a directional filter, the direction of the stripes' change it passes most, in degrees
            0…180 from +fx towards +fy (0: changes from left to right, 90: from top to bottom); else None.
        side_lobes: the ripples found along each ray, in :data:`RAYS` order.
    """

    n: int
    taps: np.ndarray
    magnitude: np.ndarray
    total: float
    kind: str
    directional: bool
    anisotropy: float
    direction: float | None
    side_lobes: tuple[SideLobe, ...]

    @cached_property
    def frequencies(self) -> np.ndarray:
        """The (N,) frequencies of the rows and columns, cycles per pixel: −0.5 … 0.5 − 1/N."""
        return np.fft.fftshift(np.fft.fftfreq(self.n))

    @property
    def dc_gain(self) -> float:
        """The gain at zero frequency, |Σ taps|: a flat area comes out this many times as bright (or, when
        :attr:`total` is negative, as dark)."""
        return float(self.magnitude[self.n // 2, self.n // 2])

    @property
    def cut_x(self) -> np.ndarray:
        """The gains along fx at fy = 0 (the grid's middle row): changes from left to right."""
        return self.magnitude[self.n // 2, :]

    @property
    def cut_y(self) -> np.ndarray:
        """The gains along fy at fx = 0 (the grid's middle column): changes from top to bottom."""
        return self.magnitude[:, self.n // 2]

    @property
    def peak_gain(self) -> float:
        return float(self.magnitude.max())

    @property
    def min_gain(self) -> float:
        return float(self.magnitude.min())

    @cached_property
    def peak_at(self) -> tuple[float, float]:
        """(fx, fy) of the highest gain, in cycles per pixel, spelled by :func:`canonical_frequency`; of
        several equal highest gains, the one nearest zero frequency, then nearest the fx axis."""
        return self._nearest(self.magnitude >= self.peak_gain * (1 - PEAK_TIE))

    @cached_property
    def min_at(self) -> tuple[float, float]:
        """(fx, fy) of the lowest gain, spelled and chosen among equals as :attr:`peak_at` is."""
        spread = self.peak_gain - self.min_gain
        return self._nearest(self.magnitude <= self.min_gain + spread * PEAK_TIE)

    def _nearest(self, where: np.ndarray) -> tuple[float, float]:
        """Of the grid points marked in ``where``, the frequency nearest zero, then nearest the fx axis."""
        f = self.frequencies
        rows, cols = np.nonzero(where)
        places = {canonical_frequency(f[c], f[r]) for r, c in zip(rows, cols, strict=True)}
        return min(places, key=lambda p: (p[0] ** 2 + p[1] ** 2, abs(p[1]), p))

    @property
    def corner_gain(self) -> float:
        """The gain at (0.5, 0.5): a checkerboard, the finest pattern a picture holds."""
        return float(self.magnitude[0, 0])

    def finest_gain(self) -> float:
        """The highest gain at the finest patterns: on the grid's border, where |fx| or |fy| is 0.5."""
        return _finest_gain(self.magnitude)

    def ray(self, name: str) -> np.ndarray:
        """The gains from zero frequency out along one of :data:`RAYS` (see :func:`ray_profile`)."""
        return ray_profile(self.magnitude, name)

    def aliased_gain(self, stride: tuple[int, int]) -> float:
        """The highest gain at frequencies a stride of (sy, sx) cannot keep (|fx| > 0.5 / sx or |fy| > 0.5 / sy):
        what the filter lets through that comes back as false, coarser patterns. 0 without a stride."""
        sy, sx = stride
        f = self.frequencies
        outside = (np.abs(f)[:, None] > 0.5 / sy) | (np.abs(f)[None, :] > 0.5 / sx)
        return float(self.magnitude[outside].max()) if outside.any() else 0.0

    def to_json(self) -> dict:
        """Plain JSON types: the grid, its frequencies, the two cuts, the gains and the classification."""
        fx, fy = self.peak_at
        return {
            "n": self.n,
            "magnitude": self.magnitude.tolist(),
            "frequencies": self.frequencies.tolist(),
            "zero_at": [self.n // 2, self.n // 2],
            "taps": self.taps.tolist(),
            "sum": self.total,
            "dc_gain": self.dc_gain,
            "min": self.min_gain,
            "max": self.peak_gain,
            "peak": {"gain": self.peak_gain, "fx": fx, "fy": fy},
            "lowest": {"gain": self.min_gain, "fx": self.min_at[0], "fy": self.min_at[1]},
            "corner_gain": self.corner_gain,
            "cuts": {"x": self.cut_x.tolist(), "y": self.cut_y.tolist()},
            "kind": self.kind,
            "directional": self.directional,
            "anisotropy": self.anisotropy,
            "direction": self.direction,
            "side_lobes": [asdict(lobe) for lobe in self.side_lobes],
        }


def canonical_frequency(fx: float, fy: float) -> tuple[float, float]:
    """One spelling of a grid frequency's gain: with fx ≥ 0 (and fy ≥ 0 when fx is 0), since a real filter's gain
    at (fx, fy) is its gain at (−fx, −fy); and fy = 0.5 for the grid's −0.5, the same frequency."""
    fx, fy = float(fx), float(fy)
    if fx < 0 or (fx == 0 and fy < 0):
        fx, fy = -fx, -fy
    if fy == -0.5:
        fy = 0.5
    return fx + 0.0, fy + 0.0  # no −0.0


def filter_taps(kernel: np.ndarray, options: Options) -> np.ndarray:
    """The filter the picture goes through, float64: the weights as multiplied (normalised, then rotated 180°
    when convolving), divided by the divisor, with dilation − 1 zeros between taps."""
    weights, _ = effective_weights(kernel, options)
    weights = weights / float(options.divisor)
    dy, dx = (int(d) for d in options.dilation)
    if (dy, dx) == (1, 1):
        return weights
    kh, kw = weights.shape
    spread = np.zeros(((kh - 1) * dy + 1, (kw - 1) * dx + 1))
    spread[::dy, ::dx] = weights
    return spread


def smallest_size(span: tuple[int, int]) -> int | None:
    """The smallest allowed N (at least :data:`DEFAULT_N`) that holds a filter spanning (rows, cols) taps, or
    None when even :data:`MAX_N` is too small."""
    need = max(DEFAULT_N, *span)
    return next((n for n in SIZES if n >= need), None)


def check_fits(kernel_shape: tuple[int, int], options: Options, n: int) -> None:
    """Refuse an N that is not allowed or too small for the filter (rows or columns of taps above N).

    Raises:
        InputError: field ``n`` when another N would do, else ``dilation`` or ``kernel``, naming what to change.
    """
    if n not in SIZES:
        raise InputError("n", f"must be a power of two from {MIN_N} to {MAX_N}: {', '.join(map(str, SIZES))}", n)
    (kh, kw), (dy, dx) = kernel_shape, options.dilation
    rows, cols = (kh - 1) * dy + 1, (kw - 1) * dx + 1
    if rows <= n and cols <= n:
        return
    spread = f"{rows}×{cols} pixels" + (f" (a {kh}×{kw} kernel with dilation {dy},{dx})" if (dy, dx) != (1, 1) else "")
    bigger = next((size for size in SIZES if size >= max(rows, cols)), None)
    if bigger is not None:
        raise InputError("n", f"must be at least the filter's size, {spread}: use n={bigger} or more", n)
    field = "dilation" if (dy, dx) != (1, 1) else "kernel"
    raise InputError(
        field,
        f"the filter spans {spread}, more than the largest spectrum grid ({MAX_N}×{MAX_N}): turn down the "
        f"dilation or the kernel size",
    )


def spectrum_of(kernel: np.ndarray, options: Options | None = None, n: int = DEFAULT_N) -> Spectrum:
    """The frequency response of ``kernel`` (weights as written) run with ``options``, on an N × N grid.

    Raises:
        InputError: N is not allowed or the filter does not fit (see :func:`check_fits`).
    """
    options = options or Options()
    check_fits(np.shape(kernel), options, n)
    return spectrum(filter_taps(kernel, options), n)


def spectrum(taps: np.ndarray, n: int = DEFAULT_N) -> Spectrum:
    """The frequency response of a filter given as taps (rows, cols ≤ N), on an N × N grid, classified."""
    taps = np.asarray(taps, dtype=np.float64)
    if n not in SIZES or max(taps.shape) > n:
        raise ValueError(f"taps {taps.shape} need an N from {SIZES} at least as large")
    magnitude = np.abs(np.fft.fftshift(np.fft.fft2(taps, (n, n))))
    peak = float(magnitude.max())
    anisotropy = _anisotropy(magnitude) if peak > 0 else 0.0
    directional = anisotropy >= DIRECTIONAL
    lobes = (_side_lobe(name, ray_profile(magnitude, name), n, peak) for name in RAYS)
    return Spectrum(
        n=n,
        taps=taps,
        magnitude=magnitude,
        total=float(taps.sum()),
        kind=_kind(magnitude),
        directional=directional,
        anisotropy=anisotropy,
        direction=_direction(magnitude, n) if directional else None,
        side_lobes=tuple(lobe for lobe in lobes if lobe is not None),
    )


def ray_profile(magnitude: np.ndarray, name: str) -> np.ndarray:
    """The gains from zero frequency out along one of :data:`RAYS`: N // 2 + 1 values, at k / N for
    k = 0 … N // 2 along each moving axis (the last one is the grid's −0.5, the same as +0.5)."""
    n = magnitude.shape[0]
    dy, dx = RAYS[name]
    k = np.arange(n // 2 + 1)
    return magnitude[(n // 2 + dy * k) % n, (n // 2 + dx * k) % n]


def _finest_gain(magnitude: np.ndarray) -> float:
    return float(max(magnitude[0, :].max(), magnitude[:, 0].max()))


def _kind(magnitude: np.ndarray) -> str:
    """The :data:`KINDS` entry of a grid of gains (see there)."""
    n = magnitude.shape[0]
    peak, dc = float(magnitude.max()), float(magnitude[n // 2, n // 2])
    if peak == 0:
        return "zero"
    if peak - float(magnitude.min()) <= FLAT * peak:
        return "all-pass"
    if dc >= (1 - DC_SHARE) * peak:
        return "low-pass"
    if dc <= DC_SHARE * peak:
        return "high-pass" if _finest_gain(magnitude) >= FINEST_SHARE * peak else "band-pass"
    return "high-boost"


def _anisotropy(magnitude: np.ndarray) -> float:
    """Σ|G − G turned 90°| / Σ(G + G turned), on the unshifted grid so that the turn maps bins onto bins."""
    gains = np.fft.ifftshift(magnitude)
    n = gains.shape[0]
    k = np.arange(n)
    turned = gains[(-k[None, :]) % n, k[:, None]]  # turned[ky, kx] = gains[−kx, ky]: (fx, fy) → (−fy, fx)
    return float(np.abs(gains - turned).sum() / (gains + turned).sum())


def _direction(magnitude: np.ndarray, n: int) -> float:
    """The axis along which the squared gain spreads furthest from zero frequency, degrees 0…180 from +fx
    towards +fy: the direction of change the filter passes most."""
    f = np.fft.fftshift(np.fft.fftfreq(n))
    weight = magnitude**2
    mxx = float((weight * f[None, :] ** 2).sum())
    myy = float((weight * f[:, None] ** 2).sum())
    mxy = float((weight * f[None, :] * f[:, None]).sum())
    angle = 0.5 * math.degrees(math.atan2(2 * mxy, mxx - myy))
    return round(angle % 180.0, 6) % 180.0


def nearest_ray(angle: float) -> str:
    """The one of :data:`RAYS` closest to a direction in degrees (0…180)."""
    return min(RAY_ANGLES, key=lambda name: min(abs(angle - RAY_ANGLES[name]), 180 - abs(angle - RAY_ANGLES[name])))


def _side_lobe(name: str, profile: np.ndarray, n: int, peak: float) -> SideLobe | None:
    """The first ripple along a ray: a dip of at least :data:`SIDE_LOBE` × peak below an earlier gain that is
    followed by a rise of as much; None when the gain only rises, only falls, or rises then falls."""
    if peak == 0:
        return None
    step = SIDE_LOBE * peak
    before = np.maximum.accumulate(profile)
    after = np.maximum.accumulate(profile[::-1])[::-1]
    depth = np.minimum(before - profile, after - profile)
    deep = np.flatnonzero(depth >= step)
    if deep.size == 0:
        return None
    # The dip: the lowest gain of the first stretch of deep enough points; the lobe: the highest gain after
    # it before the gain falls by as much again.
    start = int(deep[0])
    end = start
    while end + 1 < profile.size and depth[end + 1] >= step:
        end += 1
    dip = start + int(np.argmin(profile[start : end + 1]))
    top = dip
    for i in range(dip + 1, profile.size):
        if profile[i] > profile[top]:
            top = i
        elif profile[top] - profile[i] >= step:
            break
    return SideLobe(name, dip / n, float(profile[dip]), top / n, float(profile[top]))
