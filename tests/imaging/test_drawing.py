"""Drawings in the ``image`` parameter: the ``draw:`` value's encoding, its canonical form, the starts, and every
way a value can be refused."""

from __future__ import annotations

import base64
import struct
import zlib

import numpy as np
import pytest

from imaging import drawing
from imaging.drawing import (
    ALLOWED,
    MAX_TEXT,
    PIXELS,
    PREFIX,
    SIDE,
    STARTS,
    canonical_drawing,
    decode_drawing,
    drawing_grey,
    drawing_rgb,
    encode_drawing,
    is_drawing,
    start_pixels,
    start_value,
)
from imaging.images import to_engine_input
from imaging.samples import load_sample
from kernels.errors import InputError


def spelled(data: bytes, *, padding: bool = False) -> str:
    text = base64.urlsafe_b64encode(data).decode()
    return PREFIX + (text if padding else text.rstrip("="))


def stored_zlib(raw: bytes, empty_blocks: int = 0) -> bytes:
    """A zlib stream of stored deflate blocks, as a browser without CompressionStream writes it; ``empty_blocks``
    empty stored blocks before the data (valid deflate that only adds length)."""
    blocks = b"".join(b"\x00" + struct.pack("<HH", 0, 0xFFFF) for _ in range(empty_blocks))
    last = b"\x01" + struct.pack("<HH", len(raw), 0xFFFF ^ len(raw)) + raw
    return b"\x78\x01" + blocks + last + struct.pack(">I", zlib.adler32(raw))


def noise(seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, size=(SIDE, SIDE), dtype=np.uint8)


def refusal(text: str) -> InputError:
    with pytest.raises(InputError) as refused:
        decode_drawing(text)
    error = refused.value
    assert error.field == "image"
    assert error.kind == "invalid"
    assert ALLOWED in error.message  # every refusal says what is allowed
    return error


@pytest.mark.parametrize("seed", range(4))
def test_encode_then_decode_gives_the_pixels_back(seed):
    grey = noise(seed)
    value = encode_drawing(grey)
    assert is_drawing(value) and value.startswith("draw:")
    np.testing.assert_array_equal(decode_drawing(value), grey)
    assert decode_drawing(value).dtype == np.uint8


def test_the_canonical_form_is_zlib_level_9_without_padding_and_is_stable():
    grey = start_pixels("face")
    value = encode_drawing(grey)
    body = value[len(PREFIX) :]
    assert "=" not in body and "+" not in body and "/" not in body
    assert base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)) == zlib.compress(grey.tobytes(), 9)
    assert canonical_drawing(value) == value
    assert encode_drawing(decode_drawing(value)) == value


@pytest.mark.parametrize(
    "spelling",
    [
        lambda raw: spelled(stored_zlib(raw)),  # a browser without CompressionStream
        lambda raw: spelled(zlib.compress(raw, 1)),
        lambda raw: spelled(zlib.compress(raw, 6), padding=True),
        lambda raw: spelled(_fixed_huffman(raw)),
    ],
    ids=["stored", "level-1", "level-6-padded", "fixed-huffman"],
)
def test_every_zlib_spelling_of_the_same_pixels_has_one_canonical_form(spelling):
    grey = noise(7)
    grey[:8] = 40  # some of it compresses
    value = spelling(grey.tobytes())
    assert value != encode_drawing(grey)
    np.testing.assert_array_equal(decode_drawing(value), grey)
    assert canonical_drawing(value) == encode_drawing(grey)


def _fixed_huffman(raw: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 15, 9, zlib.Z_FIXED)
    return packer.compress(raw) + packer.flush()


def test_the_longest_drawing_fits_the_limit():
    """Noise does not compress: zlib keeps it in stored blocks, the longest any drawing gets."""
    longest = max(len(encode_drawing(noise(seed))) for seed in range(20))
    assert longest == len(spelled(stored_zlib(noise().tobytes()))) == 1385
    assert longest <= MAX_TEXT


def padded_stream(raw: bytes, size: int) -> bytes | None:
    """A zlib stream of ``size`` bytes holding ``raw``: empty stored blocks (5 bytes each) before its deflate
    data; None when no number of them makes that size."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = packer.compress(raw) + packer.flush()
    room = size - 6 - len(body)
    if room < 0 or room % 5:
        return None
    empty = b"".join(b"\x00" + struct.pack("<HH", 0, 0xFFFF) for _ in range(room // 5))
    return b"\x78\x01" + empty + body + struct.pack(">I", zlib.adler32(raw))


def test_a_value_of_exactly_the_limit_is_read_and_one_more_character_is_refused():
    # 1,532 bytes are 2,043 base64url characters: with "draw:", exactly the limit.
    for zeros in range(PIXELS):
        grey = noise(3)
        grey.ravel()[:zeros] = 0
        stream = padded_stream(grey.tobytes(), 1532)
        if stream is not None:
            break
    else:
        pytest.fail("no zlib stream of 1,532 bytes")
    value = spelled(stream)
    assert len(value) == MAX_TEXT
    np.testing.assert_array_equal(decode_drawing(value), grey)
    longer = spelled(stream[:2] + b"\x00" + struct.pack("<HH", 0, 0xFFFF) + stream[2:])
    assert len(longer) > MAX_TEXT
    assert zlib.decompress(base64.urlsafe_b64decode(longer[5:] + "==")) == grey.tobytes()  # valid, only too long
    error = refusal(longer)
    assert f"is {len(longer):,} characters long" in error.message
    assert "at most 2,048 characters" in error.message


@pytest.mark.parametrize(
    ("size", "words"),
    [(PIXELS - 1, "holds 1,023 grey levels, not 1,024"), (0, "holds 0 grey levels"), (PIXELS + 1, "more than 1,024")],
)
def test_the_wrong_number_of_grey_levels_is_refused(size, words):
    error = refusal(spelled(zlib.compress(bytes(size), 9)))
    assert words in error.message


def test_a_small_stream_that_unpacks_to_megabytes_is_refused_without_unpacking_it():
    bomb = zlib.compress(bytes(50 * 2**20), 9)  # 50 MB of zeros in about 50 KB
    assert len(spelled(bomb)) > MAX_TEXT
    refusal(spelled(bomb))
    small_bomb = zlib.compress(bytes(2**20), 9)[:1400]  # cut to fit the limit: it still holds far too much
    assert "more than 1,024" in refusal(spelled(small_bomb)).message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("draw:", "is not base64url text"),
        ("draw:eNpr+BgF", "is not base64url text"),  # + is standard base64, not base64url
        ("draw:eNpr/BgF", "is not base64url text"),
        ("draw:eNpr BgF", "is not base64url text"),
        ("draw:abc!", "is not base64url text"),
        ("draw:ab=c", "is not base64url text"),
        ("draw:é", "is not base64url text"),
        ("draw:A", "is cut short"),  # one character is no whole byte
        ("draw:AAAAA", "is cut short"),
    ],
)
def test_text_that_is_not_base64url_is_refused(text, words):
    assert words in refusal(text).message


def test_bytes_that_are_not_zlib_are_refused():
    raw = noise(1).tobytes()  # the grey levels themselves, without zlib around them
    assert "is not zlib data" in refusal(spelled(raw)).message
    gzip_like = zlib.compressobj(9, zlib.DEFLATED, 31).compress(raw)  # gzip framing, not zlib
    assert "is not zlib data" in refusal(spelled(gzip_like)).message


def test_a_damaged_or_cut_or_padded_stream_is_refused():
    packed = zlib.compress(noise(2).tobytes(), 9)
    assert "cut short" in refusal(spelled(packed[:-10])).message
    damaged = packed[:-4] + bytes(4)  # a wrong Adler-32 check
    assert "is not zlib data" in refusal(spelled(damaged)).message
    assert "bytes after its zlib stream" in refusal(spelled(packed + b"\x00\x01")).message


def test_only_values_starting_with_draw_are_drawings():
    assert is_drawing("draw:abc") and not is_drawing("face") and not is_drawing("Draw:abc")
    assert not is_drawing("0123456789abcdef0123456789abcdef")
    with pytest.raises(InputError):
        decode_drawing("face")


def test_the_received_value_is_shortened_in_the_message():
    error = refusal("draw:" + "!" * 500)
    assert len(error.message) < len(ALLOWED) + 200


def test_encode_refuses_anything_but_32_by_32_whole_grey_levels():
    with pytest.raises(ValueError):
        encode_drawing(np.zeros((16, 16), dtype=np.uint8))
    with pytest.raises(ValueError):
        encode_drawing(np.full((SIDE, SIDE), 256))
    with pytest.raises(ValueError):
        encode_drawing(np.full((SIDE, SIDE), 1.5))
    assert encode_drawing(np.full((SIDE, SIDE), 7, dtype=np.int64)) == encode_drawing(
        np.full((SIDE, SIDE), 7, np.uint8)
    )


def test_the_decoded_pixels_are_shared_read_only_and_rgb_repeats_the_grey():
    value = encode_drawing(noise(5))
    grey = drawing_grey(value)
    assert not grey.flags.writeable
    rgb = drawing_rgb(value)
    assert rgb.shape == (SIDE, SIDE, 3) and rgb.dtype == np.uint8 and not rgb.flags.writeable
    for channel in range(3):
        np.testing.assert_array_equal(rgb[:, :, channel], noise(5))
    # ITU-R 601-2 luma of three equal channels is that value: the grey engine reads the drawing as drawn.
    np.testing.assert_array_equal(to_engine_input(rgb, "gray"), noise(5).astype(np.float32))


def test_every_start_is_32_by_32_and_its_value_is_canonical():
    assert [start.name for start in STARTS] == ["face", "blank", "edge", "checkerboard", "dot"]
    for start in STARTS:
        grey = start_pixels(start.name)
        assert grey.shape == (SIDE, SIDE) and grey.dtype == np.uint8
        value = start_value(start.name)
        assert canonical_drawing(value) == value
        np.testing.assert_array_equal(decode_drawing(value), grey)
        assert start.label and start.title


def test_what_each_start_holds():
    face_luma = to_engine_input(load_sample("face"), "gray")
    np.testing.assert_array_equal(start_pixels("face"), face_luma.astype(np.uint8))
    assert np.all(start_pixels("blank") == drawing.BLANK_GREY)
    edge = start_pixels("edge")
    assert np.all(edge[:, :16] == 64) and np.all(edge[:, 16:] == 192)
    board = start_pixels("checkerboard")
    assert board[0, 0] == 255 and board[0, 4] == 0 and board[4, 0] == 0 and board[4, 4] == 255 and board[3, 3] == 255
    assert set(np.unique(board).tolist()) == {0, 255} and int(board.sum()) == 255 * PIXELS // 2
    dot = start_pixels("dot")
    assert dot[16, 16] == 255 and int(dot.sum()) == 255


def test_an_unknown_start_is_refused():
    with pytest.raises(InputError) as refused:
        start_pixels("spiral")
    assert refused.value.field == "image" and "face, blank, edge, checkerboard, dot" in refused.value.message
