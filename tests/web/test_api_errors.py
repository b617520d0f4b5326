"""Bad input anywhere gets a clear 4xx with {"error", "field"}: never a 500, never a traceback."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from kernels import limits


def assert_refused(response, status: int, field: str | None, *words: str) -> None:
    assert response.status_code == status, response.data[:300]
    body = response.get_json()
    assert set(body) == {"error", "field"}
    assert body["field"] == field
    for word in words:
        assert word in body["error"], body["error"]
    assert "Traceback" not in body["error"]


@pytest.mark.parametrize(
    "query, field, words",
    [
        ("kernel=1,x,1", "kernel", ["row 1", "column 2", "'x'"]),
        ("kernel=1,nan,1", "kernel", ["nan"]),
        ("kernel=1,inf", "kernel", ["inf"]),
        ("kernel=1,2;3", "kernel", ["row 2"]),
        ("kernel=" + ";".join([",".join(["1"] * 999)] * 2), "kernel", ["63"]),
        ("kernel=no-such-preset", "kernel", ["preset"]),
        ("kernel=1/0", "kernel", []),
        ("bogus=1", "bogus", ["not a known parameter", "kernel"]),
        ("edge=black", "edge", ["extend", "kernel-crop", "'black'"]),
        ("op=multiply", "op", ["correlate"]),
        ("color=cmyk", "color", ["gray", "rgb"]),
        ("display=sepia", "display", ["clamp"]),
        ("divisor=0", "divisor", ["0"]),
        ("divisor=abc", "divisor", ["'abc'"]),
        ("offset=1e999", "offset", []),
        ("cval=nan", "cval", []),
        ("stride=0", "stride", ["1 to 64"]),
        ("stride=1,2,3", "stride", []),
        ("dilation=99", "dilation", ["32"]),
        ("repeat=11", "repeat", ["1 to 10"]),
        ("repeat=two", "repeat", []),
        ("normalize=maybe", "normalize", []),
        ("origin=5,5", "origin", ["inside"]),
        ("origin=a", "origin", []),
        ("image=../../etc/passwd", "image", []),
        ("image=nosuchimage", "image", []),
        ("image=" + "a" * 32, "image", []),
        ("display=signed&color=rgb", "display", []),
    ],
)
def test_bad_state_is_a_4xx_naming_the_field(client, query, field, words):
    status = 413 if len(query) > 1000 else 400  # an oversized kernel is "too large", not malformed
    base = "" if query.startswith("image=") else "image=face&"
    for route in ("/api/output.png", "/api/convolve", "/api/input.png"):
        if route == "/api/input.png" and field not in {"image", "color", "bogus", "edge"}:
            continue
        if route == "/api/convolve" and field == "display":
            continue  # raw values come before display, so any display is fine there
        assert_refused(client.get(f"{route}?{base}{query}"), status, field, *words)


def test_crop_with_a_kernel_larger_than_the_image(client):
    ones = ";".join([",".join(["1"] * 40)] * 40)
    assert_refused(client.get(f"/api/output.png?image=face&kernel={ones}&edge=crop"), 400, "kernel")


@pytest.mark.parametrize(
    "query, field", [("", "x"), ("x=1", "y"), ("x=-1&y=0", "x"), ("x=32&y=0", "x"), ("x=0&y=99", "y"), ("x=a&y=0", "x")]
)
def test_explain_needs_a_pixel_inside_the_output(client, query, field):
    assert_refused(client.get(f"/api/explain?image=face&{query}"), 400, field)


def test_unknown_route_and_method_are_json(client):
    assert client.get("/api/nothing").status_code == 404
    assert client.get("/api/nothing").get_json()["error"]
    assert client.get("/api/images").status_code == 405


def png_header_claiming(width: int, height: int) -> bytes:
    """A PNG that is a few bytes long but says it is width × height pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def post(client, data: bytes, name: str = "f.png"):
    return client.post("/api/images", data={"file": (io.BytesIO(data), name)})


def test_upload_refusals(client):
    assert_refused(client.post("/api/images", data={}), 400, "file")
    assert_refused(post(client, b"hello, not an image"), 415, "file")
    assert_refused(post(client, png_header_claiming(30_000, 10)), 413, "file", "30000")
    assert_refused(post(client, png_header_claiming(4001, 4000)), 413, "file")
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (1, 2, 3)).save(buffer, "PNG")
    truncated = buffer.getvalue()[: len(buffer.getvalue()) // 2]
    response = post(client, truncated)
    assert response.status_code in (400, 415)
    assert response.get_json()["field"] == "file"


def test_upload_over_the_byte_limit_is_413(client):
    response = post(client, b"\0" * (limits.MAX_UPLOAD_BYTES + 1))
    assert response.status_code == 413
    assert "10 MB" in response.get_json()["error"]


def test_an_error_keeps_the_state_untouched(client):
    good = client.get("/api/output.png?image=face&kernel=blur").data
    client.get("/api/output.png?image=face&kernel=1,oops")
    assert client.get("/api/output.png?image=face&kernel=blur").data == good
