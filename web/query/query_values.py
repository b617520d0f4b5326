"""One query parameter's value, read and checked: a name from a list, a number, an on/off flag, a whole number
in a range, a pair of whole numbers, a kernel's origin.

Each ``read_*`` takes the parameters with empty values left out, the parameter's name and what it may hold;
it returns the default when the parameter is absent and raises :class:`InputError` naming the parameter, the
rule and the value when the value breaks the rule. :func:`parse_int` reads a route's own whole-number
parameter (``x``, ``y``, ``slot``…) straight from the request, an empty value counting as absent. Which
parameters the state has, and their defaults, is :mod:`web.query.state`'s to say.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from kernels.errors import InputError
from kernels.library.kernel_text import parse_number

READABLE = ",;:|/()"
"""Characters a link leaves as they are, so that its kernels and fields read plainly: ``kernel=gaussian(7,1.5)``,
``compare=blur|sharpen``, ``filters=-1,0,1;…:…``."""

TRUE_TEXTS = frozenset({"1", "true", "on", "yes"})
"""What a checkbox or flag parameter may say for "on" (any case)."""
_FALSE = {"0", "false", "off", "no"}


def parse_int(args: Mapping[str, str], name: str, low: int, high: int, default: int | None = None) -> int | None:
    """An integer parameter in ``low…high``; ``default`` when absent or empty."""
    value = args.get(name, "").strip()
    if value == "":
        return default
    return read_integer({name: value}, name, low, high, default)


def read_choice(values: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    """One of ``allowed``, as written."""
    value = values.get(name, default)
    if value not in allowed:
        raise InputError(name, f"must be one of {', '.join(allowed)}", value)
    return value


def read_number(values: Mapping[str, str], name: str, default: float) -> float:
    """A number in the ``kernel`` parameter's syntax (decimals or fractions like ``1/16``)."""
    return parse_number(values[name], name) if name in values else default


def read_flag(values: Mapping[str, str], name: str) -> bool:
    """On (:data:`TRUE_TEXTS`) or off (0, false, off, no), in any case; off when absent."""
    value = values.get(name, "0").lower()
    if value in TRUE_TEXTS:
        return True
    if value in _FALSE:
        return False
    raise InputError(name, "must be 1 (on) or 0 (off)", values[name])


def read_integer(values: Mapping[str, str], name: str, low: int, high: int, default: int | None) -> int:
    """A whole number from ``low`` to ``high``, signed or not, of at most 9 digits."""
    if name not in values:
        return default  # type: ignore[return-value]
    text = values[name]
    if not re.fullmatch(r"[+-]?\d{1,9}", text):
        raise InputError(name, f"must be a whole number from {low} to {high}", text)
    value = int(text)
    if not low <= value <= high:
        raise InputError(name, f"must be a whole number from {low} to {high}", text)
    return value


def pair_text(pair: tuple[int, int]) -> str:
    """A (rows, columns) pair as a link writes it: ``n`` when both are n, else ``rows,columns``."""
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]},{pair[1]}"


def read_pair(values: Mapping[str, str], name: str, high: int) -> tuple[int, int]:
    """(rows, columns) from ``n`` or ``rows,columns``, each from 1 to ``high``; (1, 1) when absent."""
    if name not in values:
        return (1, 1)
    parts = values[name].split(",")
    rule = f"must be one whole number or two ('rows,columns'), each from 1 to {high}"
    if len(parts) not in (1, 2):
        raise InputError(name, rule, values[name])
    numbers = [read_integer({name: p.strip()}, name, 1, high, None) for p in parts]
    return (numbers[0], numbers[-1])


def read_origin(values: Mapping[str, str], shape: tuple[int, ...]) -> tuple[int, int] | None:
    """The ``origin`` parameter, ``row,col`` (0-based) inside a kernel of ``shape``; None when absent."""
    if "origin" not in values:
        return None
    text = values["origin"]
    parts = text.split(",")
    rule = f"must be 'row,col' inside the {shape[0]}×{shape[1]} kernel (0-based)"
    if len(parts) != 2 or not all(re.fullmatch(r"\d{1,2}", p.strip()) for p in parts):
        raise InputError("origin", rule, text)
    row, col = (int(p) for p in parts)
    if row >= shape[0] or col >= shape[1]:
        raise InputError("origin", rule, text)
    return (row, col)
