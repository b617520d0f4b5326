"""Rebuild the bundled sample photos in ``imaging/data/samples/`` from scikit-image's wheel.

The photos are the public-domain and CC0 images that scikit-image ships in ``skimage/data/``
(credits and licences: ``imaging/data/samples/LICENSES.md``). They are read straight out of
the wheel (a zip file), stripped of metadata (the colour profiles are plain sRGB, which is what
browsers assume anyway) and re-encoded as optimised PNG with the original pixels and sizes.
``face.png`` is the astronaut's face, cropped and reduced to 32×32 by averaging 3×3 blocks.

Usage::

    pip download --no-deps scikit-image==0.26.0 -d /tmp/skimage-wheel
    python tools/build_samples.py /tmp/skimage-wheel/scikit_image-0.26.0-*.whl
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
import zipfile
from pathlib import Path

from PIL import Image

OUT_DIR = Path(__file__).resolve().parent.parent / "kernels" / "data" / "samples"

PHOTOS = ("astronaut", "camera", "chelsea", "coffee", "brick")
"""Files taken from ``skimage/data/<name>.png``; grey ones stay grey (mode L) on disk."""

FACE_BOX = (174, 64, 270, 160)
"""Left, top, right, bottom of the astronaut's face in the 512×512 photo: 96×96 px."""

FACE_FACTOR = 3
"""96 / 3 = 32: each face pixel is the mean of a 3×3 block of the photo."""


def read_photo(wheel: zipfile.ZipFile, name: str) -> Image.Image:
    """The decoded photo ``name`` from the wheel, in its own mode (RGB or L), without metadata."""
    with wheel.open(f"skimage/data/{name}.png") as member:
        image = Image.open(io.BytesIO(member.read()))
        image.load()
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    # A fresh image carries pixels only: no ICC profile, text chunks or dpi.
    return Image.frombytes(image.mode, image.size, image.tobytes())


def face_from(astronaut: Image.Image) -> Image.Image:
    """The 32×32 RGB face used by the "an image is a matrix" section."""
    face = astronaut.crop(FACE_BOX).reduce(FACE_FACTOR)
    if face.size != (32, 32):
        raise SystemExit(f"face crop came out {face.size}, expected (32, 32)")
    return face


def save_png(image: Image.Image, path: Path) -> None:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    path.write_bytes(buffer.getvalue())
    digest = hashlib.sha256(buffer.getvalue()).hexdigest()[:16]
    print(f"{path.name:14s} {image.mode:3s} {image.width:4d}×{image.height:<4d} {path.stat().st_size:8,d} B  {digest}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wheel", type=Path, help="scikit-image wheel (.whl) downloaded with pip")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help=f"output folder (default: {OUT_DIR})")
    args = parser.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    print(f"wheel sha256 {hashlib.sha256(args.wheel.read_bytes()).hexdigest()}")
    with zipfile.ZipFile(args.wheel) as wheel:
        photos = {name: read_photo(wheel, name) for name in PHOTOS}
    for name, image in photos.items():
        save_png(image, args.out / f"{name}.png")
    save_png(face_from(photos["astronaut"]), args.out / "face.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
