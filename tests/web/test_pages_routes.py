"""The pages and fragments: every route, the machine-readable panel, permalinks, embeds and headers."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.pages_support import assert_same_picture, partial_targets, tags
from web.page.views import REGIONS_BY_VIEW

FACE = "image=face"


def explain_api(client, query: str, x: int, y: int) -> dict:
    response = client.get(f"/api/explain?{query}&x={x}&y={y}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def assert_panel_matches(panel, api: dict) -> None:
    first = api["channels"][0]
    assert (int(panel["data-x"]), int(panel["data-y"])) == (api["x"], api["y"])
    assert float(panel["data-sum"]) == first["sum"]
    assert float(panel["data-value"]) == first["value"]
    assert json.loads(panel["data-stored"]) == first["stored"]


def test_index_has_the_three_sections_and_the_machine_readable_parts(client):
    response = client.get("/")
    assert response.status_code == 200
    page = tags(response.data)
    for element_id in ("matrix", "inspect", "playground", "input-image", "output-image", "explain", "controls"):
        page.by_id(element_id)
    assert page.by_id("input-image")["src"].startswith("/api/preview/input?image=face")
    assert page.by_id("output-image")["src"].startswith("/api/preview/output?image=face")
    assert page.by_id("output-image")["data-api-src"].startswith("/api/output.png?image=face")
    assert {e["name"] for e in page.elements if e.get("name", "").startswith("k-")} == {
        f"k-{r}-{c}" for r in range(3) for c in range(3)
    }
    assert page.by_id("controls")["hx-sync"] == "this:replace"


@pytest.mark.parametrize(
    "query, x, y",
    [
        ("kernel=sharpen", 0, 0),
        ("kernel=sharpen", 31, 31),
        ("kernel=sobel-left&edge=wrap", 31, 0),
        ("kernel=emboss&edge=constant&cval=40&op=convolve", 0, 31),
        ("kernel=blur&display=stretch", 5, 9),
        ("kernel=outline&edge=crop", 29, 29),
        ("kernel=laplacian-4&edge=kernel-crop&divisor=2&offset=128", 0, 0),
    ],
)
def test_panel_numbers_equal_the_api(client, query, x, y):
    page = tags(client.get(f"/?{query}&x={x}&y={y}").data)
    assert_panel_matches(page.by_id("explain"), explain_api(client, f"{FACE}&{query}", x, y))


def test_output_image_is_the_api_output_for_the_state(client):
    page = tags(client.get("/?kernel=emboss&edge=mirror&display=abs").data)
    query = "image=face&kernel=emboss&edge=mirror&display=abs"
    src = page.by_id("output-image")["src"]
    assert src == f"/api/preview/output?{query}"
    assert page.by_id("output-image")["data-api-src"] == f"/api/output.png?{query}"
    assert_same_picture(client, src, f"/api/output.png?{query}")


def test_playground_panel_explains_the_photo(client):
    page = tags(client.get("/?image=camera&color=rgb&kernel=blur&px=0&py=511").data)
    panel = page.by_id("play-explain")
    assert_panel_matches(panel, explain_api(client, "image=camera&color=rgb&kernel=blur", 0, 511))
    assert "color=rgb" in page.by_id("play-output-image")["src"]


def test_selection_outside_the_output_is_clamped(client):
    page = tags(client.get("/?x=400&y=2&px=4000&py=0").data)
    assert page.by_id("explain")["data-x"] == "31"
    assert page.by_id("play-explain")["data-x"] == "511"


def test_form_submission_redirects_to_the_permalink(client):
    cells = "&".join(
        f"k-{r}-{c}={v}" for r, row in enumerate([[1, 2, 1], [0, 0, 0], [-1, -2, -1]]) for c, v in enumerate(row)
    )
    response = client.get(f"/?{cells}&preset=&loaded=&rows=3&cols=3&edge=wrap&x=3&y=4&pin=1&good=")
    assert response.status_code == 303
    target = urlsplit(response.headers["Location"])
    query = parse_qs(target.query)
    assert target.path == "/"
    assert query["kernel"] == ["1,2,1;0,0,0;-1,-2,-1"] or query["kernel"] == ["sobel-top"]
    assert query["edge"] == ["wrap"] and query["x"] == ["3"] and query["pin"] == ["1"]
    assert "k-0-0" not in query and "good" not in query


def test_permalink_restores_the_form(client):
    page = tags(client.get("/?kernel=1/16,1/8;3,-2&edge=constant&cval=7&normalize=1&px=3&py=4&ppin=1").data)
    assert [page.named(f"k-{r}-{c}")[0]["value"] for r in range(2) for c in range(2)] == ["1/16", "1/8", "3", "-2"]
    assert page.by_id("cval")["value"] == "7"
    assert "checked" in page.by_id("normalize").attrs
    assert "checked" in page.by_id("ppin").attrs
    assert page.by_id("px")["value"] == "3"


def test_a_new_preset_choice_replaces_the_cells(client):
    cells = "&".join(f"k-{r}-{c}=0" for r in range(3) for c in range(3))
    response = client.get(f"/fragment?{cells}&preset=blur&loaded=sharpen")
    page = tags(response.data)
    assert response.status_code == 200
    assert page.by_id("k-0-0")["value"] == "1/16"
    assert "kernel=blur" in response.headers["X-Page-Url"]


def test_cells_equal_to_a_preset_are_named_after_it(client):
    response = client.get("/fragment?kernel=0,-1,0;-1,5,-1;0,-1,0")
    assert "kernel=sharpen" in response.headers["X-Page-Url"]


def test_resizing_keeps_the_centre(client):
    cells = "&".join(f"k-{r}-{c}={3 * r + c}" for r in range(3) for c in range(3))
    page = tags(client.get(f"/fragment?{cells}&rows=5&cols=4&preset=&loaded=").data)
    grid = [[page.by_id(f"k-{r}-{c}")["value"] for c in range(4)] for r in range(5)]
    assert grid == [["0"] * 4, ["0", "0", "1", "2"], ["0", "3", "4", "5"], ["0", "6", "7", "8"], ["0"] * 4]


def test_large_kernels_show_as_a_heat_map(client):
    page = tags(client.get("/?kernel=box-blur-21").data)
    assert not [e for e in page.elements if e.get("name", "").startswith("k-")]
    assert page.named("kernel")[0]["value"] == "box-blur-21"
    assert any(e.tag == "img" and e.get("src", "").startswith("data:image/png;base64,") for e in page.elements)


def test_padded_taps_say_where_they_came_from(client):
    html = client.get("/?kernel=sharpen&edge=wrap&x=0&y=0").data.decode()
    assert "wrapped round from x 31, y 0" in html
    html = client.get("/?kernel=sharpen&edge=constant&cval=9&x=0&y=0").data.decode()
    assert "the constant fill value 9" in html
    assert "?" not in html.split('id="explain"', 1)[1].split("</table>", 1)[0]


def test_clipped_values_are_marked(client):
    html = client.get("/?kernel=0,0,0;0,9,0;0,0,0&x=12&y=13").data.decode()
    assert 'data-clipped="true"' in html and 'class="clipped"' in html


@pytest.mark.parametrize(
    "view, present, absent",
    [
        ("matrix", ["matrix"], ["explain", "play-explain", "k-0-0"]),
        ("inspect", ["input-image", "output-image", "explain", "k-1-1"], ["play-explain", "matrix"]),
        ("playground", ["play-input-image", "play-output-image", "play-explain", "k-1-1", "file"], ["explain"]),
    ],
)
def test_embed_views(client, view, present, absent):
    response = client.get(f"/embed?view={view}&kernel=emboss")
    assert response.status_code == 200
    ids = tags(response.data).ids()
    assert all(i in ids for i in present) and not any(i in ids for i in absent)
    assert "site-head" not in response.data.decode()


def test_embed_inspect_panel_equals_the_api(client):
    page = tags(client.get("/embed?view=inspect&kernel=sobel-top&edge=mirror&x=31&y=31").data)
    assert_panel_matches(page.by_id("explain"), explain_api(client, f"{FACE}&kernel=sobel-top&edge=mirror", 31, 31))


def test_fragment_regions_follow_the_view(client):
    full = client.get("/fragment?kernel=blur").data.decode()
    assert partial_targets(full) == [*REGIONS_BY_VIEW[None], "region-hashes"]
    pointed = client.get("/fragment?kernel=blur&px=3&py=4&part=play").data.decode()
    assert partial_targets(pointed) == [
        "play-region",
        "play-marks-in",
        "play-marks-out",
        "play-stepper",
        "play-panel",
        "play-pixel",
        "region-hashes",
    ]
    embed = client.get("/fragment?kernel=blur&view=playground").data.decode()
    assert "inspect-region" not in partial_targets(embed) and "play-region" in partial_targets(embed)
    address = client.get("/fragment?kernel=blur&view=inspect").headers["X-Page-Url"]
    assert address.startswith("/embed?") and "view=inspect" in address


def test_share_snippets_point_at_embed(client):
    page = tags(client.get("/?kernel=emboss").data)
    assert "kernel=emboss" in page.by_id("permalink")["value"]
    html = client.get("/?kernel=emboss").data.decode()
    for view in ("matrix", "inspect", "playground"):
        assert "/embed?image=astronaut&amp;kernel=emboss" in html and f"view={view}" in html


def test_frame_ancestors_default_lets_any_site_embed(client):
    assert "frame-ancestors *" in client.get("/embed?view=inspect").headers["Content-Security-Policy"]


def test_frame_ancestors_is_configurable(tmp_path):
    from app import create_app

    config = {"TESTING": True, "UPLOAD_FOLDER": str(tmp_path), "FRAME_ANCESTORS": "'self' https://school.example"}
    app = create_app(config)
    policy = app.test_client().get("/embed?view=matrix").headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://school.example" in policy


def test_api_index_lists_the_routes(client):
    html = client.get("/api/").data.decode()
    assert "/api/explain" in html and "/embed?view=inspect" in html


def test_regions_the_page_already_shows_are_left_out(client):
    first = client.get("/fragment?kernel=blur&x=3&y=3")
    hashes = tags(first.data).by_id("region-hashes")["data-hashes"]
    again = client.get("/fragment?kernel=blur&x=3&y=3", headers={"X-Regions": hashes})
    assert again.status_code == 200 and partial_targets(again.data.decode()) == ["region-hashes"]
    moved = client.get("/fragment?kernel=blur&x=4&y=3", headers={"X-Regions": hashes}).data.decode()
    assert "inspect-panel" in partial_targets(moved) and "options" not in partial_targets(moved)


def test_the_page_carries_the_hashes_of_its_regions(client):
    # The hashes a request from the page itself would get: it sends the fields as the page shows them, the
    # selected pixels of its address included.
    page = tags(client.get("/?kernel=blur&x=3&y=3").data)
    address = urlsplit(page.by_id("page-url")["data-url"])
    assert "px=" in address.query
    fragment = tags(client.get("/fragment?" + address.query).data)
    assert page.by_id("region-hashes")["data-hashes"] == fragment.by_id("region-hashes")["data-hashes"]


FORM = (
    "preset=&loaded=&rows=3&cols=3&k-0-0=0&k-0-1=-1&k-0-2=0&k-1-0=-1&k-1-1=5&k-1-2=-1&k-2-0=0&k-2-1=-1"
    "&k-2-2=0&edge=wrap&image=camera&good=image%3Dcamera%26kernel%3Dblur"
)


@pytest.mark.parametrize(
    ("element", "api"),
    [
        ("play-output-image", "/api/output.png?image=camera&kernel=sharpen&edge=wrap"),
        ("output-image", "/api/output.png?image=face&kernel=sharpen&edge=wrap"),
    ],
)
def test_a_picture_loads_straight_from_the_form_fields(client, element, api):
    src = f"/picture?img={element}&{FORM}"
    preview = api.replace("/api/output.png", "/api/preview/output")
    assert client.get(src).data == client.get(preview).data
    assert client.get(src).headers["ETag"] == client.get(preview).headers["ETag"]
    assert_same_picture(client, src, api)


def test_a_picture_of_a_state_with_a_mistake_is_the_last_good_one(client):
    picture = client.get("/picture?img=play-output-image&" + FORM.replace("k-1-1=5", "k-1-1=five"))
    assert picture.status_code == 200
    assert picture.data == client.get("/api/preview/output?image=camera&kernel=blur").data


def test_a_picture_needs_the_id_of_an_output_picture_of_the_view(client):
    for query in (f"img=nope&{FORM}", FORM, f"img=play-output-image&view=inspect&{FORM}"):
        answer = client.get(f"/picture?{query}")
        assert answer.status_code == 400 and b"no output picture has the id" in answer.data


def test_answers_keep_a_picture_address_that_shows_the_same_picture(client):
    shown = f"/picture?img=play-output-image&{FORM}&compare-menu-0="
    other = shown.replace("edge=wrap", "edge=mirror")
    for header, src in (
        (shown, shown),
        (other, "/api/preview/output?image=camera&kernel=sharpen&edge=wrap"),
        ("https://example.com" + shown, "/api/preview/output?image=camera&kernel=sharpen&edge=wrap"),
    ):
        answer = client.get(f"/fragment?{FORM}", headers={"X-Pictures": json.dumps({"play-output-image": header})})
        assert tags(answer.data).by_id("play-output-image")["src"] == src
    for garbage in ("{", "[1]", '{"play-output-image": 3}', "[" * 2000, '{"a":' * 5000):
        answer = client.get(f"/fragment?{FORM}", headers={"X-Pictures": garbage})
        assert answer.status_code == 200
        assert tags(answer.data).by_id("play-output-image")["src"].startswith("/api/preview/output?")
    page = tags(client.get("/?image=camera").data)
    assert page.by_id("play-output-image")["data-picture"] == "/picture"
    assert page.by_id("play-input-image").get("data-picture") is None


def test_a_region_differing_only_by_what_was_typed_is_not_sent_again(client):
    grid = "&".join(f"k-{r}-{c}={'5' if (r, c) == (1, 1) else '0'}" for r in range(3) for c in range(3))
    first = client.get(f"/fragment?{grid}&rows=3&cols=3&loaded=")
    hashes = tags(first.data).by_id("region-hashes")["data-hashes"]
    typed = grid.replace("k-1-1=5", "k-1-1=6")
    again = client.get(f"/fragment?{typed}&rows=3&cols=3&loaded=", headers={"X-Regions": hashes})
    targets = partial_targets(again.data.decode())
    assert "kernel-editor" not in targets  # the browser shows the 6 it sent
    assert "inspect-panel" in targets and "play-panel" in targets


def test_a_region_the_server_changes_is_sent(client):
    grid = "&".join(f"k-{r}-{c}=1" for r in range(3) for c in range(3))
    first = client.get(f"/fragment?{grid}&rows=3&cols=3&loaded=")
    hashes = tags(first.data).by_id("region-hashes")["data-hashes"]
    picked = client.get(f"/fragment?{grid}&rows=3&cols=3&loaded=&preset=sharpen", headers={"X-Regions": hashes})
    editor = tags(picked.data).by_id("k-1-1")
    assert "kernel-editor" in partial_targets(picked.data.decode()) and editor["value"] == "5"


def test_hidden_regions_are_neither_rendered_nor_sent(client):
    page = tags(client.get("/?kernel=blur").data).by_id("region-hashes")["data-hashes"]
    hidden = ",".join(pair if not pair.startswith("share:") else "share:-" for pair in page.split(","))
    answer = client.get("/fragment?kernel=sharpen", headers={"X-Regions": hidden}).data.decode()
    assert "share" not in partial_targets(answer)
    assert "share:" not in tags(answer).by_id("region-hashes")["data-hashes"]
    shown = client.get("/fragment?kernel=sharpen", headers={"X-Regions": page}).data.decode()
    assert "share" in partial_targets(shown)


def test_a_pointer_answer_sends_the_marks_and_the_panel_not_the_figures_around_them(client):
    page = client.get("/?image=camera&kernel=blur&px=3&py=4&x=5&y=6").data.decode()
    assert tags(page).by_id("play-marks-in")["class"] == "marks"
    inside = r'id="play-marks-in" class="marks" hx-morph-skip-children>\s*<span class="mark mark-window"[^>]*x 3, y 4"'
    assert re.search(inside, page)  # a whole page has the marks in their place
    shown = tags(page).by_id("region-hashes")["data-hashes"]
    for part, query in (("play", "px=9&py=4&x=5&y=6"), ("inspect", "px=3&py=4&x=7&y=6")):
        answer = client.get(f"/fragment?image=camera&kernel=blur&{query}&part={part}", headers={"X-Regions": shown})
        html = answer.data.decode()
        targets = [f"{part}-marks-in", f"{part}-marks-out", f"{part}-stepper", f"{part}-panel", "region-hashes"]
        assert partial_targets(html) == targets  # the stepper says which pixel it is at
    assert (
        'title="3×3 window around input x 9, y 4"'
        in client.get(
            "/fragment?image=camera&kernel=blur&px=9&py=4&x=5&y=6&part=play", headers={"X-Regions": shown}
        ).data.decode()
    )
    # Pinning changes the figure (its marks turn orange), and an edit its pictures: both send the figure again,
    # but not marks that stay where they are.
    pinned = client.get(
        "/fragment?image=camera&kernel=blur&px=3&py=4&x=5&y=6&ppin=1&part=play", headers={"X-Regions": shown}
    ).data.decode()
    assert "play-region" in partial_targets(pinned)
    edited = client.get("/fragment?image=camera&kernel=sharpen&px=3&py=4&x=5&y=6", headers={"X-Regions": shown})
    sent = partial_targets(edited.data.decode())
    assert {"play-region", "inspect-region"} <= set(sent) and "play-marks-in" not in sent


def test_a_pointer_answer_leaves_the_histogram_alone(client):
    page = tags(client.get("/?image=camera&px=3&py=4").data)
    assert page.by_id("play-histogram")  # in its own region, below the panel
    pointed = client.get("/fragment?image=camera&px=5&py=4&part=play").data.decode()
    assert partial_targets(pointed)[:5] == [
        "play-region",
        "play-marks-in",
        "play-marks-out",
        "play-stepper",
        "play-panel",
    ]
    assert "play-values" not in partial_targets(pointed) and 'id="play-histogram"' not in pointed
    edited = client.get("/fragment?image=camera&kernel=emboss&px=5&py=4").data.decode()
    assert {"play-region", "play-values", "inspect-values"} <= set(partial_targets(edited))
    assert 'id="play-histogram"' in edited
