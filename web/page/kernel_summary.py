"""What the page says about the kernel in use: its preset's words or a hand-made kernel's facts, and a large
kernel drawn as a heat map."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import numpy as np

from imaging.images import encode_png
from kernels.library.presets import Preset
from kernels.teaching.display import render
from web.page.page_view import Heatmap


@dataclass
class KernelInfo:
    """What the page says about the kernel in use: its preset's text, or a line for a hand-made one. Its numbers
    (sum, separability, rank) are the kernel facts' (:mod:`kernels.teaching.properties`), worked out once there."""

    title: str
    text: str
    written_for: str
    zero_sum: bool
    flip_symmetric: bool

    @property
    def lead(self) -> str:
        """The first sentence of :attr:`text`: what the kernel does, said where it is chosen."""
        head, dot, _ = self.text.partition(". ")
        return head + "." if dot else self.text


def kernel_info(weights: np.ndarray, preset: Preset | None, title: str = "") -> KernelInfo:
    """The preset's words when the kernel is one, else ``title`` (a generator's name) or "Your own kernel"; whether
    its weights add up to 0 and whether it is the same turned 180°."""
    symmetric = bool(np.array_equal(weights, weights[::-1, ::-1]))
    if preset is not None:
        title, text, written_for = preset.title, preset.text, preset.written_for
    else:
        title, written_for = title or "Your own kernel", ""
        text = "A kernel you typed. Point at a pixel to see how its weights combine the pixels under it."
    total = preset.sum if preset is not None else float(np.sum(weights))
    return KernelInfo(title, text, written_for, zero_sum=total == 0, flip_symmetric=symmetric)


def heatmap(weights: np.ndarray) -> Heatmap:
    """A large kernel as a small PNG in the signed colour map (:data:`kernels.teaching.display.SIGNED_COLOURS`)."""
    pixels = render(np.asarray(weights, dtype=np.float64), "signed")
    data = base64.b64encode(encode_png(pixels)).decode("ascii")
    return Heatmap("data:image/png;base64," + data, int(weights.shape[0]), int(weights.shape[1]))
