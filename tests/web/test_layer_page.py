"""The layer section on the pages: where it sits, its own answers (/layer/fragment), its form without JavaScript,
its messages, and that the rest of the page never computes it."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import numpy as np
import pytest

from web.services.layer_compute import EXTENSION


class LayerFields(HTMLParser):
    """The fields of the form "layer-form" as a browser would send them (first value of each name)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("form") != "layer-form" and tag != "option":
            return
        if tag == "input" and a.get("name") and not ("disabled" in a or "data-page-carry" in a):
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.fields.setdefault(a["name"], a.get("value", ""))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def layer_fields(html: str) -> dict[str, str]:
    parser = LayerFields()
    parser.feed(html)
    return parser.fields


def fragment(client, fields: dict[str, str], headers: dict[str, str] | None = None):
    return client.get("/layer/fragment?" + urlencode(fields), headers=headers or {})


def regions_of(answer) -> list[str]:
    return re.findall(r'<hx-partial hx-target="#([a-z-]+)"', answer.get_data(as_text=True))


def test_the_section_sits_after_the_camera_and_before_compare(client) -> None:
    html = client.get("/").get_data(as_text=True)
    assert html.index('id="camera"') < html.index('id="layer"') < html.index('id="compare"')
    controls_end = html.index("</form>", html.index('id="controls"'))
    assert html.index('<form id="layer-form"') > controls_end  # forms do not nest
    assert "this is cross-correlation" in html
    assert html.count('class="layer-pick"') == 18  # 6 filters × 3 maps
    assert 'href="#layer"' not in html.split("</header>")[0]  # the header keeps its one row


def test_the_embed_view_shows_the_section_and_is_offered(client) -> None:
    embed = client.get("/embed?view=layer&layer=edges")
    html = embed.get_data(as_text=True)
    assert embed.status_code == 200 and "<title>One layer of a neural network" in html
    assert 'id="layer-image"' in html and html.count('class="layer-pick"') == 12
    share = client.get("/").get_data(as_text=True)
    assert "view=layer" in unescape(share) and "Embed “One layer of a neural network”" in share


def test_a_bad_value_in_a_link_is_a_400_that_keeps_the_rest(client) -> None:
    answer = client.get("/?kernel=emboss&layer=edges&act=tanh&lsize=64&filters=1,2;3")
    html = unescape(answer.get_data(as_text=True))
    assert answer.status_code == 400
    assert "act: must be one of none, relu" in html and "every row must have as many values" in html
    assert 'id="layer-status"' in html and html.count("act: must be one of none, relu") >= 2  # page and section
    fields = layer_fields(html)
    assert fields["layer"] == "edges" and fields["lsize"] == "64"  # the rest of the link is kept
    assert 'value="emboss"' in html or "Emboss" in html


def test_the_pages_own_answers_never_compute_the_layer(app, client) -> None:
    client.get("/api/samples")
    layer = app.extensions.get(EXTENSION)
    before = 0 if layer is None else len(layer.results._items)
    answer = client.get("/fragment?kernel=blur&layer=digits&lsize=64&lf=2&act=none")
    assert answer.status_code == 200
    assert not {"layer-filters", "layer-panel"} & set(regions_of(answer))
    url = answer.headers["X-Page-Url"]
    assert "layer=digits" in url and "lf=2" in url and "act=none" in url and "lsize=64" in url
    layer = app.extensions.get(EXTENSION)
    assert (0 if layer is None else len(layer.results._items)) == before
    picture = client.get("/picture?img=play-output-image&kernel=blur&layer=digits&lsize=64&act=none")
    assert picture.status_code == 200


def test_an_edit_answers_the_changed_regions_and_the_address(client) -> None:
    fields = layer_fields(client.get("/?lsize=64").get_data(as_text=True))
    assert fields["lshape"] == "rgb" and fields["lloaded"] == "starter" and fields["lw-0-0-1-1"] == "0"
    fields["lw-0-0-1-1"] = "7"
    answer = fragment(client, fields)
    assert answer.status_code == 200
    query = dict(parse_qsl(answer.headers["X-Layer-Query"]))
    assert query["filters"].startswith("-1,0,1;-2,7,2;-1,0,1:") and query["lsize"] == "64"
    assert "layer" not in query
    hashes = re.search(r'id="layer-hashes" hidden data-hashes="([^"]*)"', answer.get_data(as_text=True))[1]
    again = fragment(client, fields, {"X-Layer-Regions": hashes})
    assert regions_of(again) == ["layer-hashes"]  # nothing changed: nothing sent again
    fields["act"] = "none"
    third = fragment(client, fields, {"X-Layer-Regions": hashes})
    assert "layer-filters" in regions_of(third) and "act=none" in third.headers["X-Layer-Query"]


def test_a_wrong_cell_is_named_and_the_pictures_keep_the_last_layer(client) -> None:
    fields = layer_fields(client.get("/?lsize=64").get_data(as_text=True))
    fields["lw-2-1-0-2"] = "1/0"
    fields["lb-4"] = "lots"
    answer = fragment(client, fields)
    html = unescape(answer.get_data(as_text=True))
    assert answer.status_code == 400 and "X-Layer-Query" not in answer.headers
    assert "Filter 3, green, row 1, column 3: is a fraction with a zero denominator" in html
    assert "Filter 5, bias: must be a decimal" in html
    assert re.search(r'id="lw-2-1-0-2"[^>]*value="1/0"[^>]*aria-invalid="true"', html)
    assert "filters=-1,0,1;-2,0,2;-1,0,1" in html  # the maps are the last layer that worked


def test_pointing_answers_the_panel_with_the_apis_numbers(client) -> None:
    query = "layer=edges&lsize=64&pool=avg"
    answer = client.get(f"/layer/fragment?{query}&part=panel&lf=3&lmap=pool&lx=9&ly=4&lpin=1")
    assert answer.status_code == 200
    assert set(regions_of(answer)) == {"layer-status", "layer-carry", "layer-panel", "layer-pixel", "layer-hashes"}
    html = answer.get_data(as_text=True)
    panel = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', re.search(r'<div class="panel layer-explain"[^>]*>', html)[0]))
    api = client.get(f"/api/layer?{query}").get_json()
    assert (panel["f"], panel["map"], panel["x"], panel["y"]) == ("2", "pool", "9", "4")
    assert float(panel["value"]) == api["pooled"][2][4][9]
    cx, cy = int(panel["conv-x"]), int(panel["conv-y"])
    assert (cx, cy) == (18, 8)  # an average explains the block's top-left pixel
    assert float(panel["pre"]) == api["pre"][2][cy][cx] and float(panel["act"]) == api["act"][2][cy][cx]
    block = [api["act"][2][8 + dy][18 + dx] for dy in (0, 1) for dx in (0, 1)]
    assert float(panel["value"]) == pytest.approx(sum(block) / 4, rel=1e-12, abs=1e-12)
    query_back = dict(parse_qsl(answer.headers["X-Layer-Query"]))
    assert (query_back["lf"], query_back["lmap"], query_back["lx"], query_back["ly"], query_back["lpin"]) == (
        "3",
        "pool",
        "9",
        "4",
        "1",
    )
    bad = client.get(f"/layer/fragment?{query}&part=panel&lf=9")
    assert bad.status_code == 400 and "lf: must be a whole number from 1 to 4" in bad.get_data(as_text=True)


@pytest.mark.parametrize(
    ("change", "expected_groups", "grids", "count"),
    [({"lmode": "grey"}, None, 1, 6), ({"lmode": "depthwise"}, "3", 1, 6), ({"lcount": "2"}, None, 3, 2)],
)
def test_the_menus_change_the_structure(client, change, expected_groups, grids, count) -> None:
    fields = layer_fields(client.get("/?lsize=64").get_data(as_text=True))
    fields.update(change)
    answer = fragment(client, fields)
    assert answer.status_code == 200
    query = dict(parse_qsl(answer.headers["X-Layer-Query"]))
    filters = query["filters"].split("|")
    assert len(filters) == count and {len(f.split(":")) for f in filters} == {grids}
    assert query.get("groups") == expected_groups


def test_grey_filters_become_luma_weighted_colour_filters(client) -> None:
    fields = layer_fields(client.get("/?layer=edges&lsize=64").get_data(as_text=True))
    assert fields["lshape"] == "grey"
    fields.update({"lmode": "rgb", "lside": "5"})
    answer = fragment(client, fields)
    html = unescape(answer.get_data(as_text=True))
    assert "luma weight of that channel (0.299 red, 0.587 green, 0.114 blue)" in html
    first = dict(parse_qsl(answer.headers["X-Layer-Query"]))["filters"].split("|")[0].split(":")
    red = np.array([[float(v) for v in row.split(",")] for row in first[0].split(";")])
    assert red.shape == (5, 5) and red[0].tolist() == [0] * 5 and red[1, 1:4].tolist() == [-0.299, 0, 0.299]


def test_choosing_a_bank_loads_it(client) -> None:
    fields = layer_fields(client.get("/?lsize=64&lf=5&lx=3").get_data(as_text=True))
    fields["layer"] = "digits"
    answer = fragment(client, fields)
    query = dict(parse_qsl(answer.headers["X-Layer-Query"]))
    assert query["layer"] == "digits" and "lf" not in query and "lx" not in query
    assert "reads grey" in answer.get_data(as_text=True)


def test_the_form_without_javascript_goes_back_to_the_permalink(client) -> None:
    page = client.get("/?kernel=emboss&lsize=64").get_data(as_text=True)
    fields = layer_fields(page)
    lpage = unescape(
        re.search(r'<input type="hidden" name="lpage" value="([^"]*)" form="layer-form" data-page-carry>', page)[1]
    )
    carried = dict(parse_qsl(lpage))
    assert carried["kernel"] == "emboss" and "lsize" not in carried
    # No control of the section bears one of the page's own parameter names.
    assert not re.search(r'name="(?:kernel|color|op|edge|display)"[^>]*form="layer-form"', page)
    fields["lpage"] = lpage
    fields["lw-1-2-0-0"] = "3"
    answer = client.get("/layer?" + urlencode(fields))
    assert answer.status_code == 303
    target = urlsplit(answer.headers["Location"])
    query = dict(parse_qsl(target.query))
    assert target.path == "/" and target.fragment == "layer"
    assert query["kernel"] == "emboss" and query["lsize"] == "64" and "3,-2,-1" in query["filters"]
    fields["lw-1-2-0-0"] = "three"
    wrong = client.get("/layer?" + urlencode(fields))
    html = unescape(wrong.get_data(as_text=True))
    assert wrong.status_code == 400 and "Filter 2, blue, row 1, column 1: must be a decimal" in html
    assert 'value="three"' in html


def test_the_embeds_form_goes_back_to_the_embed(client) -> None:
    page = client.get("/embed?view=layer&layer=opponents").get_data(as_text=True)
    fields = layer_fields(page)
    fields["lpage"] = unescape(re.search(r'name="lpage" value="([^"]*)" form="layer-form" data-page-carry', page)[1])
    fields["image"] = "coffee"
    answer = client.get("/layer?" + urlencode(fields))
    target = urlsplit(answer.headers["Location"])
    assert target.path == "/embed" and dict(parse_qsl(target.query))["view"] == "layer"
    assert dict(parse_qsl(target.query))["image"] == "coffee"
