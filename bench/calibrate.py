"""Fit the engine's cost model (kernels.engine.methods.COSTS) to timings on this machine.

    python -m bench.calibrate [--cases 300] [--seed 1] [--worst 3]

Times every implementation (column band, row band, shift-and-add, fused separable passes, tiled FFT)
on random passes: images 64–1024 px a side, grey and RGB, kernels 1–63 taps a side, strides 1–8,
dilations 1–4, read through the engine's own padding. Each time is the best of 5 runs (other work on
the machine only ever adds time). Each implementation's seconds per unit of work are fitted by
non-negative least squares on relative error; the script prints the COSTS table to paste into
kernels/engine/methods.py and how well it predicts the measurements (median and range of predicted ÷
measured, and with --worst the worst cases). The separable row builds on the others' current
constants, so run it a second time after pasting a new table.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy.optimize import nnls

from kernels.engine import methods
from kernels.engine.direct import correlate_band, correlate_taps
from kernels.engine.fftconv import correlate_fft
from kernels.engine.geometry import plan_pass
from kernels.engine.padding import PaddedSource
from kernels.engine.separable import correlate_separable


def _best_seconds(run, repeats: int = 5) -> float:
    run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return float(min(times))  # the least disturbed run: other processes only ever add time


def _case(rng: np.random.Generator) -> methods.Work:
    oh, ow = (int(v) for v in rng.choice([64, 128, 200, 256, 384, 512, 768, 1024], 2))
    channels = int(rng.choice([1, 3]))
    kh, kw = (int(v) for v in rng.choice([1, 2, 3, 4, 5, 7, 9, 11, 15, 21, 31], 2))
    if rng.random() < 0.2:  # the row band only runs single-row kernels: give it enough cases
        kh, kw = 1, int(rng.choice([5, 7, 9, 15, 21, 31, 63]))
    sy, sx = (int(v) for v in rng.choice([1, 1, 1, 2, 3, 8], 2))
    dy, dx = (int(v) for v in rng.choice([1, 1, 1, 2, 4], 2))
    return methods.Work(oh, ow, channels, kh, kw, sy, sx, dy, dx)


def _measure(w: methods.Work, rng: np.random.Generator) -> dict[str, tuple[tuple[float, ...], float]]:
    # An image whose output is (oh, ow), read through the engine's own virtual padding ("extend").
    height, width = (w.oh - 1) * w.sy + 1, (w.ow - 1) * w.sx + 1
    image = rng.random((height, width, w.channels), dtype=np.float32) * 255
    if w.channels == 1:
        image = image[:, :, 0].copy()
    geometry = plan_pass((height, width), (w.kh, w.kw), (w.kh // 2, w.kw // 2), (w.dy, w.dx), (w.sy, w.sx), "extend")
    padded = PaddedSource(image, geometry.pad_rows, geometry.pad_cols, "extend", 0.0, np.float32)
    kernel = rng.standard_normal((w.kh, w.kw)).astype(np.float32)
    args = (padded, kernel, (w.dy, w.dx), (w.sy, w.sx), (w.oh, w.ow))
    taps = w.kh * w.kw
    found = {}
    if methods.uses_row_band(w):
        found["row_band"] = (methods.row_band_features(w), _best_seconds(lambda: correlate_band(*args)))
    elif w.kh > 1:
        found["band"] = (methods.band_features(w), _best_seconds(lambda: correlate_band(*args)))
    if taps * w.oh * w.ow * w.channels < 3e7:
        found["taps"] = (methods.taps_features(w, taps), _best_seconds(lambda: correlate_taps(*args)))
    if w.kh * w.kw >= 9:
        found["fft"] = (methods.fft_features(w), _best_seconds(lambda: correlate_fft(*args)))
    if w.kh > 1 and w.kw > 1:
        column, row = rng.standard_normal(w.kh), rng.standard_normal(w.kw)
        found["separable"] = (
            methods.separable_features(w),
            _best_seconds(lambda: correlate_separable(padded, column, row, (w.dy, w.dx), (w.sy, w.sx), (w.oh, w.ow))),
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--worst", type=int, default=0, help="also list the N worst-predicted cases")
    options = parser.parse_args()
    rng = np.random.default_rng(options.seed)
    rows: dict[str, list[tuple[tuple[float, ...], float]]] = {name: [] for name in methods.COSTS}
    cases: dict[str, list[methods.Work]] = {name: [] for name in methods.COSTS}
    for index in range(options.cases):
        w = _case(rng)
        for name, row in _measure(w, rng).items():
            rows[name].append(row)
            cases[name].append(w)
        if (index + 1) % 20 == 0:
            print(f"  {index + 1}/{options.cases} cases measured", flush=True)
    print("COSTS = {")
    for name, data in rows.items():
        if len(data) < 4:
            print(f"    # {name}: too few cases ({len(data)})")
            continue
        features = np.array([f for f, _ in data], dtype=np.float64)
        seconds = np.array([s for _, s in data])
        weights = 1.0 / seconds
        scale = np.maximum(np.abs(features).max(axis=0), 1e-30)
        coef, _ = nnls((features / scale) * weights[:, None], np.ones_like(seconds))
        coef = coef / scale
        ratio = (features @ coef) / seconds
        text = ", ".join(f"{c:.3g}" for c in coef)
        print(
            f'    "{name}": ({text}),  # {len(data)} cases; predicted/measured median '
            f"{np.median(ratio):.2f}, range {ratio.min():.2f}–{ratio.max():.2f}"
        )
        for i in np.argsort(np.abs(np.log(ratio)))[::-1][: options.worst]:
            print(f"    #   {ratio[i]:.2f} × {seconds[i] * 1e3:.2f} ms {cases[name][i]}")
    print("}")


if __name__ == "__main__":
    main()
