"""Numbers and kernels as people type them, and back to text.

The syntax is the one of the ``kernel`` query parameter: rows separated by
``;``, values within a row by ``,``, each value a decimal (``1.5``, ``-2``,
``1e-3``) or a fraction (``1/16``, ``-3/4``). Whitespace around values is
ignored. Only ASCII digits count; a Unicode minus sign (``−``) is read as
``-`` so numbers copied from the page's own tables parse.

Bad cells of a kernel: :func:`parse_kernel` raises :class:`InputError` with two
extra attributes, ``row`` and ``col``, the 1-based row and column a person
would count (the same numbers the message quotes). ``col`` is ``None`` when a
whole row is at fault (ragged or too long) and both are ``None`` for errors
about the kernel as a whole. :func:`cell_error_position` turns an error into
0-based ``(row_index, col_index)`` grid indices, or ``None`` when no single
cell is to blame.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import numpy as np

from kernels.errors import InputError
from kernels.limits import MAX_ABS_NUMBER, MAX_KERNEL_SIDE

MAX_NUMBER_CHARS = 100
"""Longest text accepted for one number, in characters (whitespace around it excluded)."""

_DECIMAL = r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?"
_NUMBER = re.compile(rf"([+-]?)({_DECIMAL})(?:\s*/\s*({_DECIMAL}))?", re.ASCII)
_INTEGER = re.compile(r"\d{1,15}", re.ASCII)

NUMBER_SYNTAX = "a decimal like 1.5, -2 or 1e-3, or a fraction like 1/16"
MINUS = "\u2212"
"""The minus sign shown to people; text that is read back (links, cells) keeps the hyphen-minus."""
"""How a number may be written, as quoted in error messages."""

_MAX_SHOWN = f"{MAX_ABS_NUMBER:.0e}".replace("e+0", "e").replace("e+", "e")  # "1e9", as people write it


def _match_number(text: str, field: str) -> re.Match[str]:
    """Check the syntax of one number; return its match (groups: sign, numerator, denominator)."""
    stripped = text.strip().replace("\u2212", "-")
    if stripped == "":
        raise InputError(field, f"must not be empty; write {NUMBER_SYNTAX}", text)
    if len(stripped) > MAX_NUMBER_CHARS:
        raise InputError(field, f"must be at most {MAX_NUMBER_CHARS} characters long", text)
    match = _NUMBER.fullmatch(stripped)
    if match is None:
        rule = f"must be {NUMBER_SYNTAX} (exponents up to 3 digits; nan and inf are not numbers here)"
        raise InputError(field, rule, text)
    return match


def _check_range(value: float | Fraction, text: str, field: str) -> None:
    if not abs(value) <= MAX_ABS_NUMBER:  # also catches nan and inf
        raise InputError(field, f"must be between -{_MAX_SHOWN} and {_MAX_SHOWN}", text)


def parse_fraction(text: str, field: str) -> Fraction:
    """The exact rational value of ``text`` (decimal or fraction syntax).

    Used where exactness matters more than speed (preset sums and the kernel
    text of presets). Same rules and errors as :func:`parse_number`.
    """
    match = _match_number(text, field)
    sign, numerator, denominator = match.groups()
    value = Fraction(numerator)
    if denominator is not None:
        divisor = Fraction(denominator)
        if divisor == 0:
            raise InputError(field, "is a fraction with a zero denominator; cannot divide by zero", text)
        value /= divisor
    if sign == "-":
        value = -value
    _check_range(value, text, field)
    return value


def parse_number(text: str, field: str) -> float:
    """Read one number: ``"1.5"``, ``"-2"``, ``"1e-3"``, ``"1/16"``, ``"-3/4"``.

    Args:
        text: the number as typed; whitespace around it and around ``/`` is ignored.
        field: the parameter name to quote in an error (``"divisor"``, ``"kernel"``...).

    Returns:
        The value as the nearest float64 (fractions are rounded once, exactly).
        Its magnitude is at most :data:`~kernels.limits.MAX_ABS_NUMBER` (1e9).

    Raises:
        InputError: empty text, anything but the syntax above (``nan``,
            ``inf``, ``1_000``, ``0x10``...), a zero denominator, or a magnitude
            above the limit. The message names the field, says what is allowed
            and quotes the text received.
    """
    match = _match_number(text, field)
    sign, numerator, denominator = match.groups()
    if denominator is None:
        value = float(numerator)  # float() rounds a decimal string correctly
    elif _INTEGER.fullmatch(numerator) and _INTEGER.fullmatch(denominator):
        # Both parts are exact in float64, and IEEE division rounds correctly,
        # so this equals the exact fraction rounded once.
        top, bottom = float(numerator), float(denominator)
        if bottom == 0:
            raise InputError(field, "is a fraction with a zero denominator; cannot divide by zero", text)
        value = top / bottom
    else:
        return float(parse_fraction(text, field))
    if sign == "-":
        value = -value
    _check_range(value, text, field)
    return value


def parse_kernel(text: str, field: str = "kernel") -> np.ndarray:
    """Read a kernel: ``"1,2,1;2,4,2;1,2,1"`` → a float64 array of shape (rows, columns).

    Rows are separated by ``;`` and values by ``,``; every row needs the same
    number of values, and each side may have 1 to
    :data:`~kernels.limits.MAX_KERNEL_SIDE` (63) values.

    Raises:
        InputError: with ``row``/``col`` attributes (1-based, see the module
            docstring). Oversized kernels have ``kind="too_large"``; all other
            errors are ``"invalid"``.
    """
    if text.strip() == "":
        raise _located(field, "must have at least one row of values: rows separated by ';', values by ','", text)
    row_texts = text.split(";")
    if len(row_texts) > MAX_KERNEL_SIDE:
        raise _located(
            field, f"must have at most {MAX_KERNEL_SIDE} rows (separated by ';')", len(row_texts), kind="too_large"
        )
    rows: list[list[float]] = []
    for r, row_text in enumerate(row_texts, start=1):
        if row_text.strip() == "":
            rule = f"row {r} is empty; rows are separated by ';' and need at least one value each"
            raise _located(field, rule, text, row=r)
        cells = row_text.split(",")
        if len(cells) > MAX_KERNEL_SIDE:
            rule = f"row {r} has {len(cells)} values; a row may have at most {MAX_KERNEL_SIDE}"
            raise _located(field, rule, row_text, row=r, kind="too_large")
        if rows and len(cells) != len(rows[0]):
            rule = (
                f"row {r} has {_values(len(cells))}, row 1 has {len(rows[0])}; "
                "every row needs the same number of values"
            )
            raise _located(field, rule, row_text, row=r)
        values = []
        for c, cell in enumerate(cells, start=1):
            try:
                values.append(parse_number(cell, field))
            except InputError as err:
                raise _located(field, f"row {r}, column {c} {err.rule}", cell, row=r, col=c) from None
        rows.append(values)
    return np.array(rows, dtype=np.float64)


def _values(count: int) -> str:
    return "1 value" if count == 1 else f"{count} values"


def _located(
    field: str, rule: str, received: object, *, row: int | None = None, col: int | None = None, kind: str = "invalid"
) -> InputError:
    err = InputError(field, rule, received, kind=kind)
    err.row = row  # type: ignore[attr-defined]
    err.col = col  # type: ignore[attr-defined]
    return err


def cell_error_position(err: InputError) -> tuple[int, int] | None:
    """The 0-based (row_index, col_index) of the kernel cell an error blames, or ``None``.

    ``None`` for errors that are not about one cell (a ragged row, too many
    rows) and for errors that did not come from :func:`parse_kernel`.
    """
    row, col = getattr(err, "row", None), getattr(err, "col", None)
    if row is None or col is None:
        return None
    return row - 1, col - 1


def format_number(value: float) -> str:
    """The shortest text that reads back as exactly ``value``.

    Integers print without a point (``1``, ``-2``, and ``0`` for ``-0.0``);
    others use Python's shortest round-trip form with a compact exponent
    (``0.0625``, ``0.3333333333333333``, ``1e-5``, ``2.5e12``).
    ``parse_number(format_number(v)) == v`` for every finite ``v`` within the
    number limit. Non-finite values give ``nan``, ``inf`` or ``-inf``, which
    :func:`parse_number` refuses on purpose.
    """
    v = float(value)
    if not math.isfinite(v):
        return repr(v)
    if v == 0:
        return "0"
    if v.is_integer() and abs(v) < 1e16:
        return str(int(v))
    text = repr(v)
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


def format_for_people(value: float | None, *, signed: bool = False) -> str:
    """A number to read, on the page and in its sentences: integers as they are, others to 4 significant digits
    (``1.965e−5`` when tiny, one decimal from 1000 up), a real minus sign (:data:`MINUS`), ``+`` in front when
    ``signed``, and "—" for None. Links and cells use :func:`format_number`, which reads back exactly."""
    if value is None:
        return "—"
    v = float(value)
    if abs(v - round(v)) < 1e-9 and abs(v) < 1e15:
        v = float(round(v))
        text = str(int(v))
    elif abs(v) >= 1000:
        text = f"{v:.1f}"
    else:
        text = f"{v:.4g}"
        if "e" in text:  # 1.965e−5: no padded exponent, and a real minus, which a line never breaks after
            mantissa, exponent = f"{v:.3e}".split("e")
            text = f"{mantissa}e{int(exponent)}".replace("e-", "e" + MINUS)
    if text in ("0", "-0"):
        return "0"
    if text.startswith("-"):
        return MINUS + text[1:]
    return ("+" + text) if signed else text


def format_kernel(kernel: np.ndarray) -> str:
    """A 2-D kernel as ``parse_kernel`` reads it: ``"1,2,1;2,4,2;1,2,1"``.

    Raises:
        ValueError: the array is not 2-D or has an empty side.
    """
    weights = np.asarray(kernel, dtype=np.float64)
    if weights.ndim != 2 or 0 in weights.shape:
        raise ValueError(f"a kernel must be a 2-D array with no empty side, not shape {weights.shape}")
    return ";".join(",".join(format_number(v) for v in row) for row in weights.tolist())
