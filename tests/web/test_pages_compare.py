"""Combine and compare on the pages: the pickers, the permalink, the panels' numbers against the API, embeds."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, quote, urlsplit

from tests.pages_support import partial_targets, tags

PHOTO = "image=face"
SLOTS = "compare=blur|outline|sobel-left"


def api(client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def permalink(response) -> dict[str, list[str]]:
    assert response.status_code == 303, response.data[:500]
    return parse_qs(urlsplit(response.headers["Location"]).query)


def test_each_compared_kernel_has_its_picture_and_the_engine_numbers(client):
    page = tags(client.get(f"/?{PHOTO}&{SLOTS}&cx=0&cy=31").data)
    for slot, kernel in enumerate(["blur", "outline", "sobel-left"]):
        assert page.by_id(f"compare-image-{slot}")["src"] == f"/api/preview/output?image=face&kernel={kernel}"
        card = page.by_id(f"compare-explain-{slot}")
        expected = api(client, f"/api/explain?{PHOTO}&{SLOTS}&slot={slot}&x=0&y=31")
        first = expected["channels"][0]
        assert (int(card["data-x"]), int(card["data-y"])) == (0, 31)
        assert float(card["data-sum"]) == first["sum"]
        assert float(card["data-value"]) == first["value"]
        assert json.loads(card["data-stored"]) == first["stored"]
    assert page.by_id("compare-menu-1").tag == "select"
    assert page.by_id("compare[2]")["value"] == "sobel-left"
    assert page.by_id("compare[3]")["value"] == ""


def test_compared_kernels_share_the_options_but_keep_their_own_origin(client):
    page = tags(client.get(f"/?{PHOTO}&kernel=sharpen&origin=0,0&edge=wrap&compare=emboss&cx=31&cy=0").data)
    card = page.by_id("compare-explain-0")
    expected = api(client, f"/api/explain?{PHOTO}&kernel=emboss&edge=wrap&x=31&y=0")
    assert float(card["data-sum"]) == expected["channels"][0]["sum"]


def test_the_menus_and_texts_become_the_compare_parameter(client):
    good = quote("image=face&kernel=sharpen&compare=blur")
    chosen = client.get(
        f"/?{PHOTO}&compare-menu-0=blur&compare-text-0=blur&compare-menu-1=outline"
        f"&compare-text-1=&compare-menu-2=&compare-text-2=&good={good}"
    )
    assert permalink(chosen)["compare"] == ["blur|outline"]
    typed = client.get(f"/?{PHOTO}&compare-menu-0=blur&compare-text-0=gaussian(5,1)&good={good}")
    assert permalink(typed)["compare"] == ["gaussian(5,1)"]
    emptied = client.get(f"/?{PHOTO}&compare-menu-0=&compare-text-0=blur&good={good}")
    assert "compare" not in permalink(emptied)


def test_a_bad_typed_kernel_is_named_and_kept(client):
    good = quote("image=face&kernel=sharpen&compare=blur")
    response = client.get(f"/?{PHOTO}&compare-menu-0=blur&compare-text-0=1,2;3&good={good}")
    assert response.status_code == 400
    page = tags(response.data)
    assert page.by_id("compare[0]")["value"] == "1,2;3"
    assert page.by_id("compare[0]")["aria-invalid"] == "true"
    assert page.by_id("err-compare[0]").tag == "p"


def test_pointing_in_compare_redraws_only_that_section_and_is_in_the_address(client):
    response = client.get(f"/fragment?{PHOTO}&{SLOTS}&cx=40&cy=5&cpin=1&part=compare")
    assert partial_targets(response.data.decode()) == ["compare-region", "region-hashes"]
    address = parse_qs(urlsplit(response.headers["X-Page-Url"]).query)
    assert address["cx"] == ["31"] and address["cy"] == ["5"] and address["cpin"] == ["1"]


def test_the_compare_embed_keeps_the_state_its_controls_do_not_show(client):
    response = client.get(f"/embed?view=compare&{PHOTO}&kernel=emboss&edge=wrap&{SLOTS}")
    assert response.status_code == 200
    page = tags(response.data)
    hidden = {e["name"]: e["value"] for e in page.elements if e.get("type") == "hidden" and e.get("name")}
    assert hidden["kernel"] == "emboss" and hidden["edge"] == "wrap" and "compare" not in hidden
    page.by_id("compare-image-2")
    assert "view=compare" in page.by_id("page-url")["data-url"]
    index = client.get("/").data.decode()
    assert 'id="embed-compare"' in index and "view=compare" in index


def test_combining_shows_both_sums_and_the_engine_combination(client):
    state = f"{PHOTO}&kernel=sobel-left&combine=magnitude"
    page = tags(client.get(f"/?{state}&px=7&py=20").data)
    panel = page.by_id("play-explain")
    expected = api(client, f"/api/explain?{state}&x=7&y=20")
    gx, gy = expected["channels"]
    assert float(panel["data-gx-sum"]) == gx["sum"] and float(panel["data-gy-sum"]) == gy["sum"]
    assert json.loads(panel["data-magnitude"]) == expected["combined"]["magnitude"]
    assert json.loads(panel["data-stored"]) == expected["combined"]["stored"]
    src = "/api/preview/output?image=face&kernel=sobel-left&combine=magnitude"
    assert page.by_id("play-output-image")["src"] == src
    assert "combine" not in page.by_id("output-image")["src"]  # section 2 stays one kernel
    assert "checked" in next(e for e in page.named("combine") if e["value"] == "magnitude").attrs


def test_direction_has_a_hue_legend_and_rgb_explains_every_channel(client):
    state = "image=chelsea&color=rgb&kernel=sobel-left&combine=direction"
    html = client.get(f"/?{state}&px=100&py=80").data.decode()
    page = tags(html)
    assert "hue-legend" in html and page.by_id("play-explain")
    expected = api(client, f"/api/explain?{state}&x=100&y=80")
    assert json.loads(page.by_id("play-explain")["data-direction"]) == expected["combined"]["direction"]
    assert json.loads(page.by_id("play-explain")["data-stored"]) == expected["combined"]["stored"]


def test_the_second_kernel_menu_names_kernel2_and_the_default_stays_out_of_the_link(client):
    good = quote("image=face&kernel=sobel-left&combine=magnitude")
    default = client.get(f"/?{PHOTO}&kernel=sobel-left&combine=magnitude&kernel2-menu=&kernel2-text=&good={good}")
    assert "kernel2" not in permalink(default)
    chosen = client.get(
        f"/?{PHOTO}&kernel=sobel-left&combine=direction&kernel2-menu=sobel-bottom&kernel2-text=&good={good}"
    )
    assert permalink(chosen)["kernel2"] == ["sobel-bottom"]
    assert permalink(chosen)["combine"] == ["direction"]


def test_combine_without_a_known_partner_asks_for_the_second_kernel(client):
    response = client.get(f"/?{PHOTO}&kernel=sharpen&combine=magnitude")
    assert response.status_code == 400
    assert tags(response.data).by_id("err-kernel2").tag == "p"


def test_the_direction_wheel_and_the_kernel_axes_write_negative_numbers_with_a_real_minus(client):
    page = client.get("/?kernel=sobel-left&combine=direction").get_data(as_text=True)
    wheel = page[page.index('class="hue-legend"') : page.index("</figure>", page.index('class="hue-legend"'))]
    assert "180° right, −90° below, 0° left, 90° above" in wheel and "-90" not in wheel
    editor = tags(page).by_id("kernel-editor")
    axes = page[page.index('id="kernel-editor"') :].split("<tbody", 1)[0]
    assert editor is not None and ">−1</th>" in axes and ">+1</th>" in axes and ">0</th>" in axes
