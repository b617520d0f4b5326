"""The query-string state: every parameter parses, and to_query() writes back what restores it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernels.errors import InputError
from kernels.library.presets import load_presets
from kernels.options import DISPLAYS, EDGE_MODES, Options
from web.query.state import State, parse_state

PRESETS = load_presets()


def test_defaults():
    state = parse_state({}, PRESETS)
    assert state.image == "astronaut"
    assert state.preset == "sharpen"
    assert state.options == Options()
    assert (state.color, state.display) == ("gray", "clamp")
    assert state.to_query() == {"image": "astronaut", "kernel": "sharpen"}


def test_every_parameter():
    state = parse_state(
        {
            "image": "camera",
            "kernel": "1,2;3,4;5/2,-1e-1",
            "origin": "2,1",
            "op": "convolve",
            "edge": "constant",
            "cval": "12.5",
            "normalize": "1",
            "divisor": "1/4",
            "offset": "128",
            "stride": "2,3",
            "dilation": "2",
            "repeat": "4",
            "color": "rgb",
            "display": "abs",
        },
        PRESETS,
    )
    assert state.preset is None
    np.testing.assert_array_equal(state.kernel, [[1, 2], [3, 4], [2.5, -0.1]])
    assert state.options == Options(
        op="convolve",
        edge="constant",
        cval=12.5,
        normalize=True,
        divisor=0.25,
        offset=128,
        stride=(2, 3),
        dilation=(2, 2),
        repeat=4,
        origin=(2, 1),
    )
    assert _same(parse_state(state.to_query(), PRESETS), state)


def test_empty_values_count_as_absent():
    assert parse_state({"divisor": "", "edge": " ", "kernel": "blur"}, PRESETS).options == Options()


def test_grid_cells_stand_in_for_the_kernel():
    state = parse_state({"k-0-0": "1", "k-0-1": "2", "k-1-0": "1/2", "k-1-1": "-4"}, PRESETS)
    np.testing.assert_array_equal(state.kernel, [[1, 2], [0.5, -4]])


def test_a_bad_grid_cell_names_itself():
    with pytest.raises(InputError) as info:
        parse_state({"k-0-0": "1", "k-0-1": "two"}, PRESETS)
    assert info.value.field == "k-0-1"
    with pytest.raises(InputError) as info:
        parse_state({"k-0-0": "1", "k-1-1": "2"}, PRESETS)
    assert info.value.field == "k-0-1"


def test_extra_parameters_are_allowed_only_when_named():
    with pytest.raises(InputError):
        parse_state({"x": "1"}, PRESETS)
    parse_state({"x": "1"}, PRESETS, extra=("x",))


def _same(a: State, b: State) -> bool:
    return a.cache_key() == b.cache_key() and a.preset == b.preset


small = st.integers(1, 5)


@settings(max_examples=60, deadline=None)
@given(
    rows=small,
    cols=small,
    data=st.data(),
    edge=st.sampled_from(EDGE_MODES),
    display=st.sampled_from(DISPLAYS),
    op=st.sampled_from(["correlate", "convolve"]),
    normalize=st.booleans(),
    stride=st.tuples(small, small),
    dilation=st.tuples(small, small),
    repeat=st.integers(1, 10),
    number=st.floats(-1000, 1000, allow_nan=False).filter(lambda v: v != 0),
)
def test_to_query_round_trips(rows, cols, data, edge, display, op, normalize, stride, dilation, repeat, number):
    weights = data.draw(st.lists(st.floats(-100, 100, allow_nan=False), min_size=rows * cols, max_size=rows * cols))
    origin = data.draw(st.none() | st.tuples(st.integers(0, rows - 1), st.integers(0, cols - 1)))
    state = State(
        image="face",
        kernel=np.array(weights).reshape(rows, cols),
        preset=None,
        options=Options(
            op=op,
            edge=edge,
            cval=number,
            normalize=normalize,
            divisor=number,
            offset=-number,
            stride=stride,
            dilation=dilation,
            repeat=repeat,
            origin=origin,
        ),
        color="rgb",
        display=display,
    )
    assert _same(parse_state(state.to_query(), PRESETS), state)
