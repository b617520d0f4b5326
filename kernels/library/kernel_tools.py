"""Editing a kernel as a whole: rotate, flip, transpose, randomise, reset, clear and resize.

Every tool is a pure function ``(weights, origin) -> (new weights, new origin)`` on float64 arrays.
The origin is the tap that sits on the output pixel, (row, column), 0-based; ``None`` means the
default (kh // 2, kw // 2). Tools that move taps move the origin with them, so the edited kernel
filters like the edited picture of the old one: flipping a 2×2 kernel whose origin is (1, 1) gives
origin (0, 0). The returned origin is always explicit; callers that want short permalinks compare it
with :func:`default_origin` of the new shape.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from kernels.errors import InputError
from kernels.limits import MAX_KERNEL_SIDE

Origin = tuple[int, int]
Edited = tuple[np.ndarray, Origin]

RANDOM_LOW = -4
RANDOM_HIGH = 4
"""Randomised kernels hold whole numbers from RANDOM_LOW to RANDOM_HIGH: easy to read and to sum by eye."""

MAX_SEED = 999_999_999
"""Seeds for :func:`randomise` run from 0 to MAX_SEED."""


def default_origin(shape: tuple[int, ...]) -> Origin:
    """(kh // 2, kw // 2): the centre for odd sides, just below and right of it for even ones."""
    return int(shape[0]) // 2, int(shape[1]) // 2


def _prepare(kernel: np.ndarray, origin: Origin | None) -> tuple[np.ndarray, Origin]:
    weights = np.array(kernel, dtype=np.float64)
    if weights.ndim != 2 or 0 in weights.shape:
        raise ValueError(f"a kernel must be a 2-D array with no empty side, not shape {weights.shape}")
    resolved = default_origin(weights.shape) if origin is None else (int(origin[0]), int(origin[1]))
    if not (0 <= resolved[0] < weights.shape[0] and 0 <= resolved[1] < weights.shape[1]):
        raise ValueError(f"origin {resolved} lies outside the {weights.shape[0]}×{weights.shape[1]} kernel")
    return weights, resolved


def rotate_left(kernel: np.ndarray, origin: Origin | None = None) -> Edited:
    """Rotate 90° counter-clockwise: the top row becomes the left column, read bottom to top.

    Tap (r, c) of a kh×kw kernel moves to (kw − 1 − c, r) of the kw×kh result.
    """
    weights, (oy, ox) = _prepare(kernel, origin)
    return np.ascontiguousarray(np.rot90(weights, 1)), (weights.shape[1] - 1 - ox, oy)


def rotate_right(kernel: np.ndarray, origin: Origin | None = None) -> Edited:
    """Rotate 90° clockwise: the top row becomes the right column. Tap (r, c) moves to (c, kh − 1 − r)."""
    weights, (oy, ox) = _prepare(kernel, origin)
    return np.ascontiguousarray(np.rot90(weights, -1)), (ox, weights.shape[0] - 1 - oy)


def flip_horizontal(kernel: np.ndarray, origin: Origin | None = None) -> Edited:
    """Mirror left ↔ right. Tap (r, c) moves to (r, kw − 1 − c)."""
    weights, (oy, ox) = _prepare(kernel, origin)
    return np.ascontiguousarray(weights[:, ::-1]), (oy, weights.shape[1] - 1 - ox)


def flip_vertical(kernel: np.ndarray, origin: Origin | None = None) -> Edited:
    """Mirror top ↔ bottom. Tap (r, c) moves to (kh − 1 − r, c)."""
    weights, (oy, ox) = _prepare(kernel, origin)
    return np.ascontiguousarray(weights[::-1, :]), (weights.shape[0] - 1 - oy, ox)


def transpose(kernel: np.ndarray, origin: Origin | None = None) -> Edited:
    """Swap rows and columns (mirror in the main diagonal). Tap (r, c) moves to (c, r)."""
    weights, (oy, ox) = _prepare(kernel, origin)
    return np.ascontiguousarray(weights.T), (ox, oy)


def randomise(kernel: np.ndarray, origin: Origin | None = None, *, seed: int = 0) -> Edited:
    """Whole numbers drawn uniformly from −4…4, same shape and origin; the same seed gives the same kernel.

    Args:
        seed: 0…MAX_SEED; NumPy's PCG64 generator, so results do not depend on the platform.
    """
    weights, resolved = _prepare(kernel, origin)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or not 0 <= seed <= MAX_SEED:
        raise InputError("seed", f"must be a whole number from 0 to {MAX_SEED}", seed)
    rng = np.random.Generator(np.random.PCG64(int(seed)))
    drawn = rng.integers(RANDOM_LOW, RANDOM_HIGH, size=weights.shape, endpoint=True).astype(np.float64)
    if not drawn.any():
        drawn[resolved] = 1.0  # an all-zero draw would show a blank image and teach nothing
    return drawn, resolved


def reset(kernel: np.ndarray, origin: Origin | None = None) -> Edited:
    """The identity of the same size: a single 1 at the default origin, which is where the origin goes too.

    Filtering with it leaves the image as it is, whatever the edge mode.
    """
    weights, _ = _prepare(kernel, origin)
    centre = default_origin(weights.shape)
    identity = np.zeros_like(weights)
    identity[centre] = 1.0
    return identity, centre


def clear(kernel: np.ndarray, origin: Origin | None = None) -> Edited:
    """All weights 0, same shape and origin (a blank grid to type into)."""
    weights, resolved = _prepare(kernel, origin)
    return np.zeros_like(weights), resolved


def resize(kernel: np.ndarray, origin: Origin | None = None, *, rows: int, cols: int) -> Edited:
    """A rows×cols kernel with the old centre tap on the new centre tap; new taps are 0, cut-off taps dropped.

    "Centre" is the default origin (kh // 2, kw // 2), so growing 3×3 to 5×5 adds one ring of zeros and
    shrinking 5×5 to 3×3 removes one; with a change of parity the extra row or column goes on the side
    the centre convention puts it (3 → 4 rows adds one row at the top). The origin moves with its tap;
    when that tap is cut off, the origin goes to the new centre.

    Args:
        rows, cols: the new size, 1…63 each.
    """
    weights, (oy, ox) = _prepare(kernel, origin)
    for name, value in (("rows", rows), ("cols", cols)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or not 1 <= value <= MAX_KERNEL_SIDE:
            raise InputError(name, f"must be a whole number from 1 to {MAX_KERNEL_SIDE}", value)
    kh, kw = weights.shape
    shift_r = rows // 2 - kh // 2
    shift_c = cols // 2 - kw // 2
    resized = np.zeros((int(rows), int(cols)))
    # Old rows r with 0 ≤ r + shift_r < rows survive; likewise for columns.
    r0, r1 = max(0, -shift_r), min(kh, rows - shift_r)
    c0, c1 = max(0, -shift_c), min(kw, cols - shift_c)
    resized[r0 + shift_r : r1 + shift_r, c0 + shift_c : c1 + shift_c] = weights[r0:r1, c0:c1]
    moved = (oy + shift_r, ox + shift_c)
    if not (0 <= moved[0] < rows and 0 <= moved[1] < cols):
        moved = default_origin(resized.shape)
    return resized, moved


SIMPLE_TOOLS: dict[str, Callable[[np.ndarray, Origin | None], Edited]] = {
    "rotate-left": rotate_left,
    "rotate-right": rotate_right,
    "flip-h": flip_horizontal,
    "flip-v": flip_vertical,
    "transpose": transpose,
    "reset": reset,
    "clear": clear,
}
"""Tools that need nothing but the kernel, by the name the ``tool`` parameter uses."""

TOOLS: tuple[str, ...] = (*SIMPLE_TOOLS, "randomise", "resize")
"""Every tool name: the simple ones, ``randomise`` (takes ``seed``) and ``resize`` (takes ``rows``, ``cols``)."""


def apply(
    name: str,
    kernel: np.ndarray,
    origin: Origin | None = None,
    *,
    seed: int = 0,
    rows: int | None = None,
    cols: int | None = None,
) -> Edited:
    """Run the tool called ``name`` (one of :data:`TOOLS`); InputError with field ``tool`` for another name.

    ``resize`` needs ``rows`` and ``cols`` (InputError with that field when missing).
    """
    if name in SIMPLE_TOOLS:
        return SIMPLE_TOOLS[name](kernel, origin)
    if name == "randomise":
        return randomise(kernel, origin, seed=seed)
    if name == "resize":
        for field, value in (("rows", rows), ("cols", cols)):
            if value is None:
                raise InputError(field, f"is required by tool=resize: the new {field} count, 1 to {MAX_KERNEL_SIDE}")
        return resize(kernel, origin, rows=int(rows), cols=int(cols))  # type: ignore[arg-type]
    raise InputError("tool", f"must be one of {', '.join(TOOLS)}", name)
