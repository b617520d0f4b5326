"""The options explained on the pages: the flipped kernel, the rules, output sizes, the repeat slider, the
edge-mode comparison and the histograms of raw values, each checked against the engine."""

from __future__ import annotations

import re

import numpy as np
import pytest

from kernels.options import EDGE_MODES
from kernels.teaching.histogram import raw_histogram
from tests.pages_support import partial_targets, tags


def text_of(html: str) -> str:
    """The page's words, tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def weight_marks(html: str) -> list[str]:
    return re.findall(r'<span class="mark mark-weight"[^>]*>([^<]*)</span>', html)


def test_convolving_draws_the_turned_weights_over_the_window(client):
    html = client.get("/?kernel=emboss&op=convolve&x=5&y=5").get_data(as_text=True)
    assert weight_marks(html) == ["2", "1", "0", "1", "1", "-1", "0", "-1", "-2"]  # emboss turned 180°
    assert weight_marks(client.get("/?kernel=emboss&x=5&y=5").get_data(as_text=True)) == []


def test_the_panel_shows_the_kernel_as_written_beside_it_turned(client):
    html = client.get("/?op=convolve&normalize=1&kernel=1,2,3;4,5,6;7,8,9").get_data(as_text=True)
    block = html[html.index('id="explain-flip"') :]
    written, turned = re.findall(r'<table class="mini-kernel">(.*?)</table>', block, re.S)[:2]
    assert re.findall(r"<td[^>]*>([^<]*)</td>", written) == [str(v) for v in range(1, 10)]
    assert re.findall(r"<td[^>]*>([^<]*)</td>", turned) == [f"{v / 45:.4g}" for v in range(9, 0, -1)]
    assert "(÷ 45)" in text_of(turned)
    assert "PyTorch’s conv2d and OpenCV’s filter2D correlate" in text_of(block)
    assert 'id="explain-flip"' not in client.get("/?kernel=emboss").get_data(as_text=True)


def test_why_libraries_correlate_is_always_said_beside_the_choice(client):
    words = text_of(client.get("/").get_data(as_text=True))
    assert "PyTorch’s conv2d and OpenCV’s filter2D correlate: their kernels are learned or designed" in words
    assert "This kernel is the same turned 180°" in words  # sharpen


@pytest.mark.parametrize(
    "query, now",
    [
        ("kernel=sobel-left", "These weights add up to 0: normalised, they would be used as they are."),
        ("kernel=sobel-left&normalize=1", "These weights add up to 0: normalised, they are used as they are."),
        ("kernel=1,2,1", "These weights add up to 4; normalised, each would be divided by 4."),
        ("kernel=1,2,1&normalize=1", "These weights add up to 4: each is divided by 4."),
        ("kernel=blur&normalize=1", "These weights already add up to 1: normalising changes nothing."),
    ],
)
def test_the_normalise_rule_is_on_screen_with_what_it_does_here(client, query, now):
    words = text_of(client.get(f"/?{query}").get_data(as_text=True))
    assert "Weights that add up to 0 (edge kernels) cannot be divided by 0: normalise leaves them as they are" in words
    assert now in words


@pytest.mark.parametrize(
    "query, formula",
    [
        ("", "value = sum ÷ 1 + 0"),
        ("divisor=2&offset=128", "value = sum ÷ 2 + 128"),
        ("divisor=-4&offset=-1.5", "value = sum ÷ −4 − 1.5"),
        ("edge=kernel-crop", "value = sum × (ΣK ÷ Σ weights used) ÷ 1 + 0"),
    ],
)
def test_the_value_step_shows_its_formula_with_the_numbers_in_force(client, query, formula):
    words = text_of(client.get(f"/?{query}").get_data(as_text=True))
    assert "value = sum ÷ divisor + offset" in words and formula in words


def test_kernel_crop_is_said_to_leave_a_zero_sum_kernel_as_it_is(client):
    blur = text_of(client.get("/?edge=kernel-crop&kernel=blur").get_data(as_text=True))
    assert "first rescales the sum for the taps it left out" in blur
    sobel = text_of(client.get("/?edge=kernel-crop&kernel=sobel-left").get_data(as_text=True))
    assert "value = sum ÷ 1 + 0" in sobel and "ΣK ÷ Σ weights used" not in sobel
    assert "these weights add up to 0, so kernel crop leaves the sum as it is" in sobel
    assert "first rescales the sum for the taps it left out" not in sobel


def test_repeat_is_a_slider_from_1_to_10_with_its_value_shown(client):
    html = client.get("/?repeat=4").get_data(as_text=True)
    slider = tags(html).by_id("repeat")
    assert (slider["type"], slider["min"], slider["max"], slider["value"]) == ("range", "1", "10", "4")
    assert re.search(r'<output for="repeat" id="repeat-value" data-echo="repeat">4</output>', html)
    trigger = tags(html).by_id("controls")["hx-trigger"]
    assert "input changed target:'[type=range]'" in trigger and "delay:250ms target:':not([type=range])'" in trigger


@pytest.mark.parametrize(
    "query, face, picture",
    [
        ("", "32×32", "512×512"),
        ("stride=2", "16×16", "256×256"),
        ("edge=crop&kernel=box-blur-7", "26×26", "506×506"),
        ("stride=2,1&dilation=3&edge=crop&repeat=2", "4×20", "124×500"),
    ],
)
def test_output_sizes_and_their_formulas_are_the_engines(client, query, face, picture):
    html = client.get(f"/?{query}").get_data(as_text=True)
    sizes = re.findall(r'<div class="size-row" data-size="([^"]+)">', html)
    assert sizes == [face, picture]
    kernel = client.get(f"/api/kernel?image=face&{query}").get_json()["output"]
    assert f"{kernel['height']}×{kernel['width']}" == face
    words = text_of(html)
    assert kernel["passes"][0]["rows"]["formula"] in words and kernel["passes"][0]["cols"]["formula"] in words
    for one in kernel["passes"][1:]:
        assert one["rows"]["formula"] in words


def test_each_embed_shows_the_sizes_of_its_own_picture(client):
    inspect = client.get("/embed?view=inspect&stride=2").get_data(as_text=True)
    play = client.get("/embed?view=playground&stride=2").get_data(as_text=True)
    assert re.findall(r'class="size-row" data-size="([^"]+)"', inspect) == ["16×16"]
    assert re.findall(r'class="size-row" data-size="([^"]+)"', play) == ["256×256"]


def corner_cells(html: str, mode: str) -> list[list[tuple[str, str]]]:
    """(class, data-value) of each cell of one edge-mode table, row by row."""
    block = html[html.index(f'data-edge="{mode}"') :]
    block = block[: block.index("</table>")]
    rows = re.findall(r"<tr><th.*?</tr>", block, re.S)
    return [re.findall(r'<td class="(pad|img)[^"]*"(?: data-value="([^"]*)")?', row) for row in rows]


@pytest.mark.parametrize(
    "query",
    [
        "kernel=sharpen",
        "kernel=emboss&op=convolve&cval=40",
        "kernel=gaussian(7,1.5)",
        "kernel=laplacian-4&dilation=2&origin=0,0",
        "kernel=1,2,3,4,5,6,7&op=convolve",
    ],
)
def test_the_edge_comparison_holds_the_values_the_engine_reads(client, query):
    html = client.get(f"/?{query}").get_data(as_text=True)
    info = client.get(f"/api/kernel?image=face&{query}").get_json()
    (oy, ox), (kh, kw) = info["origin_multiplied"], (info["rows"], info["cols"])
    dilation = [int(v) for v in (re.search(r"dilation=(\d+)", query) or ["", "1"])[1].split(",")] * 2
    need = (oy * dilation[0], ox * dilation[1])
    for mode in EDGE_MODES:
        cells = corner_cells(html, mode)
        pad_rows = sum(1 for row in cells if all(kind == "pad" for kind, _ in row))
        pad_cols = sum(1 for kind, _ in cells[-1] if kind == "pad")
        assert (pad_rows, pad_cols) == (min(max(need[0], 2), 5), min(max(need[1], 2), 5))
        api = client.get(f"/api/explain?image=face&{query}&edge={mode}&x=0&y=0").get_json()
        window = api["channels"][0]["window"] if mode != "crop" else None
        if window is None:
            assert all(value == "" for row in cells for kind, value in row if kind == "pad")
            continue
        # Tap (i, j) of output pixel (0, 0) reads position (i·dy − need_y, j·dx − need_x) of the corner.
        for i in range(kh):
            for j in range(kw):
                r, c = pad_rows - need[0] + i * dilation[0], pad_cols - need[1] + j * dilation[1]
                if 0 <= r < len(cells) and 0 <= c < len(cells[0]):
                    _, value = cells[r][c]
                    expected = window[i][j]
                    assert (float(value) if value else None) == expected, (mode, i, j)


def test_the_edge_comparison_labels_where_padded_values_came_from(client):
    html = client.get("/?edge=constant&cval=40").get_data(as_text=True)
    words = text_of(html)
    assert "c = 40" in words and "no output here" in words and "skipped" in words
    assert "(31, 30)" in words  # wrap: x −1, y −2 reads the far corner
    assert "x −1, y −2, outside the image: 92, read from x 1, y 2" in words  # mirror
    current = re.findall(r'<div class="edge-table( current)?" data-edge="([\w-]+)"', html)
    assert [mode for flag, mode in current if flag] == ["constant"]
    assert 'href="#cval"' in html


def test_the_edge_comparison_is_in_section_two_and_its_embed_only(client):
    assert 'id="edge-compare"' in client.get("/embed?view=inspect").get_data(as_text=True)
    assert "edge-compare-title" not in client.get("/embed?view=playground").get_data(as_text=True)
    assert "edge-compare" in partial_targets(client.get("/fragment?edge=wrap").get_data(as_text=True))
    assert "edge-compare" not in partial_targets(client.get("/fragment?edge=wrap&part=inspect").get_data(as_text=True))


def histogram_data(html: str, area: str) -> dict[str, str]:
    element = tags(html).by_id(f"{area}-histogram")
    return {k[5:]: v for k, v in element.attrs.items() if k.startswith("data-")}


@pytest.mark.parametrize(
    "query, area, image",
    [
        ("kernel=sharpen", "inspect", "face"),
        ("kernel=outline&display=abs", "inspect", "face"),
        ("kernel=sobel-left&display=midgray&divisor=0.5", "inspect", "face"),
        ("image=chelsea&color=rgb&kernel=sharpen", "play", "chelsea"),
        ("image=camera&kernel=emboss&display=stretch", "play", "camera"),
    ],
)
def test_histogram_numbers_are_the_raw_results(client, query, area, image):
    html = client.get(f"/?{query}").get_data(as_text=True)
    data = histogram_data(html, area)
    state = re.sub(r"image=\w+&?", "", query)
    api = client.get(f"/api/convolve?image={image}&{state}").get_json()
    raw = np.asarray(api["raw"], dtype=np.float64)
    display = (re.search(r"display=(\w+)", query) or ["", "clamp"])[1]
    hist = raw_histogram(raw, display)
    assert int(data["total"]) == raw.size
    assert int(data["clipped"]) == hist.clipped
    assert (float(data["lo"]), float(data["hi"])) == (raw.min(), raw.max())
    assert data["counts"] == str(hist.counts.tolist())
    share = hist.clipped_share
    words = text_of(html)
    if share:
        assert f"{100 * share:.1f} % of values" in words


def test_histograms_sit_under_both_outputs_and_in_their_embeds(client):
    page = client.get("/?display=signed").get_data(as_text=True)
    assert 'id="inspect-histogram"' in page and 'id="play-histogram"' in page
    assert 'class="signed-legend"' in page and 'aria-labelledby="inspect-histogram-summary"' in page
    assert 'id="inspect-histogram"' in client.get("/embed?view=inspect").get_data(as_text=True)
    assert 'id="play-histogram"' in client.get("/embed?view=playground").get_data(as_text=True)
    assert "→ 0 (black)" in text_of(client.get("/?display=stretch").get_data(as_text=True))
