"""The tables ``python -m bench.latency`` prints: each timing with its target beside it, the bytes of a cold page
and of an edit, and the largest requests behind them."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

from bench.network import Profile, Request, total_bytes

TYPING_P95_MS = {"loopback": 60.0, "classroom": 200.0, "phone": 400.0}
POINTING_P95_MS = 2 * 1000 / 60
"""On loopback. Over an emulated network the pointing target is two display frames plus the round trip."""
FRAME_MS = 1000 / 60
EDIT_MAX_KB = 250.0
COLD_PAGE_KB = 400.0
BIG_PHOTO_SHOWN_MS = {"classroom": 3000.0}
"""Navigation start → the big photo's output image shown; the other networks print it without a target."""


@dataclass
class ColdLoad:
    """A page loaded with an empty cache: when its output image was shown, and what it loaded until idle."""

    shown_ms: float
    src: str
    requests: list[Request]


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Row:
    """One line of a table: a median and a spread (p95 or max), already written out, and the verdict."""

    label: str
    p50: str
    spread: str = ""
    target: str = ""
    passed: bool | None = None
    note: str = ""


@dataclass
class PageResult:
    """What one page gave: its cold load, the typing trials with the requests of each edit, and (for the
    astronaut page) the pointing and reference trials."""

    cold: ColdLoad
    typing: list[float]
    edits: list[list[Request]]
    pointing: list[float] = field(default_factory=list)
    on_screen: int = 0
    own_frames: list[bool] = field(default_factory=list)
    reference: list[float] = field(default_factory=list)


def kb(n: float) -> str:
    return f"{n / 1e3:.1f} KB"


def time_row(label: str, samples: list[float], target: float | None, target_text: str = "") -> Row:
    """p50 and p95 of ``samples`` (ms), judged by their p95 against ``target`` when there is one."""
    p50, p95 = percentile(samples, 50), percentile(samples, 95)
    return Row(
        label,
        f"{p50:.1f} ms",
        f"{p95:.1f} ms",
        target_text or (f"p95 ≤ {target:g} ms" if target is not None else ""),
        None if target is None else p95 <= target,
        f"mean {statistics.fmean(samples):.1f}, max {max(samples):.1f}",
    )


def print_table(title: str, columns: tuple[str, str], rows: list[Row]) -> None:
    header = (title, *columns, "target", "check", "")
    lines = [header]
    for row in rows:
        check = "" if row.passed is None else ("PASS" if row.passed else "FAIL")
        lines.append((row.label, row.p50, row.spread, row.target or "—", check, row.note))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        cells = (
            line[0].ljust(widths[0]),
            line[1].rjust(widths[1]),
            line[2].rjust(widths[2]),
            line[3].ljust(widths[3]),
            line[4].ljust(widths[4]),
            line[5],
        )
        print("  ".join(cells).rstrip())


def short_url(url: str, base: str, width: int = 96) -> str:
    path = url[len(base) :] if url.startswith(base) else url
    return path if len(path) <= width else path[: width - 1] + "…"


def print_requests(requests: list[Request], base: str, top: int = 8) -> None:
    """The ``top`` largest of ``requests``, one a line, with their share of the bytes."""
    total = total_bytes(requests) or 1
    for request in sorted(requests, key=lambda r: r.bytes, reverse=True)[:top]:
        failed = " (cancelled or failed)" if request.failed else ""
        print(
            f"  {kb(request.bytes):>10} {100 * request.bytes / total:3.0f} %  {request.kind:<10} "
            f"{request.mime:<16} {short_url(request.url, base)}{failed}"
        )


def print_breakdown(cold: list[Request], edits: list[list[Request]], base: str, top: int = 8) -> None:
    """The cold page's bytes by resource type and its ``top`` largest requests; then the requests of the
    median edit (by bytes)."""
    by_kind: Counter[str] = Counter()
    for request in cold:
        by_kind[request.kind] += request.bytes
    print("cold page by type: " + ", ".join(f"{kind} {kb(n)}" for kind, n in by_kind.most_common()))
    print(f"its {min(top, len(cold))} largest requests:")
    print_requests(cold, base, top)
    median_edit = sorted(edits, key=total_bytes)[(len(edits) - 1) // 2]
    print(f"the median edit's requests ({kb(total_bytes(median_edit))}):")
    print_requests(median_edit, base, top)


def report_page(
    result: PageResult, profile: Profile, base: str, shown_target: float | None, cold_kb_target: float | None
) -> bool:
    """Print the page's time and bytes tables, and the breakdown of its cold load; True if every target is met."""
    cold = result.cold
    times = [
        Row(
            "cold page: navigation → output image shown",
            f"{cold.shown_ms:.0f} ms",
            "",
            f"≤ {shown_target:g} ms" if shown_target is not None else "",
            None if shown_target is None else cold.shown_ms <= shown_target,
            "one load, empty cache",
        ),
        time_row("last keystroke's debounce → new image shown", result.typing, TYPING_P95_MS[profile.name]),
    ]
    if result.pointing:
        if profile.emulated:
            target = 2 * FRAME_MS + profile.rtt_ms
            text = f"p95 ≤ {target:.0f} ms (2 frames + RTT)"
        else:
            target, text = POINTING_P95_MS, ""
        times.append(time_row("pointer move → updated panel shown", result.pointing, target, text))
        times.append(time_row("reference: pointer move → GET /healthz shown", result.reference, None, "the floor"))
    per_edit = [total_bytes(edit) for edit in result.edits]
    cold_bytes = total_bytes(cold.requests)
    images = [request for request in cold.requests if request.url == cold.src]
    sizes = [
        Row(
            "cold page, until the network is idle",
            kb(cold_bytes),
            "",
            f"≤ {cold_kb_target:g} KB" if cold_kb_target is not None else "",
            None if cold_kb_target is None else cold_bytes <= cold_kb_target * 1e3,
            f"{len(cold.requests)} requests",
        ),
        Row(
            "  of which the playground's output image",
            kb(total_bytes(images)),
            note=images[0].mime if images else "",
        ),
        Row(
            "per edit: a typing trial until the network is idle",
            kb(percentile([float(n) for n in per_edit], 50)),
            kb(max(per_edit)),
            f"max ≤ {EDIT_MAX_KB:g} KB",
            max(per_edit) <= EDIT_MAX_KB * 1e3,
            f"{statistics.median_low(len(edit) for edit in result.edits)} requests per edit (p50)",
        ),
    ]
    print_table("time", ("p50", "p95"), times)
    if result.pointing:
        trials = len(result.pointing)
        print(f"The whole panel was on screen, below the pictures, in {result.on_screen} of {trials} pointing trials.")
        report_frames(result.pointing, result.own_frames)
    print()
    print_table("bytes on the wire", ("p50", "max"), sizes)
    print_breakdown(cold.requests, result.edits, base)
    return all(row.passed is not False for row in times + sizes)


def report_frames(samples: list[float], own_frames: list[bool]) -> None:
    """Split the pointing trials by whether the pointer move got a frame of its own before the answer came.

    Chromium hands a pointer move to the page in the next frame (the display refreshes every 16.7 ms at 60 Hz).
    When that frame comes before the answer, the answer is drawn one refresh later; otherwise both are drawn
    in one frame, as soon as the answer is in."""
    waited = [t for t, own in zip(samples, own_frames, strict=True) if own]
    shared = [t for t, own in zip(samples, own_frames, strict=True) if not own]
    for label, group in (("the pointer's own frame came first", waited), ("one frame for both", shared)):
        if group:
            print(
                f"  {label + ':':<42} {len(group):3} trials, p50 {percentile(group, 50):5.1f} ms, "
                f"p95 {percentile(group, 95):5.1f} ms"
            )
