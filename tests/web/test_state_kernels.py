"""Generators, combine and compare in the query-string state, and kernel tools applied to a state."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernels.errors import InputError
from kernels.library.generators import gaussian, sobel
from kernels.library.kernel_text import format_kernel
from kernels.library.presets import load_presets
from kernels.options import Options
from web.query.kernel_edit import apply_tool, default_seed, tool_links
from web.query.state import State, parse_state

PRESETS = load_presets()


def round_trip(state: State) -> State:
    again = parse_state(state.to_query(), PRESETS)
    assert again.to_query() == state.to_query()
    assert again.cache_key() == state.cache_key()
    return again


@pytest.mark.parametrize(
    "text",
    [
        "gaussian(7,1.5)",
        "motion(9,30)",
        "box(5)",
        "log(9,1.4)",
        "sobel-x(5)",
        "scharr-y(3)",
        "unsharp(1.5,2)",
        "sharpen(0.8)",
    ],
)
def test_generators_survive_the_permalink(text):
    state = parse_state({"kernel": text}, PRESETS)
    assert state.generator == text and state.preset is None and state.kernel_text == text
    assert state.to_query()["kernel"] == text
    round_trip(state)


def test_generator_text_is_made_canonical():
    state = parse_state({"kernel": " gaussian( 7, 3/2 )"}, PRESETS)
    assert state.kernel_text == "gaussian(7,1.5)"
    np.testing.assert_array_equal(state.kernel, gaussian(7, 1.5))


def test_an_origin_can_sit_anywhere_in_a_generated_kernel():
    state = parse_state({"kernel": "box(4)", "origin": "3,0"}, PRESETS)
    assert state.options.origin == (3, 0)
    with pytest.raises(InputError) as info:
        parse_state({"kernel": "box(4)", "origin": "4,0"}, PRESETS)
    assert info.value.field == "origin"


def test_combine_defaults_to_the_transpose_partner_and_keeps_it_out_of_the_permalink():
    for first, second in (
        ("sobel-left", "sobel-top"),
        ("scharr-bottom", "scharr-right"),
        ("sobel-x(5)", "sobel-y(5)"),
        ("-1,0,1;-2,0,2;-1,0,1", "sobel-bottom"),
    ):
        state = parse_state({"kernel": first, "combine": "magnitude"}, PRESETS)
        assert state.kernel2.text == second and state.kernel2_default
        np.testing.assert_array_equal(state.kernel2.weights, state.kernel.T)
        assert "kernel2" not in state.to_query() and state.to_query()["combine"] == "magnitude"
        round_trip(state)


def test_an_explicit_second_kernel_is_kept():
    state = parse_state({"kernel": "emboss", "kernel2": "gaussian(3,1)", "combine": "direction"}, PRESETS)
    assert state.kernel2.generator == "gaussian(3,1)" and not state.kernel2_default
    assert state.to_query()["kernel2"] == "gaussian(3,1)"
    round_trip(state)
    alone = parse_state({"kernel2": "sobel-top"}, PRESETS)  # kept for the page even while combine is off
    assert alone.to_query()["kernel2"] == "sobel-top" and alone.combine is None
    assert alone.cache_key() == parse_state({}, PRESETS).cache_key()


def test_combine_changes_the_cache_key_but_not_the_main_result_key():
    plain = parse_state({"kernel": "sobel-left"}, PRESETS)
    combined = parse_state({"kernel": "sobel-left", "combine": "magnitude"}, PRESETS)
    direction = parse_state({"kernel": "sobel-left", "combine": "direction"}, PRESETS)
    assert len({plain.cache_key(), combined.cache_key(), direction.cache_key()}) == 3
    assert plain.filter_key() == combined.filter_key()
    second = combined.second_state()
    assert second.preset == "sobel-top" and second.combine is None and second.options == combined.options


@pytest.mark.parametrize(
    "args, field, words",
    [
        ({"combine": "angle"}, "combine", ["magnitude", "direction"]),
        ({"kernel": "sharpen", "combine": "magnitude"}, "kernel2", ["required", "sobel-left"]),
        ({"kernel": "sobel-left", "kernel2": "box(5)", "combine": "magnitude"}, "kernel2", ["same size", "3×3"]),
        ({"kernel2": "1,2;3"}, "kernel2", ["row 2"]),
        ({"kernel2": "nope"}, "kernel2", ["preset name", "gaussian(…)"]),
        ({"compare": "blur|sharpen|outline|emboss|identity"}, "compare", ["at most 4"]),
        ({"compare": "blur|sharpen|gaussian(4,1)"}, "compare[2]", ["odd"]),
        ({"compare": "blur||sharpen"}, "compare[1]", ["at least one row"]),
        ({"compare": "nope"}, "compare[0]", ["preset name"]),
        ({"kernel": "gaussian"}, "kernel", ["gaussian(size,σ)"]),
    ],
)
def test_bad_parameters_name_their_field(args, field, words):
    with pytest.raises(InputError) as info:
        parse_state(args, PRESETS)
    assert info.value.field == field
    for word in words:
        assert word in info.value.message, info.value.message


def test_compare_lists_up_to_four_kernels_and_each_slot_is_a_plain_state():
    state = parse_state(
        {
            "kernel": "sharpen",
            "origin": "0,0",
            "edge": "wrap",
            "combine": "direction",
            "kernel2": "blur",
            "compare": "blur|sobel-x(5)|1,2;3,4|motion(9,30)",
        },
        PRESETS,
    )
    assert state.slots == 4
    assert [c.text for c in state.compare] == ["blur", "sobel-x(5)", "1,2;3,4", "motion(9,30)"]
    assert state.to_query()["compare"] == "blur|sobel-x(5)|1,2;3,4|motion(9,30)"
    round_trip(state)
    slot = state.for_slot(1)
    assert slot.generator == "sobel-x(5)" and slot.combine is None and not slot.compare
    assert slot.options == Options(edge="wrap")  # the origin belongs to the main kernel
    np.testing.assert_array_equal(slot.kernel, sobel("x", 5))
    with pytest.raises(InputError) as info:
        state.for_slot(4)
    assert info.value.field == "slot"
    with pytest.raises(InputError):
        parse_state({}, PRESETS).for_slot(0)


@settings(max_examples=30, deadline=None)
@given(
    size=st.sampled_from([1, 3, 7, 63]),
    sigma=st.floats(0.01, 20),
    amount=st.floats(0, 10),
    angle=st.floats(-720, 720),
    combine=st.sampled_from([None, "magnitude", "direction"]),
)
def test_generated_states_round_trip(size, sigma, amount, angle, combine):
    args = {"kernel": f"gaussian({size},{sigma!r})", "compare": f"motion({size},{angle!r})|unsharp({amount!r},1)"}
    if combine:
        args.update(combine=combine, kernel2=f"log({size},{sigma!r})")
    round_trip(parse_state(args, PRESETS))


def test_apply_tool_names_presets_and_generators():
    state = parse_state({"kernel": "sobel-left"}, PRESETS)
    assert apply_tool(state, "transpose", presets=PRESETS).preset == "sobel-top"
    assert apply_tool(state, "rotate-left", presets=PRESETS).preset == "sobel-bottom"
    assert apply_tool(state, "flip-h", presets=PRESETS).preset == "sobel-right"
    assert apply_tool(state, "reset", presets=PRESETS).preset == "identity"
    cleared = apply_tool(state, "clear", presets=PRESETS)
    assert cleared.preset is None and cleared.kernel_text == "0,0,0;0,0,0;0,0,0"
    generated = parse_state({"kernel": "sobel-x(5)"}, PRESETS)
    assert apply_tool(generated, "transpose", presets=PRESETS).kernel_text == "sobel-y(5)"
    blurred = apply_tool(parse_state({"kernel": "gaussian(5,1)"}, PRESETS), "rotate-right", presets=PRESETS)
    assert blurred.generator is None and blurred.kernel_text.count(";") == 4


def test_apply_tool_moves_the_origin_and_writes_it_only_when_needed():
    state = parse_state({"kernel": "1,2;3,4", "origin": "1,1"}, PRESETS)
    flipped = apply_tool(state, "flip-h", presets=PRESETS)
    assert flipped.kernel_text == "2,1;4,3" and flipped.options.origin == (1, 0)
    assert flipped.to_query()["origin"] == "1,0"
    centred = apply_tool(parse_state({"kernel": "blur", "origin": "0,2"}, PRESETS), "rotate-right", presets=PRESETS)
    assert centred.options.origin == (2, 2)
    plain = apply_tool(parse_state({"kernel": "1,2;3,4"}, PRESETS), "rotate-left", presets=PRESETS)
    assert plain.options.origin == (0, 1) and plain.kernel[0, 1] == 4  # the default (1, 1) was on the 4
    resized = apply_tool(state, "resize", presets=PRESETS, rows=3, cols=3)
    assert resized.options.origin is None and resized.kernel_text == "1,2,0;3,4,0;0,0,0"  # 4 stays the centre


def test_randomise_is_seeded_by_the_kernel_unless_given_a_seed():
    state = parse_state({"kernel": "blur"}, PRESETS)
    first = apply_tool(state, "randomise", presets=PRESETS)
    assert np.array_equal(first.kernel, apply_tool(state, "randomise", presets=PRESETS).kernel)
    second = apply_tool(first, "randomise", presets=PRESETS)
    assert not np.array_equal(first.kernel, second.kernel)
    assert default_seed(first.kernel) != default_seed(state.kernel)
    chosen = apply_tool(state, "randomise", presets=PRESETS, seed=5)
    assert np.array_equal(chosen.kernel, apply_tool(first, "randomise", presets=PRESETS, seed=5).kernel)


def test_tools_keep_a_combined_pair_consistent():
    state = parse_state({"kernel": "sobel-left", "combine": "magnitude"}, PRESETS)
    turned = apply_tool(state, "transpose", presets=PRESETS)
    assert turned.kernel_text == "sobel-top" and turned.kernel2.text == "sobel-left" and turned.kernel2_default
    grown = apply_tool(state, "resize", presets=PRESETS, rows=5, cols=5)
    assert grown.kernel2.weights.shape == (5, 5) and not grown.kernel2_default
    assert "kernel2" in grown.to_query()
    round_trip(grown)


def test_tool_links_cover_every_tool():
    links = tool_links(parse_state({"kernel": "sobel-left", "image": "face"}, PRESETS), PRESETS)
    assert set(links) == {
        "rotate-left",
        "rotate-right",
        "flip-h",
        "flip-v",
        "transpose",
        "reset",
        "clear",
        "randomise",
        "grow",
        "shrink",
    }
    assert links["transpose"]["query"] == "image=face&kernel=sobel-top"
    assert links["grow"]["rows"] == 5 and links["shrink"]["kernel"] == "0"
    tiny = tool_links(parse_state({"kernel": "1"}, PRESETS), PRESETS)
    assert tiny["shrink"] is None and tiny["grow"]["kernel"] == "identity"


def test_an_edited_generator_is_spelled_as_its_call_and_the_changed_cells():
    state = parse_state({"kernel": "gaussian(5,1) r3c3=1/2  r1c5=-0.25"}, PRESETS)
    expected = gaussian(5, 1)
    expected[2, 2], expected[0, 4] = 0.5, -0.25
    np.testing.assert_array_equal(state.kernel, expected)
    assert state.generator is None and state.preset is None
    assert state.kernel_text == "gaussian(5,1) r1c5=-0.25 r3c3=0.5"
    round_trip(state)


def test_an_edited_preset_is_spelled_the_same_way_when_much_shorter():
    state = parse_state({"kernel": "sharpen r2c2=6"}, PRESETS)
    assert state.kernel[1, 1] == 6
    assert state.kernel_text == "0,-1,0;-1,6,-1;0,-1,0"  # short rows show every weight
    assert parse_state({"kernel": "blur r1c1=0.5"}, PRESETS).kernel_text == "blur r1c1=0.5"
    big = parse_state({"kernel": "gaussian(7,2) r4c4=0"}, PRESETS)
    assert big.kernel_text == "gaussian(7,2) r4c4=0" and big.kernel[3, 3] == 0
    assert len(format_kernel(big.kernel)) > 10 * len(big.kernel_text)


@given(
    st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 6), st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)),
        max_size=49,
    )
)
@settings(max_examples=60, deadline=None)
def test_any_edits_read_back_as_exactly_the_same_weights(edits):
    weights = gaussian(7, 1.5)
    for r, c, v in edits:
        weights[r, c] = v
    state = parse_state({"kernel": "gaussian(7,1.5) r1c1=" + repr(float(weights[0, 0]))}, PRESETS)
    state = state.with_kernel(weights)
    state = replace(state, base=parse_state({"kernel": "gaussian(7,1.5)"}, PRESETS).choice)
    again = parse_state(state.to_query(), PRESETS)
    np.testing.assert_array_equal(again.kernel + 0.0, weights + 0.0)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("gaussian(5,1) r6c1=0", "r6c1 is outside the 5×5 kernel"),
        ("gaussian(5,1) r1c1=abc", "kernel"),
        ("gaussian(5,1) row1=0", "rROWcCOL=VALUE"),
        ("nosuch r1c1=0", "must be a preset name"),
        ("gaussian(5,1) r1c1=nan", "kernel"),
    ],
)
def test_edits_that_cannot_apply_are_refused_with_the_rule(text, says):
    with pytest.raises(InputError) as caught:
        parse_state({"kernel": text}, PRESETS)
    assert says in caught.value.message
