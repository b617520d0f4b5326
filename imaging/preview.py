"""Pictures for the page over a network: small, and visually the same as the exact output.

The exact output is a PNG (``/api/output.png``, downloads). A sharpened photo is noise-like, so no lossless
format gets it small: 512×512 RGB is 570–600 KB as lossless WebP or PNG. A page that draws it 440 px wide
gets a JPEG instead, checked against the exact pixels before it is sent:

* 4:4:4 (no chroma subsampling), since colour edges are what the kernels make;
* one flat quantisation table for every frequency: for a given size it keeps the mean squared error (and so
  PSNR) lower than the standard tables, which spend their bits on low frequencies a sharpened photo has little of;
* the coarsest step of :data:`JPEG_STEPS` whose decoded pixels are within :data:`MIN_PSNR_DB` of the exact
  ones; a picture no step reaches is sent losslessly.

Pictures drawn blown up (anything narrower than :data:`LOSSY_MIN_WIDTH`: the 32×32 face, the patterns, an
output shrunk by a stride) are always lossless PNG, where a JPEG block would show.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image

from imaging.images import encode_png

MIN_PSNR_DB = 35.5
"""Every lossy preview is at least this close to the exact pixels (peak signal-to-noise ratio, in dB)."""

JPEG_STEPS = (9, 7, 5, 3)
"""Quantisation steps tried, coarsest (smallest file) first; each is one flat 8×8 table for all channels.
Every bundled photo under every Setosa kernel passes at 9, so an edit usually costs one encode and one decode."""

LOSSY_MIN_WIDTH = 352
"""Narrowest picture, in pixels, that may be sent lossy: the pages draw pictures at most 440 CSS px wide,
so from here on a picture is magnified by at most 1.25×, and narrower ones (or anything drawn with
``image-rendering: pixelated`` larger than it is) stay lossless."""


@dataclass(frozen=True)
class Preview:
    """An encoded picture for the page.

    ``media_type`` is ``image/jpeg`` or ``image/png``; ``psnr_db`` is the measured fidelity of a JPEG
    (None for a lossless PNG, which is exact).
    """

    data: bytes
    media_type: str
    psnr_db: float | None = None

    @property
    def lossy(self) -> bool:
        return self.psnr_db is not None


def is_lossy_size(width: int, height: int) -> bool:
    """Whether a picture of this size (pixels) is drawn at or near its own size and so may be sent lossy."""
    return width >= LOSSY_MIN_WIDTH and height >= 8


def psnr_db(exact: np.ndarray, approx: np.ndarray) -> float:
    """Peak signal-to-noise ratio of two uint8 pictures of one shape, in dB (infinity when equal)."""
    difference = np.subtract(exact, approx, dtype=np.float32).ravel()
    mse = float(np.dot(difference, difference)) / difference.size
    return float("inf") if mse == 0 else 10.0 * float(np.log10(255.0**2 / mse))


def _jpeg(image: Image.Image, step: int) -> bytes:
    table = [step] * 64
    buffer = io.BytesIO()
    tables = [table] if image.mode == "L" else [table, table, table]
    # Optimised Huffman tables: about 8 % smaller for about 3 ms more on 512² RGB.
    image.save(buffer, "JPEG", qtables=tables, subsampling=0, optimize=True)
    return buffer.getvalue()


def encode_preview(pixels: np.ndarray) -> Preview:
    """The picture to show for uint8 pixels, (H, W) grey or (H, W, 3) RGB.

    Lossless PNG when the picture is narrower than :data:`LOSSY_MIN_WIDTH`; otherwise the smallest JPEG of
    :data:`JPEG_STEPS` with a PSNR of at least :data:`MIN_PSNR_DB` (measured by decoding it), or a lossless
    PNG when none is. About 3–9 ms for 512×512 RGB.
    """
    height, width = pixels.shape[:2]
    if is_lossy_size(width, height) and (lossy := encode_lossy(pixels)) is not None:
        return lossy
    return Preview(encode_png(pixels, compact=True), "image/png")


def encode_lossy(pixels: np.ndarray) -> Preview | None:
    """The smallest JPEG of :data:`JPEG_STEPS` whose decoded pixels are within :data:`MIN_PSNR_DB` of uint8
    ``pixels``, (H, W) grey or (H, W, 3) RGB, whatever their size; None when no step is."""
    image = Image.fromarray(np.ascontiguousarray(pixels))
    for step in JPEG_STEPS:
        data = _jpeg(image, step)
        fidelity = psnr_db(pixels, np.asarray(Image.open(io.BytesIO(data))))
        if fidelity >= MIN_PSNR_DB:
            return Preview(data, "image/jpeg", fidelity)
    return None
