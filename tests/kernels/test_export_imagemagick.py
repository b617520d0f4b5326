"""The exported ImageMagick command, run with Debian's ImageMagick 6 on the app's input PNG.

For every combination the command claims to reproduce (no note but the 8-bit truncation one), its
output.png must match the page's displayed output within 1 grey level. Settings it cannot express
must be named in its notes.
"""

from __future__ import annotations

import io
import itertools
import random
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from imaging.images import encode_png, to_engine_input
from kernels.engine import filter_image
from kernels.exports import export
from kernels.options import OPS, Options
from kernels.teaching.display import render
from tests.conftest import require_tool
from tests.kernels.test_export_python import KERNELS

_rng = np.random.default_rng(44)
PHOTO = _rng.integers(0, 256, (20, 17, 3), dtype=np.uint8)
BLUR = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16

EDGES = [
    ("extend", {}),
    ("wrap", {}),
    ("symmetric", {}),
    ("constant", {"cval": 37.5}),
    ("constant", {"cval": 0.0}),
    ("crop", {}),
    ("kernel-crop", {}),
]
VARIANTS = [
    ("sharpen", {}),
    ("sobel", {"origin": (0, 2), "dilation": (2, 1), "stride": (2, 3), "offset": 10.0}),
    ("even", {"normalize": True, "divisor": 2.5, "offset": -3.0, "origin": (1, 0)}),
    ("tall", {"dilation": (1, 2), "stride": (3, 1), "divisor": -4.0}),
]
COMBINATIONS = list(itertools.product(OPS, EDGES, VARIANTS, ("gray", "rgb"), ("clamp", "abs", "midgray")))
SAMPLED = random.Random(4).sample(COMBINATIONS, 40)

# Repeat is exact when no pass can leave 0…255 (non-negative weights adding up to at most 1).
REPEATS = [
    (BLUR, Options(repeat=3), "gray", "clamp"),
    (BLUR, Options(repeat=2, edge="crop", stride=(2, 1)), "rgb", "clamp"),
    (BLUR, Options(repeat=2, edge="constant", cval=200.0, op="convolve", origin=(0, 0)), "gray", "clamp"),
    (np.ones((2, 3)), Options(repeat=4, normalize=True, divisor=2.0, offset=60.0), "rgb", "clamp"),
]


@pytest.fixture(scope="module")
def convert() -> str:
    """The path of ImageMagick 6's convert; skips (fails under CI=true) when it is missing."""
    # Debian's own first: another `convert` earlier on the PATH may be a different program.
    path = "/usr/bin/convert" if Path("/usr/bin/convert").is_file() else shutil.which("convert")
    version = ""
    if path is not None:
        completed = subprocess.run([path, "-version"], capture_output=True, text=True, timeout=30)
        version = completed.stdout if completed.returncode == 0 else ""
    require_tool("ImageMagick 6" in version, "ImageMagick 6 (Debian package imagemagick)")
    return path


def run_command(command: str, input_png: bytes, folder: Path, color: str) -> np.ndarray:
    """Run the exported command in ``folder`` on ``input_png``; return output.png as grey or RGB pixels."""
    (folder / "input.png").write_bytes(input_png)
    completed = subprocess.run(["bash", "-c", command], cwd=folder, capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    with Image.open(io.BytesIO((folder / "output.png").read_bytes())) as output:
        return np.asarray(output.convert("L" if color == "gray" else "RGB"))


def check_command(kernel, options, color, display, folder: Path) -> None:
    image = to_engine_input(PHOTO, color)
    input_png = encode_png(np.clip(np.rint(image), 0, 255).astype(np.uint8))  # as /api/input.png sends it
    expected = render(filter_image(image, kernel, options).raw, display)
    exported = export("imagemagick", kernel, options, color, display, "x", image_shape=image.shape)
    assert [note for note in exported.notes if "truncates" not in note] == []
    shown = run_command(exported.text, input_png, folder, color)
    assert shown.shape == expected.shape
    worst = int(np.abs(shown.astype(int) - expected.astype(int)).max())
    assert worst <= 1, f"{worst} grey levels apart\n{exported.text}"


@pytest.mark.usefixtures("convert")
@pytest.mark.parametrize(
    ("op", "edge", "variant", "color", "display"),
    SAMPLED,
    ids=[f"{o}-{e[0]}-{v[0]}-{c}-{d}" for o, e, v, c, d in SAMPLED],
)
def test_command_reproduces_the_displayed_output(op, edge, variant, color, display, tmp_path) -> None:
    (edge_mode, edge_settings), (kernel_name, settings) = edge, variant
    if edge_mode == "kernel-crop":
        kernel_name = "sobel"  # weights adding up to 0: kernel-crop is zero padding, which ImageMagick can do
    options = Options(op=op, edge=edge_mode, **edge_settings, **settings)
    check_command(KERNELS[kernel_name], options, color, display, tmp_path)


@pytest.mark.usefixtures("convert")
@pytest.mark.parametrize(("kernel", "options", "color", "display"), REPEATS)
def test_command_repeats_passes(kernel, options, color, display, tmp_path) -> None:
    check_command(kernel, options, color, display, tmp_path)


@pytest.mark.parametrize(
    ("kernel", "options", "display", "words"),
    [
        ("gaussian", Options(edge="mirror"), "clamp", "ImageMagick has no mirror edge"),
        ("gaussian", Options(edge="kernel-crop"), "clamp", "no kernel-crop edge mode"),
        ("sobel", Options(), "stretch", "cannot show the 'stretch' display"),
        ("sobel", Options(), "signed", "cannot show the 'signed' display"),
        ("sobel", Options(repeat=2), "abs", "cannot show the 'abs' display with repeat"),
        ("sobel", Options(repeat=2), "clamp", "clipped before the next one"),
        ("gaussian", Options(edge="constant", cval=300), "clamp", "fill value 300 is clipped"),
    ],
)
def test_what_imagemagick_cannot_do_is_said(kernel, options, display, words) -> None:
    exported = export("imagemagick", KERNELS[kernel], options, "gray", display, "x", image_shape=(20, 17))
    assert any(words in note for note in exported.notes)
    assert words.split()[-1] in exported.text.split("convert input.png")[0]


def test_kernels_too_large_for_a_command_line_are_explained() -> None:
    exported = export("imagemagick", np.ones((63, 63)), Options(dilation=(2, 2)), "gray", "clamp", "x")
    assert "125×125 pixels" in exported.notes[0]
    assert "convert input.png" not in exported.text and "Python exports" in exported.text


def test_command_reads_input_png_and_names_the_settings() -> None:
    text = export(
        "imagemagick", BLUR, Options(op="convolve", offset=128), "gray", "clamp", "x", query="image=camera&kernel=blur"
    ).text
    assert "convert input.png \\\n" in text and text.endswith("  output.png\n")
    assert "/api/input.png?image=camera&kernel=blur" in text
    assert "-morphology Convolve '3x3+1+1:" in text
    assert "-define convolve:scale=0.0625" in text
    assert "-bias 50.19607843137255%" in text


@pytest.mark.usefixtures("convert")
def test_unsupported_settings_still_give_a_command_that_runs(tmp_path) -> None:
    exported = export("imagemagick", BLUR, Options(edge="mirror"), "gray", "stretch", "x", image_shape=(20, 17))
    image = to_engine_input(PHOTO, "gray")
    shown = run_command(exported.text, encode_png(image.astype(np.uint8)), tmp_path, "gray")
    assert shown.shape == (20, 17)
