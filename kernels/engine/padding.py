"""What the kernel reads past the border: index mapping per edge mode, and padded copies of an image.

Every edge mode except ``constant`` (and the crops) maps an out-of-range position to a position inside
the image; the engine pads with these indices and ``explain`` uses the very same mapping to name the
source pixel of every tap, so the two cannot disagree.
"""

from __future__ import annotations

import numpy as np

INDEX_MODES = ("extend", "wrap", "mirror", "symmetric")
"""Edge modes that read a real pixel for every position; the others read a fill value (or nothing)."""


def source_index(positions: np.ndarray | int, size: int, edge: str) -> np.ndarray:
    """The input index (0 … size−1) each position reads, or −1 where it reads no pixel.

    Args:
        positions: integer positions along one axis; any value, far outside the image included.
        size: the image's length along that axis, ≥ 1.
        edge: an edge mode. ``constant``, ``crop`` and ``kernel-crop`` give −1 outside the image.

    ``mirror`` reflects about the edge pixel (``d c b | a b c d``), ``symmetric`` repeats it
    (``c b a | a b c``); both are periodic, so positions many image-lengths away are defined too.
    """
    pos = np.asarray(positions, dtype=np.int64)
    if edge == "extend":
        return np.minimum(np.maximum(pos, 0), size - 1)
    if edge == "wrap":
        return np.mod(pos, size)
    if edge == "mirror":
        if size == 1:
            return np.zeros_like(pos)
        period = 2 * (size - 1)
        folded = np.mod(pos, period)
        return np.where(folded >= size, period - folded, folded)
    if edge == "symmetric":
        period = 2 * size
        folded = np.mod(pos, period)
        return np.where(folded >= size, period - 1 - folded, folded)
    return np.where((pos >= 0) & (pos < size), pos, -1)


def pad(
    image: np.ndarray,
    rows: tuple[int, int],
    cols: tuple[int, int],
    edge: str,
    cval: float = 0.0,
    dtype: type | np.dtype = np.float32,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """A padded copy of ``image``: row p of the result is input row p − rows[0] (mapped by ``edge``).

    Args:
        image: (H, W) or (H, W, C), any real dtype.
        rows: (before, after) rows to add; ``after`` may be negative to stop before the last rows.
        cols: (before, after) columns, likewise.
        edge: an edge mode; ``constant`` fills ``cval``, ``kernel-crop`` fills 0 (the skipped taps then
            contribute nothing to the sum).
        cval: the fill value for ``constant``.
        dtype: the result's float type.
        out: where to write the result (the right shape), instead of a new array.

    Returns:
        An array of shape (H + before + after, W + before + after[, C]).
    """
    height, width = image.shape[:2]
    top, bottom = rows
    left, right = cols
    out_h, out_w = height + top + bottom, width + left + right
    if out is None:
        out = np.empty((out_h, out_w, *image.shape[2:]), dtype=dtype)
    # out[r0:r1, c0:c1] holds input rows r0 − top … and columns c0 − left …, the part inside the image.
    r0, r1 = min(max(top, 0), out_h), max(min(top + height, out_h), 0)
    c0, c1 = min(max(left, 0), out_w), max(min(left + width, out_w), 0)
    r1, c1 = max(r1, r0), max(c1, c0)
    if r1 > r0 and c1 > c0:
        out[r0:r1, c0:c1] = image[r0 - top : r1 - top, c0 - left : c1 - left]

    if edge not in INDEX_MODES:
        fill = cval if edge == "constant" else 0.0
        out[:r0] = fill
        out[r1:] = fill
        out[r0:r1, :c0] = fill
        out[r0:r1, c1:] = fill
        return out

    if r1 > r0:
        if c0 > 0:
            out[r0:r1, :c0] = image[r0 - top : r1 - top][:, source_index(np.arange(-left, c0 - left), width, edge)]
        if c1 < out_w:
            cols_after = source_index(np.arange(c1 - left, out_w - left), width, edge)
            out[r0:r1, c1:] = image[r0 - top : r1 - top][:, cols_after]
    for start, stop in ((0, r0), (r1, out_h)):
        if stop <= start:
            continue
        wanted = source_index(np.arange(start - top, stop - top), height, edge)
        if r1 > r0 and wanted.min() >= r0 - top and wanted.max() < r1 - top:
            # The rows read are already padded in out[r0:r1]: copy whole rows from there.
            out[start:stop] = out[wanted + top]
        else:
            out[start:stop] = image[wanted][:, source_index(np.arange(-left, out_w - left), width, edge)]
    return out


class PaddedSource:
    """An image seen through its padding, without building the whole padded copy.

    Row p, column q of the (virtual) padded array is input row p − top, column q − left, mapped by
    the edge mode. Methods that work in strips ask for the rows they need (:meth:`rows`), so the
    padded rows are built while they are in cache; the others take the whole padded array
    (:meth:`full`). A plain array is its own padded source (no padding; rows past its end read 0).
    """

    def __init__(
        self,
        image: np.ndarray,
        rows: tuple[int, int] = (0, 0),
        cols: tuple[int, int] = (0, 0),
        edge: str = "constant",
        cval: float = 0.0,
        dtype: type | np.dtype | None = None,
    ) -> None:
        self.grey = image.ndim == 2
        self.image = image if image.ndim == 3 else image[:, :, None]
        self.top, self.bottom = rows
        self.left, self.right = cols
        self.edge, self.cval = edge, cval
        self.dtype = np.dtype(dtype if dtype is not None else image.dtype)
        height, width, channels = self.image.shape
        self.shape = (height + self.top + self.bottom, width + self.left + self.right, channels)

    @classmethod
    def of(cls, padded: np.ndarray | PaddedSource) -> PaddedSource:
        """``padded`` itself if it is a source, else a source reading the already padded array as it is."""
        return padded if isinstance(padded, PaddedSource) else cls(padded)

    def shaped(self, result: np.ndarray) -> np.ndarray:
        """``result`` (h, w, C) as the caller's image was shaped: (h, w) for a 2-D image."""
        return result[:, :, 0] if self.grey else result

    def _is_window(self) -> bool:
        """Whether the padded array is just a corner of the image (no padding, maybe cut short: crop)."""
        return (
            self.top == 0 and self.left == 0 and self.bottom <= 0 and self.right <= 0 and self.image.dtype == self.dtype
        )

    def full(self) -> np.ndarray:
        """The whole padded array, (rows, columns, channels), in :attr:`dtype` (a view when nothing is padded)."""
        if self._is_window():
            return self.image[: self.shape[0], : self.shape[1]]
        return pad(self.image, (self.top, self.bottom), (self.left, self.right), self.edge, self.cval, self.dtype)

    def rows(self, start: int, step: int, count: int, scratch: np.ndarray) -> np.ndarray:
        """Padded rows start, start + step, … (``count`` of them, every column): (count, columns, channels).

        A view of the image when no padding is involved, else written into ``scratch`` (at least
        ``count`` rows of the full padded width). Rows past the padded array's end are allowed (they
        read whatever the edge mode says, or the fill value).
        """
        height = self.image.shape[0]
        first = start - self.top
        last = first + (count - 1) * step
        plain = self.left == 0 and self.right <= 0 and self.image.dtype == self.dtype
        if plain and first >= 0 and last < height:
            return self.image[first : last + 1 : step, : self.shape[1]]
        out = scratch[:count]
        positions = first + step * np.arange(count)
        inside = np.flatnonzero((positions >= 0) & (positions < height))
        columns = (self.left, self.right)
        if inside.size:
            i0, i1 = inside[0], inside[-1] + 1
            source = self.image[positions[i0] : positions[i1 - 1] + 1 : step]
            pad(source, (0, 0), columns, self.edge, self.cval, self.dtype, out=out[i0:i1])
        else:
            i0 = i1 = 0
        for lo, hi in ((0, i0), (i1, count)):
            if hi <= lo:
                continue
            if self.edge not in INDEX_MODES:
                out[lo:hi] = self.cval if self.edge == "constant" else 0.0
            else:
                mapped = source_index(positions[lo:hi], height, self.edge)
                pad(self.image[mapped], (0, 0), columns, self.edge, self.cval, self.dtype, out=out[lo:hi])
        return out
