"""Turning uploaded files into pixels, pixels into engine input, and results into PNG.

Uploads are untrusted: the format is checked against a short list, the size written in the
file's header is checked against :mod:`kernels.limits` before a single pixel is decoded, and
every way a damaged file can fail inside Pillow ends as an :class:`InputError`.
"""

from __future__ import annotations

import io
import re
import struct
import zlib

import numpy as np
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from kernels import limits
from kernels.errors import InputError

ImageFile.LOAD_TRUNCATED_IMAGES = False  # a cut-off file must be refused, never padded with grey
Image.init()  # register every plugin now rather than during the first upload

UPLOAD_FIELD = "file"
"""The multipart field uploads arrive in; every upload error names it."""

ALLOWED_FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP")
"""Pillow format names accepted for uploads (a multi-picture JPEG, "MPO", counts as JPEG)."""

ALLOWED_TEXT = "PNG, JPEG, GIF, WebP or BMP"

COLORS = ("gray", "rgb")
"""Engine colour modes: ITU-R 601-2 luma through Pillow, or each of R, G, B on its own."""

_OTHER_FORMATS: tuple[tuple[bytes, str], ...] = (
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"%PDF", "a PDF document"),
    (b"8BPS", "a Photoshop document"),
    (b"\x00\x00\x01\x00", "an ICO icon"),
    (b"\xff\x0a", "a JPEG XL image"),
    (b"\x00\x00\x00\x0cJXL ", "a JPEG XL image"),
    (b"P1", "a PBM/PGM/PPM image"),
    (b"P2", "a PBM/PGM/PPM image"),
    (b"P3", "a PBM/PGM/PPM image"),
    (b"P4", "a PBM/PGM/PPM image"),
    (b"P5", "a PBM/PGM/PPM image"),
    (b"P6", "a PBM/PGM/PPM image"),
)
"""Leading bytes of common formats we refuse, so the message can say what was received."""

# Everything Pillow's decoders raise for damaged or hostile data.
_DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    TypeError,
    KeyError,
    struct.error,
    zlib.error,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


def _allowed_format_by_signature(data: bytes) -> str | None:
    """Which accepted format ``data`` starts like, if any (used to tell "damaged" from "unsupported")."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "WebP"
    if data.startswith(b"BM"):
        return "BMP"
    return None


def _describe_unknown(data: bytes) -> str:
    """A short human name for bytes Pillow did not recognise as an allowed format."""
    for signature, name in _OTHER_FORMATS:
        if data.startswith(signature):
            return name
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml") or b"<svg" in head:
        return "an SVG or XML document"
    if data[4:8] == b"ftyp":
        return "a HEIF/AVIF image or a video"
    try:
        text = data[:200].decode("utf-8")
    except UnicodeDecodeError:
        return f"a file of an unknown kind ({megabytes(len(data))}), not a picture"
    if all(ch.isprintable() or ch in "\r\n\t" for ch in text):
        first = " ".join(text.split())[:40]
        return f"text, not a picture (it begins “{first}”)"
    return f"a file of an unknown kind ({megabytes(len(data))}), not a picture"


def megabytes(size: int) -> str:
    """A file size for people: "812 KB", "12.3 MB" (1 MB = 2²⁰ bytes, as the upload limit counts)."""
    if size < 2**20:
        return f"{max(1, round(size / 1024)):,} KB"
    return f"{size / 2**20:.1f} MB"


def _reason(error: BaseException) -> str:
    """Pillow's explanation of a failure, for the "received" part of a message."""
    return str(error) or type(error).__name__


def _too_large(received: str) -> InputError:
    rule = f"images may be at most {limits.MAX_IMAGE_SIDE} px a side and {limits.MAX_IMAGE_PIXELS:,} pixels in all"
    return InputError(UPLOAD_FIELD, rule, received, kind="too_large")


def _check_dimensions(width: int, height: int) -> None:
    """Refuse a size above the limits; called with the header's size, before decoding."""
    if max(width, height) > limits.MAX_IMAGE_SIDE or width * height > limits.MAX_IMAGE_PIXELS:
        raise _too_large(f"{width}×{height} px = {width * height:,} pixels")


def _bomb_error(error: Exception) -> InputError:
    """Pillow's own decompression-bomb guard fired first (it only does so far above our limits)."""
    found = re.search(r"\((\d+) pixels\)", str(error))
    return _too_large(f"{int(found.group(1)):,} pixels" if found else "far more pixels than allowed")


def _open_checked(data: bytes) -> Image.Image:
    """Identify the format and read the header only; refuse other formats and oversized images."""
    try:
        image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _bomb_error(error) from None
    except UnidentifiedImageError:
        claimed = _allowed_format_by_signature(data)
        if claimed is not None:
            raise InputError(
                UPLOAD_FIELD,
                f"is not a readable {claimed} file: its header is truncated or damaged",
                f"{len(data):,} bytes",
            ) from None
        raise InputError(
            UPLOAD_FIELD, f"must be a {ALLOWED_TEXT} image", _describe_unknown(data), kind="unsupported"
        ) from None
    except _DECODE_ERRORS as error:
        claimed = _allowed_format_by_signature(data) or "image"
        rule = f"is not a readable {claimed} file: its header is truncated or damaged"
        raise InputError(UPLOAD_FIELD, rule, _reason(error)) from None
    if image.format not in (*ALLOWED_FORMATS, "MPO"):
        raise InputError(UPLOAD_FIELD, f"must be a {ALLOWED_TEXT} image", f"{image.format}", kind="unsupported")
    _check_dimensions(*image.size)
    return image


def read_header(data: bytes) -> tuple[str, int, int]:
    """What an image file's header says, without decoding a pixel: its format ("PNG", "JPEG", "GIF", "WebP"
    or "BMP") and its width and height in pixels (before any EXIF rotation).

    Raises :class:`InputError` (field ``"file"``) as :func:`decode_upload` does for a file it would refuse
    from its header alone: another format, a damaged header, or a size above the upload limits.
    """
    image = _open_checked(data)
    kind = {"MPO": "JPEG", "WEBP": "WebP"}.get(image.format or "", image.format or "")
    width, height = image.size
    return kind, width, height


def _sixteen_bit_to_l(image: Image.Image) -> Image.Image:
    """Grey with more than 8 bits (modes I;16*, I) → L, scaling 0…65535 to 0…255 with rounding.

    Pillow's own conversion clips instead of scaling, which would turn most 16-bit images white.
    A transparent grey level (PNG tRNS) becomes white, as alpha is composited on white elsewhere.
    """
    values = np.asarray(image).astype(np.int64)
    grey = np.clip((values + 128) // 257, 0, 255).astype(np.uint8)
    transparent = image.info.get("transparency")
    if isinstance(transparent, int):
        grey[values == transparent] = 255
    return Image.fromarray(grey)


def _to_rgb(image: Image.Image) -> Image.Image:
    """Any Pillow mode → 8-bit RGB; alpha and palette transparency composited on white."""
    if image.mode.startswith("I;16") or image.mode == "I":
        image = _sixteen_bit_to_l(image)
    if image.has_transparency_data:
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image if image.mode == "RGB" else image.convert("RGB")


def decode_upload(data: bytes) -> np.ndarray:
    """Decode an uploaded image file into pixels.

    Accepts PNG, JPEG, GIF (first frame only), WebP and BMP of at most ``MAX_UPLOAD_BYTES`` bytes,
    ``MAX_IMAGE_SIDE`` px a side and ``MAX_IMAGE_PIXELS`` pixels (the size is read from the header and
    refused before decoding). The EXIF orientation is applied; transparency is composited on white;
    palette, grey, CMYK and 16-bit images are converted.

    Returns a new uint8 array (H, W, 3), RGB, values 0…255.
    Raises :class:`InputError` with field ``"file"``: kind ``"too_large"`` for the byte or pixel limits,
    ``"unsupported"`` for anything that is not one of the five formats, ``"invalid"`` for an empty,
    truncated or damaged file.
    """
    if not data:
        raise InputError(UPLOAD_FIELD, f"is empty; send a {ALLOWED_TEXT} image", "0 bytes")
    if len(data) > limits.MAX_UPLOAD_BYTES:
        raise InputError(
            UPLOAD_FIELD,
            f"must be at most {limits.MAX_UPLOAD_BYTES:,} bytes ({limits.MAX_UPLOAD_BYTES // 2**20} MB)",
            f"{megabytes(len(data))} or more",
            kind="too_large",
        )
    image = _open_checked(data)
    kind = {"MPO": "JPEG", "WEBP": "WebP"}.get(image.format, image.format)
    try:
        image.load()
        ImageOps.exif_transpose(image, in_place=True)
        _check_dimensions(*image.size)
        rgb = _to_rgb(image)
        pixels = np.array(rgb, dtype=np.uint8)
    except InputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _bomb_error(error) from None
    except _DECODE_ERRORS as error:
        rule = f"is not a readable {kind} file: it is truncated or damaged"
        raise InputError(UPLOAD_FIELD, rule, _reason(error)) from None
    except MemoryError:
        raise InputError(UPLOAD_FIELD, "needs more memory to decode than the server has", kind="too_large") from None
    if pixels.ndim != 3 or pixels.shape[2] != 3:  # pragma: no cover - _to_rgb always gives RGB
        raise InputError(UPLOAD_FIELD, "could not be converted to RGB", f"shape {pixels.shape}")
    return pixels


def to_engine_input(rgb: np.ndarray, color: str) -> np.ndarray:
    """The float image the engine filters, from uint8 RGB (H, W, 3).

    ``color="gray"``: float32 (H, W), the ITU-R 601-2 luma exactly as Pillow's ``convert("L")`` rounds it
    (integers 0…255). ``color="rgb"``: float32 (H, W, 3), the channels unchanged (0…255).
    A new array each call. Raises :class:`InputError` (field ``"color"``) for any other colour mode.
    """
    if color not in COLORS:
        raise InputError("color", f"must be one of {', '.join(COLORS)}", color)
    if rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f"expected uint8 (H, W, 3) RGB pixels, got {rgb.dtype} {rgb.shape}")
    if color == "rgb":
        return rgb.astype(np.float32)
    luma = Image.fromarray(np.ascontiguousarray(rgb), "RGB").convert("L")
    return np.asarray(luma, dtype=np.float32)


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_COLOR_TYPE = {1: 0, 3: 2}  # channels → PNG colour type (grey, truecolour)
_FILTER_NONE = 0
_FILTER_UP = 2


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def encode_png(pixels: np.ndarray, *, compact: bool = False) -> bytes:
    """Encode uint8 pixels, (H, W) grey or (H, W, 3) RGB, as an 8-bit PNG.

    The default favours speed, because a PNG is encoded on every interactive request: no row filter
    and deflate's stored blocks, about 1 ms for 512×512 RGB, at the raw size (768 KiB) plus framing.
    Pillow's encoder cannot go below ~10 ms for the same image because it always tries every row
    filter. ``compact=True`` is for files kept on disk: the "Up" row filter plus run-length deflate,
    about 10 ms for 512×512 RGB and roughly half the bytes of the fast form.
    Any PNG decoder reads both back bit for bit.
    """
    if pixels.dtype != np.uint8 or not (pixels.ndim == 2 or (pixels.ndim == 3 and pixels.shape[2] in (1, 3))):
        raise ValueError(f"expected uint8 (H, W) or (H, W, 3) pixels, got {pixels.dtype} {pixels.shape}")
    height, width = pixels.shape[:2]
    if height == 0 or width == 0:
        raise ValueError(f"cannot encode an empty image {pixels.shape}")
    channels = 1 if pixels.ndim == 2 else pixels.shape[2]
    rows = np.ascontiguousarray(pixels).reshape(height, width * channels)
    scanlines = np.empty((height, width * channels + 1), dtype=np.uint8)
    if compact:
        scanlines[:, 0] = _FILTER_UP
        scanlines[0, 1:] = rows[0]
        np.subtract(rows[1:], rows[:-1], out=scanlines[1:, 1:])  # uint8 arithmetic wraps, as PNG wants
        compressor = zlib.compressobj(1, zlib.DEFLATED, 15, 9, zlib.Z_RLE)
    else:
        scanlines[:, 0] = _FILTER_NONE
        scanlines[:, 1:] = rows
        compressor = zlib.compressobj(0)
    compressed = compressor.compress(scanlines) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, _PNG_COLOR_TYPE[channels], 0, 0, 0)
    return b"".join(
        (_PNG_SIGNATURE, _png_chunk(b"IHDR", header), _png_chunk(b"IDAT", compressed), _png_chunk(b"IEND", b""))
    )


RESAMPLING = Image.Resampling.LANCZOS
"""How a picture is scaled down to its working size: Lanczos (a windowed sinc over 3 pixels a side) keeps
edges sharp without aliasing, and edges are what the kernels are for. ``reducing_gap`` first shrinks by a
whole factor with a box filter, which makes a 12 MP photo's reduction about 5× faster with no visible change."""

_REDUCING_GAP = 3.0


def working_shape(height: int, width: int, size: int | None) -> tuple[int, int]:
    """(height, width) of a picture scaled down, aspect kept, to at most ``size × size`` pixels in area.

    A picture already within it (or ``size=None``, the picture as it is) keeps its shape; never scaled up.
    """
    if size is None or height * width <= size * size:
        return height, width
    scale = (size * size / (height * width)) ** 0.5
    return max(1, int(height * scale)), max(1, int(width * scale))


def fit_working_size(rgb: np.ndarray, size: int | None) -> np.ndarray:
    """uint8 RGB (H, W, 3) scaled down with :data:`RESAMPLING` to :func:`working_shape`; the same array when
    it already fits."""
    height, width = rgb.shape[:2]
    new_height, new_width = working_shape(height, width, size)
    if (new_height, new_width) == (height, width):
        return rgb
    image = Image.fromarray(np.ascontiguousarray(rgb), "RGB")
    return np.asarray(image.resize((new_width, new_height), RESAMPLING, reducing_gap=_REDUCING_GAP))
