"""What the benchmark tables share: interleaved median timing and plain-text tables."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np


def median_times(contenders: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Median seconds per call for each contender.

    After one warm-up call each, every round runs each contender in turn for a short loop (as many
    calls as fit in about 20 ms, at least one) and records the mean time per call; contenders
    alternate within every round, so a change in machine load affects all of them alike. Slow
    references (over half a second a call) are measured in three rounds only.
    """
    loops = {}
    for name, run in contenders.items():
        start = time.perf_counter()
        run()
        loops[name] = max(1, min(50, int(0.02 / max(time.perf_counter() - start, 1e-6))))
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for index in range(rounds):
        for name, run in contenders.items():
            if loops[name] == 1 and samples[name] and samples[name][0] > 0.5 and index >= 3:
                continue
            start = time.perf_counter()
            for _ in range(loops[name]):
                run()
            samples[name].append((time.perf_counter() - start) / loops[name])
    return {name: statistics.median(times) for name, times in samples.items()}


def rounds_text(count: int) -> str:
    return f"{count} round{'' if count == 1 else 's'}"


def picture_label(image: np.ndarray) -> str:
    """The image's size (width × height) and colour for a table: "512² grey", "4000×3000 RGB "."""
    height, width = image.shape[:2]
    size = f"{height}²" if height == width else f"{width}×{height}"
    return f"{size} {'grey' if image.ndim == 2 else 'RGB '}"


def print_grid(header: tuple[str, ...], lines: list[tuple[str, ...]], left: set[int]) -> None:
    """Print a table: columns padded to their widest cell, those in ``left`` left-aligned, others right."""
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]

    def fmt(cells: tuple[str, ...]) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        return " | ".join(c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in pairs)

    print(fmt(header))
    print("-+-".join("-" * w for w in widths))
    for line in lines:
        print(fmt(line))
