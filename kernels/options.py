"""What one filtering request asks of the engine, as plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Op = Literal["correlate", "convolve"]
Color = Literal["gray", "rgb"]

OPS: tuple[str, ...] = ("correlate", "convolve")
EDGE_MODES: tuple[str, ...] = ("extend", "wrap", "mirror", "symmetric", "constant", "crop", "kernel-crop")
COLORS: tuple[str, ...] = ("gray", "rgb")
DISPLAYS: tuple[str, ...] = ("clamp", "abs", "midgray", "stretch", "signed")


@dataclass(frozen=True)
class EdgeWords:
    """One edge mode in words: its ``title``; ``menu``, what to do past the border, as a menu completes "Past
    the border, read"; and ``past``, what the window finds there, as a phrase that follows the mode's name in
    parentheses or after a colon; ``copied``, how a pixel read past the border relates to the image pixel it
    copies, before that pixel's position ("mirrored from x 1, y 2"); empty for modes that copy none."""

    title: str
    menu: str
    past: str
    copied: str = ""


EDGE_WORDS: dict[str, EdgeWords] = {
    "extend": EdgeWords("Extend", "repeat the edge pixel", "the edge pixel repeated", "copy of the edge pixel"),
    "wrap": EdgeWords("Wrap", "tile the picture", "the picture tiled, the far side coming round", "wrapped round from"),
    "mirror": EdgeWords(
        "Mirror", "reflect, edge not repeated", "reflected about the edge pixel, which is not repeated", "mirrored from"
    ),
    "symmetric": EdgeWords(
        "Symmetric", "reflect, edge repeated", "reflected with the edge pixel repeated", "mirrored from"
    ),
    "constant": EdgeWords("Constant", "a fixed value", "a fixed value c"),
    "crop": EdgeWords("Crop", "skip border pixels (output shrinks)", "no output where the window would stick out"),
    "kernel-crop": EdgeWords("Kernel crop", "leave outside taps out", "the taps outside left out, the sum rescaled"),
}
"""Each of :data:`EDGE_MODES` in words, worded once: the options menu, the seven tables of the edge modes and
the code and notes the exports write all read them."""


@dataclass(frozen=True)
class Options:
    """How to run the kernel over the image.

    Attributes:
        op: ``"correlate"`` (the window times the kernel as written) or
            ``"convolve"`` (the kernel rotated 180° first).
        edge: one of :data:`EDGE_MODES`; what the window reads past the border.
        cval: the fill value for ``edge="constant"``, in grey levels.
        normalize: divide the kernel by its sum first (skipped when the sum is 0).
        divisor: each sum is divided by this (never 0).
        offset: added after the divisor, in grey levels.
        stride: (sy, sx) ≥ 1; output pixel (r, c) sits at input (r·sy, c·sx).
        dilation: (dy, dx) ≥ 1; spacing between taps, in input pixels.
        repeat: 1…10 passes, each reading the previous pass's raw result.
        origin: (oy, ox) inside the kernel, or None for (kh // 2, kw // 2).
    """

    op: Op = "correlate"
    edge: str = "extend"
    cval: float = 0.0
    normalize: bool = False
    divisor: float = 1.0
    offset: float = 0.0
    stride: tuple[int, int] = (1, 1)
    dilation: tuple[int, int] = (1, 1)
    repeat: int = 1
    origin: tuple[int, int] | None = None
