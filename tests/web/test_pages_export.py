"""The "Reproduce it in code" section and /api/export with compare slots and combine."""

from __future__ import annotations

import html
import re

import pytest

from kernels.exports import FORMATS
from tests.pages_support import tags

STATE = "image=face&kernel=sobel-left&edge=wrap&stride=2"


def code_text(page_html: str, fmt: str) -> str:
    match = re.search(rf'<code id="export-code-{fmt}"[^>]*>(.*?)</code>', page_html, re.S)
    assert match, fmt
    return html.unescape(match[1])


def test_the_section_writes_the_numpy_snippet_the_api_sends_and_links_every_format(client):
    page_html = client.get(f"/?{STATE}").data.decode()
    assert code_text(page_html, "numpy") == client.get(f"/api/export?{STATE}&format=numpy").data.decode()
    page = tags(page_html)
    for fmt in FORMATS:
        code = page.by_id(f"export-code-{fmt}")
        if fmt != "numpy":
            assert code["data-src"] == f"/api/export?{STATE}&format={fmt}"
            assert client.get(code["data-src"]).status_code == 200
        assert page.by_id(f"export-status-{fmt}")["role"] == "status"


def test_the_section_follows_the_state_in_fragments(client):
    fragment = client.get("/fragment?image=face&kernel=blur&repeat=2").data.decode()
    assert 'hx-target="#exports"' in fragment
    assert code_text(fragment, "numpy") == client.get("/api/export?image=face&kernel=blur&repeat=2&format=numpy").text
    pointed = client.get("/fragment?image=face&kernel=blur&px=1&py=1&part=play").data.decode()
    assert 'hx-target="#exports"' not in pointed


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_compare_slot_exports_that_kernel_alone(client, fmt):
    slot = client.get(f"/api/export?image=face&kernel=sharpen&edge=mirror&compare=blur|emboss&slot=1&format={fmt}")
    plain = client.get(f"/api/export?image=face&kernel=emboss&edge=mirror&format={fmt}")
    assert slot.status_code == 200 and slot.data == plain.data
    assert slot.headers["Content-Disposition"] == plain.headers["Content-Disposition"]


def test_a_missing_slot_is_a_400_naming_slot(client):
    response = client.get("/api/export?kernel=blur&compare=sharpen&slot=3&format=json")
    assert response.status_code == 400 and response.get_json()["field"] == "slot"


@pytest.mark.parametrize("fmt", FORMATS)
def test_combine_is_refused_with_a_400_naming_it(client, fmt):
    response = client.get(f"/api/export?image=face&kernel=sobel-left&combine=magnitude&format={fmt}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["field"] == "combine" and "np.hypot(gx, gy)" in body["error"]


def test_a_combined_page_exports_the_first_kernel_and_says_how_to_combine(client):
    page_html = client.get("/?image=face&kernel=sobel-left&combine=direction").data.decode()
    assert "np.degrees(np.arctan2(gy, gx))" in page_html
    assert code_text(page_html, "numpy") == client.get("/api/export?image=face&kernel=sobel-left&format=numpy").text
    assert "combine=" not in tags(page_html).by_id("export-code-gimp")["data-src"]


def test_the_code_embed_shows_the_exports_of_its_state_and_carries_it(client):
    page_html = client.get(f"/embed?{STATE}&view=code").data.decode()
    assert code_text(page_html, "numpy") == client.get(f"/api/export?{STATE}&format=numpy").data.decode()
    hidden = [e for e in tags(page_html).elements if e.tag == "input" and e.get("type") == "hidden"]
    carried = {e["name"]: e["value"] for e in hidden}
    assert carried["kernel"] == "sobel-left" and carried["edge"] == "wrap" and carried["stride"] == "2"
    share = client.get(f"/?{STATE}").data.decode()
    assert "/embed?" in share and "view=code" in share
