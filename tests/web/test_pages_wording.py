"""Words a learner reads: one wording for the signed colour map everywhere it is described."""

from __future__ import annotations

import html
import itertools
import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from kernels.options import EDGE_WORDS
from kernels.teaching.display import DISPLAY_WORDS, SIGNED_COLOURS, SIGNED_COLOURS_FROM_ZERO
from web.page.histogram_view import CHAR_WIDTH
from web.page.views import VIEW_TITLES


def test_the_signed_display_is_orange_above_zero_in_the_legend_the_panel_and_the_options(client):
    page = client.get("/?image=face&kernel=sobel-left&display=signed").get_data(as_text=True)
    assert "red above" not in page
    assert page.count(SIGNED_COLOURS) >= 3  # the options' formula and both panels' value step
    assert "dark orange" in page  # the histogram's legend


def test_a_combined_magnitude_says_the_same_colours(client):
    page = client.get("/?image=face&kernel=sobel-left&display=signed&combine=magnitude").get_data(as_text=True)
    assert "red above" not in page
    assert f"{SIGNED_COLOURS_FROM_ZERO} (a magnitude is never below 0)" in page


def test_every_embed_snippet_lets_its_copy_buttons_write_to_the_clipboard(client):
    page = client.get("/").get_data(as_text=True)
    snippets = [html.unescape(text).split("</iframe>")[0] for text in page.split("&lt;iframe")[1:]]
    assert len(snippets) >= 5
    # The live camera has no Copy button; its frame needs the camera instead.
    assert all('allow="clipboard-write"' in snippet for snippet in snippets if "view=camera" not in snippet)
    assert ['allow="camera"' in snippet for snippet in snippets if "view=camera" in snippet] == [True]


def test_kernel_crop_says_rescaled_only_when_it_rescales(client):
    zero_sum = client.get("/?image=face&kernel=sobel-left&edge=kernel-crop&x=0&y=0").get_data(as_text=True)
    assert "rescaled by kernel-crop" not in zero_sum
    blur = client.get("/?image=face&kernel=blur&edge=kernel-crop&x=0&y=0").get_data(as_text=True)
    assert "rescaled by kernel-crop for the taps left out (× " in blur


def test_the_histogram_labels_never_overlap_even_for_a_narrow_range(client):
    label = re.compile(r'<text x="([0-9.]+)" y="[0-9]+" text-anchor="start"\s+class="hist-(bottom|top)">([^<]*)<')
    for query in (
        "image=camera&kernel=box(31)",
        "image=brick&kernel=box(31)",
        "image=astronaut&kernel=blur",
        "image=camera&kernel=sharpen&display=stretch",
        "image=step&kernel=box(63)",
    ):
        page = client.get(f"/?{query}").get_data(as_text=True)
        svg = page.split('id="play-histogram"')[1].split("</svg>")[0]
        for place in ("bottom", "top"):
            labels = [(float(x), text) for x, where, text in label.findall(svg) if where == place]
            assert len(labels) == 2 or (place == "top" and not labels), (query, labels)
            spans = sorted((x, x + len(text) * CHAR_WIDTH) for x, text in labels)
            assert all(left[1] <= right[0] for left, right in itertools.pairwise(spans)), (query, labels)
            assert all(start >= 0 and end <= 300 for start, end in spans), (query, labels)


def test_weights_and_numbers_take_a_minus_sign_and_a_slash_on_a_phone(client):
    # iOS's "decimal" keypad has neither "−" nor "/": these fields open the full keyboard.
    page = client.get("/?kernel=emboss").get_data(as_text=True)
    fields = re.findall(r'<input id="(k-\d+-\d+|cval|divisor|offset)"[^>]*>', page)
    assert len(fields) == 12
    for name in fields:
        tag = re.search(rf'<input id="{name}"[^>]*>', page)[0]
        assert 'inputmode="text"' in tag and 'autocapitalize="off"' in tag, tag


def test_shortcut_links_change_only_what_they_name(client):
    state = "image=camera&kernel=emboss&edge=wrap&display=abs&color=rgb"
    page = html.unescape(client.get(f"/?{state}").get_data(as_text=True))
    compare = re.search(r'<a href="([^"]*)">compare blur, sharpen, outline and Sobel', page)[1]
    gradient = re.search(r'<a href="([^"]*)">Try the Sobel gradient', page)[1]
    for link, changed in ((compare, {"compare"}), (gradient, {"kernel", "combine"})):
        query = dict(parse_qsl(urlsplit(link).query))
        assert {"image": "camera", "edge": "wrap", "display": "abs", "color": "rgb"}.items() <= query.items(), link
        assert query["kernel"] == ("sobel-right" if "kernel" in changed else "emboss")
    embed = html.unescape(client.get(f"/embed?{state}&view=compare").get_data(as_text=True))
    link = re.search(r'<a href="([^"]*)">compare blur, sharpen, outline and Sobel', embed)[1]
    assert link.startswith("/embed?") and "view=compare" in link and "edge=wrap" in link


def test_a_presets_explanation_starts_where_it_is_chosen(client):
    page = client.get("/?kernel=emboss").get_data(as_text=True)
    lead = re.search(r'<p class="hint" id="preset-lead">([^<]*)<a href="#preset-about">More about it</a>', page)[1]
    assert lead.strip().endswith(".") and len(lead) > 20
    assert page.index('id="preset-lead"') < page.index('id="k-0-0"') < page.index('id="preset-about"')
    assert 'aria-describedby="preset-lead"' in page
    assert 'id="preset-lead"' not in client.get("/?kernel=1,2;3,4").get_data(as_text=True)


def test_options_that_cannot_work_together_are_disabled_with_their_reason(client):
    signed = client.get("/?image=astronaut&kernel=sobel-left&display=signed").get_data(as_text=True)
    rgb_radio = re.search(r'<input type="radio" name="color" value="rgb"[^>]*>', signed)[0]
    assert "disabled" in rgb_radio and 'aria-describedby="rgb-needs"' in rgb_radio
    assert "first choose another way to turn values into pixels" in signed
    colour = client.get("/?image=astronaut&kernel=sobel-left&color=rgb").get_data(as_text=True)
    option = re.search(r'<option value="signed"[^>]*>[^<]*</option>', colour)[0]
    assert "disabled" in option and "choose grey (luma) first" in option
    grey = client.get("/?image=astronaut&kernel=sobel-left").get_data(as_text=True)
    assert "disabled" not in re.search(r'<option value="signed"[^>]*>', grey)[0]


def test_the_compare_snippet_fills_its_menus_when_none_were_chosen(client):
    page = client.get("/?kernel=emboss").get_data(as_text=True)
    assert "view=compare" in page and "compare=blur|sharpen|outline|sobel-left&amp;view=compare" in page


@pytest.mark.parametrize("view", ["matrix", "inspect", "playground", "compare", "code"])
def test_an_embed_and_its_snippet_share_one_title(client, view):
    title = VIEW_TITLES[view]
    embed = client.get(f"/embed?view={view}").get_data(as_text=True)
    assert f"<h1>{title}</h1>" in embed and f"<title>{title} · Image Kernels</title>" in embed
    page = html.unescape(client.get("/").get_data(as_text=True))
    assert f'title="Image Kernels: {title}"' in page


def test_the_edge_modes_are_worded_once_in_the_menu_and_the_seven_tables(client):
    page = html.unescape(client.get("/?image=face&kernel=blur").get_data(as_text=True))
    menu = re.findall(
        r'<option value="([a-z-]+)"[^>]*>([^<]*)</option>', page.split('id="edge"', 1)[1].split("</select>")[0]
    )
    assert menu == [(mode, f"{words.title}: {words.menu}") for mode, words in EDGE_WORDS.items()]
    captions = re.findall(r'<caption id="edge-cap-[^"]*"><strong>([^<]*)</strong>.*?"edge-what">([^<]*)<', page, re.S)
    assert [(title, text) for title, text in captions] == [(w.title, w.past) for w in EDGE_WORDS.values()]


def test_the_displays_are_worded_once_in_the_menu_and_the_panel(client):
    for display, words in DISPLAY_WORDS.items():
        page = client.get(f"/?image=face&color=gray&kernel=sobel-left&display={display}").get_data(as_text=True)
        menu = page.split('id="display"', 1)[1].split("</select>")[0]
        assert list(DISPLAY_WORDS) == re.findall(r'<option value="([a-z]+)"', menu)
        assert f">{words.menu}</option>" in html.unescape(menu)
        rule = re.escape(words.rule).replace(re.escape("{v}"), "[0-9−.]+")  # the pointed pixel's raw value
        assert re.search(rule, html.unescape(page)), display


def test_a_field_with_a_mistake_is_described_by_its_hint_and_its_message_in_one_attribute(client):
    page = client.get("/?image=face&kernel=blur&repeat=99&stride=0&dilation=x&origin=9,9&edge=constant&cval=z")
    fields = re.findall(r"<(?:input|select)\b[^>]*>", page.get_data(as_text=True))
    named = [(re.search(r'\sid="([^"]+)"', f), f) for f in fields]
    described = {found[1]: re.findall(r'aria-describedby="([^"]*)"', f) for found, f in named if found}
    assert all(len(ids) <= 1 for ids in described.values())
    for name in ("repeat", "stride", "dilation", "cval"):
        assert described[name] == [f"{name}-hint err-{name}"], name
    assert described["display"] == ["pixel-step"]  # no mistake: the hint alone
