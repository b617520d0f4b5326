"""The bundled presets: values as published, sums, separability, orientation and the API form."""

from __future__ import annotations

import json

import numpy as np
import pytest

from kernels.library.kernel_text import parse_kernel
from kernels.library.presets import GROUPS, WRITTEN_FOR, Preset, load_presets, preset_to_json

PRESETS = load_presets()

SETOSA = ["identity", "blur", "sharpen", "emboss", "outline", "sobel-left", "sobel-right", "sobel-top", "sobel-bottom"]
ADDED = [
    "box-blur-3",
    "gaussian-blur-5",
    "box-blur-7",
    "box-blur-21",
    "unsharp-mask-5",
    "laplacian-4",
    "laplacian-8",
    "edge-diagonal",
    "prewitt-left",
    "prewitt-right",
    "prewitt-top",
    "prewitt-bottom",
    "scharr-left",
    "scharr-right",
    "scharr-top",
    "scharr-bottom",
]
BINOMIAL_5 = np.array([1, 4, 6, 4, 1], dtype=float)
GAUSSIAN_5 = np.outer(BINOMIAL_5, BINOMIAL_5) / 256


def weights(name: str) -> np.ndarray:
    return PRESETS[name].weights


def test_names_and_order() -> None:
    assert list(PRESETS) == SETOSA + ADDED


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("identity", "0,0,0;0,1,0;0,0,0"),
        ("sharpen", "0,-1,0;-1,5,-1;0,-1,0"),
        ("emboss", "-2,-1,0;-1,1,1;0,1,2"),
        ("outline", "-1,-1,-1;-1,8,-1;-1,-1,-1"),
        ("laplacian-4", "0,1,0;1,-4,1;0,1,0"),
        ("laplacian-8", "1,1,1;1,-8,1;1,1,1"),
        ("edge-diagonal", "1,0,-1;0,0,0;-1,0,1"),
        ("sobel-top", "1,2,1;0,0,0;-1,-2,-1"),
        ("sobel-bottom", "-1,-2,-1;0,0,0;1,2,1"),
        ("sobel-left", "1,0,-1;2,0,-2;1,0,-1"),
        ("sobel-right", "-1,0,1;-2,0,2;-1,0,1"),
        ("prewitt-top", "1,1,1;0,0,0;-1,-1,-1"),
        ("prewitt-bottom", "-1,-1,-1;0,0,0;1,1,1"),
        ("prewitt-left", "1,0,-1;1,0,-1;1,0,-1"),
        ("prewitt-right", "-1,0,1;-1,0,1;-1,0,1"),
        ("scharr-top", "3,10,3;0,0,0;-3,-10,-3"),
        ("scharr-bottom", "-3,-10,-3;0,0,0;3,10,3"),
        ("scharr-left", "3,0,-3;10,0,-10;3,0,-3"),
        ("scharr-right", "-3,0,3;-10,0,10;-3,0,3"),
    ],
)
def test_published_values(name: str, expected: str) -> None:
    np.testing.assert_array_equal(weights(name), parse_kernel(expected))
    assert PRESETS[name].scale is None


def test_blurs() -> None:
    np.testing.assert_array_equal(weights("blur"), np.outer([1, 2, 1], [1, 2, 1]) / 16)
    assert PRESETS["blur"].scale == "1/16"
    np.testing.assert_array_equal(weights("box-blur-3"), np.full((3, 3), 1 / 9))
    np.testing.assert_array_equal(weights("gaussian-blur-5"), GAUSSIAN_5)
    for side in (7, 21):
        np.testing.assert_array_equal(weights(f"box-blur-{side}"), np.full((side, side), 1 / side**2))
        assert PRESETS[f"box-blur-{side}"].scale == f"1/{side * side}"


def test_unsharp_mask_is_twice_identity_minus_gaussian() -> None:
    unsharp = PRESETS["unsharp-mask-5"]
    assert unsharp.scale == "-1/256"
    assert unsharp.rows_text[2][2] == "-476"
    impulse = np.zeros((5, 5))
    impulse[2, 2] = 1
    np.testing.assert_allclose(unsharp.weights, 2 * impulse - GAUSSIAN_5, rtol=0, atol=1e-15)


@pytest.mark.parametrize(
    ("name", "total"),
    [
        ("identity", 1),
        ("blur", 1),
        ("sharpen", 1),
        ("emboss", 1),
        ("box-blur-3", 1),
        ("gaussian-blur-5", 1),
        ("unsharp-mask-5", 1),
        ("box-blur-7", 1),
        ("box-blur-21", 1),
        ("outline", 0),
        ("laplacian-4", 0),
        ("laplacian-8", 0),
        ("edge-diagonal", 0),
    ],
)
def test_sums_are_exact(name: str, total: int) -> None:
    assert PRESETS[name].sum == total


@pytest.mark.parametrize("family", ["sobel", "prewitt", "scharr"])
def test_gradients_sum_to_zero_and_come_in_four_directions(family: str) -> None:
    left = weights(f"{family}-left")
    assert PRESETS[f"{family}-left"].sum == 0
    np.testing.assert_array_equal(weights(f"{family}-right"), -left)
    np.testing.assert_array_equal(weights(f"{family}-top"), left.T)
    np.testing.assert_array_equal(weights(f"{family}-bottom"), -left.T)
    brighter = {"left": "towards the left", "right": "towards the right", "top": "upwards", "bottom": "downwards"}
    for direction, words in brighter.items():
        preset = PRESETS[f"{family}-{direction}"]
        assert preset.sum == 0
        assert preset.group == "gradient"
        assert preset.written_for == "correlation"
        assert "correlation" in preset.text and f"brighter {words}" in preset.text


DIRECTIONS = ("left", "right", "top", "bottom")
SEPARABLE = ["identity", "blur", "box-blur-3", "gaussian-blur-5", "box-blur-7", "box-blur-21", "edge-diagonal"] + [
    f"{family}-{direction}" for family in ("sobel", "prewitt", "scharr") for direction in DIRECTIONS
]
NOT_SEPARABLE = {"sharpen": 2, "emboss": 3, "outline": 2, "laplacian-4": 2, "laplacian-8": 2, "unsharp-mask-5": 2}


def test_every_preset_is_classified() -> None:
    assert set(SEPARABLE) | set(NOT_SEPARABLE) == set(PRESETS)


@pytest.mark.parametrize("name", SEPARABLE)
def test_separable_presets(name: str) -> None:
    preset = PRESETS[name]
    assert preset.separable and preset.rank == 1
    column, row = preset.factors
    assert column.shape == (preset.weights.shape[0],) and row.shape == (preset.weights.shape[1],)
    np.testing.assert_allclose(np.outer(column, row), preset.weights, rtol=0, atol=1e-15)


@pytest.mark.parametrize(("name", "rank"), NOT_SEPARABLE.items())
def test_non_separable_presets(name: str, rank: int) -> None:
    preset = PRESETS[name]
    assert not preset.separable
    assert preset.factors is None
    assert preset.rank == rank


def test_factors_read_as_published() -> None:
    column, row = PRESETS["sobel-left"].factors
    np.testing.assert_array_equal(column, [1, 2, 1])
    np.testing.assert_array_equal(row, [1, 0, -1])
    column, row = PRESETS["blur"].factors
    np.testing.assert_array_equal(column, [1, 2, 1])
    np.testing.assert_array_equal(row, np.array([1, 2, 1]) / 16)
    column, _ = PRESETS["scharr-left"].factors
    np.testing.assert_array_equal(column, [3, 10, 3])


def test_orientation_and_symmetry() -> None:
    assert not PRESETS["sobel-left"].flip_symmetric
    assert not PRESETS["emboss"].flip_symmetric
    np.testing.assert_array_equal(weights("sobel-left")[::-1, ::-1], weights("sobel-right"))
    for name in ("identity", "blur", "sharpen", "outline", "laplacian-4", "gaussian-blur-5", "edge-diagonal"):
        assert PRESETS[name].flip_symmetric, name
    assert "brighter towards the left" in PRESETS["sobel-left"].text


@pytest.mark.parametrize("preset", PRESETS.values(), ids=list(PRESETS))
def test_every_preset_is_complete(preset: Preset) -> None:
    assert preset.title and 40 <= len(preset.text) <= 1000
    assert preset.group in GROUPS and preset.written_for in WRITTEN_FOR
    assert preset.weights.dtype == np.float64 and not preset.weights.flags.writeable
    np.testing.assert_array_equal(parse_kernel(preset.kernel_text), preset.weights)
    assert [len(row) for row in preset.rows_text] == [preset.weights.shape[1]] * preset.weights.shape[0]
    assert preset.sum == pytest.approx(preset.weights.sum(), abs=1e-12)


def test_kernel_text_keeps_fractions() -> None:
    assert PRESETS["blur"].kernel_text == "1/16,1/8,1/16;1/8,1/4,1/8;1/16,1/8,1/16"
    assert PRESETS["unsharp-mask-5"].kernel_text.split(";")[2] == "-3/128,-3/32,119/64,-3/32,-3/128"


def test_preset_to_json() -> None:
    listed = json.loads(json.dumps([preset_to_json(p) for p in PRESETS.values()]))
    blur = next(item for item in listed if item["name"] == "blur")
    assert blur["rows"] == [["1", "2", "1"], ["2", "4", "2"], ["1", "2", "1"]]
    assert blur["scale"] == "1/16"
    assert blur["sum"] == 1.0 and blur["separable"] is True and blur["rank"] == 1
    assert blur["factors"] == [[1, 2, 1], [0.0625, 0.125, 0.0625]]
    assert (blur["height"], blur["width"]) == (3, 3)
    assert blur["written_for"] == "correlation" and blur["group"] == "blur"
    emboss = next(item for item in listed if item["name"] == "emboss")
    assert emboss["factors"] is None and emboss["flip_symmetric"] is False
    assert {"name", "title", "text", "rows", "written_for", "sum", "separable", "rank"} <= set(emboss)


def correlate_at_centre(kernel: np.ndarray, image: np.ndarray) -> float:
    """Σ K[i, j] · in[y + i − 1, x + j − 1] at the centre of a 3×3 image: what the texts call correlation."""
    return float(np.sum(kernel * image))


@pytest.mark.parametrize("family", ["sobel", "prewitt", "scharr"])
def test_texts_describe_the_correlation_response(family: str) -> None:
    ys, xs = np.mgrid[0:3, 0:3].astype(float)
    brighter = {"left": -xs, "right": xs, "top": -ys, "bottom": ys}
    for direction, ramp in brighter.items():
        kernel = weights(f"{family}-{direction}")
        assert correlate_at_centre(kernel, ramp) > 0
        assert correlate_at_centre(kernel[::-1, ::-1], ramp) < 0  # convolution reverses it


def test_emboss_lights_the_top_left_rim_of_a_bright_shape() -> None:
    image = np.zeros((9, 9))
    image[3:6, 3:6] = 100
    kernel = weights("emboss")
    padded = np.pad(image, 1, mode="edge")
    out = np.array([[correlate_at_centre(kernel, padded[y : y + 3, x : x + 3]) for x in range(9)] for y in range(9)])
    assert out[3, 3] > 100 and out[5, 5] < 100
    assert out[2, 2] > 0 and out[6, 6] < 0
