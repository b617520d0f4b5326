"""One convolutional layer (:mod:`kernels.teaching.layer`) against PyTorch's ``conv2d`` and SciPy, in the same run.

    python -m bench.layer               # the table alone; make bench prints it after the engine's table
    python -m bench.layer --calibrate   # fit kernels.teaching.layer.COSTS on this machine and print them

Rows: 8 filters of 3×3×3 (random weights and biases, ReLU, 2×2 max pooling) on the 512² RGB astronaut for each
of zero padding (``constant``, what ``Conv2d`` does by default) and replicated borders (``extend``), plus a
depthwise layer (groups = 3, 6 filters) and 8 filters of 7×7×3. ``run_layer`` is timed whole: checks, padding,
the sums, bias, ReLU and pooling, float64. Beside it, in every run, SciPy: ``scipy.ndimage.correlate`` per
filter per channel, summed, plus the bias, ``np.maximum`` and a reshape max pool, in float64; and, when PyTorch
is installed (it is not a dependency), ``torch.nn.functional.conv2d`` on the CPU with ``F.relu`` and
``F.max_pool2d``, in float64 as well, its threads left at PyTorch's default. Each reference's maps are checked
against the layer's in the same row.

Target: at least 2× faster than the SciPy reference.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
from collections.abc import Callable

import numpy as np
import scipy.ndimage as ndi
from scipy.optimize import nnls

from bench.timing import median_times, print_grid, rounds_text
from imaging.samples import load_sample
from kernels.teaching.layer import COSTS, Layer, layer_cost, run_layer

SCIPY_MODES = {"constant": "constant", "extend": "nearest"}
TORCH_MODES = {"constant": "zeros", "extend": "replicate"}
CASES = (
    ("8 × 3×3×3, zeros", 8, 3, 1, "constant"),
    ("8 × 3×3×3, extend", 8, 3, 1, "extend"),
    ("6 × 3×3×1 depthwise, zeros", 6, 3, 3, "constant"),
    ("8 × 7×7×3, zeros", 8, 7, 1, "constant"),
)
"""(label, filters, side, groups, edge) of each row."""
SCIPY_TARGET = 2.0


def scipy_layer(image: np.ndarray, layer: Layer) -> np.ndarray:
    """The pooled maps with SciPy: ``ndimage.correlate`` per filter per channel, summed, then bias, ReLU, max pool."""
    channels = image.shape[2]
    per_group = channels // layer.groups
    count = layer.filters
    maps = np.empty((count, *image.shape[:2]))
    for f in range(count):
        first = (f // (count // layer.groups)) * per_group
        total = np.zeros(image.shape[:2])
        for index in range(per_group):
            total += ndi.correlate(image[:, :, first + index], layer.weights[f, index], mode=SCIPY_MODES[layer.edge])
        maps[f] = total + layer.bias[f]
    act = np.maximum(maps, 0.0)
    h, w = act.shape[1] // 2, act.shape[2] // 2
    return act[:, : 2 * h, : 2 * w].reshape(count, h, 2, w, 2).max(axis=(2, 4))


def torch_layer(image: np.ndarray, layer: Layer) -> Callable[[], np.ndarray]:
    """A call that computes the pooled maps with ``torch.nn.functional.conv2d``, ``relu`` and ``max_pool2d``."""
    import torch
    import torch.nn.functional as F

    x = torch.from_numpy(np.ascontiguousarray(image.transpose(2, 0, 1))[None])
    weight = torch.from_numpy(layer.weights)
    bias = torch.from_numpy(layer.bias)
    k = layer.kernel_shape[0] // 2

    def run() -> np.ndarray:
        padded = F.pad(x, (k, k, k, k), mode="constant" if layer.edge == "constant" else "replicate")
        maps = F.conv2d(padded, weight, bias, groups=layer.groups)
        return F.max_pool2d(F.relu(maps), 2)[0].numpy()

    return run


def layer_rows(rounds: int) -> list[tuple[str, ...]]:
    """The table's lines; each reference's result is compared with the layer's first."""
    image = load_sample("astronaut").astype(np.float64)
    rng = np.random.default_rng(512)
    has_torch = importlib.util.find_spec("torch") is not None
    lines = []
    for label, count, side, groups, edge in CASES:
        layer = Layer(
            weights=rng.uniform(-1, 1, (count, 3 // groups, side, side)),
            bias=rng.uniform(-10, 10, count),
            groups=groups,
            edge=edge,
        )
        ours = run_layer(image, layer).pooled
        contenders: dict[str, Callable[[], object]] = {
            "layer": lambda layer=layer: run_layer(image, layer),
            "scipy": lambda layer=layer: scipy_layer(image, layer),
        }
        same = np.allclose(scipy_layer(image, layer), ours, rtol=0, atol=1e-9 * float(np.abs(ours).max()))
        if has_torch:
            contenders["torch"] = torch_layer(image, layer)
            same = same and np.allclose(contenders["torch"](), ours, rtol=0, atol=1e-9 * float(np.abs(ours).max()))
        ms = {name: seconds * 1e3 for name, seconds in median_times(contenders, rounds).items()}
        passed = ms["scipy"] / ms["layer"] >= SCIPY_TARGET and same
        torch_ms = ms.get("torch")
        lines.append(
            (
                f"512² RGB {label}",
                f"{ms['layer']:.2f}",
                f"{layer_cost(image.shape, layer).seconds * 1e3:.1f}",
                "" if torch_ms is None else f"{torch_ms:.2f}",
                "" if torch_ms is None else f"{ms['layer'] / torch_ms:.1f}×",
                f"{ms['scipy']:.2f}",
                f"{ms['scipy'] / ms['layer']:.1f}×",
                f"SciPy÷layer ≥ {SCIPY_TARGET:g}, same maps",
                "PASS" if passed else "FAIL",
            )
        )
    return lines


def print_layer_table(rounds: int) -> None:
    """Print the layer table (see the module docstring)."""
    has_torch = importlib.util.find_spec("torch") is not None
    print(
        f"\nOne convolutional layer (kernels.teaching.layer.run_layer, float64) on the 512² RGB astronaut; "
        f"median ms per call, {rounds_text(rounds)}, contenders interleaved. PyTorch: "
        + ("conv2d on the CPU, float64." if has_torch else "not installed, so its columns are empty.")
        + "\n"
    )
    header = ("layer", "layer ms", "model ms", "PyTorch ms", "layer÷torch", "SciPy ms", "SciPy÷layer", "target")
    header += ("check",)
    print_grid(header, layer_rows(rounds), left={0, 7, 8})


def calibrate() -> None:
    """Fit :data:`kernels.teaching.layer.COSTS` by least squares on relative error over random layers; print them."""
    rng = np.random.default_rng(11)
    features, seconds = [], []
    for _ in range(150):
        size = int(rng.choice([48, 96, 192, 384, 512]))
        channels = int(rng.choice([1, 3]))
        groups = int(rng.choice([1, channels]))
        side = int(rng.choice([1, 3, 5, 7]))
        count = groups * int(rng.integers(1, 8 // groups + 1))
        stride = int(rng.integers(1, 3))
        image = rng.uniform(0, 255, (size, size, channels))
        layer = Layer(
            rng.uniform(-1, 1, (count, channels // groups, side, side)),
            rng.uniform(-1, 1, count),
            groups=groups,
            stride=(stride, stride),
            edge=str(rng.choice(["constant", "extend", "kernel-crop"])),
        )
        best = min(median_times({"layer": lambda layer=layer, image=image: run_layer(image, layer)}, 3).values())
        pad = side // 2
        out = -(-size // stride)
        per_group = channels // groups
        features.append(
            [
                groups * per_group * side * side * out * out,
                count * per_group * side * side * out * out,
                (size + 2 * pad) ** 2 * channels,
                count * out * out,
                1.0,
            ]
        )
        seconds.append(best)
    a = np.array(features) / np.array(seconds)[:, None]
    fitted, _ = nnls(a, np.ones(len(seconds)))
    predicted = np.array(features) @ fitted
    ratio = predicted / np.array(seconds)
    print("COSTS = (" + ", ".join(f"{c:.2g}" for c in fitted) + ")")
    big = np.array(seconds) > 0.01
    print(f"over 10 ms ({big.sum()} layers): {ratio[big].min():.2f}–{ratio[big].max():.2f}")
    low, high = np.percentile(ratio, [5, 95])
    print(f"prediction ÷ measurement: {ratio.min():.2f}–{ratio.max():.2f} (90 % within {low:.2f}–{high:.2f})")
    print("now: (" + ", ".join(f"{c:.2g}" for c in COSTS) + ")")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--calibrate", action="store_true", help="fit the layer's cost model and print it")
    options = parser.parse_args()
    print(f"{os.cpu_count()} cores; NumPy {np.__version__}; load average at start {os.getloadavg()[0]:.2f}")
    if options.calibrate:
        calibrate()
    else:
        print_layer_table(options.rounds)


if __name__ == "__main__":
    main()
