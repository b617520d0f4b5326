"""Kernel tools: each one is undone by its inverse, and the origin moves so filtering stays consistent."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernels.engine import filter_image
from kernels.errors import InputError
from kernels.library import kernel_tools as kt
from kernels.library.presets import load_presets
from kernels.options import Options

PRESETS = load_presets()


@st.composite
def kernels_with_origin(draw):
    rows, cols = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    weights = np.array(draw(st.lists(st.integers(-9, 9), min_size=rows * cols, max_size=rows * cols)), dtype=float)
    origin = draw(st.tuples(st.integers(0, rows - 1), st.integers(0, cols - 1)))
    return weights.reshape(rows, cols), origin


@settings(max_examples=40, deadline=None)
@given(kernels_with_origin())
def test_rotating_four_times_and_flipping_twice_give_the_kernel_back(case):
    kernel, origin = case
    for tool in (kt.rotate_left, kt.rotate_right):
        weights, moved = kernel, origin
        for _ in range(4):
            weights, moved = tool(weights, moved)
        assert np.array_equal(weights, kernel) and moved == origin
    for tool in (kt.flip_horizontal, kt.flip_vertical, kt.transpose):
        weights, moved = tool(*tool(kernel, origin))
        assert np.array_equal(weights, kernel) and moved == origin
    assert kt.rotate_right(*kt.rotate_left(kernel, origin))[1] == origin


IMAGE_MOVES = {
    "rotate-left": lambda a: np.rot90(a, 1),
    "rotate-right": lambda a: np.rot90(a, -1),
    "flip-h": lambda a: a[:, ::-1],
    "flip-v": lambda a: a[::-1, :],
    "transpose": lambda a: a.T,
}


@settings(max_examples=25, deadline=None)
@given(kernels_with_origin(), st.sampled_from(sorted(IMAGE_MOVES)), st.sampled_from(["extend", "wrap", "constant"]))
def test_the_origin_follows_its_tap(case, tool, edge):
    """Filtering the moved image with the moved kernel is the moved output (only true if the origin moved right)."""
    kernel, origin = case
    move = IMAGE_MOVES[tool]
    image = np.random.default_rng(5).uniform(0, 255, (9, 11))
    weights, moved = kt.apply(tool, kernel, origin)
    expected = move(filter_image(image, kernel, Options(edge=edge, origin=origin)).raw)
    got = filter_image(np.ascontiguousarray(move(image)), weights, Options(edge=edge, origin=moved)).raw
    # Each run is within 1e-4 × max |value| of exact arithmetic (the engine's float32 guarantee).
    np.testing.assert_allclose(got, expected, rtol=0, atol=2e-4 * max(1.0, float(np.abs(expected).max())))


def test_a_default_origin_is_resolved_before_it_moves():
    weights, origin = kt.flip_horizontal(np.array([[1.0, 2.0]]))
    assert weights.tolist() == [[2.0, 1.0]] and origin == (0, 0)  # the default (0, 1) was on the 2
    assert kt.default_origin((4, 5)) == (2, 2)


def test_rotations_and_transpose_of_sobel_match_the_presets():
    left = PRESETS["sobel-left"].weights
    assert np.array_equal(kt.transpose(left)[0], PRESETS["sobel-top"].weights)
    assert np.array_equal(kt.rotate_left(left)[0], PRESETS["sobel-bottom"].weights)
    assert np.array_equal(kt.rotate_right(left)[0], PRESETS["sobel-top"].weights)
    assert np.array_equal(kt.flip_horizontal(left)[0], PRESETS["sobel-right"].weights)
    assert np.array_equal(kt.flip_vertical(PRESETS["sobel-top"].weights)[0], PRESETS["sobel-bottom"].weights)


def test_rotating_a_wide_kernel_makes_it_tall():
    kernel = np.arange(6.0).reshape(2, 3)
    weights, origin = kt.rotate_left(kernel, (0, 2))
    assert weights.shape == (3, 2)
    assert weights[origin] == kernel[0, 2]
    weights, origin = kt.rotate_right(kernel, (1, 0))
    assert weights[origin] == kernel[1, 0]


def test_randomise_is_deterministic_per_seed():
    kernel = np.zeros((5, 4))
    first, origin = kt.randomise(kernel, (1, 1), seed=42)
    again, _ = kt.randomise(kernel, (1, 1), seed=42)
    other, _ = kt.randomise(kernel, (1, 1), seed=43)
    assert np.array_equal(first, again) and not np.array_equal(first, other)
    assert first.shape == (5, 4) and origin == (1, 1)
    assert first.min() >= kt.RANDOM_LOW and first.max() <= kt.RANDOM_HIGH
    assert np.array_equal(first, np.round(first))


def test_randomise_never_gives_an_all_zero_kernel():
    assert all(kt.randomise(np.zeros((1, 1)), seed=seed)[0].any() for seed in range(40))


@pytest.mark.parametrize("seed", [-1, kt.MAX_SEED + 1, 1.5, True])
def test_randomise_refuses_bad_seeds(seed):
    with pytest.raises(InputError) as info:
        kt.randomise(np.ones((3, 3)), seed=seed)
    assert info.value.field == "seed"


def test_reset_is_the_identity_and_clear_is_zeros():
    rng = np.random.default_rng(7)
    kernel = rng.normal(size=(4, 5))
    identity, origin = kt.reset(kernel, (0, 0))
    assert origin == (2, 2) and identity[2, 2] == 1 and identity.sum() == 1
    image = rng.uniform(0, 255, (6, 7))
    np.testing.assert_allclose(filter_image(image, identity, Options(origin=origin)).raw, image, atol=1e-4)
    zeros, origin = kt.clear(kernel, (3, 1))
    assert not zeros.any() and zeros.shape == (4, 5) and origin == (3, 1)


def test_resize_keeps_the_centre_and_pads_or_crops_symmetrically():
    kernel = np.arange(1.0, 10.0).reshape(3, 3)
    grown, origin = kt.resize(kernel, rows=5, cols=7)
    assert grown.shape == (5, 7) and origin == (2, 3)
    assert grown[2, 3] == kernel[1, 1]
    assert np.array_equal(grown[1:4, 2:5], kernel)
    assert grown.sum() == kernel.sum()  # only zeros were added, one ring top and bottom, two left and right
    shrunk, origin = kt.resize(grown, origin, rows=3, cols=3)
    assert np.array_equal(shrunk, kernel) and origin == (1, 1)
    assert np.array_equal(kt.resize(kernel, rows=1, cols=1)[0], [[5.0]])


def test_resize_with_a_change_of_parity_follows_the_centre_convention():
    kernel = np.arange(1.0, 10.0).reshape(3, 3)
    even, origin = kt.resize(kernel, rows=4, cols=4)
    assert origin == kt.default_origin(even.shape) == (2, 2)
    assert even[2, 2] == 5.0
    assert not even[0].any() and not even[:, 0].any()  # the extra row and column go on top and on the left
    back, _ = kt.resize(even, origin, rows=3, cols=3)
    assert np.array_equal(back, kernel)


def test_resize_moves_an_explicit_origin_with_its_tap_or_recentres_it():
    kernel = np.arange(25.0).reshape(5, 5)
    grown, origin = kt.resize(kernel, (0, 4), rows=7, cols=7)
    assert origin == (1, 5) and grown[origin] == kernel[0, 4]
    shrunk, origin = kt.resize(kernel, (0, 4), rows=3, cols=3)
    assert origin == (1, 1) and shrunk[origin] == kernel[2, 2]  # the tap was cut off: back to the centre


@pytest.mark.parametrize("rows, cols, field", [(0, 3, "rows"), (3, 64, "cols"), (2.5, 3, "rows")])
def test_resize_refuses_sizes_out_of_range(rows, cols, field):
    with pytest.raises(InputError) as info:
        kt.resize(np.ones((3, 3)), rows=rows, cols=cols)
    assert info.value.field == field


def test_apply_dispatches_and_names_bad_input():
    assert np.array_equal(kt.apply("transpose", np.array([[1.0, 2.0]]))[0], [[1.0], [2.0]])
    assert kt.apply("resize", np.ones((3, 3)), rows=5, cols=5)[0].shape == (5, 5)
    assert kt.apply("randomise", np.ones((2, 2)), seed=3)[0].shape == (2, 2)
    with pytest.raises(InputError) as info:
        kt.apply("spin", np.ones((3, 3)))
    assert info.value.field == "tool" and "rotate-left" in info.value.message
    with pytest.raises(InputError) as info:
        kt.apply("resize", np.ones((3, 3)), rows=5)
    assert info.value.field == "cols"


def test_tools_do_not_change_their_input():
    kernel = np.arange(6.0).reshape(2, 3)
    before = kernel.copy()
    for name in kt.TOOLS:
        weights, _ = kt.apply(name, kernel, (1, 2), seed=1, rows=3, cols=3)
        weights[...] = 99
    assert np.array_equal(kernel, before)


def test_an_origin_outside_the_kernel_is_a_programming_error():
    with pytest.raises(ValueError):
        kt.transpose(np.ones((2, 2)), (2, 0))
