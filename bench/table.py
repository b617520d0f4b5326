"""The engine table that ``python -m bench.bench`` prints: one :class:`Row` per case, the targets an engine
row is judged against (:func:`judge`), and the printed grid with a ratio column beside each reference.

Times are in milliseconds; a reference that does not apply to a case (sepFilter2D for a dense kernel,
Pillow past 5×5) leaves its two columns empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.timing import print_grid


@dataclass
class Row:
    """One line of the table: times in milliseconds (None when a reference does not apply)."""

    case: str
    engine_ms: float
    method: str = ""
    scipy_ms: float | None = None
    filter2d_ms: float | None = None
    sep_ms: float | None = None
    pillow_ms: float | None = None
    target: str = ""
    passed: bool | None = None


def judge(row: Row, k: int, kind: str) -> None:
    """Fill in the row's target text and whether it passed."""
    checks = [("SciPy÷eng ≥ 3", row.scipy_ms / row.engine_ms >= 3)]
    if kind == "dense" and k <= 9:
        checks.append(("eng÷f2D ≤ 6", row.engine_ms / row.filter2d_ms <= 6))
    elif kind == "dense":
        checks.append(("eng÷f2D ≤ 2.5", row.engine_ms / row.filter2d_ms <= 2.5))
    elif k >= 15:
        checks.append(("eng÷f2D < 1", row.engine_ms < row.filter2d_ms))
    row.target = ", ".join(text for text, _ in checks)
    row.passed = all(ok for _, ok in checks)


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}×"


def print_table(rows: list[Row]) -> None:
    header = (
        "case",
        "engine ms",
        "method",
        "SciPy ms",
        "SciPy÷eng",
        "filter2D ms",
        "eng÷f2D",
        "sepF2D ms",
        "eng÷sep",
        "Pillow ms",
        "eng÷PIL",
        "target",
        "check",
    )
    lines = []
    for row in rows:
        lines.append(
            (
                row.case,
                _ms(row.engine_ms),
                row.method,
                _ms(row.scipy_ms),
                _ratio(row.scipy_ms / row.engine_ms if row.scipy_ms else None),
                _ms(row.filter2d_ms),
                _ratio(row.engine_ms / row.filter2d_ms if row.filter2d_ms else None),
                _ms(row.sep_ms),
                _ratio(row.engine_ms / row.sep_ms if row.sep_ms else None),
                _ms(row.pillow_ms),
                _ratio(row.engine_ms / row.pillow_ms if row.pillow_ms else None),
                row.target,
                "" if row.passed is None else ("PASS" if row.passed else "FAIL"),
            )
        )
    print_grid(header, lines, left={0, 2, 11, 12})
