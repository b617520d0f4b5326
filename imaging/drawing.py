"""Pictures drawn by hand: 32×32 grey levels carried in the ``image`` parameter itself.

A drawing is spelled ``draw:`` followed by the base64url text (RFC 4648 §5: ``A–Z a–z 0–9 - _``, ``=`` padding
optional) of a zlib stream (RFC 1950: deflate with its zlib header and Adler-32 check) that holds exactly
1,024 bytes: the grey levels 0–255 row by row, top row first. Any valid zlib stream is read, compressed or
made of stored blocks, so a browser may send what ``CompressionStream("deflate")`` gives or, without it, the
bytes as they are wrapped in stored blocks. :func:`encode_drawing` writes the one canonical spelling
(zlib level 9, no padding) that permalinks use. The whole value is at most :data:`MAX_TEXT` characters.

Also here: the starts a drawing can begin from (the face of sections 1–2, a blank grey, a few patterns).
Pure NumPy and the standard library; every refusal is an :class:`InputError` for the ``image`` field.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from imaging.images import to_engine_input
from imaging.samples import load_sample
from kernels.errors import InputError

PREFIX = "draw:"
SIDE = 32
"""A drawing is SIDE × SIDE pixels."""
PIXELS = SIDE * SIDE
MAX_TEXT = 2048
"""Longest ``image=draw:…`` value, in characters (the prefix included). The longest canonical drawing is
1,385 characters: noise, which zlib keeps in stored blocks, as a browser without compression sends any drawing."""
FIELD = "image"
ALLOWED = (
    f"a drawing is {PREFIX} then base64url text (A–Z, a–z, 0–9, - and _) of a zlib stream holding the "
    f"{SIDE}×{SIDE} grey levels, {PIXELS:,} bytes of 0–255 row by row, at most {MAX_TEXT:,} characters in all"
)
"""What every refusal says is allowed."""

_BASE64URL = re.compile(r"[A-Za-z0-9_-]*={0,2}")
BLANK_GREY = 128
EDGE_DARK, EDGE_BRIGHT = 64, 192
CHECKER_SQUARE = 4


def is_drawing(text: str) -> bool:
    """Whether an ``image`` value is meant as a drawing (it starts with ``draw:``); says nothing of its validity."""
    return isinstance(text, str) and text.startswith(PREFIX)


def _refuse(problem: str, received: str) -> InputError:
    return InputError(FIELD, f"{problem}: {ALLOWED}", received)


def decode_drawing(text: str) -> np.ndarray:
    """The grey levels of a ``draw:…`` value: a new uint8 array (32, 32), values 0–255.

    Raises :class:`InputError` (field ``image``) for a value that is too long, not base64url, not a complete
    zlib stream, or does not hold exactly 1,024 bytes; the message says what is allowed.
    """
    if not is_drawing(text):
        raise _refuse(f"does not start with {PREFIX}", text)
    if len(text) > MAX_TEXT:
        raise _refuse(f"the drawing is {len(text):,} characters long", f"{len(text):,} characters")
    body = text[len(PREFIX) :]
    if not body or _BASE64URL.fullmatch(body) is None:
        raise _refuse("the drawing is not base64url text", text)
    try:
        data = base64.urlsafe_b64decode(body.rstrip("=") + "=" * (-len(body.rstrip("=")) % 4))
    except (binascii.Error, ValueError):
        raise _refuse("the drawing's base64url text is cut short", text) from None
    stream = zlib.decompressobj()
    try:
        grey = stream.decompress(data, PIXELS + 1)
    except zlib.error as error:
        raise _refuse(f"the drawing is not zlib data ({error})", text) from None
    if len(grey) > PIXELS or stream.unconsumed_tail:
        raise _refuse(f"the drawing holds more than {PIXELS:,} grey levels", text)
    if not stream.eof:
        raise _refuse(f"the drawing's zlib stream is cut short after {len(grey):,} grey levels", text)
    if stream.unused_data:
        raise _refuse(f"the drawing has {len(stream.unused_data):,} bytes after its zlib stream", text)
    if len(grey) != PIXELS:
        raise _refuse(f"the drawing holds {len(grey):,} grey levels, not {PIXELS:,}", text)
    return np.frombuffer(grey, dtype=np.uint8).reshape(SIDE, SIDE).copy()


def encode_drawing(grey: np.ndarray) -> str:
    """The canonical ``draw:…`` value of 32×32 grey levels (uint8, or integers 0–255 of any dtype).

    The same pixels always give the same text: zlib level 9, base64url without padding.
    """
    pixels = np.asarray(grey)
    if pixels.shape != (SIDE, SIDE):
        raise ValueError(f"a drawing is {SIDE}×{SIDE} grey levels, got shape {pixels.shape}")
    if pixels.dtype != np.uint8:
        if not np.all((pixels >= 0) & (pixels <= 255) & (pixels == np.round(pixels))):
            raise ValueError("a drawing's grey levels are whole numbers from 0 to 255")
        pixels = pixels.astype(np.uint8)
    packed = zlib.compress(np.ascontiguousarray(pixels).tobytes(), 9)
    return PREFIX + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


@lru_cache(maxsize=256)
def _canonical_and_pixels(text: str) -> tuple[str, np.ndarray]:
    grey = decode_drawing(text)
    grey.setflags(write=False)
    return encode_drawing(grey), grey


def canonical_drawing(text: str) -> str:
    """The canonical spelling of a ``draw:…`` value (see :func:`encode_drawing`).

    Raises :class:`InputError` as :func:`decode_drawing` does."""
    return _canonical_and_pixels(text)[0]


def drawing_grey(text: str) -> np.ndarray:
    """The grey levels of a ``draw:…`` value, read-only uint8 (32, 32), shared between calls."""
    return _canonical_and_pixels(text)[1]


def drawing_rgb(text: str) -> np.ndarray:
    """A drawing as the engine's pictures are handed out: read-only uint8 RGB (32, 32, 3), the grey level in
    each channel (so its luma is the grey level itself, and ``color=rgb`` filters three equal channels)."""
    rgb = np.repeat(drawing_grey(text)[:, :, None], 3, axis=2)
    rgb.setflags(write=False)
    return rgb


def _face() -> np.ndarray:
    """The 32×32 face of sections 1–2 as the engine reads it in grey: its luma."""
    return to_engine_input(load_sample("face"), "gray").astype(np.uint8)


def _blank() -> np.ndarray:
    return np.full((SIDE, SIDE), BLANK_GREY, dtype=np.uint8)


def _edge() -> np.ndarray:
    grey = np.full((SIDE, SIDE), EDGE_DARK, dtype=np.uint8)
    grey[:, SIDE // 2 :] = EDGE_BRIGHT
    return grey


def _checkerboard() -> np.ndarray:
    index = np.arange(SIDE) // CHECKER_SQUARE
    return np.where((index[:, None] + index[None, :]) % 2 == 0, 255, 0).astype(np.uint8)


def _dot() -> np.ndarray:
    grey = np.zeros((SIDE, SIDE), dtype=np.uint8)
    grey[SIDE // 2, SIDE // 2] = 255
    return grey


@dataclass(frozen=True)
class Start:
    """A picture a drawing can begin from: ``name`` for code, ``label`` (one word, for a button) and ``title``
    (a phrase, for a menu) for people."""

    name: str
    label: str
    title: str
    make: Callable[[], np.ndarray]


STARTS: tuple[Start, ...] = (
    Start("face", "Face", "the face", _face),
    Start("blank", "Blank", f"blank grey ({BLANK_GREY})", _blank),
    Start("edge", "Edge", f"a vertical edge ({EDGE_DARK} | {EDGE_BRIGHT})", _edge),
    Start("checkerboard", "Checkerboard", f"a checkerboard ({CHECKER_SQUARE}-pixel squares)", _checkerboard),
    Start("dot", "Dot", "one bright dot", _dot),
)
"""Face: the luma of the face sample. Blank: every pixel 128. Edge: columns 0–15 at 64, 16–31 at 192.
Checkerboard: 4×4-pixel squares of 255 and 0, 255 at the top-left. Dot: 0 with pixel (x 16, y 16) at 255."""
_STARTS_BY_NAME = {start.name: start for start in STARTS}


def start_pixels(name: str) -> np.ndarray:
    """A new uint8 (32, 32) array of start ``name``; InputError (field ``image``) for a name not in :data:`STARTS`."""
    start = _STARTS_BY_NAME.get(name)
    if start is None:
        raise InputError(FIELD, f"a drawing starts from one of {', '.join(_STARTS_BY_NAME)}", name)
    return start.make()


@lru_cache(maxsize=len(STARTS))
def start_value(name: str) -> str:
    """The canonical ``draw:…`` value of start ``name``."""
    return encode_drawing(start_pixels(name))
