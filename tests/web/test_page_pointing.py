"""What the page script points with: ``<main data-pointing>`` is web/page/views.py's POINTING, on every page."""

from __future__ import annotations

import html
import json
import re
from dataclasses import asdict

import pytest

from web.page.views import POINTING, REGIONS_OF_PART
from web.query.page_state import PARTS, SELECTION_PARAMS, VIEWS, Selection, read_selections

EXPECTED = {part: asdict(pointing) for part, pointing in POINTING.items()}


def written(page: str) -> dict[str, dict[str, str]]:
    """The parts ``<main data-pointing>`` describes, in the page's order."""
    match = re.search(r'<main id="main" data-pointing="([^"]*)">', page)
    assert match, "the page has no <main data-pointing>"
    return json.loads(html.unescape(match[1]))


def test_the_parts_are_the_ones_pointing_redraws_and_their_fields_are_the_page_parameters():
    assert tuple(POINTING) == tuple(REGIONS_OF_PART) == PARTS
    fields = [name for p in POINTING.values() for name in (p.x, p.y, p.pin, p.step) if name]
    assert sorted(fields) == sorted(SELECTION_PARAMS)


def test_a_request_reads_each_parts_pixel_from_the_fields_the_table_names():
    for index, pointing in enumerate(POINTING.values()):
        args = {pointing.x: "3", pointing.y: "4", pointing.pin: "1"} | ({pointing.step: "5"} if pointing.step else {})
        errors: dict[str, str] = {}
        selections = read_selections(args, errors)
        assert errors == {}
        assert selections[index] == Selection(3, 4, True, 5 if pointing.step else None)
        assert [s for i, s in enumerate(selections) if i != index] == [Selection(), Selection()]


@pytest.mark.parametrize("address", ["/", "/?image=face&kernel=nope", *(f"/embed?view={view}" for view in VIEWS)])
def test_every_page_writes_the_table(client, address):
    page = client.get(address).get_data(as_text=True)
    assert list(written(page).items()) == list(EXPECTED.items())


def test_the_full_page_has_each_parts_fields_and_panel(client):
    page = client.get("/?compare=blur|sharpen").get_data(as_text=True)
    for part in written(page).values():
        assert f'id="{part["panel"]}"' in page
        for name in (part["x"], part["y"], part["pin"], part["step"]):
            assert not name or f'name="{name}"' in page
