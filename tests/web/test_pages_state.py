"""Reading the page's form: where the kernel comes from, every bad cell on its own, resizing, selections."""

from __future__ import annotations

import pytest

from kernels.library.presets import load_presets
from web.present.panel import fmt, shade, text_colour_on
from web.query.page_state import read_page, read_parts

PRESETS = load_presets()


def cells(values: list[list[str]]) -> dict[str, str]:
    return {f"k-{r}-{c}": v for r, row in enumerate(values) for c, v in enumerate(row)}


def test_a_permalink_kernel_fills_the_grid_with_exact_texts():
    request = read_page({"kernel": "blur"}, PRESETS)
    assert request.kernel.texts[0] == ["1/16", "1/8", "1/16"]
    assert request.kernel.preset == "blur" and request.kernel.param == "blur"
    assert request.state is not None and not request.from_form


def test_typed_rows_keep_their_spelling():
    request = read_page({"kernel": " 1/3, -0.5 ;2,1e1 "}, PRESETS)
    assert request.kernel.texts == [["1/3", "-0.5"], ["2", "1e1"]]
    assert request.kernel.param == "1/3,-0.5;2,1e1"


def test_a_new_preset_wins_over_the_cells_an_unchanged_one_does_not():
    grid = cells([["1", "1"], ["1", "1"]])
    assert read_page({**grid, "preset": "emboss", "loaded": "sharpen"}, PRESETS).kernel.preset == "emboss"
    kept = read_page({**grid, "preset": "sharpen", "loaded": "sharpen"}, PRESETS).kernel
    assert kept.shape == (2, 2) and kept.preset == "" and kept.param == "1,1;1,1"


def test_every_bad_cell_is_reported_with_the_other_fields():
    request = read_page({**cells([["1", "x"], ["", "2/0"]]), "divisor": "0"}, PRESETS)
    assert set(request.errors) == {"k-0-1", "k-1-0", "k-1-1", "divisor"}
    assert request.state is None
    assert request.kernel.texts == [["1", "x"], ["", "2/0"]]


def test_resizing_pads_with_zeros_around_the_centre_and_crops_from_it():
    nine = cells([["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"]])
    grown = read_page({**nine, "rows": "5", "cols": "1"}, PRESETS)
    assert grown.kernel.texts == [["0"], ["2"], ["5"], ["8"], ["0"]]
    shrunk = read_page({"kernel": "box-blur-21", "rows": "3", "cols": "3"}, PRESETS)
    assert shrunk.kernel.texts == [["1/441"] * 3] * 3 and shrunk.kernel.as_grid


def test_large_kernels_are_not_a_grid():
    kernel = read_page({"kernel": "box-blur-21"}, PRESETS).kernel
    assert kernel.shape == (21, 21) and not kernel.as_grid


def test_a_missing_cell_is_named():
    request = read_page({"k-0-0": "1", "k-1-1": "1", "k-0-1": "2"}, PRESETS)
    assert "k-1-0" in request.errors


def test_selections_and_pins():
    request = read_page({"x": "3", "y": "4", "pin": "1", "px": "", "py": "7"}, PRESETS)
    assert (request.inspect.x, request.inspect.y, request.inspect.pinned) == (3, 4, True)
    assert (request.play.x, request.play.y, request.play.pinned) == (None, 7, False)


def test_the_good_state_falls_back_to_the_defaults_when_unreadable():
    assert read_page({"good": "kernel=emboss&edge=wrap"}, PRESETS).fallback.options.edge == "wrap"
    assert read_page({"good": "kernel=;;"}, PRESETS).fallback.preset == "sharpen"


@pytest.mark.parametrize("view, expected", [("", "inspect"), ("matrix", "matrix"), ("nope", "inspect")])
def test_embed_views(view, expected):
    request = read_page({"view": view}, PRESETS, embed=True)
    assert request.view == expected and (("view" in request.errors) == (view == "nope"))


def test_parts():
    assert read_parts("play") == {"play"}
    assert read_parts("inspect,play") == {"inspect", "play"}
    assert read_parts("") is None and read_parts("all") is None and read_parts("play,bogus") is None


@pytest.mark.parametrize(
    "value, signed, text",
    [
        (0, False, "0"),
        (-0.0, True, "0"),
        (5, True, "+5"),
        (-129, False, "\u2212129"),
        (0.0625, False, "0.0625"),
        (112.49999, False, "112.5"),
        (1 / 3, True, "+0.3333"),
        (-2.5e-7, False, "\u22122.500e\u22127"),
        (1234.56, False, "1234.6"),
    ],
)
def test_numbers_for_people(value, signed, text):
    assert fmt(value, signed=signed) == text


def test_value_shades_always_have_readable_text():
    def luminance(r, g, b):
        def linear(c):
            s = c / 255
            return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)

    for level in range(256):
        for channel, rgb in (("gray", (level,) * 3), ("R", (level, 0, 0)), ("B", (0, 0, level))):
            background, colour = shade(level, channel)
            assert background == f"rgb({rgb[0]},{rgb[1]},{rgb[2]})"
            lum = luminance(*rgb)
            contrast = (lum + 0.05) / 0.05 if colour == "#000" else 1.05 / (lum + 0.05)
            assert contrast >= 4.5
    assert text_colour_on(255, 255, 255) == "#000" and text_colour_on(0, 0, 0) == "#fff"
    assert shade(-40, "gray")[0] == "rgb(0,0,0)" and shade(900, "gray")[0] == "rgb(255,255,255)"


def test_a_chosen_preset_keeps_its_own_size():
    form = {**cells([["1", "2"]]), "rows": "1", "cols": "2", "preset": "box-blur-21", "loaded": ""}
    request = read_page(form, PRESETS)
    assert request.kernel.shape == (21, 21)


def test_a_generator_in_the_link_fills_the_grid(client):
    response = client.get("/?kernel=gaussian(5,1)")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'name="k-4-4"' in html
    bad = client.get("/?kernel=gaussian(4,1)")
    assert bad.status_code == 400
    assert "odd" in bad.get_data(as_text=True)
