"""What a kernel's numbers say before it touches an image: its sum, separability, rank, cost and symmetry.

Each property comes with a short sentence for a learner. Costs count multiply-adds per output pixel
and channel for one pass: kh·kw taps done directly, kh + kw for two 1-D passes when the kernel is
separable (a column times a row).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kernels.engine import effective_weights
from kernels.library.kernel_text import format_for_people, format_kernel
from kernels.library.separability import is_separable
from kernels.options import Options

SUM_TOLERANCE = 1e-9
"""A sum within this fraction of Σ|weights| of 0 or 1 counts as exactly 0 or 1 (generated kernels round)."""

MEANINGS: tuple[str, ...] = ("empty", "keeps", "edges", "brightens", "darkens", "inverts")
"""Kinds of :attr:`Properties.meaning`: all zero; sum 1; sum 0; above 1; between 0 and 1; below 0."""


@dataclass(frozen=True)
class Properties:
    """The facts :func:`kernel_properties` works out (JSON-ready through :meth:`to_json`).

    Attributes:
        rows, cols: kernel size in taps.
        sum: Σ weights as written.
        gain: what a flat area is multiplied by: Σ(weights as multiplied) / divisor (normalise included).
        meaning: one of :data:`MEANINGS`, from ``gain``.
        meaning_text: one or two sentences saying what ``gain`` does to an image.
        separable: a column times a row (rank ≤ 1).
        factors: (column, row) with ``np.outer(column, row) ≈ weights``, or None.
        rank: numerical rank of the weight matrix (0 for all zeros).
        taps: kh·kw multiply-adds per pixel done directly.
        nonzero_taps: taps whose weight is not 0.
        two_pass: kh + kw multiply-adds per pixel as two 1-D passes, or None when not separable.
        separable_text: the separability and cost, as a sentence.
        flip_symmetric: the weights equal themselves rotated 180°.
        same_for_convolution: correlating and convolving give the same image with these options.
        symmetry_text: the last two, as a sentence.
    """

    rows: int
    cols: int
    sum: float
    gain: float
    meaning: str
    meaning_text: str
    separable: bool
    factors: tuple[np.ndarray, np.ndarray] | None
    rank: int
    taps: int
    nonzero_taps: int
    two_pass: int | None
    separable_text: str
    flip_symmetric: bool
    same_for_convolution: bool
    symmetry_text: str

    def to_json(self) -> dict:
        """Plain JSON types; factors also as ``kernel`` parameter text (column ``"1;2;1"``, row ``"1,0,-1"``)."""
        factors = None if self.factors is None else [self.factors[0].tolist(), self.factors[1].tolist()]
        factors_text = None
        if self.factors is not None:
            factors_text = [format_kernel(self.factors[0][:, None]), format_kernel(self.factors[1][None, :])]
        return {
            "rows": self.rows,
            "cols": self.cols,
            "sum": self.sum,
            "gain": self.gain,
            "meaning": self.meaning,
            "meaning_text": self.meaning_text,
            "separable": self.separable,
            "factors": factors,
            "factors_text": factors_text,
            "rank": self.rank,
            "cost": {"taps": self.taps, "nonzero_taps": self.nonzero_taps, "two_pass": self.two_pass},
            "separable_text": self.separable_text,
            "flip_symmetric": self.flip_symmetric,
            "same_for_convolution": self.same_for_convolution,
            "symmetry_text": self.symmetry_text,
        }


def _near(value: float, target: float, scale: float) -> bool:
    return abs(value - target) <= SUM_TOLERANCE * max(scale, 1e-300)


def classify_gain(gain: float, magnitude: float) -> str:
    """The :data:`MEANINGS` kind of a gain; ``magnitude`` is Σ|weights as multiplied| / |divisor| (0: empty)."""
    if magnitude == 0:
        return "empty"
    if _near(gain, 1.0, magnitude):
        return "keeps"
    if _near(gain, 0.0, magnitude):
        return "edges"
    if gain > 1:
        return "brightens"
    return "darkens" if gain > 0 else "inverts"


def meaning_sentence(kind: str, gain: float) -> str:
    """What a flat area becomes, in words, for a :data:`MEANINGS` kind and its gain."""
    g = format_for_people(gain)
    if kind == "empty":
        return "Every weight is 0, so every output pixel is 0 (black): nothing of the image gets through."
    if kind == "keeps":
        return (
            "Flat areas keep their brightness (the weights add up to 1): only places where the image changes "
            "are altered."
        )
    if kind == "edges":
        return (
            "Flat areas become 0 (the weights add up to 0): only changes such as edges and texture give a "
            "response, positive on one side of an edge and negative on the other."
        )
    if kind == "brightens":
        return f"A flat area comes out {g} times as bright, so the image brightens and light areas clip at 255."
    if kind == "darkens":
        return f"A flat area comes out at {format_for_people(gain * 100)}% of its brightness, so the image darkens."
    return (
        f"A flat area is multiplied by {g}, a negative number: bright areas come out below 0, like a negative. "
        "Clamp shows them black; abs or mid-grey show them."
    )


def _flat_gain(kernel: np.ndarray, options: Options) -> tuple[float, float, str]:
    """(gain, magnitude, how the options changed it) for a flat area; see :class:`Properties`."""
    weights, _ = effective_weights(kernel, options)
    divisor = float(options.divisor)
    gain = float(np.sum(weights)) / divisor
    magnitude = float(np.abs(weights).sum()) / abs(divisor)
    steps = []
    if options.normalize and float(np.sum(kernel)) != 0:
        steps.append("normalising")
    if divisor != 1:
        steps.append(f"dividing by {format_for_people(divisor)}")
    how = f"After {' and '.join(steps)}, " if steps else ""
    return gain, magnitude, how


def _symmetric_about(weights: np.ndarray, centre: tuple[int, int]) -> bool:
    """Every tap equals the tap mirrored through ``centre`` (taps outside the kernel count as 0)."""
    kh, kw = weights.shape
    oy, ox = centre
    padded = np.zeros((3 * kh, 3 * kw))
    padded[kh : 2 * kh, kw : 2 * kw] = weights
    rows = 2 * (oy + kh) - (np.arange(kh) + kh)
    cols = 2 * (ox + kw) - (np.arange(kw) + kw)
    mirrored = padded[np.ix_(rows, cols)]
    scale = float(np.abs(weights).max()) or 1.0
    return bool(np.allclose(weights, mirrored, rtol=0, atol=1e-12 * scale))


def kernel_properties(kernel: np.ndarray, options: Options | None = None) -> Properties:
    """Sum and its meaning, separability, rank, cost and symmetry of a kernel as written.

    Args:
        kernel: float (kh, kw) weights as written (before normalise or flip), finite.
        options: the run's options; ``normalize`` and ``divisor`` change the gain, ``origin``, ``op``
            and ``edge`` decide whether correlation and convolution agree. None for the defaults.
    """
    options = options or Options()
    weights = np.asarray(kernel, dtype=np.float64)
    kh, kw = weights.shape
    total = float(np.sum(weights))
    gain, magnitude, how = _flat_gain(weights, options)
    meaning = classify_gain(gain, magnitude)
    sentence = meaning_sentence(meaning, gain)
    meaning_text = how + sentence[0].lower() + sentence[1:] if how else sentence
    if options.offset:
        meaning_text += f" The offset then adds {format_for_people(options.offset)} to every pixel."

    separable, factors, rank = is_separable(weights)
    taps = kh * kw
    two_pass = kh + kw if separable and rank == 1 else None
    if rank == 0:
        separable_text = "All weights are 0: there is nothing to multiply."
    elif two_pass is not None:
        column = ", ".join(format_for_people(v) for v in factors[0])  # type: ignore[index]
        row = ", ".join(format_for_people(v) for v in factors[1])  # type: ignore[index]
        separable_text = (
            f"Separable: the column [{column}] times the row [{row}], so it can run as two 1-D "
            f"passes: {kh} + {kw} = {two_pass} multiply-adds per pixel instead of {kh} × {kw} = {taps}."
        )
    else:
        separable_text = (
            f"Not separable (rank {rank}): it is not one column times one row, so it costs all "
            f"{kh} × {kw} = {taps} multiply-adds per pixel (or {rank} pairs of 1-D passes)."
        )

    scale = float(np.abs(weights).max()) or 1.0
    flip_symmetric = bool(np.allclose(weights, weights[::-1, ::-1], rtol=0, atol=1e-12 * scale))
    origin = options.origin if options.origin is not None else (kh // 2, kw // 2)
    same = flip_symmetric if options.edge == "crop" else _symmetric_about(weights, origin)
    if same:
        symmetry_text = (
            "It looks the same rotated 180° about its origin, so correlation and convolution give the same image."
        )
    elif flip_symmetric:
        symmetry_text = (
            "It looks the same rotated 180°, but its origin is off-centre, so convolution (which "
            "moves the origin with the flip) shifts the image against correlation."
        )
    else:
        symmetry_text = (
            "It changes when rotated 180°, so correlation (used by CNN libraries and OpenCV) and "
            "convolution (the textbook definition, kernel flipped) give different images."
        )
    return Properties(
        rows=kh,
        cols=kw,
        sum=total,
        gain=gain,
        meaning=meaning,
        meaning_text=meaning_text,
        separable=bool(separable),
        factors=factors,
        rank=int(rank),
        taps=taps,
        nonzero_taps=int(np.count_nonzero(weights)),
        two_pass=two_pass,
        separable_text=separable_text,
        flip_symmetric=flip_symmetric,
        same_for_convolution=same,
        symmetry_text=symmetry_text,
    )
