"""decode_upload: the accepted formats, orientation, transparency and colour modes."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, ImageFile

from imaging.images import decode_upload
from kernels.errors import InputError


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def pattern(width: int = 12, height: int = 8) -> np.ndarray:
    """A small RGB image in which every pixel differs, to catch flips and channel swaps."""
    y, x = np.mgrid[0:height, 0:width]
    return np.stack([x * 20, y * 30, (x + y) * 7 + 5], axis=2).astype(np.uint8)


@pytest.mark.parametrize(
    ("fmt", "options"),
    [("PNG", {}), ("BMP", {}), ("WEBP", {"lossless": True}), ("GIF", {})],
)
def test_lossless_formats_round_trip(fmt, options):
    pixels = pattern()
    image = Image.fromarray(pixels)
    if fmt == "GIF":  # at most 256 colours: give GIF an image it can hold exactly
        image = image.quantize(colors=64)
        pixels = np.asarray(image.convert("RGB"))
    decoded = decode_upload(encoded(image, fmt, **options))
    assert decoded.dtype == np.uint8
    assert decoded.shape == (8, 12, 3)
    assert np.array_equal(decoded, pixels)


def test_jpeg_decodes_close_to_the_original():
    pixels = np.zeros((16, 32, 3), np.uint8)
    pixels[:, :16] = (200, 40, 40)
    pixels[:, 16:] = (30, 60, 210)
    decoded = decode_upload(encoded(Image.fromarray(pixels), "JPEG", quality=95))
    assert decoded.shape == (16, 32, 3)
    assert np.abs(decoded.astype(int) - pixels).mean() < 4


def test_gif_gives_the_first_frame():
    red = Image.new("RGB", (6, 4), (255, 0, 0))
    blue = Image.new("RGB", (6, 4), (0, 0, 255))
    data = encoded(red, "GIF", save_all=True, append_images=[blue], duration=100, loop=0)
    assert Image.open(io.BytesIO(data)).n_frames == 2
    decoded = decode_upload(data)
    assert decoded.shape == (4, 6, 3)
    assert (decoded == (255, 0, 0)).all()


def test_animated_webp_gives_the_first_frame():
    frames = [Image.new("RGB", (5, 3), colour) for colour in ((0, 200, 0), (200, 0, 200))]
    data = encoded(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True, duration=50)
    assert Image.open(io.BytesIO(data)).n_frames == 2
    assert (decode_upload(data) == (0, 200, 0)).all()


def test_exif_orientation_6_is_rotated_clockwise():
    # Stored 32 wide × 16 tall, red on the left; orientation 6 means "rotate 90° clockwise to view",
    # which puts the red half on top of a 16 wide × 32 tall picture.
    stored = np.zeros((16, 32, 3), np.uint8)
    stored[:, :16] = (220, 20, 20)
    stored[:, 16:] = (20, 20, 220)
    exif = Image.Exif()
    exif[0x0112] = 6
    decoded = decode_upload(encoded(Image.fromarray(stored), "JPEG", quality=95, exif=exif.tobytes()))
    assert decoded.shape == (32, 16, 3)
    assert decoded[4, 8, 0] > 180 and decoded[4, 8, 2] < 60
    assert decoded[28, 8, 2] > 180 and decoded[28, 8, 0] < 60


def test_exif_orientation_in_png_is_applied_too():
    stored = pattern(6, 4)
    exif = Image.Exif()
    exif[0x0112] = 3  # upside down
    decoded = decode_upload(encoded(Image.fromarray(stored), "PNG", exif=exif.tobytes()))
    assert np.array_equal(decoded, stored[::-1, ::-1])


def test_alpha_is_composited_on_white():
    rgba = np.zeros((2, 3, 4), np.uint8)
    rgba[0, 0] = (255, 0, 0, 255)  # opaque red
    rgba[0, 1] = (255, 0, 0, 0)  # fully transparent red → white
    rgba[0, 2] = (0, 0, 0, 128)  # half-transparent black → mid grey
    rgba[1] = (0, 0, 255, 255)
    decoded = decode_upload(encoded(Image.fromarray(rgba, "RGBA"), "PNG"))
    assert tuple(decoded[0, 0]) == (255, 0, 0)
    assert tuple(decoded[0, 1]) == (255, 255, 255)
    assert all(abs(int(v) - 127) <= 1 for v in decoded[0, 2])
    assert (decoded[1] == (0, 0, 255)).all()


def test_grey_with_alpha_and_palette_transparency_end_on_white():
    la = Image.fromarray(np.array([[[10, 255], [10, 0]]], np.uint8), "LA")
    assert decode_upload(encoded(la, "PNG")).tolist() == [[[10, 10, 10], [255, 255, 255]]]

    palette = Image.new("P", (2, 1))
    palette.putpalette([0, 128, 0, 9, 9, 9])
    palette.putdata([0, 1])
    data = encoded(palette, "PNG", transparency=1)
    assert decode_upload(data).tolist() == [[[0, 128, 0], [255, 255, 255]]]
    gif = encoded(palette, "GIF", transparency=1)
    assert decode_upload(gif).tolist() == [[[0, 128, 0], [255, 255, 255]]]


def test_transparent_colour_key_in_rgb_png():
    pixels = np.full((1, 2, 3), 40, np.uint8)
    pixels[0, 1] = (1, 2, 3)
    decoded = decode_upload(encoded(Image.fromarray(pixels), "PNG", transparency=(1, 2, 3)))
    assert decoded.tolist() == [[[40, 40, 40], [255, 255, 255]]]


@pytest.mark.parametrize(
    ("mode", "fmt"),
    [("L", "PNG"), ("1", "BMP"), ("P", "PNG"), ("P", "BMP"), ("L", "JPEG"), ("CMYK", "JPEG"), ("RGBA", "WEBP")],
)
def test_every_mode_ends_as_rgb_uint8(mode, fmt):
    image = Image.fromarray(pattern()).convert(mode)
    decoded = decode_upload(encoded(image, fmt, **({"lossless": True} if fmt == "WEBP" else {})))
    assert decoded.dtype == np.uint8
    assert decoded.shape == (8, 12, 3)
    expected = np.asarray(image.convert("RGB"), dtype=int)
    tolerance = 12 if fmt == "JPEG" else 0
    assert np.abs(decoded.astype(int) - expected).max() <= tolerance


def test_sixteen_bit_grey_is_scaled_not_clipped():
    values = np.array([[0, 257, 32896, 65535]], np.uint16)
    decoded = decode_upload(encoded(Image.fromarray(values), "PNG"))
    assert decoded[..., 0].tolist() == [[0, 1, 128, 255]]
    assert (decoded[..., 0] == decoded[..., 2]).all()


def test_sixteen_bit_rgb_png_keeps_the_high_bytes():
    # A 48-bit RGB PNG written by hand (Pillow cannot write one): two pixels.
    rows = b"\0" + struct.pack(">6H", 65535, 0, 32896, 0, 257, 65535)
    ihdr = struct.pack(">IIBBBBB", 2, 1, 16, 2, 0, 0, 0)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    assert decode_upload(data).tolist() == [[[255, 0, 128], [0, 1, 255]]]


def test_the_result_is_a_new_writable_array():
    decoded = decode_upload(encoded(Image.fromarray(pattern()), "PNG"))
    assert decoded.flags.c_contiguous and decoded.flags.writeable


def test_truncated_images_are_never_padded():
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    noise = np.random.default_rng(1).integers(0, 256, (40, 40, 3), dtype=np.uint8)
    for fmt in ("PNG", "JPEG"):
        data = encoded(Image.fromarray(noise), fmt)
        with pytest.raises(InputError) as refused:
            decode_upload(data[: len(data) // 2])
        assert refused.value.field == "file"
        assert refused.value.kind == "invalid"
        assert f"{fmt} file" in str(refused.value)


def test_multi_picture_jpeg_counts_as_jpeg_and_gives_the_first_picture():
    first = Image.new("RGB", (8, 8), (200, 10, 10))
    data = encoded(first, "MPO", save_all=True, append_images=[Image.new("RGB", (8, 8), (0, 0, 200))])
    decoded = decode_upload(data)
    assert decoded.shape == (8, 8, 3)
    assert np.abs(decoded.astype(int) - (200, 10, 10)).max() <= 6
