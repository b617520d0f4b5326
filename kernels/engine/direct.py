"""The direct method: the sum of products computed in the image domain, exactly as defined.

Every function computes the "valid" strided, dilated correlation of a padded array P (see
:mod:`kernels.engine.geometry`), given as an array or as a :class:`~kernels.engine.padding.PaddedSource`:

    out[r, c] = Σ_ij K[i, j] · P[r·sy + i·dy, c·sx + j·dx]

``correlate_taps`` is the textbook shift-and-add: one multiply and one add over the output per tap.
It reads only the output's own positions, so it is the cheapest when the stride is large.

``correlate_band`` does the same sum as matrix products, so BLAS does the multiply-adds at full speed.
For a block of b output rows, every input row the block reads is copied once per kernel column
(shifted by j·dx), and a banded b × (rows·kw) matrix holding the kernel's rows multiplies them. The
band wastes a few multiplies by zero, but runs in cache-sized strips on all cores, and each strip
pads only its own rows. Vertical dilation splits the rows into interleaved classes that never share
an input row, so the band stays dense. A single-row kernel runs as ``correlate_row_band``: windows of
each row side by side, times a banded matrix.
"""

from __future__ import annotations

from math import gcd

import numpy as np

from kernels.engine.padding import PaddedSource
from kernels.engine.workers import WORKERS, run_tasks

STRIP_BYTES = 4 << 20
"""Largest size of one strip's copied rows, in bytes (measured: 2–4 MiB beat smaller strips here)."""

SPLIT_WORK = 8_000_000
"""Multiply-adds above which a pass is shared among the worker threads (measured: below it, one is faster)."""

TASKS_PER_WORKER = 3
"""Strips per worker thread when sharing: enough for a busy machine's threads to even out."""

ROW_BAND_MIN_TAPS = 5
"""Single-row kernels this wide or wider use the row band; narrower ones shift and add (measured)."""

ROW_BLOCK = 16
"""Output pixels per window of the row band."""

BLAS_SINGLE_THREAD_WORK = 262_144
"""OpenBLAS runs a product with m·n·k at most this on one thread. Larger ones wake its own thread pool,
which for these short, wide products costs more than it saves (measured) and competes with the strip
threads, so wider products are cut into column chunks below this size."""

Ranges = list[tuple[float, float, float, float]]
"""Per strip: (min, max) of the values read and (min, max) of the values written."""


def correlate_taps(
    padded: np.ndarray | PaddedSource,
    kernel: np.ndarray,
    dilation: tuple[int, int],
    stride: tuple[int, int],
    out_shape: tuple[int, int],
) -> np.ndarray:
    """Shift-and-add over the output positions only; zero weights are skipped (they add exactly 0)."""
    source = PaddedSource.of(padded)
    grid = source.full()
    (dy, dx), (sy, sx), (oh, ow) = dilation, stride, out_shape
    out = np.zeros((oh, ow, grid.shape[2]), dtype=source.dtype)
    product = np.empty_like(out)
    for (i, j), weight in np.ndenumerate(kernel):
        if weight == 0:
            continue
        view = grid[i * dy : i * dy + (oh - 1) * sy + 1 : sy, j * dx : j * dx + (ow - 1) * sx + 1 : sx]
        np.multiply(view, weight, out=product)
        np.add(out, product, out=out)
    return source.shaped(out)


def single_threaded_matmul(left: np.ndarray, right: np.ndarray, out: np.ndarray) -> None:
    """out[b] = left @ right[b] for every b, in column chunks that OpenBLAS runs on one thread."""
    rows, inner = left.shape
    batch, _, cols = right.shape
    chunk = max(16, BLAS_SINGLE_THREAD_WORK // max(1, rows * inner))
    if chunk >= cols:
        np.matmul(left, right, out=out)
        return
    # Equal chunks, evenly spread so the last ends at the last column; neighbours may overlap a little
    # (the overlap is computed twice, to the same values).
    count = -(-cols // chunk)
    step = (cols - chunk) // (count - 1)
    chunk = cols - step * (count - 1)
    r0, r1, r2 = right.strides
    o0, o1, o2 = out.strides
    right4 = np.lib.stride_tricks.as_strided(
        right, (batch, count, inner, chunk), (r0, step * r2, r1, r2), writeable=False
    )
    out4 = np.lib.stride_tricks.as_strided(out, (batch, count, rows, chunk), (o0, step * o2, o1, o2))
    np.matmul(left, right4, out=out4)


def band_block(kernel_rows: int) -> int:
    """Output rows per band block: taller blocks reuse copied rows more but multiply more zeros."""
    return 4 if kernel_rows <= 11 else 8


class ColumnBand:
    """The banded products of one pass, cut into strips of output rows (the tasks).

    Output rows r = rho + t·classes read input rows rho·sy + (t·step + i)·dy: each class is a
    lattice of rows that a band with step ``step`` and no dilation covers.
    """

    def __init__(
        self,
        source: PaddedSource,
        kernel: np.ndarray,
        dilation: tuple[int, int],
        stride: tuple[int, int],
        out_shape: tuple[int, int],
    ) -> None:
        self.source, self.kernel = source, kernel
        (self.kh, self.kw), (self.dy, self.dx) = kernel.shape, dilation
        (self.sy, self.sx), (self.oh, self.ow) = stride, out_shape
        self.channels = source.shape[2]
        self.row_len = self.ow * self.channels
        common = gcd(self.sy, self.dy)
        self.classes, self.step = self.dy // common, self.sy // common
        self.block = band_block(self.kh)
        self.band_rows = (self.block - 1) * self.step + self.kh
        rows = np.zeros((self.block, self.band_rows, self.kw), dtype=source.dtype)
        for u in range(self.block):
            rows[u, u * self.step : u * self.step + self.kh] = kernel
        self.band = rows.reshape(self.block, self.band_rows * self.kw)
        self.no_copy = self.kw == 1 and self.sx == 1 and self.ow == source.shape[1]
        self.residues = sorted({j * self.dx % self.sx for j in range(self.kw)})

        itemsize = source.dtype.itemsize
        per_row = (self.kw * self.row_len + source.shape[1] * self.channels) * itemsize * self.step
        blocks = max(1, STRIP_BYTES // max(1, per_row * self.block))
        self.parallel = self.oh * self.row_len * self.kh * self.kw >= SPLIT_WORK
        if self.parallel:
            share = -(-self.oh // (self.classes * WORKERS * TASKS_PER_WORKER))
            blocks = max(1, min(blocks, -(-share // self.block)))
        self.strip = blocks * self.block
        self.tasks = []
        for rho in range(self.classes):
            count = -(-(self.oh - rho) // self.classes)
            self.tasks.extend((rho, t0, min(self.strip, count - t0)) for t0 in range(0, count, self.strip))

    def scratch(self) -> dict[str, np.ndarray]:
        """One thread's buffers: padded rows, shifted copies, and a block-sized result."""
        need = (self.strip - 1) * self.step + self.kh
        dtype = self.source.dtype
        buffers = {
            "rows": np.empty((need, *self.source.shape[1:]), dtype=dtype),
            "result": np.empty((self.strip // self.block, self.block, self.row_len), dtype=dtype),
        }
        if not self.no_copy:
            buffers["copies"] = np.empty((need, self.kw, self.row_len), dtype=dtype)
        return buffers

    def compute(
        self, task: tuple[int, int, int], scratch: dict[str, np.ndarray], target: np.ndarray, want_range: bool
    ) -> tuple[float, float] | None:
        """Fill ``target`` (blocks, block, row_len) with the task's output rows; the range read if wanted."""
        rho, t0, n = task
        nblk = -(-n // self.block)
        need = (nblk * self.block - 1) * self.step + self.kh
        start = rho * self.sy + t0 * self.step * self.dy
        rows = self.source.rows(start, self.dy, need, scratch["rows"])
        itemsize = self.source.dtype.itemsize
        if self.no_copy:
            flat = rows.reshape(need, self.row_len)
            r_stride = flat.strides[0]
            stacked = np.lib.stride_tricks.as_strided(
                flat,
                (nblk, self.band_rows, self.row_len),
                (self.block * self.step * r_stride, r_stride, itemsize),
                writeable=False,
            )
        else:
            copies = scratch["copies"]
            ow, sx, dx = self.ow, self.sx, self.dx
            if sx > 1:
                # Gather each column residue mod sx once; every tap then copies a contiguous run from it.
                decimated = {rho_x: np.ascontiguousarray(rows[:, rho_x::sx]) for rho_x in self.residues}
            for j in range(self.kw):
                if sx > 1:
                    first = j * dx // sx
                    source = decimated[j * dx % sx][:, first : first + ow]
                else:
                    source = rows[:, j * dx : j * dx + ow]
                copies[:need, j].reshape(need, ow, self.channels)[...] = source
            stacked = np.lib.stride_tricks.as_strided(
                copies,
                (nblk, self.band_rows * self.kw, self.row_len),
                (self.block * self.step * self.kw * self.row_len * itemsize, self.row_len * itemsize, itemsize),
                writeable=False,
            )
        single_threaded_matmul(self.band, stacked, target)
        return (float(rows.min()), float(rows.max())) if want_range else None

    def target(
        self, flat_out: np.ndarray, task: tuple[int, int, int], scratch: dict[str, np.ndarray]
    ) -> tuple[np.ndarray, bool]:
        """Where the task's products go: straight into the output when its rows are contiguous there."""
        _, t0, n = task
        nblk = -(-n // self.block)
        if self.classes == 1 and n == nblk * self.block:
            return flat_out[t0 : t0 + n].reshape(nblk, self.block, flat_out.shape[1]), True
        return scratch["result"][:nblk], False


def correlate_band(
    padded: np.ndarray | PaddedSource,
    kernel: np.ndarray,
    dilation: tuple[int, int],
    stride: tuple[int, int],
    out_shape: tuple[int, int],
    ranges: Ranges | None = None,
) -> np.ndarray:
    """The direct sum as banded matrix products over strips of rows, shared among the worker threads.

    ``ranges``, if given, receives each strip's (min, max) of the values read and written.
    """
    source = PaddedSource.of(padded)
    if kernel.shape[0] == 1:
        return correlate_row_band(source, kernel[0], dilation[1], stride, out_shape, ranges)
    plan = ColumnBand(source, kernel, dilation, stride, out_shape)
    out = np.empty((plan.oh, plan.ow, plan.channels), dtype=source.dtype)
    flat_out = out.reshape(plan.oh, plan.row_len)

    def work(task: tuple[int, int, int], scratch: dict[str, np.ndarray]) -> None:
        rho, t0, n = task
        target, direct = plan.target(flat_out, task, scratch)
        read = plan.compute(task, scratch, target, ranges is not None)
        written = flat_out[rho :: plan.classes][t0 : t0 + n]
        if not direct:
            written[...] = target.reshape(-1, plan.row_len)[:n]
        if ranges is not None:
            ranges.append((*read, float(written.min()), float(written.max())))

    run_tasks(plan.tasks, work, plan.scratch, plan.parallel)
    return source.shaped(out)


def row_band_matrix(row: np.ndarray, stride: int, dilation: int, channels: int) -> np.ndarray:
    """B[c, s]: output element s = x·C + ch of a window reads element c = (x·sx + j·dx)·C + ch, weight row[j]."""
    taps = row.size
    window = ((ROW_BLOCK - 1) * stride + (taps - 1) * dilation + 1) * channels
    band = np.zeros((window, ROW_BLOCK * channels), dtype=row.dtype)
    x = np.arange(ROW_BLOCK)[:, None, None]
    j = np.arange(taps)[None, :, None]
    ch = np.arange(channels)[None, None, :]
    source = (x * stride + j * dilation) * channels + ch
    target = np.broadcast_to(x * channels + ch, source.shape)
    band[source.reshape(-1), target.reshape(-1)] = np.broadcast_to(row.reshape(1, -1, 1), source.shape).reshape(-1)
    return band


def row_pass(
    rows: np.ndarray,
    row: np.ndarray,
    band: np.ndarray | None,
    dilation: int,
    stride: int,
    out_rows: np.ndarray,
    windows: np.ndarray | None,
) -> None:
    """A 1 × kw kernel along a strip of rows (n, width, C) into ``out_rows`` (n, out_width, C).

    With a band (see :func:`row_band_matrix`), every window of ROW_BLOCK output pixels is copied
    side by side into ``windows`` and multiplied (one product per row, in one call); colour channels
    stay interleaved, the band never mixes them. Pixels after the last whole window, and narrow
    kernels (``band`` None), shift and add.
    """
    n, width, channels = rows.shape
    out_width = out_rows.shape[1]
    done = 0
    if band is not None:
        window, block_len = band.shape
        advance = ROW_BLOCK * stride * channels
        blocks = out_width // ROW_BLOCK
        while blocks > 0 and (blocks - 1) * advance + window > width * channels:
            blocks -= 1
        if blocks:
            flat = rows.reshape(n, width * channels)
            itemsize = rows.dtype.itemsize
            view = np.lib.stride_tricks.as_strided(
                flat, (n, blocks, window), (flat.strides[0], advance * itemsize, itemsize), writeable=False
            )
            assert windows is not None
            copied = windows.reshape(-1)[: n * blocks * window].reshape(n, blocks, window)
            copied[...] = view
            result = out_rows.reshape(n, out_width * channels)[:, : blocks * block_len]
            # Products of `group` rows at once, as large as BLAS still runs on one thread.
            group = max(1, BLAS_SINGLE_THREAD_WORK // (blocks * window * block_len))
            whole = blocks * ROW_BLOCK == out_width and out_rows.flags.c_contiguous
            if not whole or group == 1:
                np.matmul(copied, band, out=result.reshape(n, blocks, block_len))
            else:
                full = n // group * group
                if full:
                    left = copied[:full].reshape(full // group, group * blocks, window)
                    np.matmul(left, band, out=result[:full].reshape(full // group, group * blocks, block_len))
                if full < n:
                    np.matmul(
                        copied[full:].reshape((n - full) * blocks, window),
                        band,
                        out=result[full:].reshape((n - full) * blocks, block_len),
                    )
            done = blocks * ROW_BLOCK
    if done < out_width:
        tail = out_rows[:, done:]
        tail[...] = 0
        product = np.empty_like(tail)
        for j, weight in enumerate(row):
            if weight == 0:
                continue
            start = done * stride + j * dilation
            np.multiply(rows[:, start : start + (out_width - done - 1) * stride + 1 : stride], weight, out=product)
            np.add(tail, product, out=tail)


def correlate_row_band(
    padded: np.ndarray | PaddedSource,
    row: np.ndarray,
    dilation: int,
    stride: tuple[int, int],
    out_shape: tuple[int, int],
    ranges: Ranges | None = None,
) -> np.ndarray:
    """A 1 × kw kernel: output row r reads padded row r·sy; see :func:`row_pass`."""
    source = PaddedSource.of(padded)
    (sy, sx), (oh, ow) = stride, out_shape
    channels = source.shape[2]
    row = np.asarray(row, dtype=source.dtype).reshape(-1)
    band = row_band_matrix(row, sx, dilation, channels) if row.size >= ROW_BAND_MIN_TAPS else None
    width = source.shape[1] * channels * source.dtype.itemsize
    strip = max(1, min(64, STRIP_BYTES // (4 * width)))
    parallel = oh * ow * channels * row.size >= SPLIT_WORK
    if parallel:
        strip = max(1, min(strip, -(-oh // (WORKERS * TASKS_PER_WORKER))))
    out = np.empty((oh, ow, channels), dtype=source.dtype)

    def scratch() -> dict[str, np.ndarray]:
        windows = None if band is None else np.empty(strip * (ow // ROW_BLOCK + 1) * band.shape[0], source.dtype)
        return {"rows": np.empty((strip, *source.shape[1:]), dtype=source.dtype), "windows": windows}

    def work(r0: int, buffers: dict[str, np.ndarray]) -> None:
        n = min(strip, oh - r0)
        rows = source.rows(r0 * sy, sy, n, buffers["rows"])
        row_pass(rows, row, band, dilation, sx, out[r0 : r0 + n], buffers["windows"])
        if ranges is not None:
            written = out[r0 : r0 + n]
            ranges.append((float(rows.min()), float(rows.max()), float(written.min()), float(written.max())))

    run_tasks(list(range(0, oh, strip)), work, scratch, parallel)
    return source.shaped(out)
