"""Reading and writing whole kernels: shapes, every refusal with its row and column, and the round trip."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from kernels.errors import InputError
from kernels.library.kernel_text import cell_error_position, format_kernel, parse_kernel
from kernels.limits import MAX_ABS_NUMBER, MAX_KERNEL_SIDE


def test_parse_gaussian() -> None:
    kernel = parse_kernel("1,2,1;2,4,2;1,2,1")
    assert kernel.dtype == np.float64
    assert kernel.shape == (3, 3)
    np.testing.assert_array_equal(kernel, np.outer([1, 2, 1], [1, 2, 1]))


@pytest.mark.parametrize(
    ("text", "shape"),
    [("5", (1, 1)), ("1,2,3", (1, 3)), ("1;2;3", (3, 1)), ("1,2;3,4;5,6", (3, 2)), (" 1 , 2 ; 3 , 4 ", (2, 2))],
)
def test_shapes(text: str, shape: tuple[int, int]) -> None:
    assert parse_kernel(text).shape == shape


def test_fractions_and_signs_in_cells() -> None:
    np.testing.assert_array_equal(parse_kernel("1/16,-1/8;1e-1,\u22122"), [[0.0625, -0.125], [0.1, -2.0]])


def test_largest_kernel_is_accepted() -> None:
    side = MAX_KERNEL_SIDE
    text = ";".join([",".join(["1"] * side)] * side)
    assert parse_kernel(text).shape == (side, side)


def refused(text: str, field: str = "kernel") -> InputError:
    with pytest.raises(InputError) as caught:
        parse_kernel(text, field)
    err = caught.value
    assert err.field == field
    assert str(err).startswith(f"{field}: ")
    assert "(received " in str(err)
    return err


@pytest.mark.parametrize("text", ["", "  "])
def test_empty_kernel(text: str) -> None:
    err = refused(text)
    assert "at least one row" in str(err)
    assert (err.row, err.col) == (None, None)
    assert cell_error_position(err) is None


def test_ragged_rows_name_both_rows() -> None:
    err = refused("1,2,3;4,5;6,7,8")
    assert "row 2 has 2 values, row 1 has 3" in str(err)
    assert "received '4,5'" in str(err)
    assert (err.row, err.col) == (2, None)
    assert cell_error_position(err) is None
    assert "row 3 has 1 value, row 1 has 2" in str(refused("1,2;3,4;5"))


@pytest.mark.parametrize(("text", "row"), [("1,2;;3,4", 2), ("1,2;3,4;", 3), (";1", 1)])
def test_empty_row(text: str, row: int) -> None:
    err = refused(text)
    assert f"row {row} is empty" in str(err)
    assert err.row == row


def test_too_many_rows() -> None:
    err = refused(";".join(["1"] * (MAX_KERNEL_SIDE + 1)))
    assert err.kind == "too_large"
    assert f"at most {MAX_KERNEL_SIDE} rows" in str(err)
    assert f"(received {MAX_KERNEL_SIDE + 1})" in str(err)


def test_too_many_columns() -> None:
    err = refused("1;" + ",".join(["1"] * (MAX_KERNEL_SIDE + 1)))
    assert err.kind == "too_large"
    assert f"row 2 has {MAX_KERNEL_SIDE + 1} values; a row may have at most {MAX_KERNEL_SIDE}" in str(err)
    assert err.row == 2


@pytest.mark.parametrize(
    ("text", "row", "col", "cell", "rule"),
    [
        ("1,2,1;2,x,2;1,2,1", 2, 2, "x", "must be a decimal"),
        ("1,,1", 1, 2, "", "must not be empty"),
        ("1,2;3,nan", 2, 2, "nan", "must be a decimal"),
        ("1;1/0", 2, 1, "1/0", "zero denominator"),
        ("0,0,1e10", 1, 3, "1e10", "between -1e9 and 1e9"),
    ],
)
def test_bad_cell_names_row_column_and_value(text: str, row: int, col: int, cell: str, rule: str) -> None:
    err = refused(text, "weights")
    assert f"row {row}, column {col}" in str(err)
    assert rule in str(err)
    assert err.received == cell
    assert f"(received {cell!r})" in str(err)
    assert (err.row, err.col) == (row, col)
    assert cell_error_position(err) == (row - 1, col - 1)
    assert err.kind == "invalid"


def test_cell_error_position_of_other_errors() -> None:
    assert cell_error_position(InputError("divisor", "must not be 0", "0")) is None


def test_format_kernel() -> None:
    assert format_kernel(np.outer([1, 2, 1], [1, 2, 1])) == "1,2,1;2,4,2;1,2,1"
    assert format_kernel(np.array([[0.0625, -0.5]])) == "0.0625,-0.5"
    assert format_kernel(np.full((1, 1), 1 / 3)) == "0.3333333333333333"


@pytest.mark.parametrize("shape", [(3,), (0, 3), (2, 0), (1, 1, 1)])
def test_format_kernel_refuses_non_kernels(shape: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="2-D"):
        format_kernel(np.zeros(shape))


weights = st.floats(min_value=-MAX_ABS_NUMBER, max_value=MAX_ABS_NUMBER, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=6), elements=weights))
def test_format_then_parse_round_trips(kernel: np.ndarray) -> None:
    np.testing.assert_array_equal(parse_kernel(format_kernel(kernel)), kernel)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(-99, 99), min_size=3, max_size=3), min_size=1, max_size=4))
def test_parse_then_format_is_canonical(rows: list[list[int]]) -> None:
    text = ";".join(", ".join(str(v) for v in row) for row in rows)
    assert format_kernel(parse_kernel(text)) == text.replace(" ", "")
