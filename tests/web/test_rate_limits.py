"""Per-client limits on uploads and on renders that miss the caches, and cross-site uploads refused."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app import create_app


def png(seed: int) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.random.default_rng(seed).integers(0, 256, (8, 8, 3), dtype=np.uint8)).save(buffer, "PNG")
    return buffer.getvalue()


def make(tmp_path: Path, **config):
    return create_app({"TESTING": True, "UPLOAD_FOLDER": str(tmp_path), **config}).test_client()


def post(client, seed: int, **headers):
    return client.post("/api/images", data={"file": (io.BytesIO(png(seed)), "p.png")}, headers=headers)


def test_uploads_past_the_limit_get_429_with_retry_after_and_words(tmp_path):
    client = make(tmp_path, UPLOAD_RATE_LIMIT="3 per minute")
    assert [post(client, seed).status_code for seed in range(3)] == [201, 201, 201]
    refused = post(client, 9)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "too many uploads from your network" in refused.get_json()["error"]
    other = client.post(
        "/api/images", data={"file": (io.BytesIO(png(10)), "p.png")}, environ_base={"REMOTE_ADDR": "10.0.0.2"}
    )
    assert other.status_code == 201  # another address has its own count


def test_only_renders_that_miss_the_caches_count(tmp_path):
    client = make(tmp_path, RENDER_RATE_LIMIT="3 per minute")
    for _ in range(10):  # the same picture again and again: made once, then cached
        assert client.get("/api/output.png?image=face&kernel=blur").status_code == 200
    assert client.get("/api/output.png?image=face&kernel=sharpen").status_code == 200
    assert client.get("/api/output.png?image=face&kernel=emboss").status_code == 200
    refused = client.get("/api/output.png?image=face&kernel=outline")
    assert refused.status_code == 429 and "too many new pictures" in refused.get_json()["error"]
    assert client.get("/api/output.png?image=face&kernel=blur").status_code == 429  # refused before looking


def test_the_page_says_it_in_words(tmp_path):
    client = make(tmp_path, RENDER_RATE_LIMIT="1 per minute")
    assert client.get("/?image=face&kernel=blur").status_code == 200
    refused = client.get("/?image=face&kernel=emboss")
    assert refused.status_code == 429
    assert "too many new pictures from your network" in refused.get_data(as_text=True)


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 201),
        ({"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}, 201),
        ({"Origin": "http://localhost"}, 201),
        ({"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, 403),
        ({"Origin": "https://evil.example"}, 403),
        ({"Sec-Fetch-Site": "same-site", "Origin": "https://other.localhost"}, 403),
        ({"Sec-Fetch-Site": "cross-site", "Origin": "https://course.example.org"}, 201),
    ],
)
def test_cross_site_uploads_are_refused_unless_allowed(tmp_path, headers, status):
    client = make(tmp_path, UPLOAD_ALLOWED_ORIGINS=["https://course.example.org"])
    answer = post(client, 1, **headers)
    assert answer.status_code == status
    if status == 403:
        assert "only taken from this site's own pages" in answer.get_json()["error"]
    page = client.post("/upload", data={"file": (io.BytesIO(png(2)), "p.png")}, headers=headers)
    assert page.status_code == (303 if status == 201 else 403)
