"""A camera-sized photo for the latency benchmark, and its upload to the app.

:func:`make_big_photo` writes a 4000×3000 JPEG that compresses like a photo from a phone or a camera: the
astronaut sample scaled up (Lanczos), with Gaussian noise (σ = 3 levels, like a sensor's) so it is not
smoother than a real one, at quality 90: a few MB. :func:`upload` sends a file to ``POST /api/images`` from
Python, outside the browser and its emulated network: its own transfer time is not what is measured.
"""

from __future__ import annotations

import json
import mimetypes
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from imaging.samples import load_sample

SIZE = (4000, 3000)
NOISE_SIGMA = 3.0
QUALITY = 90
DESCRIPTION = (
    f"built-in {SIZE[0]}×{SIZE[1]} JPEG (astronaut scaled up with Lanczos, noise σ {NOISE_SIGMA:g}, quality {QUALITY})"
)


def make_big_photo(path: Path, seed: int = 2026) -> None:
    """Write the built-in big photo to ``path`` (a JPEG)."""
    height = SIZE[1]
    big = np.asarray(Image.fromarray(load_sample("astronaut")).resize(SIZE, Image.Resampling.LANCZOS))
    rng = np.random.default_rng(seed)
    noisy = np.empty_like(big)
    for top in range(0, height, 500):  # in bands, to keep the float copies small
        band = big[top : top + 500].astype(np.float32)
        band += rng.standard_normal(band.shape, dtype=np.float32) * NOISE_SIGMA
        noisy[top : top + 500] = np.clip(np.rint(band), 0, 255)
    Image.fromarray(noisy).save(path, "JPEG", quality=QUALITY)


def upload(base: str, path: Path) -> dict[str, Any]:
    """Upload ``path`` as the multipart field ``file`` of ``POST /api/images``; the app's answer (``id``,
    ``width``, ``height``). Raises RuntimeError with the app's message when it refuses the file."""
    boundary = uuid.uuid4().hex
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        f"Content-Type: {mime}\r\n\r\n"
    )
    body = head.encode() + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        base + "/api/images",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            return json.loads(answer.read())
    except urllib.error.HTTPError as error:
        raise RuntimeError(
            f"the app refused {path}: {error.code} {error.read().decode(errors='replace')[:500]}"
        ) from error
