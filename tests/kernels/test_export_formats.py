"""The data exports (JSON, CSV) parsed back, GIMP's dialog values, and what every export refuses."""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernels.engine import filter_image
from kernels.errors import InputError
from kernels.exports import FILENAMES, FORMAT_HINTS, FORMAT_TITLES, FORMATS, export
from kernels.exports.plan import write_kernel
from kernels.options import EDGE_MODES, EDGE_WORDS, Options
from tests.kernels.test_export_python import GRAY, KERNELS

BLUR = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16
SOBEL = KERNELS["sobel"]


def test_json_holds_kernel_options_and_query() -> None:
    options = Options(
        op="convolve",
        edge="constant",
        cval=7.5,
        normalize=True,
        divisor=2,
        offset=-1,
        stride=(2, 3),
        dilation=(1, 2),
        repeat=2,
        origin=(0, 3),
    )
    kernel = KERNELS["even"]
    body = json.loads(
        export(
            "json",
            kernel,
            options,
            "rgb",
            "midgray",
            "camera",
            query="image=camera&op=convolve",
            image_shape=GRAY.shape,
        ).text
    )
    result = filter_image(GRAY, kernel, options)
    assert body["image"] == "camera" and body["query"] == "image=camera&op=convolve"
    assert body["color"] == "rgb" and body["display"] == "midgray"
    assert np.array_equal(body["kernel"]["as_written"], kernel)
    assert np.array_equal(body["kernel"]["as_multiplied"], result.weights)
    assert body["kernel"]["origin_as_written"] == [0, 3]
    assert body["kernel"]["origin_as_multiplied"] == list(result.origin)
    assert (
        Options(
            **{
                **body["options"],
                "stride": tuple(body["options"]["stride"]),
                "dilation": tuple(body["options"]["dilation"]),
                "origin": tuple(body["options"]["origin"]),
            }
        )
        == options
    )
    assert (body["output"]["height"], body["output"]["width"]) == result.raw.shape[:2]


def test_json_writes_one_kernel_row_per_line() -> None:
    text = export("json", BLUR, Options(), "gray", "clamp", "x").text
    assert "[0.0625, 0.125, 0.0625]," in text


@pytest.mark.parametrize("op", ["correlate", "convolve"])
def test_csv_is_the_weights_as_multiplied_exactly(op) -> None:
    kernel = KERNELS["tall"]
    options = Options(op=op, normalize=True)
    text = export("csv", kernel, options, "gray", "clamp", "x").text
    parsed = np.loadtxt(io.StringIO(text), delimiter=",", ndmin=2)
    np.testing.assert_array_equal(parsed, filter_image(GRAY, kernel, options).weights)


def gimp_matrix(text: str) -> np.ndarray:
    """The 5×5 grid of numbers from GIMP's instructions."""
    block = text.split("type each number in its box):\n")[1].split("\n\n")[0]
    return np.array([[float(v) for v in line.split()] for line in block.splitlines()])


def gimp_field(text: str, name: str) -> str:
    return re.search(rf"^{name}: (\S+)", text, re.MULTILINE)[1]


def test_gimp_centres_the_kernel_and_moves_scales_into_the_divisor() -> None:
    text = export("gimp", BLUR, Options(normalize=True, divisor=2), "rgb", "clamp", "x").text
    expected = np.zeros((5, 5))
    expected[1:4, 1:4] = [[1, 2, 1], [2, 4, 2], [1, 2, 1]]
    np.testing.assert_array_equal(gimp_matrix(text), expected)
    assert gimp_field(text, "Divisor") == "32"
    assert gimp_field(text, "Offset") == "0"
    assert "Normalize: off" in text and "Border: Clamp" in text


def test_gimp_gets_convolution_rotated_with_dilation_and_origin() -> None:
    text = export("gimp", SOBEL, Options(op="convolve", dilation=(1, 2), origin=(0, 1)), "gray", "clamp", "x").text
    # Rotated 180°, origin (0, 1) becomes (2, 1); dilated, it sits 2 rows down and 2 columns in: the grid's
    # top-left corner, with the taps every other column.
    expected = np.zeros((5, 5))
    expected[0:3, 0::2] = SOBEL[::-1, ::-1]
    np.testing.assert_array_equal(gimp_matrix(text), expected)


def test_gimp_offset_is_a_fraction_of_white() -> None:
    text = export("gimp", SOBEL, Options(offset=10), "gray", "midgray", "x").text
    assert float(gimp_field(text, "Offset")) == pytest.approx(138 / 255)


@pytest.mark.parametrize(
    ("options", "border"),
    [
        (Options(edge="extend"), "Clamp"),
        (Options(edge="wrap"), "Loop"),
        (Options(edge="constant"), "Black"),
        (Options(edge="constant", cval=255), "White"),
        (Options(edge="crop"), "Clamp"),
    ],
)
def test_gimp_border_names(options, border) -> None:
    assert gimp_field(export("gimp", BLUR, options, "gray", "clamp", "x").text, "Border") == border


@pytest.mark.parametrize(
    ("kernel", "options", "words"),
    [
        (np.ones((7, 7)), Options(), "cannot be typed into GIMP"),
        (BLUR, Options(dilation=(3, 1)), "cannot be typed into GIMP"),
        (BLUR, Options(origin=(0, 0), dilation=(2, 2)), "cannot be typed into GIMP"),
        (BLUR, Options(edge="mirror"), "no mirror"),
        (BLUR, Options(edge="symmetric"), "no symmetric"),
        (BLUR, Options(edge="kernel-crop"), "no kernel-crop"),
        (BLUR, Options(edge="constant", cval=9), "constant with fill 9"),
        (BLUR, Options(stride=(2, 2)), "no stride"),
        (BLUR, Options(offset=300), "offset stops at ±1"),
        (BLUR, Options(), "linear-light"),
    ],
)
def test_gimp_says_what_it_cannot_do(kernel, options, words) -> None:
    exported = export("gimp", kernel, options, "gray", "clamp", "x")
    assert any(words in note for note in exported.notes)
    assert words in exported.text


def test_gimp_explains_repeat_and_crop() -> None:
    text = export("gimp", BLUR, Options(edge="crop", repeat=3), "gray", "clamp", "x", image_shape=(20, 17)).text
    assert "Apply it 3 times in all" in text
    assert "width 15, height 18, offset X −1, Y −1" in text


@pytest.mark.parametrize("fmt", ["", "png", "JSON", "python"])
def test_unknown_format_is_refused(fmt) -> None:
    with pytest.raises(InputError) as refused:
        export(fmt, BLUR, Options(), "gray", "clamp", "x")
    assert refused.value.field == "format"
    assert "numpy" in str(refused.value)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"color": "cmyk"}, "color"),
        ({"display": "log"}, "display"),
        ({"options": Options(origin=(3, 0))}, "origin"),
        ({"options": Options(edge="crop"), "image_shape": (2, 2)}, "kernel"),
        ({"kernel": np.ones((64, 1))}, "kernel"),
    ],
)
def test_settings_the_engine_refuses_are_refused(kwargs, field) -> None:
    arguments = {"kernel": BLUR, "options": Options(), "color": "gray", "display": "clamp", **kwargs}
    shape = arguments.pop("image_shape", None)
    with pytest.raises(InputError) as refused:
        export(
            "numpy",
            arguments["kernel"],
            arguments["options"],
            arguments["color"],
            arguments["display"],
            "x",
            image_shape=shape,
        )
    assert refused.value.field == field


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("edge", EDGE_MODES)
def test_every_format_answers_with_text_a_type_and_a_file_name(fmt, edge) -> None:
    exported = export(fmt, SOBEL, Options(edge=edge), "gray", "clamp", "x", image_shape=(20, 17))
    assert exported.text.endswith("\n") and exported.text.strip()
    assert exported.media_type in {"application/json", "text/csv", "text/x-python", "text/x-shellscript", "text/plain"}
    assert exported.filename.startswith("image_kernels")
    assert all(isinstance(note, str) and note for note in exported.notes)


@settings(max_examples=60, deadline=None)
@given(
    numerators=st.lists(st.integers(-300, 300), min_size=1, max_size=12),
    denominator=st.integers(1, 600),
)
def test_written_kernels_are_exact(numerators, denominator) -> None:
    kernel = np.array(numerators, dtype=float).reshape(1, -1) / denominator
    written = write_kernel(kernel)
    cells = np.array([[float(c) for c in row] for row in written.cells])
    np.testing.assert_array_equal(cells / written.denominator, kernel)


@pytest.mark.parametrize("edge", ["mirror", "symmetric", "kernel-crop"])
def test_gimp_says_which_edge_mode_it_has_no_border_for_in_the_apps_words(edge: str) -> None:
    blur = np.ones((3, 3))  # kernel-crop rescales only a kernel whose sum is not 0
    text = export("gimp", blur, Options(edge=edge), "gray", "clamp", "x").text
    assert f"GIMP has no {edge} ({EDGE_WORDS[edge].past}) border" in text


def test_every_format_has_its_title_hint_and_file_name_beside_it() -> None:
    assert list(FORMAT_TITLES) == list(FORMAT_HINTS) == list(FORMATS) and set(FILENAMES) == set(FORMATS)
