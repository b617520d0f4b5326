"""A course author's preset library that replaces the bundled one (``PRESETS_PATH`` without ``extends``)."""

import json
import re
from pathlib import Path

import pytest

from app import create_app

LIBRARY = {
    "presets": [
        {"name": "box", "title": "Box blur", "group": "blur", "written_for": "correlation",
         "rows": ["1, 1, 1", "1, 1, 1", "1, 1, 1"], "scale": "1/9", "text": "The average of nine pixels."},
        {"name": "outline", "title": "Outline", "group": "edges", "written_for": "correlation",
         "rows": ["0, -1, 0", "-1, 4, -1", "0, -1, 0"], "text": "How much a pixel differs from its neighbours."},
    ]
}  # fmt: skip


@pytest.fixture
def author_client(tmp_path: Path):
    path = tmp_path / "presets.json"
    path.write_text(json.dumps(LIBRARY))
    app = create_app({"TESTING": True, "PRESETS_PATH": str(path), "UPLOAD_FOLDER": str(tmp_path / "uploads")})
    return app.test_client()


@pytest.mark.parametrize(
    "address", ["/", "/fragment", "/embed?view=playground", "/embed?view=inspect", "/?quiz=guess", "/?quiz=find"]
)
def test_a_page_that_names_no_kernel_starts_with_the_librarys_first(author_client, address):
    answer = author_client.get(address)
    assert answer.status_code == 200, address
    page = answer.get_data(as_text=True)
    assert re.search(r'<option value="box"[^>]*selected', page)  # the library's first preset, chosen
    assert 'name="k-1-1" value="1/9"' in page and "kernel=box" in page  # in the grid and in the pictures


@pytest.mark.parametrize("kernel", ["nope", "1,2;3", "1/0"])
def test_a_mistyped_kernel_is_explained_and_the_librarys_first_is_shown(author_client, kernel):
    answer = author_client.get("/", query_string={"kernel": kernel})
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "field-error" in page
    assert 'name="k-1-1" value="1/9"' in page  # the library's first preset stands in while the text is wrong
