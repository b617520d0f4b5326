"""Uploads as two workers on one folder see them, and a link whose upload is gone."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
from PIL import Image

from app import create_app

GONE = "0123456789abcdef0123456789abcdef"


def upload(client, seed: int) -> str:
    pixels = np.random.default_rng(seed).integers(0, 256, (24, 32, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    answer = client.post("/api/images", data={"file": (io.BytesIO(buffer.getvalue()), "p.png")})
    assert answer.status_code == 201
    return answer.get_json()["id"]


def test_an_upload_evicted_by_one_worker_is_refused_by_the_other(tmp_path: Path):
    config = {"TESTING": True, "UPLOAD_FOLDER": str(tmp_path), "UPLOAD_STORE_MAX": 1}
    first, second = create_app(config).test_client(), create_app(config).test_client()
    image = upload(first, 1)
    assert first.get(f"/api/output.png?image={image}&kernel=blur").status_code == 200  # cached by worker 1
    upload(second, 2)  # worker 2 makes room
    for client in (first, second):
        answer = client.get(f"/api/output.png?image={image}&kernel=blur")
        assert answer.status_code == 400
        assert "removed to make room; upload it again" in answer.get_json()["error"]


def test_a_link_to_a_gone_upload_keeps_everything_else_and_says_why(client):
    answer = client.get(f"/?image={GONE}&kernel=blur&edge=wrap&display=abs&color=rgb&px=3&py=4")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    message = re.search(r'id="err-image">([^<]*)', page)[1]
    assert "removed to make room; upload it again" in message
    src = re.search(r'<img id="play-output-image" src="([^"]*)"', page)[1].replace("&amp;", "&")
    assert src == "/api/preview/output?image=astronaut&kernel=blur&edge=wrap&color=rgb&display=abs"


def test_a_link_with_bad_values_keeps_everything_else_and_says_what_was_left_out(client):
    answer = client.get("/?image=camera&kernel=blur&edge=bogus&display=abs&color=rgb&repeat=99&compare=blur|nope")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    src = re.search(r'<img id="play-output-image" src="([^"]*)"', page)[1].replace("&amp;", "&")
    assert src == "/api/preview/output?image=camera&kernel=blur&color=rgb&display=abs"
    for field, words in (("edge", "must be one of"), ("repeat", "from 1 to 10"), ("compare[1]", "")):
        assert f'id="err-{field}"' in page, field
        assert words in re.search(rf'id="err-{re.escape(field)}">([^<]*)', page)[1]
