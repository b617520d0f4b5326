"""What the page says about the kernel in use: its preset's words or a hand-made kernel's facts, and a large
kernel drawn as a heat map."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import numpy as np

from imaging.images import encode_png
from kernels.library.presets import Preset
from kernels.library.separability import is_separable
from kernels.options import Options
from kernels.teaching.display import render
from web.page.page_view import Heatmap
from web.present.panel import fmt


@dataclass
class KernelInfo:
    """What the page says about the kernel in use: its preset's text, or the facts of a hand-made one."""

    title: str
    text: str
    written_for: str
    sum: str
    sum_meaning: str
    separable: bool
    factors: tuple[str, str] | None
    rank: int
    zero_sum: bool
    flip_symmetric: bool

    @property
    def lead(self) -> str:
        """The first sentence of :attr:`text`: what the kernel does, said where it is chosen."""
        head, dot, _ = self.text.partition(". ")
        return head + "." if dot else self.text


def kernel_info(weights: np.ndarray, preset: Preset | None, options: Options, title: str = "") -> KernelInfo:
    """The kernel's sum and what it means, separability and rank; the preset's words when it is one, else
    ``title`` (a generator's name) or "Your own kernel"."""
    symmetric = bool(np.array_equal(weights, weights[::-1, ::-1]))
    if preset is not None:
        total, separable, factors, rank = preset.sum, preset.separable, preset.factors, preset.rank
        title, text, written_for = preset.title, preset.text, preset.written_for
    else:
        total = float(np.sum(weights))
        separable, factors, rank = is_separable(weights)
        title, written_for = title or "Your own kernel", ""
        text = "A kernel you typed. Point at a pixel to see how its weights combine the pixels under it."
    factor_texts = None
    if separable and factors is not None:
        factor_texts = (_vector(factors[0]), _vector(factors[1]))
    return KernelInfo(
        title,
        text,
        written_for,
        fmt(total),
        sum_meaning(total),
        separable,
        factor_texts,
        rank,
        zero_sum=total == 0,
        flip_symmetric=symmetric,
    )


def _vector(values: np.ndarray) -> str:
    """A factor of a separable kernel, shortened when long: ``1, 1, 1, …, 1 (21 values)``."""
    texts = [fmt(v) for v in values]
    if len(texts) <= 7:
        return ", ".join(texts)
    return ", ".join(texts[:3]) + ", …, " + texts[-1] + f" ({len(texts)} values)"


def sum_meaning(total: float) -> str:
    if abs(total - 1) < 1e-9:
        return "keeps the overall brightness"
    if abs(total) < 1e-9:
        return "flat areas become 0: it responds only to changes, like edges"
    if total > 1:
        return "brightens: flat areas get brighter"
    if total > 0:
        return "darkens: flat areas get darker"
    return "turns flat areas negative (display decides what you see)"


def heatmap(weights: np.ndarray) -> Heatmap:
    """A large kernel as a small PNG in the signed colour map (:data:`kernels.teaching.display.SIGNED_COLOURS`)."""
    pixels = render(np.asarray(weights, dtype=np.float64), "signed")
    data = base64.b64encode(encode_png(pixels)).decode("ascii")
    return Heatmap("data:image/png;base64," + data, int(weights.shape[0]), int(weights.shape[1]))
