"""The preset kernel library: a JSON file read and checked once, at start-up.

File format (``kernels/library/data/presets.json`` is the bundled example)::

    {
      "extends": "builtin",            # optional, see below
      "presets": [
        {
          "name": "sobel-left",        # lowercase words joined by "-", starting with a letter
          "title": "Sobel left",       # shown in menus, up to 80 characters
          "group": "gradient",         # optional: blur, sharpen, edges, gradient or other (default)
          "written_for": "correlation",   # or "convolution": the operation the weights are meant for
          "rows": ["1, 0, -1", "2, 0, -2", "1, 0, -1"],   # values separated by ","
          "scale": "1/16",             # optional factor applied to every value (text or number)
          "text": "What it does and why the weights do it, for a learner."
        }
      ]
    }

Each value in ``rows`` and the ``scale`` use the number syntax of the
``kernel`` query parameter (decimals or fractions like ``1/16``). Instead of a
list, ``rows`` may be a generator: ``{"generate": "box", "size": 21}`` gives a
21×21 block of ones (combine it with ``"scale": "1/441"`` for an average).
Kernels have 1 to 63 values a side; every weight after scaling must lie within
±1e9. Unknown keys, duplicate keys and duplicate names are errors.

A course author's file (config ``PRESETS_PATH``) is merged like this:

* with ``"extends": "builtin"`` the bundled presets stay, in their order; an
  author's preset with the same name as a bundled one takes its place, and
  new names are added after them, in the file's order;
* without ``"extends"`` the file replaces the bundled library entirely.

Problems raise :class:`PresetFileError` naming the file, the preset (its index
in ``presets`` and its name), the field, what is allowed and what was found.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from kernels.errors import InputError
from kernels.library.kernel_text import format_number, parse_fraction
from kernels.library.separability import is_separable
from kernels.limits import MAX_ABS_NUMBER, MAX_KERNEL_SIDE

BUILTIN_PATH = Path(__file__).resolve().parent / "data" / "presets.json"
"""The bundled library."""

GROUPS: tuple[str, ...] = ("blur", "sharpen", "edges", "gradient", "other")
WRITTEN_FOR: tuple[str, ...] = ("correlation", "convolution")
GENERATORS: tuple[str, ...] = ("box",)
TOP_LEVEL_KEYS: tuple[str, ...] = ("extends", "presets")
REQUIRED_KEYS: tuple[str, ...] = ("name", "title", "text", "rows", "written_for")
OPTIONAL_KEYS: tuple[str, ...] = ("group", "scale")
MAX_NAME_CHARS = 40
MAX_TITLE_CHARS = 80
MAX_TEXT_CHARS = 1000

Fail = Callable[[str | None, str], "PresetFileError"]
"""Builds the error for one field of the preset being checked."""

_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*", re.ASCII)
_EXACT_DIGITS = 15  # integers up to 15 digits are exact in float64, so "p/q" parses to the exact rounding


@dataclass(frozen=True, eq=False)
class Preset:
    """One kernel of the library, checked and with its properties worked out.

    Attributes:
        name: identifier used in URLs (``kernel=sobel-left``).
        title: human name for menus.
        text: the explanation for a learner.
        weights: float64 (kh, kw), scale applied; read-only.
        rows_text: the values as written in the file (``"-476"``, ``"1/3"``...).
        scale: the factor as written (``"1/16"``), or None.
        written_for: ``"correlation"`` or ``"convolution"``.
        group: one of :data:`GROUPS`.
        sum: the exact sum of the weights, rounded once to float.
        separable: the kernel is an outer product (rank ≤ 1).
        factors: (column, row) 1-D arrays of lengths kh and kw with
            ``np.outer(column, row) ≈ weights`` when separable, else None.
        rank: numerical rank (see :data:`kernels.library.separability.SEPARABLE_RTOL`); 0 for an all-zero kernel.
        kernel_text: the weights in ``kernel`` query syntax, exact (``"1/16,1/8,1/16;..."``).
        flip_symmetric: the kernel equals itself rotated 180°, so correlating
            and convolving with it give the same result.
    """

    name: str
    title: str
    text: str
    weights: np.ndarray
    rows_text: list[list[str]]
    scale: str | None
    written_for: str
    group: str
    sum: float
    separable: bool
    factors: tuple[np.ndarray, np.ndarray] | None
    rank: int
    kernel_text: str
    flip_symmetric: bool


class PresetFileError(Exception):
    """A presets file cannot be used; the message says where and why.

    Attributes ``path``, ``index`` (position in ``presets``, 0-based),
    ``name`` and ``field`` hold the location; any of the last three may be None.
    """

    def __init__(
        self,
        path: Path | str,
        problem: str,
        *,
        index: int | None = None,
        name: str | None = None,
        field: str | None = None,
    ) -> None:
        self.path, self.index, self.name, self.field, self.problem = Path(path), index, name, field, problem
        where = str(path)
        if index is not None:
            where += f": presets[{index}]" + (f" ({name!r})" if name else "")
        if field is not None:
            where += f": field {field!r}"
        super().__init__(f"{where}: {problem}")


def load_presets(path: str | Path | None = None) -> dict[str, Preset]:
    """The preset library, by name, in menu order.

    Args:
        path: an author's presets file, merged with or replacing the bundled
            one as the module docstring describes; None for the bundled file.

    Raises:
        PresetFileError: the file is missing, not JSON, or breaks a rule.
    """
    if path is None:
        return _read(BUILTIN_PATH, allow_extends=False)[1]
    extends, presets = _read(Path(path), allow_extends=True)
    if not extends:
        return presets
    merged = _read(BUILTIN_PATH, allow_extends=False)[1]
    merged.update(presets)  # same name: replaced in place; new names: appended in order
    return merged


def preset_to_json(p: Preset) -> dict[str, Any]:
    """A preset as ``GET /api/presets`` lists it (plain JSON types only)."""
    return {
        "name": p.name,
        "title": p.title,
        "text": p.text,
        "group": p.group,
        "written_for": p.written_for,
        "rows": p.rows_text,
        "scale": p.scale,
        "kernel": p.kernel_text,
        "weights": p.weights.tolist(),
        "height": int(p.weights.shape[0]),
        "width": int(p.weights.shape[1]),
        "sum": p.sum,
        "separable": p.separable,
        "rank": p.rank,
        "factors": None if p.factors is None else [p.factors[0].tolist(), p.factors[1].tolist()],
        "flip_symmetric": p.flip_symmetric,
    }


def _read(path: Path, *, allow_extends: bool) -> tuple[bool, dict[str, Preset]]:
    """Parse and check one file: (whether it extends the bundled library, its presets by name)."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise PresetFileError(path, f"cannot be read as UTF-8 text ({err})") from None
    try:
        document = json.loads(raw, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants)
    except json.JSONDecodeError as err:
        raise PresetFileError(path, f"is not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}") from None
    except ValueError as err:
        raise PresetFileError(path, str(err)) from None
    if not isinstance(document, dict):
        raise PresetFileError(path, 'must hold a JSON object with a "presets" list')
    for key in document:
        if key not in TOP_LEVEL_KEYS:
            raise PresetFileError(path, f"unknown top-level key {key!r}; allowed keys are {', '.join(TOP_LEVEL_KEYS)}")
    extends = "extends" in document
    if extends and (not allow_extends or document["extends"] != "builtin"):
        allowed = 'the only allowed value is "builtin"' if allow_extends else "the bundled file cannot extend"
        raise PresetFileError(path, f"{allowed} (found {document['extends']!r})", field="extends")
    entries = document.get("presets")
    if not isinstance(entries, list) or (not entries and not extends):
        raise PresetFileError(
            path, 'must be a list of preset objects, not empty unless the file extends "builtin"', field="presets"
        )
    presets: dict[str, Preset] = {}
    first_index: dict[str, int] = {}
    for index, entry in enumerate(entries):
        preset = _build(entry, path, index)
        if preset.name in presets:
            raise PresetFileError(
                path,
                f"duplicate name; presets[{first_index[preset.name]}] already uses it",
                index=index,
                name=preset.name,
                field="name",
            )
        presets[preset.name] = preset
        first_index[preset.name] = index
    return extends, presets


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"key {key!r} appears twice in one object; each key may appear once")
        result[key] = value
    return result


def _no_constants(name: str) -> None:
    raise ValueError(f"{name} is not allowed; every number must be finite")


def _build(entry: object, path: Path, index: int) -> Preset:
    """Check one entry of ``presets`` and work out its properties."""
    if not isinstance(entry, dict):
        raise PresetFileError(path, f"must be a JSON object (found {type(entry).__name__})", index=index)
    raw_name = entry.get("name")
    valid = isinstance(raw_name, str) and len(raw_name) <= MAX_NAME_CHARS and _NAME.fullmatch(raw_name)
    name = raw_name if valid else None

    def fail(field: str | None, problem: str) -> PresetFileError:
        return PresetFileError(path, problem, index=index, name=name, field=field)

    for key in entry:
        if key not in REQUIRED_KEYS + OPTIONAL_KEYS:
            raise fail(key, f"unknown key; allowed keys are {', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)}")
    for key in REQUIRED_KEYS:
        if key not in entry:
            raise fail(key, f"is missing; every preset needs {', '.join(REQUIRED_KEYS)}")
    if name is None:
        raise fail(
            "name",
            f"must be lowercase letters and digits in words joined by '-', starting with a letter, "
            f'at most {MAX_NAME_CHARS} characters, like "box-blur-7" (found {raw_name!r})',
        )
    title = _text_field(entry, "title", MAX_TITLE_CHARS, fail)
    text = _text_field(entry, "text", MAX_TEXT_CHARS, fail)
    group = entry.get("group", "other")
    if group not in GROUPS:
        raise fail("group", f"must be one of {', '.join(GROUPS)} (found {group!r})")
    written_for = entry["written_for"]
    if written_for not in WRITTEN_FOR:
        raise fail("written_for", f"must be one of {', '.join(WRITTEN_FOR)} (found {written_for!r})")

    scale_text, scale = _scale(entry.get("scale"), fail)
    rows_text = _rows(entry["rows"], fail)
    exact = [
        [_number(cell, f"row {r}, column {c}", fail) * scale for c, cell in enumerate(row, start=1)]
        for r, row in enumerate(rows_text, start=1)
    ]
    for row in exact:
        for value in row:
            if abs(value) > MAX_ABS_NUMBER:
                raise fail("scale", f"makes a weight of {float(value):g}; weights must lie within ±1e9")
    weights = np.array([[float(v) for v in row] for row in exact], dtype=np.float64)
    weights.flags.writeable = False
    separable, factors, rank = is_separable(weights)
    if factors is not None:
        for factor in factors:
            factor.flags.writeable = False
    return Preset(
        name=name,
        title=title,
        text=text,
        weights=weights,
        rows_text=rows_text,
        scale=scale_text,
        written_for=written_for,
        group=group,
        sum=float(sum(sum(row, Fraction(0)) for row in exact)),
        separable=separable,
        factors=factors,
        rank=rank,
        kernel_text=";".join(",".join(_exact_text(v) for v in row) for row in exact),
        flip_symmetric=bool(np.array_equal(weights, weights[::-1, ::-1])),
    )


def _text_field(entry: dict[str, Any], field: str, limit: int, fail: Fail) -> str:
    value = entry[field]
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        shown = value if not isinstance(value, str) else f"{len(value)} characters"
        raise fail(field, f"must be a non-empty string of at most {limit} characters (found {shown!r})")
    return value.strip()


def _number(text: str, where: str | None, fail: Fail) -> Fraction:
    """The exact value of one number of the file; ``where`` is "row R, column C" for kernel cells."""
    try:
        return parse_fraction(text, "rows" if where else "scale")
    except InputError as err:
        problem = f"{where} {err.rule}" if where else err.rule
        raise fail("rows" if where else "scale", f"{problem} (found {text!r})") from None


def _scale(value: object, fail: Fail) -> tuple[str | None, Fraction]:
    """The scale as written (None when absent) and its exact value."""
    if value is None:
        return None, Fraction(1)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise fail("scale", f'must be a number or a text like "1/16" (found {value!r})')
    text = value if isinstance(value, str) else format_number(value)
    factor = _number(text, None, fail)
    if factor == 0:
        raise fail("scale", f"must not be 0 (found {value!r})")
    return text.strip(), factor


def _rows(value: object, fail: Fail) -> list[list[str]]:
    """The values as written: a list of row strings, or a generator object."""
    if isinstance(value, dict):
        return _generated(value, fail)
    example = 'a list of rows like ["1, 2, 1", "2, 4, 2", "1, 2, 1"] or {"generate": "box", "size": 7}'
    if not isinstance(value, list) or not value:
        raise fail("rows", f"must be {example} (found {value!r})")
    if len(value) > MAX_KERNEL_SIDE:
        raise fail("rows", f"has {len(value)} rows; a kernel may have at most {MAX_KERNEL_SIDE}")
    rows: list[list[str]] = []
    for r, row in enumerate(value, start=1):
        if not isinstance(row, str) or not row.strip():
            raise fail("rows", f"row {r} must be a non-empty string of values separated by ',' (found {row!r})")
        cells = [cell.strip() for cell in row.split(",")]
        if len(cells) > MAX_KERNEL_SIDE:
            raise fail("rows", f"row {r} has {len(cells)} values; a kernel may have at most {MAX_KERNEL_SIDE}")
        if rows and len(cells) != len(rows[0]):
            count = f"{len(cells)} value" + ("" if len(cells) == 1 else "s")
            raise fail(
                "rows",
                f"row {r} has {count}, row 1 has {len(rows[0])}; every row needs the same number (found {row!r})",
            )
        rows.append(cells)
    return rows


def _generated(spec: dict[str, Any], fail: Fail) -> list[list[str]]:
    if set(spec) != {"generate", "size"}:
        raise fail("rows", f"a generator needs exactly the keys generate and size (found {', '.join(spec)})")
    if spec["generate"] not in GENERATORS:
        raise fail("rows", f"generate must be one of {', '.join(GENERATORS)} (found {spec['generate']!r})")
    size = spec["size"]
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_KERNEL_SIDE:
        raise fail("rows", f"size must be a whole number from 1 to {MAX_KERNEL_SIDE} (found {size!r})")
    return [["1"] * size for _ in range(size)]


def _exact_text(value: Fraction) -> str:
    """An exact weight in query syntax: "3", "-1/16"; a decimal when the fraction is too long to be exact."""
    if value.denominator == 1 and len(str(abs(value.numerator))) <= _EXACT_DIGITS:
        return str(value.numerator)
    if len(str(abs(value.numerator))) <= _EXACT_DIGITS and len(str(value.denominator)) <= _EXACT_DIGITS:
        return f"{value.numerator}/{value.denominator}"
    return format_number(float(value))
