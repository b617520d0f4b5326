"""Reading and writing single numbers: accepted forms, every refusal, and the round trip."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernels.errors import InputError
from kernels.library.kernel_text import MAX_NUMBER_CHARS, format_number, parse_fraction, parse_number
from kernels.limits import MAX_ABS_NUMBER


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1.0),
        ("-2", -2.0),
        ("+3", 3.0),
        ("1.5", 1.5),
        (".5", 0.5),
        ("5.", 5.0),
        ("0", 0.0),
        ("007", 7.0),
        ("1e-3", 0.001),
        ("2.5E2", 250.0),
        ("1e+3", 1000.0),
        ("1/16", 0.0625),
        ("-3/4", -0.75),
        (" 1 / 16 ", 0.0625),
        ("\t-2\n", -2.0),
        ("\u22122", -2.0),
        ("1/3", 1 / 3),
        ("0.1/3", float(Fraction(1, 30))),
        ("1.5/0.5", 3.0),
        ("1e-999", 0.0),
        ("1e9", 1e9),
        ("-1e9", -1e9),
        ("2e9/2", 1e9),
    ],
)
def test_parse_number_accepts(text: str, expected: float) -> None:
    assert parse_number(text, "divisor") == expected


def test_fractions_are_rounded_once() -> None:
    # float(0.1) / 3 would round twice and land one unit in the last place away
    assert parse_number("0.1/3", "x") == float(Fraction(1, 10) / 3)
    assert parse_number("2/3", "x") == float(Fraction(2, 3))


def expect_error(text: str, field: str = "divisor") -> InputError:
    with pytest.raises(InputError) as caught:
        parse_number(text, field)
    err = caught.value
    assert err.field == field
    assert err.received == text
    assert str(err).startswith(f"{field}: ")
    shown = text if len(text) <= 80 else text[:77] + "..."  # InputError shortens long values
    assert f"(received {shown!r})" in str(err)
    return err


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_is_refused(text: str) -> None:
    err = expect_error(text)
    assert "must not be empty" in str(err)
    assert "fraction like 1/16" in str(err)


@pytest.mark.parametrize(
    "text",
    [
        "nan",
        "NaN",
        "inf",
        "-inf",
        "Infinity",
        "1_000",
        "0x10",
        "1,5",
        "--1",
        "1/-2",
        "1/2/3",
        "abc",
        "1e",
        "e3",
        "1e1000",
        "- 3",
        "\u0661",
        "1 2",
        "/2",
        "2/",
    ],
)
def test_malformed_is_refused_with_the_allowed_forms(text: str) -> None:
    err = expect_error(text, "offset")
    assert err.kind == "invalid"
    assert "must be a decimal like 1.5, -2 or 1e-3, or a fraction like 1/16" in str(err)


@pytest.mark.parametrize("text", ["1/0", "-3/0.0", "1/0e5"])
def test_division_by_zero_is_refused(text: str) -> None:
    err = expect_error(text)
    assert "zero denominator" in str(err)


@pytest.mark.parametrize("text", ["1e10", "-1000000001", "1e999", "3e9/2", "1/1e-10"])
def test_too_large_is_refused_with_the_range(text: str) -> None:
    err = expect_error(text, "cval")
    assert "must be between -1e9 and 1e9" in str(err)


def test_overlong_text_is_refused() -> None:
    err = expect_error("1" * (MAX_NUMBER_CHARS + 1))
    assert f"at most {MAX_NUMBER_CHARS} characters" in str(err)


def test_parse_fraction_is_exact() -> None:
    assert parse_fraction("-476/256", "rows") == Fraction(-119, 64)
    assert parse_fraction("0.1", "rows") == Fraction(1, 10)
    with pytest.raises(InputError, match="zero denominator"):
        parse_fraction("1/0", "rows")
    with pytest.raises(InputError, match="between"):
        parse_fraction("1e10", "rows")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, "1"),
        (-2.0, "-2"),
        (0.0, "0"),
        (-0.0, "0"),
        (0.0625, "0.0625"),
        (-0.5, "-0.5"),
        (1 / 3, "0.3333333333333333"),
        (1e-5, "1e-5"),
        (2.5e-7, "2.5e-7"),
        (1e20, "1e20"),
        (123456789.0, "123456789"),
        (math.nan, "nan"),
        (math.inf, "inf"),
        (-math.inf, "-inf"),
    ],
)
def test_format_number(value: float, text: str) -> None:
    assert format_number(value) == text


finite_in_range = st.floats(min_value=-MAX_ABS_NUMBER, max_value=MAX_ABS_NUMBER, allow_nan=False, allow_subnormal=True)


@settings(max_examples=200, deadline=None)
@given(finite_in_range)
def test_format_then_parse_round_trips(value: float) -> None:
    text = format_number(value)
    assert parse_number(text, "x") == value
    assert len(text) <= 24


@settings(max_examples=100, deadline=None)
@given(st.integers(-(10**6), 10**6), st.integers(1, 10**6))
def test_integer_fractions_match_exact_rounding(top: int, bottom: int) -> None:
    assert parse_number(f"{top}/{bottom}", "x") == float(Fraction(top, bottom))
