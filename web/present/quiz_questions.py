"""What each quiz question asks, drawn from a question's random numbers (:func:`web.services.quiz_token.question_rng`).

"Which kernel made this?" shows one photo, its output under one of four presets, and the four. The four come
from four different families (two blurs, or Sobel and Prewitt facing the same way, make nearly the same
picture, so they are never asked apart). "Find the kernel" hides one 3×3 preset. Each family has a sentence
that says what to look for in its output, for the explanation after the answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from kernels.errors import InputError
from kernels.library.presets import Preset

FAMILIES: dict[str, tuple[str, ...]] = {
    "smooth": ("blur", "box-blur-3", "gaussian-blur-5", "box-blur-7"),
    "sharpen": ("sharpen", "unsharp-mask-5"),
    "outline": ("outline", "laplacian-4", "laplacian-8"),
    "emboss": ("emboss",),
    "right": ("sobel-right", "prewitt-right", "scharr-right"),
    "left": ("sobel-left", "prewitt-left", "scharr-left"),
    "top": ("sobel-top", "prewitt-top", "scharr-top"),
    "bottom": ("sobel-bottom", "prewitt-bottom", "scharr-bottom"),
    "diagonal": ("edge-diagonal",),
    "identity": ("identity",),
}
"""Presets that make nearly the same picture, by family; a question never asks two of one family apart."""

TELLS: dict[str, str] = {
    "smooth": "Edges are soft and fine texture is gone: every weight is positive, so each pixel becomes an "
    "average of its neighbours.",
    "sharpen": "Edges are crisper and the grain stronger: the centre weight outweighs its negative neighbours, "
    "so each pixel is pushed away from their average.",
    "outline": "Flat areas go black and only edges and fine texture light up: the weights add up to 0, so a "
    "flat area gives 0.",
    "emboss": "It looks carved in relief: one side of each edge is bright and the other dark, and flat areas "
    "keep their brightness because the weights add up to 1.",
    "right": "Only edges running up and down light up, where the right side is brighter than the left: the "
    "positive weights are on the right.",
    "left": "Only edges running up and down light up, where the left side is brighter than the right: the "
    "positive weights are on the left.",
    "top": "Only edges running left to right light up, where the top is brighter than the bottom: the "
    "positive weights are on the top row.",
    "bottom": "Only edges running left to right light up, where the bottom is brighter than the top: the "
    "positive weights are on the bottom row.",
    "diagonal": "Only diagonal edges light up: the weights are in opposite corners, so they compare pixels "
    "along a diagonal.",
    "identity": "Nothing changes: the only weight is 1, on the pixel itself.",
}
OTHER_TELL = "Compare the output with the input where the picture has edges and where it is flat."

WHICH_IMAGES: tuple[str, ...] = ("camera", "astronaut", "chelsea", "coffee")
"""The photos "Which kernel made this?" draws from."""
WHICH_SIZE = 192
"""The working size of its pictures (at most 192 × 192 pixels in area): kernels of 3 to 7 taps show clearly."""
CHOICES = 4
MAX_WHICH_SIDE = 7
"""Presets outside the families above take part as families of their own when at most this many taps a side."""
FIND_SIDE = 3
"""Every kernel "Find the kernel" hides is 3×3, as the page says."""


@dataclass(frozen=True)
class WhichQuestion:
    """The photo, the four presets (in the order shown, A to D) and which of them made the output (0–3)."""

    image: str
    choices: tuple[str, str, str, str]
    answer: int


def family_of(name: str) -> str:
    """The family a preset belongs to (its own name for a preset outside :data:`FAMILIES`)."""
    return next((family for family, names in FAMILIES.items() if name in names), name)


def tell(name: str) -> str:
    """What to look for in this preset's output."""
    return TELLS.get(family_of(name), OTHER_TELL)


def which_question(presets: Mapping[str, Preset], rng: np.random.Generator) -> WhichQuestion:
    """Four presets of four families, shuffled, the answer and the photo, from ``rng``.

    Raises :class:`InputError` (field ``quiz``) when the library has fewer than four families.
    """
    families: dict[str, list[str]] = {}
    for name, preset in presets.items():
        if max(preset.weights.shape) <= MAX_WHICH_SIDE:
            families.setdefault(family_of(name), []).append(name)
    if len(families) < CHOICES:
        rule = f"which needs presets of at least {CHOICES} kinds; this server's library has {len(families)}"
        raise InputError("quiz", rule, "which")
    keys = sorted(families)
    chosen = [keys[i] for i in rng.choice(len(keys), CHOICES, replace=False)]
    names = tuple(families[f][int(rng.integers(len(families[f])))] for f in chosen)
    return WhichQuestion(WHICH_IMAGES[int(rng.integers(len(WHICH_IMAGES)))], names, int(rng.integers(CHOICES)))  # type: ignore[arg-type]


def find_question(presets: Mapping[str, Preset], rng: np.random.Generator) -> str:
    """The name of the 3×3 preset "Find the kernel" hides (never the identity: the target would be the face)."""
    names = sorted(
        name for name, p in presets.items() if p.weights.shape == (FIND_SIDE, FIND_SIDE) and name != "identity"
    )
    if not names:
        raise InputError("quiz", f"find needs a {FIND_SIDE}×{FIND_SIDE} preset; this server's library has none", "find")
    return names[int(rng.integers(len(names)))]
