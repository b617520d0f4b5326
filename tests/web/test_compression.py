"""Text is compressed for the network (zstd, brotli or gzip, as the client accepts) and versioned static
files are cached as immutable; pictures are sent as they are."""

from __future__ import annotations

import gzip
import re
import zlib

import brotli
import pytest
from backports import zstd

from app import IMMUTABLE, static_file_version

DECODERS = {"gzip": gzip.decompress, "br": brotli.decompress, "zstd": zstd.decompress, "deflate": zlib.decompress}


# Chromium offers br and zstd over HTTPS only; over plain HTTP it sends "gzip, deflate". Static files are
# streamed, and Flask-Compress streams with deflate rather than gzip.
@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("gzip, deflate, br, zstd", {"zstd"}),
        ("gzip, deflate, br", {"br"}),
        ("gzip, deflate", {"gzip", "deflate"}),
    ],
)
def test_pages_fragments_json_css_and_scripts_are_compressed(app, client, accept, chosen):
    page = client.get("/").get_data(as_text=True)
    static = [s.replace("&amp;", "&") for s in re.findall(r'/static/[^"]+\.(?:js|css)\?v=\w+', page)]
    assert static
    for url in ("/", "/fragment?kernel=blur", "/api/presets", "/api/kernel?kernel=blur", *static):
        plain = client.get(url)
        answer = client.get(url, headers={"Accept-Encoding": accept})
        encoding = answer.headers.get("Content-Encoding")
        if len(plain.data) < app.config["COMPRESS_MIN_SIZE"]:  # too small to gain from it: sent as it is
            assert encoding is None, url
            continue
        assert encoding in chosen, url
        assert "Accept-Encoding" in answer.headers["Vary"]
        assert DECODERS[encoding](answer.data) == plain.data
        assert len(answer.data) < len(plain.data) / (2 if len(plain.data) > 4096 else 1), url


def test_a_client_that_accepts_nothing_gets_plain_text(client):
    answer = client.get("/", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in answer.headers and answer.data.startswith(b"<!doctype html>")


def test_pictures_are_not_compressed_again(client):
    for url in ("/api/preview/output?image=astronaut", "/api/output.png?image=astronaut"):
        assert "Content-Encoding" not in client.get(url, headers={"Accept-Encoding": "br, gzip"}).headers


def test_static_files_with_their_hash_are_immutable(app, client):
    version = static_file_version(app.static_folder, "app.js")
    assert re.fullmatch(r"[0-9a-f]{12}", version)
    assert f"/static/app.js?v={version}" in client.get("/").get_data(as_text=True)
    assert client.get(f"/static/app.js?v={version}").headers["Cache-Control"] == IMMUTABLE
    for stale in ("/static/app.js?v=0", "/static/app.js"):
        assert "immutable" not in client.get(stale).headers.get("Cache-Control", "")
