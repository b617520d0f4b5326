"""Camera frames: small pictures sent several times a second, checked with stricter limits than uploads.

A frame is the raw body of a request, its format named by ``Content-Type``. Every check that needs no
decoding comes first (type, byte count, then the size written in the header), so a frame the server would
refuse costs it almost nothing; decoding then goes through :func:`imaging.images.decode_upload`, which refuses
damaged and hostile files. Every refusal names the field ``frame``.
"""

from __future__ import annotations

import numpy as np

from imaging.images import decode_upload, encode_png, read_header
from imaging.preview import Preview, encode_lossy
from kernels.errors import InputError

FIELD = "frame"

FRAME_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP"}
"""The media types a frame may be sent as, and the format each names."""

MAX_FRAME_BYTES = 1024 * 1024
"""Largest frame body, in bytes (1 MB): a 1280×720 JPEG at quality 0.8 is about 150–300 KB."""

MAX_FRAME_SIDE = 1280
"""Largest frame side, in pixels (either way round: a phone held upright sends 720×1280)."""

MAX_FRAME_PIXELS = 1280 * 720
"""Largest frame area, in pixels (921,600)."""

LOSSY_MIN_WIDTH = 160
"""Narrowest filtered frame, in pixels, that is answered as a JPEG: the page draws a frame at most about 400
CSS px wide, so a narrower one (a stride shrinks the output) would show its JPEG blocks blown up."""

_TYPES_TEXT = "image/jpeg, image/png or image/webp"
_SIZE_RULE = (
    f"may be at most {MAX_FRAME_SIDE} px a side and {MAX_FRAME_PIXELS:,} pixels in all (1280×720); "
    "the page sends 320×240"
)


def check_media_type(content_type: str | None) -> str:
    """The frame's format ("JPEG", "PNG" or "WebP") from the request's media type (parameters left out).

    Raises :class:`InputError` (kind ``unsupported``, 415) for any other type or none.
    """
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type not in FRAME_TYPES:
        rule = f"must be sent as the raw request body with Content-Type {_TYPES_TEXT}"
        raise InputError(FIELD, rule, media_type or "no Content-Type", kind="unsupported")
    return FRAME_TYPES[media_type]


def check_length(length: int | None) -> None:
    """Refuse a body longer than :data:`MAX_FRAME_BYTES` (kind ``too_large``, 413), before it is read.

    ``length`` is the request's ``Content-Length`` (None when it sent none: the body is then read up to one
    byte past the limit and :func:`check_body` decides).
    """
    if length is not None and length > MAX_FRAME_BYTES:
        raise _too_many_bytes(f"{length:,} bytes")


def check_body(data: bytes, claimed: str) -> tuple[int, int]:
    """The frame's (width, height) in pixels from its header, without decoding it.

    ``claimed`` is the format its ``Content-Type`` names. Raises :class:`InputError`: 400 for an empty body or
    a damaged header, 413 for more than :data:`MAX_FRAME_BYTES` or a size above :data:`MAX_FRAME_SIDE` and
    :data:`MAX_FRAME_PIXELS`, 415 for a body in another format than the one claimed.
    """
    if not data:
        raise InputError(FIELD, f"is empty: send the picture as the request body ({_TYPES_TEXT})", "0 bytes")
    if len(data) > MAX_FRAME_BYTES:
        raise _too_many_bytes(f"{len(data):,} bytes or more")
    try:
        kind, width, height = read_header(data)
    except InputError as err:
        raise _renamed(err) from None
    if kind != claimed:
        rule = f"is a {kind} picture but was sent as {claimed}: send it with the Content-Type of its format"
        raise InputError(FIELD, rule, kind, kind="unsupported")
    if max(width, height) > MAX_FRAME_SIDE or width * height > MAX_FRAME_PIXELS:
        raise InputError(FIELD, _SIZE_RULE, f"{width}×{height} px = {width * height:,} pixels", kind="too_large")
    return width, height


def decode_frame(data: bytes) -> np.ndarray:
    """The frame's pixels, uint8 RGB (H, W, 3), decoded as an upload is (see :func:`decode_upload`).

    Call :func:`check_body` first. Raises :class:`InputError` (field ``frame``, 400) for a file that turns out
    truncated or damaged.
    """
    try:
        return decode_upload(data)
    except InputError as err:
        raise _renamed(err) from None


def encode_frame(pixels: np.ndarray) -> Preview:
    """A filtered frame for the page, uint8 (H, W) grey or (H, W, 3) RGB: the smallest JPEG within the
    preview's :data:`~imaging.preview.MIN_PSNR_DB` of the exact pixels (as ``/api/preview/output`` sends), or a
    lossless PNG when it is narrower than :data:`LOSSY_MIN_WIDTH` or no JPEG is that close. About 2–4 ms for
    320×240 RGB."""
    if pixels.shape[1] >= LOSSY_MIN_WIDTH and (lossy := encode_lossy(pixels)) is not None:
        return lossy
    return Preview(encode_png(pixels, compact=True), "image/png")


def _too_many_bytes(received: str) -> InputError:
    rule = f"must be at most {MAX_FRAME_BYTES:,} bytes (1 MB); the page sends 320×240 JPEGs of about 20 KB"
    return InputError(FIELD, rule, received, kind="too_large")


def _renamed(err: InputError) -> InputError:
    """The same refusal, naming the frame rather than an upload's file field."""
    return InputError(FIELD, err.rule, err.received, kind=err.kind)
