"""From a checked question code to the states the engine runs, and the comparison "Find the kernel" scores.

Shared by the quiz's presenters (:mod:`web.page.quiz_view`) and its picture routes (:mod:`web.routes.quiz`), so
the page's numbers and its pictures always come from the same states.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from imaging.preview import psnr_db
from kernels.library.presets import Preset
from web.page.page_view import face_state
from web.present.quiz_questions import FIND_SIDE, WHICH_SIZE, WhichQuestion, find_question, which_question
from web.query.state import State, parse_state
from web.services.compute import Services
from web.services.quiz_token import question_rng

SOLVED_MEAN_DIFFERENCE = 1.0
"""A "find the kernel" question is solved when the mean absolute difference from the target is below this many grey
levels. The closest two different presets on the face (a 3×3 box blur and the 1-2-1 blur) are 2.25 apart."""
TARGET_IGNORES: tuple[str, ...] = ("image", "kernel", "origin", "color", "size", "combine", "kernel2", "compare")
"""Parameters the target picture does not depend on: it is always the grey face, through the hidden kernel at
its own centre; the other options are the page's."""


def which_for(presets: Mapping[str, Preset], secret: bytes, token: str) -> WhichQuestion:
    """The question a checked "which" code asks."""
    return which_question(presets, question_rng(secret, "which", token))


def which_state(presets: Mapping[str, Preset], image: str, name: str) -> State:
    """The photo of a "which" question (grey, at its working size) through one preset, default options."""
    return parse_state({"image": image, "kernel": name, "size": str(WHICH_SIZE)}, presets)


def hidden_preset(presets: Mapping[str, Preset], secret: bytes, token: str) -> Preset:
    """The preset a checked "find" code hides."""
    return presets[find_question(presets, question_rng(secret, "find", token))]


def target_state(state: State, hidden: Preset) -> State:
    """The target of "Find the kernel": the face through the hidden preset with ``state``'s options."""
    face = face_state(state)
    options = replace(face.options, origin=None)
    return replace(face, kernel=hidden.weights, preset=hidden.name, generator=None, base=None, options=options)


def target_query(state: State) -> dict[str, str]:
    """``state``'s parameters that the target picture depends on (none that name the learner's kernel)."""
    return {name: value for name, value in state.to_query().items() if name not in TARGET_IGNORES}


@dataclass(frozen=True)
class Comparison:
    """The learner's output on the face against the target, as the page shows both (grey levels 0–255).

    ``difference`` is yours − target (float64, (H, W); the channels' mean for a colour display); ``mean`` the
    mean absolute difference over every value, ``psnr`` in dB (infinity when equal); all None when the two
    outputs differ in size (``sizes`` then says both, (width, height) each).
    """

    difference: np.ndarray | None
    mean: float | None
    psnr: float | None
    sizes: tuple[tuple[int, int], tuple[int, int]]

    @property
    def solved(self) -> bool:
        return self.mean is not None and self.mean < SOLVED_MEAN_DIFFERENCE

    @property
    def mismatch(self) -> str:
        """Why the two cannot be compared, and what to change ("" when they can)."""
        if self.difference is not None:
            return ""
        (yw, yh), (tw, th) = self.sizes
        return (
            f"your output is {yw}×{yh} pixels and the target {tw}×{th}: they can only be compared at the same "
            f"size. Use a {FIND_SIDE}×{FIND_SIDE} kernel (or another edge mode than crop)"
        )

    @property
    def scale(self) -> float:
        """The difference picture's colour scale: ± this many grey levels (0 when the pictures are the same)."""
        return 0.0 if self.difference is None else float(np.abs(self.difference).max())


def compare_with_target(services: Services, state: State, hidden: Preset) -> Comparison:
    """Run both kernels on the face (cached) and compare the pictures they make."""
    yours = services.output_pixels(face_state(state)).astype(np.float64)
    target = services.output_pixels(target_state(state, hidden)).astype(np.float64)
    sizes = ((yours.shape[1], yours.shape[0]), (target.shape[1], target.shape[0]))
    if yours.shape != target.shape:
        return Comparison(None, None, None, sizes)
    difference = yours - target
    mean = float(np.abs(difference).mean())
    psnr = psnr_db(target.astype(np.uint8), yours.astype(np.uint8))
    if difference.ndim == 3:
        difference = difference.mean(axis=2)
    return Comparison(difference, mean, psnr, sizes)


def masked(pixels: np.ndarray, x: int, y: int) -> np.ndarray:
    """The output picture (uint8, grey or RGB) as RGB with pixel (x, y) painted :data:`MASK`."""
    rgb = np.repeat(pixels[:, :, None], 3, axis=2) if pixels.ndim == 2 else pixels.copy()
    rgb[y, x] = MASK
    return rgb


MASK = (214, 0, 147)
"""The colour that covers the pixel being guessed: no display (grey, or the signed map's blue–white–orange)
uses it."""
