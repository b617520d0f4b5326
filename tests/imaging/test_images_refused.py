"""decode_upload refuses what it should, with the right kind, and never decodes a bomb."""

from __future__ import annotations

import io
import struct
import time
import zlib

import numpy as np
import pytest
from PIL import Image, ImageFile

from imaging.images import decode_upload
from kernels import limits
from kernels.errors import InputError


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_claiming(width: int, height: int, idat: bytes = b"") -> bytes:
    """A PNG whose header says width × height (8-bit grey) followed by the given compressed data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", idat or zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def zero_png(width: int, height: int) -> bytes:
    """A real, complete all-black PNG of any size, compressed row by row (tiny for huge sizes)."""
    compressor = zlib.compressobj(9)
    row = b"\0" * (width + 1)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return png_claiming(width, height, body)


def refusal(data: bytes) -> InputError:
    with pytest.raises(InputError) as refused:
        decode_upload(data)
    assert refused.value.field == "file"
    return refused.value


@pytest.fixture
def no_decoding(monkeypatch):
    """Fail the test if any pixel data is decoded."""

    def forbidden(self, *args, **kwargs):
        raise AssertionError("pixel data was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", forbidden)


@pytest.mark.parametrize(("width", "height"), [(30_000, 30_000), (5_000, 5_000), (4_097, 8), (8, 4_097)])
def test_header_sizes_over_the_limits_are_refused_before_decoding(no_decoding, width, height):
    start = time.perf_counter()
    error = refusal(png_claiming(width, height))
    assert time.perf_counter() - start < 0.5
    assert error.kind == "too_large"
    assert f"{limits.MAX_IMAGE_SIDE} px a side" in str(error)
    assert f"{limits.MAX_IMAGE_PIXELS:,} pixels" in str(error)
    assert f"{width * height:,} pixels" in str(error)


def test_a_real_bomb_is_refused_fast_without_decoding(no_decoding):
    bomb = zero_png(6_000, 6_000)  # 36 MP of zeros in about 40 kB
    assert len(bomb) < 100_000
    start = time.perf_counter()
    error = refusal(bomb)
    assert time.perf_counter() - start < 0.5
    assert error.kind == "too_large"
    assert "6000×6000" in str(error)


def test_an_image_30000_pixels_wide_is_refused():
    buffer = io.BytesIO()
    Image.new("L", (30_000, 1), 128).save(buffer, "PNG")
    error = refusal(buffer.getvalue())
    assert error.kind == "too_large"
    assert "30000×1" in str(error)


def test_the_largest_allowed_side_is_accepted():
    assert decode_upload(zero_png(limits.MAX_IMAGE_SIDE, 2)).shape == (2, limits.MAX_IMAGE_SIDE, 3)


def test_a_bomb_hidden_in_other_formats_is_refused(no_decoding):
    def gif(screen: int, frame: int) -> bytes:
        """A GIF with a square logical screen and one square frame of the given sides."""
        head = b"GIF89a" + struct.pack("<HHBBB", screen, screen, 0, 0, 0)
        return head + b"\x2c" + struct.pack("<HHHHB", 0, 0, frame, frame, 0) + b"\x02\x02\x44\x01\x00\x3b"

    bmp_info = struct.pack("<IiiHHIIiiII", 40, 9_000, 9_000, 1, 24, 0, 0, 2835, 2835, 0, 0)
    bmp = b"BM" + struct.pack("<IHHI", 14 + 40 + 64, 0, 0, 14 + 40) + bmp_info + b"\0" * 64
    for data in (gif(20_000, 1), gif(1, 20_000), gif(1, 5_000), bmp):
        assert refusal(data).kind == "too_large"


def test_empty_and_oversized_bodies():
    empty = refusal(b"")
    assert empty.kind == "invalid"
    assert "empty" in str(empty)
    huge = refusal(b"\x89PNG\r\n\x1a\n" + b"\0" * limits.MAX_UPLOAD_BYTES)
    assert huge.kind == "too_large"
    assert "10 MB" in str(huge)


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>", "SVG"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "SVG"),
        (b"%PDF-1.7\n...", "PDF"),
        (b"\x00\x00\x00\x1cftypheic\x00\x00\x00\x00", "HEIF"),
        (b"P6\n2 2\n255\n" + b"\0" * 12, "PPM"),
        (np.random.default_rng(2).integers(0, 256, 4096, dtype=np.uint8).tobytes(), "a file of an unknown kind (4 KB)"),
        (b"hello, not an image", "text, not a picture (it begins “hello, not an image”)"),
    ],
)
def test_other_formats_and_junk_are_unsupported(data, named):
    error = refusal(data)
    assert error.kind == "unsupported"
    assert "PNG, JPEG, GIF, WebP or BMP" in str(error)
    assert named in str(error)


def test_tiff_is_unsupported_even_though_pillow_reads_it():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (9, 9, 9)).save(buffer, "TIFF")
    error = refusal(buffer.getvalue())
    assert error.kind == "unsupported"
    assert "TIFF" in str(error)


def test_damaged_files_are_invalid_not_crashes():
    noise = np.random.default_rng(3).integers(0, 256, (32, 32, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(noise).save(buffer, "PNG")
    png = buffer.getvalue()
    ihdr_end = 8 + 25
    cases = [
        png[:ihdr_end],  # the header only
        png[: ihdr_end + 30],  # cut inside the first IDAT
        png[:ihdr_end] + chunk(b"IDAT", b"this is not zlib data") + chunk(b"IEND", b""),
        png[:20],  # cut inside IHDR
        b"\xff\xd8\xff\xe0" + b"\0" * 40,  # a JPEG start and nothing else
        b"GIF89a\x01\x00\x01\x00",  # a GIF header cut short
        b"BM" + b"\0" * 20,
    ]
    for data in cases:
        error = refusal(data)
        assert error.kind in ("invalid", "unsupported"), data[:24]
        assert str(error).startswith("file: ")


def test_a_text_file_is_described_in_words():
    with pytest.raises(InputError) as refused:
        decode_upload(b"hello world, this is my homework\n" * 3)
    assert "text, not a picture (it begins “hello world, this is my homework hello" in str(refused.value)
    assert " 68 65 " not in str(refused.value)


def test_unknown_binary_data_says_its_size_not_its_bytes():
    with pytest.raises(InputError) as refused:
        decode_upload(bytes(range(256)) * 8)
    assert "a file of an unknown kind (2 KB), not a picture" in str(refused.value)


def test_an_upload_over_the_limit_says_how_big_it_was(client):
    big = b"\xff\xd8\xff" + b"\0" * (11 * 2**20)
    answer = client.post("/api/images", data={"file": (io.BytesIO(big), "huge.jpg")})
    assert answer.status_code == 413
    assert "uploads are limited to 10 MB; this one is 11.0 MB" in answer.get_json()["error"]
