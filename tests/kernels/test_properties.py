"""Kernel properties: what the sum means, separability and cost, rank, and 180° symmetry."""

from __future__ import annotations

import numpy as np
import pytest

from kernels.engine import filter_image
from kernels.library.generators import gaussian, motion
from kernels.library.presets import load_presets
from kernels.options import Options
from kernels.teaching.properties import kernel_properties

PRESETS = load_presets()


def agree(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal within the engine's float32 guarantee (1e-4 × the largest value, for each of two runs)."""
    return a.shape == b.shape and np.allclose(a, b, rtol=0, atol=2e-4 * max(1.0, float(np.abs(a).max())))


IDENTITY = np.array([[0.0, 0, 0], [0, 1, 0], [0, 0, 0]])


@pytest.mark.parametrize(
    "kernel, meaning, words",
    [
        (PRESETS["blur"].weights, "keeps", ["keep their brightness", "add up to 1"]),
        (gaussian(9, 2.0), "keeps", ["keep their brightness"]),  # sums to 1 within rounding
        (PRESETS["sobel-left"].weights, "edges", ["become 0", "edges"]),
        (PRESETS["laplacian-8"].weights, "edges", ["become 0"]),
        (2 * IDENTITY, "brightens", ["2 times as bright", "brightens"]),
        (0.5 * IDENTITY, "darkens", ["50% of its brightness", "darkens"]),
        (-IDENTITY, "inverts", ["\u22121", "negative", "abs or mid-grey"]),
        (np.zeros((3, 3)), "empty", ["Every weight is 0"]),
    ],
)
def test_the_sum_is_explained(kernel, meaning, words):
    props = kernel_properties(kernel)
    assert props.meaning == meaning
    for word in words:
        assert word in props.meaning_text, props.meaning_text


def test_the_gain_accounts_for_normalise_divisor_and_offset():
    ones = np.ones((3, 3))
    plain = kernel_properties(ones)
    assert plain.meaning == "brightens" and plain.sum == plain.gain == 9
    normalised = kernel_properties(ones, Options(normalize=True))
    assert normalised.meaning == "keeps" and normalised.gain == pytest.approx(1)
    assert normalised.meaning_text.startswith("After normalising, flat areas keep")
    divided = kernel_properties(ones, Options(divisor=9, offset=10))
    assert divided.meaning == "keeps" and divided.sum == 9
    assert divided.meaning_text.startswith("After dividing by 9, ")
    assert divided.meaning_text.endswith("The offset then adds 10 to every pixel.")
    edges = kernel_properties(PRESETS["sobel-left"].weights, Options(normalize=True))
    assert edges.meaning == "edges" and "normalising" not in edges.meaning_text  # zero-sum: left as it is


def test_a_flat_image_is_scaled_by_the_gain():
    flat = np.full((8, 8), 100.0)
    for kernel, options in ((0.5 * IDENTITY, Options()), (np.ones((3, 3)), Options(divisor=4))):
        gain = kernel_properties(kernel, options).gain
        np.testing.assert_allclose(filter_image(flat, kernel, options).raw, 100 * gain, rtol=1e-6)


def test_separable_kernels_show_factors_and_the_two_pass_cost():
    props = kernel_properties(PRESETS["sobel-left"].weights)
    assert props.separable and props.rank == 1
    np.testing.assert_array_equal(np.outer(*props.factors), PRESETS["sobel-left"].weights)
    assert (props.taps, props.two_pass, props.nonzero_taps) == (9, 6, 6)
    assert "[1, 2, 1]" in props.separable_text and "3 + 3 = 6" in props.separable_text
    assert "3 × 3 = 9" in props.separable_text
    as_json = props.to_json()
    assert as_json["factors_text"] == ["1;2;1", "1,0,-1"]
    assert as_json["cost"] == {"taps": 9, "nonzero_taps": 6, "two_pass": 6}
    wide = kernel_properties(gaussian(15, 3.0))
    assert wide.two_pass == 30 and wide.taps == 225


def test_kernels_that_are_not_separable_say_their_rank():
    props = kernel_properties(PRESETS["sharpen"].weights)
    assert not props.separable and props.rank == 2 and props.two_pass is None and props.factors is None
    assert "rank 2" in props.separable_text and "9 multiply-adds" in props.separable_text
    assert kernel_properties(np.eye(5)).rank == 5
    assert kernel_properties(np.zeros((2, 2))).rank == 0


@pytest.mark.parametrize(
    "name, symmetric", [("blur", True), ("outline", True), ("sharpen", True), ("sobel-left", False), ("emboss", False)]
)
def test_flip_symmetry_decides_whether_convolution_differs(name, symmetric):
    props = kernel_properties(PRESETS[name].weights)
    assert props.flip_symmetric is symmetric and props.same_for_convolution is symmetric
    image = np.random.default_rng(1).uniform(0, 255, (9, 9))
    corr = filter_image(image, PRESETS[name].weights, Options()).raw
    conv = filter_image(image, PRESETS[name].weights, Options(op="convolve")).raw
    assert agree(corr, conv) is symmetric
    assert ("same image" in props.symmetry_text) is symmetric


def test_an_off_centre_origin_breaks_the_agreement_except_with_crop():
    blur = PRESETS["blur"].weights
    off = kernel_properties(blur, Options(origin=(0, 0)))
    assert off.flip_symmetric and not off.same_for_convolution and "off-centre" in off.symmetry_text
    assert kernel_properties(blur, Options(origin=(0, 0), edge="crop")).same_for_convolution


@pytest.mark.parametrize("edge", ["extend", "crop"])
@pytest.mark.parametrize(
    "kernel, origin",
    [([[1.0, 0, 1, 0]], (0, 1)), ([[1.0, 1]], (0, 1)), ([[2.0, 0, 2]], (0, 0)), ([[1.0, 2], [2, 1]], (1, 1))],
)
def test_same_for_convolution_predicts_the_engine(kernel, origin, edge):
    kernel = np.array(kernel)
    options = Options(origin=origin, edge=edge)
    image = np.random.default_rng(2).uniform(0, 255, (7, 8))
    corr = filter_image(image, kernel, options).raw
    conv = filter_image(image, kernel, Options(origin=origin, edge=edge, op="convolve")).raw
    assert kernel_properties(kernel, options).same_for_convolution is agree(corr, conv)


def test_generated_kernels_are_symmetric_despite_rounding():
    assert kernel_properties(motion(9, 30)).flip_symmetric
    assert kernel_properties(gaussian(7, 1.3)).same_for_convolution
