"""The guess box of a panel in "Predict, then reveal" (``quiz=guess``): what it shows before and after a guess."""

from __future__ import annotations

from dataclasses import dataclass

HIDDEN_NOTE = (
    "Predict first: the products, their sum and the stored pixel are hidden, and so is this pixel in the "
    "output picture (the pink square), until you check a guess."
)


@dataclass
class GuessView:
    """The guess box of a panel: the pixel asked about (x, y); before the guess what was typed (kept after a
    mistake) and the mistake; after it the verdict ("Your guess 140; the sum is 148: off by 8."), how close
    it was (``exact``, ``close`` or ``off``) and the stored pixel, in words."""

    pixel: tuple[int, int]
    revealed: bool
    typed: str = ""
    error: str = ""
    verdict: str = ""
    closeness: str = ""
    stored: str = ""
    note: str = HIDDEN_NOTE
