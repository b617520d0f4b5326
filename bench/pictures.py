"""The output pictures as the page could send them: size, encode time and fidelity of each format.

Printed by ``python -m bench.bench`` (``--png`` adds it to ``--quick``). The pictures: the 512² RGB astronaut
after the ``sharpen`` and the ``blur`` presets (clamp display), its grey version likewise, and the same four
for a 512×384 picture downsized (Pillow LANCZOS) from the 4000×3000 photo, which is what a phone photo becomes
at the default working size. Each is encoded as the page preview (:func:`imaging.preview.encode_preview`: its
media type and PSNR), Pillow PNG at ``compress_level=1``, our stored PNG (:func:`imaging.images.encode_png`),
its ``compact=True`` form and lossless WebP (method 0): median encode ms, size in KB (1000 bytes) and PSNR
measured by decoding (∞ when exact). Target: the preview of the 512² RGB sharpen output is at most 225 KB.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable

import numpy as np
import PIL
from PIL import Image

from bench.timing import median_times, picture_label, print_grid, rounds_text
from imaging.images import encode_png, to_engine_input
from imaging.preview import encode_preview, psnr_db
from imaging.samples import load_sample
from kernels.engine import filter_image
from kernels.library.presets import load_presets
from kernels.teaching.display import render

BIG_SIZE = (4000, 3000)
"""Width and height of the big photo: what a 12-megapixel phone camera takes."""


@functools.cache
def _big_astronaut() -> np.ndarray:
    """The astronaut resized to :data:`BIG_SIZE` with Pillow's LANCZOS: uint8 (H, W, 3)."""
    photo = Image.fromarray(np.ascontiguousarray(load_sample("astronaut")), "RGB")
    return np.asarray(photo.resize(BIG_SIZE, Image.Resampling.LANCZOS))


@functools.cache
def big_photo(color: str) -> np.ndarray:
    """A photo-like float32 image of :data:`BIG_SIZE`: (H, W) for "gray", (H, W, 3) for "rgb".

    The astronaut resized with LANCZOS (:func:`_big_astronaut`), as the engine gets it
    (:func:`imaging.images.to_engine_input`), plus Gaussian noise of σ = 2 grey levels, clipped to 0…255.
    The same pixels every run; cached, as it takes a second or two.
    """
    image = to_engine_input(_big_astronaut(), color)
    noise = np.random.default_rng(12).standard_normal(image.shape, dtype=np.float32)
    image += 2.0 * noise
    return np.clip(image, 0, 255, out=image)


PREVIEW_LIMIT_KB = 225.0
"""Target: the page preview of the 512² RGB astronaut after ``sharpen``, in KB (1000 bytes)."""

SMALL_PHOTO_SIZE = (512, 384)
"""The big photo downsized to this (width, height): a phone photo at the default working size."""


def _pillow(pixels: np.ndarray, **params: object) -> bytes:
    """uint8 pixels encoded by Pillow with these ``save`` parameters (the array-to-image copy included)."""
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(pixels)).save(buffer, **params)
    return buffer.getvalue()


def _encoders(pixels: np.ndarray) -> dict[str, Callable[[], bytes]]:
    """The contenders of the picture table, by the name the table gives them (the preview's is set later)."""
    return {
        "preview": lambda: encode_preview(pixels).data,
        "Pillow PNG level 1": lambda: _pillow(pixels, format="PNG", compress_level=1),
        "encode_png (stored)": lambda: encode_png(pixels),
        "encode_png compact": lambda: encode_png(pixels, compact=True),
        "WebP lossless m0": lambda: _pillow(pixels, format="WEBP", lossless=True, method=0),
    }


def picture_table(rounds: int) -> None:
    """Print the encoded size, median encode ms and PSNR of each output picture in each format.

    The pictures: the 512² RGB astronaut after the ``sharpen`` and ``blur`` presets (clamp display), in RGB
    and grey (:func:`imaging.images.to_engine_input`), and the same for the :data:`SMALL_PHOTO_SIZE` picture
    downsized with LANCZOS from the RGB :func:`big_photo`. The formats are timed interleaved by
    :func:`median_times`; the PSNR is measured by decoding the bytes (∞ when they give the pixels back
    exactly). One target: the preview of the 512² RGB sharpen output is at most :data:`PREVIEW_LIMIT_KB`.
    """
    presets = load_presets(None)
    big = np.rint(big_photo("rgb")).astype(np.uint8)
    small = np.asarray(Image.fromarray(big, "RGB").resize(SMALL_PHOTO_SIZE, Image.Resampling.LANCZOS))
    sources = (("astronaut", np.ascontiguousarray(load_sample("astronaut"))), ("from 4000×3000", small))
    header = ("picture", "format", "bytes", "KB", "encode ms", "PSNR dB", "target", "check")
    lines = []
    for source, rgb in sources:
        for color in ("rgb", "gray"):
            for preset in ("sharpen", "blur"):
                raw = filter_image(to_engine_input(rgb, color), presets[preset].weights).raw
                pixels = render(raw, "clamp")
                picture = f"{picture_label(pixels)} {preset}, {source}"
                encoders = _encoders(pixels)
                ms = {name: seconds * 1e3 for name, seconds in median_times(encoders, rounds).items()}
                preview = encode_preview(pixels)
                for name, encode in encoders.items():
                    data = encode()
                    with Image.open(io.BytesIO(data)) as decoded:
                        back = np.asarray(decoded.convert("L" if pixels.ndim == 2 else "RGB"))
                    fidelity = psnr_db(pixels, back)
                    label = f"preview {preview.media_type}" if name == "preview" else name
                    target, check = "", ""
                    if name == "preview" and preset == "sharpen" and color == "rgb" and source == "astronaut":
                        target = f"≤ {PREVIEW_LIMIT_KB:g} KB"
                        check = "PASS" if len(data) / 1000 <= PREVIEW_LIMIT_KB else "FAIL"
                    lines.append(
                        (
                            picture,
                            label,
                            f"{len(data):,}",
                            f"{len(data) / 1000:.1f}",
                            f"{ms[name]:.2f}",
                            "∞" if fidelity == float("inf") else f"{fidelity:.2f}",
                            target,
                            check,
                        )
                    )
    features = ", ".join(f"{name} {PIL.features.version(name)}" for name in ("zlib", "jpg", "webp"))
    print(
        f"\nOutput pictures as the page could send them (Pillow {PIL.__version__}: {features}); median encode ms "
        f"over {rounds_text(rounds)}, formats interleaved; KB = 1000 bytes; PSNR from the decoded bytes:"
    )
    print_grid(header, lines, left={0, 1, 6, 7})
