"""The layer section's filter banks: hand-made ones, and the first layer of a network trained on digits.

A bank is a whole layer's filters: F filters, each one grid per input channel it reads (one for grey pictures
and depthwise layers, three for red, green and blue), a bias per filter, and the ``groups`` it is meant for.
Weights are kept as text (``1/27`` stays ``1/27`` on the page) in the number syntax of the ``kernel`` parameter.
The learned bank is read from ``kernels/library/data/digits_layer.json``, written by ``python tools/train_digits.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np

from kernels.library.kernel_text import format_number, parse_number

DIGITS_PATH = Path(__file__).resolve().parent / "data" / "digits_layer.json"
"""The learned bank (see ``tools/train_digits.py``)."""

DEFAULT_BANK = "starter"


@dataclass(frozen=True)
class Bank:
    """A named layer of filters.

    Attributes:
        name: its name in links (``layer=starter``).
        title: its name in the menu.
        about: what the filters do, for a learner.
        filter_titles: one short name per filter.
        texts: per filter, per grid, the rows of weights as text.
        bias_texts: one bias per filter, as text.
        groups: 1, or 3 for a depthwise bank (one grid per filter, each reading one channel).
        accuracy: for a learned bank, the held-out accuracy its network reached (0…1); else None.
    """

    name: str
    title: str
    about: str
    filter_titles: tuple[str, ...]
    texts: tuple[tuple[tuple[tuple[str, ...], ...], ...], ...]
    bias_texts: tuple[str, ...]
    groups: int = 1
    accuracy: float | None = None

    @cached_property
    def weights(self) -> np.ndarray:
        """float64 (F, grids, kh, kw), read-only: parsed from the texts once."""
        return _read_only(
            [[[[parse_number(t, "filters") for t in row] for row in grid] for grid in f] for f in self.texts]
        )

    @cached_property
    def bias(self) -> np.ndarray:
        """float64 (F,), read-only: parsed from the texts once."""
        return _read_only([parse_number(t, "bias") for t in self.bias_texts])

    @property
    def in_channels(self) -> int:
        """The channels of the picture it reads: 1 (grey) or 3 (red, green, blue)."""
        return len(self.texts[0]) * self.groups


def _read_only(values: list) -> np.ndarray:
    array = np.array(values, dtype=np.float64)
    array.setflags(write=False)
    return array


def _grid(text: str) -> tuple[tuple[str, ...], ...]:
    """``"-1,0,1;-2,0,2;-1,0,1"`` → rows of weight texts."""
    return tuple(tuple(value.strip() for value in row.split(",")) for row in text.split(";"))


def _same(text: str, channels: int = 3) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """The same grid for each of ``channels`` channels."""
    return (_grid(text),) * channels


SOBEL_X = "-1,0,1;-2,0,2;-1,0,1"
SOBEL_Y = "-1,-2,-1;0,0,0;1,2,1"
ONES = "1,1,1;1,1,1;1,1,1"
ZEROS = "0,0,0;0,0,0;0,0,0"

HAND_MADE = (
    Bank(
        "starter",
        "Edges, colours, blur and sharpen (colour)",
        "Six filters of 3×3×3 on red, green and blue. The edge, blur and sharpen filters give every channel the "
        "same grid, so they see brightness only; the two colour filters weigh the channels against each other.",
        ("Vertical edges", "Horizontal edges", "Red − green", "Blue − yellow", "Blur", "Sharpen"),
        (
            _same(SOBEL_X),
            _same(SOBEL_Y),
            (_grid(ONES), _grid("-1,-1,-1;-1,-1,-1;-1,-1,-1"), _grid(ZEROS)),
            (_grid("-1,-1,-1;-1,-1,-1;-1,-1,-1"), _grid("-1,-1,-1;-1,-1,-1;-1,-1,-1"), _grid("2,2,2;2,2,2;2,2,2")),
            _same("1/27,1/27,1/27;1/27,1/27,1/27;1/27,1/27,1/27"),
            _same("0,-1/3,0;-1/3,5/3,-1/3;0,-1/3,0"),
        ),
        ("0",) * 6,
    ),
    Bank(
        "edges",
        "Edges in four directions (grey)",
        "Four 3×3 filters on the grey picture (luma): Sobel for left to right and top to bottom, and two "
        "diagonals. A positive value means brighter on the side of the positive weights.",
        ("Vertical edges", "Horizontal edges", "Diagonal ↘", "Diagonal ↙"),
        (
            (_grid(SOBEL_X),),
            (_grid(SOBEL_Y),),
            (_grid("-2,-1,0;-1,0,1;0,1,2"),),
            (_grid("0,-1,-2;1,0,-1;2,1,0"),),
        ),
        ("0",) * 4,
    ),
    Bank(
        "opponents",
        "Colour opponents, 1×1 (colour)",
        "1×1 filters look at one pixel only: they mix its red, green and blue. Brightness adds them up; red − green "
        "and blue − yellow (yellow is red + green) are the colour channels of the eye and of many trained networks.",
        ("Brightness", "Red − green", "Blue − yellow"),
        (
            (_grid("1/3"), _grid("1/3"), _grid("1/3")),
            (_grid("1"), _grid("-1"), _grid("0")),
            (_grid("-1/2"), _grid("-1/2"), _grid("1")),
        ),
        ("0", "0", "0"),
    ),
    Bank(
        "depthwise",
        "Vertical edges in each channel (depthwise)",
        "groups = 3: each filter reads one channel only, red, green or blue, with its own 3×3 grid. Depthwise layers "
        "like this one cost a third of a standard layer with as many filters.",
        ("Edges in red", "Edges in green", "Edges in blue"),
        ((_grid(SOBEL_X),), (_grid(SOBEL_X),), (_grid(SOBEL_X),)),
        ("0", "0", "0"),
        groups=3,
    ),
)


def _learned(path: Path) -> Bank:
    record = json.loads(path.read_text(encoding="utf-8"))
    filters = record["filters"]
    accuracy = float(record["held_out_accuracy"])
    return Bank(
        "digits",
        "Learned from handwritten digits (grey)",
        f"The first layer of a small network that learned to read 8×8 handwritten digits (bright ink on dark): "
        f"{len(filters)} filters of 3×3 and their biases, found by gradient descent. The network read "
        f"{accuracy:.1%} of the digits it had never seen correctly. On a photo they respond to bright strokes "
        "in their own directions.",
        tuple(f"Learned {index + 1}" for index in range(len(filters))),
        tuple((tuple(tuple(format_number(w) for w in row) for row in grid),) for grid in filters),
        tuple(format_number(b) for b in record["bias"]),
        accuracy=accuracy,
    )


@cache
def load_banks() -> dict[str, Bank]:
    """Every bank by name, the hand-made ones first; read once."""
    banks = {bank.name: bank for bank in HAND_MADE}
    learned = _learned(DIGITS_PATH)
    banks[learned.name] = learned
    return banks


def digits_record() -> dict:
    """The learned bank's JSON record: how it was made and the accuracy reached."""
    return json.loads(DIGITS_PATH.read_text(encoding="utf-8"))


def matching_bank(weights: np.ndarray, bias: np.ndarray, groups: int) -> str | None:
    """The name of the bank with exactly these weights, biases and groups, or None."""
    for bank in load_banks().values():
        same_shape = bank.groups == groups and bank.weights.shape == np.shape(weights)
        if same_shape and np.array_equal(bank.weights, weights) and np.array_equal(bank.bias, bias):
            return bank.name
    return None
