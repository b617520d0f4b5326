"""The kernel editor's tools, generators, properties and origin through the page form, as a browser without
JavaScript sends it (GET /, answered by a redirect to the permalink) and as htmx sends it (GET /fragment)."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import numpy as np
import pytest

from kernels.library.generators import parse_generator
from kernels.library.presets import load_presets
from tests.pages_support import assert_same_picture, tags
from web.query.grid_texts import readable_texts
from web.query.state import parse_state

PRESETS = load_presets()

HAND = "1,2,3;4,5,6;7,8,9"


class FormFields(HTMLParser):
    """The name/value pairs a browser submits for the page form, with no button pressed."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if "form" in a or (not a.get("name") and tag != "option"):
            return
        if tag == "input" and a.get("type", "text") not in ("file", "submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select":
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected] or [self._options[0][0]]
            self.fields.append((self._select, chosen[0]))
            self._select = None


def form_of(client, url: str) -> dict[str, str]:
    page = client.get(url)
    assert page.status_code == 200, page.data[:2000]
    return dict(FormFields(page.data.decode()).fields)


def submit(client, fields: dict[str, str], path: str = "/", **changes: str) -> str:
    """Send the form without JavaScript; the permalink it redirects to."""
    response = client.get(path + "?" + urlencode({**fields, **changes}))
    assert response.status_code == 303, response.data.decode()[:3000]
    return response.headers["Location"]


def query_of(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def grid_texts(client, url: str) -> list[list[str]]:
    fields = form_of(client, url)
    rows, cols = int(fields["rows"]), int(fields["cols"])
    return [[fields[f"k-{r}-{c}"] for c in range(cols)] for r in range(rows)]


def api_tool(client, kernel: str, tool: str, **extra: str) -> dict:
    body = client.get("/api/kernel/tool?" + urlencode({"image": "face", "kernel": kernel, "tool": tool, **extra}))
    assert body.status_code == 200, body.get_json()
    return body.get_json()


@pytest.mark.parametrize(
    "tool", ["rotate-left", "rotate-right", "flip-h", "flip-v", "transpose", "randomise", "clear", "reset"]
)
def test_each_tool_button_gives_the_api_result_and_a_permalink_without_the_tool(client, tool):
    fields = form_of(client, f"/?kernel={HAND}")
    permalink = submit(client, fields, tool=tool)
    query = query_of(permalink)
    assert "tool" not in query and not any(name.startswith(("k-", "g-")) for name in query)
    # The page's reset goes back to what its link held; the API's, with no link, to the identity.
    assert query["kernel"] == (HAND if tool == "reset" else api_tool(client, HAND, tool)["kernel"])
    assert client.get(permalink).status_code == 200


@pytest.mark.parametrize("tool, rows, cols", [("grow", 5, 5), ("shrink", 1, 1)])
def test_grow_and_shrink_keep_the_centre(client, tool, rows, cols):
    permalink = submit(client, form_of(client, f"/?kernel={HAND}"), tool=tool)
    expected = api_tool(client, HAND, "resize", rows=str(rows), cols=str(cols))["kernel"]
    assert query_of(permalink)["kernel"] == expected
    assert grid_texts(client, permalink)[rows // 2][cols // 2] == "5"


def test_fragment_answers_a_tool_with_the_new_grid_and_address(client):
    fields = form_of(client, f"/?kernel={HAND}")
    response = client.get("/fragment?" + urlencode({**fields, "tool": "flip-h"}))
    assert response.status_code == 200
    assert query_of(response.headers["X-Page-Url"])["kernel"] == "3,2,1;6,5,4;9,8,7"
    assert "tool=" not in response.headers["X-Page-Url"]
    body = response.data.decode()
    assert tags(body).by_id("k-0-0")["value"] == "3"
    assert "/api/output.png?image=face&amp;kernel=3,2,1;6,5,4;9,8,7" in body


def test_tools_keep_fractions_as_typed(client):
    fields = form_of(client, "/?kernel=1/16,0,0;0,1/2,0;0,0,1/4")
    permalink = submit(client, fields, tool="rotate-right")
    assert query_of(permalink)["kernel"] == "0,0,1/16;0,1/2,0;1/4,0,0"


def test_a_tool_on_a_preset_is_named_when_it_gives_a_preset(client):
    permalink = submit(client, form_of(client, "/?kernel=sobel-left"), tool="transpose")
    assert query_of(permalink)["kernel"] == "sobel-top"
    assert grid_texts(client, permalink)[0] == ["1", "2", "1"]


def test_the_origin_moves_with_its_tap_and_the_field_follows(client):
    fields = form_of(client, f"/?kernel={HAND}&origin=0,0")
    permalink = submit(client, fields, tool="flip-h")
    assert query_of(permalink)["origin"] == "0,2"
    response = client.get("/fragment?" + urlencode({**fields, "tool": "flip-h"}))
    assert tags(response.data).by_id("origin")["value"] == "0,2"


def test_reset_goes_back_to_the_preset_the_grid_was_filled_from(client):
    fields = form_of(client, "/?kernel=emboss")
    edited = submit(client, fields, **{"k-0-0": "9"})
    assert query_of(edited)["kernel"] == "9,-1,0;-1,1,1;0,1,2"
    fields["k-0-0"] = "9"  # the page as htmx leaves it: the grid edited, the base still emboss
    assert fields["base"] == "emboss"
    assert query_of(submit(client, fields, tool="reset"))["kernel"] == "emboss"
    reset_page = client.get(f"/?kernel={HAND}").data.decode()
    assert 'aria-label="Reset to the kernel the link held"' in reset_page
    typed = {"k-0-0": "1", "k-0-1": "2", "base": ""}  # cells sent by a form that knows no base
    identity = 'aria-label="Reset to the identity (a single 1)"'
    assert identity in client.get("/fragment?" + urlencode(typed)).data.decode()
    assert 'aria-label="Reset to Emboss"' in client.get("/?kernel=emboss").data.decode()


def test_an_unknown_tool_is_refused_beside_the_buttons(client):
    fields = form_of(client, f"/?kernel={HAND}")
    response = client.get("/?" + urlencode({**fields, "tool": "spin"}))
    assert response.status_code == 400
    assert 'id="err-tool"' in response.data.decode()


def test_the_limits_disable_grow_and_shrink(client):
    page = tags(client.get("/?kernel=5").data)
    shrink = next(e for e in page.named("tool") if e["value"] == "shrink")
    assert "disabled" in shrink.attrs


def test_enter_in_a_cell_submits_the_nameless_default_button_first(client):
    html = client.get("/").data.decode()
    editor = html[html.index('id="kernel-editor"') :]
    first = editor[editor.index("<button") :].split(">", 1)[0]
    assert 'type="submit"' in first and "name=" not in first


GENERATOR_CALLS = [
    "box(5)",
    "gaussian(7,1.5)",
    "motion(9,30)",
    "log(9,1.4)",
    "sobel-x(3)",
    "sobel-y(3)",
    "scharr-x(3)",
    "scharr-y(3)",
    "unsharp(1,1)",
    "sharpen(1)",
]


@pytest.mark.parametrize("call", GENERATOR_CALLS)
def test_picking_a_generator_puts_its_call_in_the_permalink_and_its_weights_in_the_grid(client, call):
    name = call.split("(")[0]
    fields = form_of(client, "/?kernel=identity")
    permalink = submit(client, fields, gen=name)
    assert query_of(permalink)["kernel"] == call
    weights, _ = parse_generator(call)
    shown = grid_texts(client, permalink)
    assert shown == readable_texts(weights)
    assert all(len(text) <= 8 for row in shown for text in row)  # readable in a cell
    # The grid as shown, sent back with the generator set to "None", is the exact kernel, not the rounded one.
    grid = form_of(client, permalink)
    exact = parse_state({"kernel": query_of(submit(client, grid, gen=""))["kernel"]}, PRESETS).kernel
    np.testing.assert_array_equal(exact, weights)


@pytest.mark.parametrize(
    "start, changes, call",
    [
        ("gaussian(7,1.5)", {"g-sigma": "2.5"}, "gaussian(7,2.5)"),
        ("gaussian(7,1.5)", {"g-size": "9"}, "gaussian(9,1.5)"),
        ("motion(9,30)", {"g-angle": "120", "g-length": "11"}, "motion(11,120)"),
        ("box(5)", {"g-n": "4"}, "box(4)"),
        ("log(9,1.4)", {"g-sigma": "2"}, "log(9,2)"),
        ("sobel-x(3)", {"g-size": "5"}, "sobel-x(5)"),
        ("unsharp(1,1)", {"g-amount": "2.5", "g-radius": "0.5"}, "unsharp(2.5,0.5)"),
        ("sharpen(1)", {"g-amount": "0.4"}, "sharpen(0.4)"),
        ("gaussian(7,1.5)", {"gen": "log"}, "log(7,1.5)"),  # shared sliders keep their values
        ("gaussian(7,1.5)", {"gen": "sobel-y"}, "sobel-y(5)"),  # a size out of the new range is clamped
    ],
)
def test_moving_a_slider_rebuilds_the_generator(client, start, changes, call):
    fields = form_of(client, f"/?kernel={start}")
    assert fields["gen"] == start.split("(")[0] and fields["generated"] == start
    assert query_of(submit(client, fields, **changes))["kernel"] == call


def test_the_page_draws_one_slider_per_argument_with_its_value(client):
    page = tags(client.get("/?kernel=motion(9,30)").data)
    length, angle = page.by_id("g-length"), page.by_id("g-angle")
    assert (length["type"], length["min"], length["max"], length["step"], length["value"]) == (
        "range",
        "1",
        "63",
        "2",
        "9",
    )
    assert angle["value"] == "30" and angle["aria-valuetext"] == "30°"
    assert 'id="g-angle-value"' in client.get("/?kernel=motion(9,30)").data.decode()


def test_the_generator_call_stays_until_a_cell_is_edited(client):
    fields = form_of(client, "/?kernel=gaussian(5,1)")
    assert query_of(submit(client, fields, edge="wrap"))["kernel"] == "gaussian(5,1)"
    assert query_of(submit(client, fields, edge="wrap", **{"k-0-0": "0"}))["kernel"] == "gaussian(5,1) r1c1=0"
    assert query_of(submit(client, fields, gen=""))["kernel"].count(";") == 4  # "none": the numbers stay
    assert query_of(submit(client, fields, preset="blur"))["kernel"] == "blur"


def test_a_call_off_the_slider_steps_is_kept_until_a_slider_moves(client):
    fields = form_of(client, "/?kernel=gaussian(7,1.55)&image=face")
    assert fields["g-sigma"] in ("1.5", "1.6")  # drawn on the slider's 0.1 steps
    assert query_of(submit(client, fields))["kernel"] == "gaussian(7,1.55)"
    fields = form_of(client, "/?kernel=motion(9,200)")
    assert fields["g-angle"] == "20"
    assert query_of(submit(client, fields))["kernel"] == "motion(9,200)"


def test_an_unknown_generator_is_refused(client):
    fields = form_of(client, "/")
    response = client.get("/?" + urlencode({**fields, "gen": "blurry"}))
    assert response.status_code == 400 and 'id="err-gen"' in response.data.decode()


def test_large_generators_show_the_heat_map_and_keep_their_call(client):
    fields = form_of(client, "/?kernel=gaussian(21,4)")
    assert fields["kernel"] == "gaussian(21,4)" and "k-0-0" not in fields
    assert query_of(submit(client, fields, **{"g-sigma": "5"}))["kernel"] == "gaussian(21,5)"
    assert (
        query_of(submit(client, fields, tool="clear"))["kernel"]
        == ",".join(["0"] * 21) + (";" + ",".join(["0"] * 21)) * 20
    )


@pytest.mark.parametrize(
    "kernel, sum_text, label, separable, rank",
    [
        ("sobel-left", "0", "detects edges", True, 1),
        ("blur", "1", "keeps the brightness", True, 1),
        ("sharpen", "1", "keeps the brightness", False, 2),
        ("2,0;0,0", "2", "brightens", True, 1),
        ("1/4,0;0,0", "0.25", "darkens", True, 1),
    ],
)
def test_properties_beside_the_kernel(client, kernel, sum_text, label, separable, rank):
    html = client.get(f"/?kernel={kernel}").data.decode()
    facts = html[html.index('class="kfacts"') :]
    facts = facts[: facts.index("</section>")]
    assert f'<span class="num">{sum_text}</span>' in facts and label in facts
    assert ("instead of" in facts) is separable
    assert f'<dt>Rank</dt>\n      <dd><span class="num">{rank}</span>' in facts


def test_separable_factors_and_the_cost_of_two_passes(client):
    html = client.get("/?kernel=sobel-left").data.decode()
    assert 'aria-label="The column 1, 2, 1 times the row 1, 0, \u22121"' in html
    assert "3 + 3 = <strong>6</strong> taps per\n          pixel instead of 3 × 3 = 9" in html


@pytest.mark.parametrize("view, shown", [("inspect", True), ("playground", True), ("matrix", False)])
def test_embed_views_with_the_editor_have_the_tools(client, view, shown):
    html = client.get(f"/embed?view={view}&kernel=gaussian(5,1)").data.decode()
    for part in ('value="rotate-left"', 'id="g-sigma"', 'class="kfacts"', "data-origin-handle"):
        assert (part in html) is shown


def test_the_embed_form_keeps_its_view_through_a_tool(client):
    fields = form_of(client, f"/embed?view=playground&kernel={HAND}")
    permalink = submit(client, fields, path="/embed", tool="transpose")
    assert urlsplit(permalink).path == "/embed" and query_of(permalink)["view"] == "playground"
    assert query_of(permalink)["kernel"] == "1,4,7;2,5,8;3,6,9"


def test_the_origin_cell_has_the_handle_and_the_headers_count_from_it(client):
    html = client.get(f"/?kernel={HAND}&origin=0,2").data.decode()
    grid = html[html.index("data-kernel-grid") : html.index("</table>", html.index("data-kernel-grid"))]
    assert 'data-origin="0,2"' in grid and 'data-centre="1,1"' in grid
    origin_cell = grid[grid.index('class="origin"') :]
    assert 'id="k-0-2"' in origin_cell.split("</td>")[0] and "data-origin-handle" in origin_cell.split("</td>")[0]
    heads = [h.split("</th>")[0] for h in grid.split('<th scope="col">')[1:]]
    assert heads == ["−2", "−1", "0"]


def test_an_origin_set_through_the_form_lands_in_the_permalink(client):
    fields = form_of(client, f"/?kernel={HAND}")
    permalink = submit(client, fields, origin="2,0")
    assert query_of(permalink)["origin"] == "2,0"
    exact = f"/api/output.png?image=face&kernel={HAND}&origin=2,0"
    expected = client.get(exact).data
    page = tags(client.get(permalink).data)
    assert_same_picture(client, page.by_id("output-image")["src"], exact)
    assert not np.array_equal(expected, client.get(f"/api/output.png?image=face&kernel={HAND}").data)


def test_reset_on_a_page_opened_from_a_link_goes_back_to_the_links_kernel(client):
    fields = form_of(client, f"/?kernel={HAND}")
    assert fields["base"] == HAND
    fields.update({"k-0-0": "9", "k-2-2": "1"})  # the page as htmx leaves it: the grid edited, the base kept
    assert query_of(submit(client, fields))["kernel"] == "9,2,3;4,5,6;7,8,1"
    assert query_of(submit(client, fields, tool="reset"))["kernel"] == HAND
    page = client.get(f"/?kernel={HAND}").get_data(as_text=True)
    assert "the kernel the link held" in page


def test_an_edited_generator_keeps_a_short_link_through_edits_and_reset(client):
    fields = form_of(client, "/?kernel=gaussian(5,1)")
    fields["k-2-2"] = "1/2"
    link = query_of(submit(client, fields))["kernel"]
    assert link == "gaussian(5,1) r3c3=1/2"
    opened = form_of(client, "/?" + urlencode({"kernel": link}))
    assert opened["k-2-2"] == "0.5" and opened["k-0-0"] == fields["k-0-0"]
    assert opened["base"] == link  # reset goes back to what the link held
    opened["k-0-0"] = "0"
    assert query_of(submit(client, opened))["kernel"] == "gaussian(5,1) r1c1=0 r3c3=0.5"
    assert query_of(submit(client, opened, tool="reset"))["kernel"] == "gaussian(5,1) r3c3=0.5"
    page = client.get("/?" + urlencode({"kernel": link})).get_data(as_text=True)
    assert "the kernel the link held" in page
