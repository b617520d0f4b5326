"""Train a tiny convolutional network on scikit-learn's digits and write its first layer for the layer section.

The data is scikit-learn's ``load_digits``: 1,797 grey 8×8 pictures of handwritten digits, ink bright on dark
(levels 0–16), shipped inside the scikit-learn package, so nothing is downloaded. The network is

    conv 3×3, 6 filters, zero padding → ReLU → 2×2 max pool → linear (96 → 10) → softmax

trained with plain minibatch gradient descent with momentum on the cross-entropy, in NumPy, from a fixed seed,
on 80 % of the pictures (a stratified split); the other 20 % are held out and only measured. It runs in a few
seconds. The first layer is then rescaled for pictures in grey levels 0–255 (training reads each picture as
level / 16, from 0 to 1; a photo's level g is read as g / 255, so each weight is divided by 255), its weights and
biases are rounded to 4 significant digits, and the held-out accuracy is measured again with the rounded layer.
Those weights, biases and the accuracy are written to ``kernels/library/data/digits_layer.json``.

scikit-learn is a development dependency only (``requirements-dev.txt``); the app reads the JSON.

Usage::

    python tools/train_digits.py            # writes kernels/library/data/digits_layer.json
    python tools/train_digits.py --out x.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "kernels" / "data" / "digits_layer.json"
SEED = 0
FILTERS = 6
SIDE = 3
EPOCHS = 40
BATCH = 32
LEARNING_RATE = 0.1
MOMENTUM = 0.9
HELD_OUT = 0.2
DIGITS_TOP = 16.0
"""The brightest level of ``load_digits``."""
PICTURE_TOP = 255.0
"""The brightest grey level of the pictures the layer section reads."""


def windows(images: np.ndarray) -> np.ndarray:
    """(N, 8, 8) → (N, 8, 8, 9): every pixel's 3×3 window, zero padded, taps in reading order."""
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    height, width = images.shape[1:]
    taps = [padded[:, i : i + height, j : j + width] for i in range(SIDE) for j in range(SIDE)]
    return np.stack(taps, axis=-1)


def forward(cols: np.ndarray, params: dict[str, np.ndarray]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Class scores (N, 10) and what the backward pass needs."""
    z = cols @ params["w"].T + params["b"]  # (N, 8, 8, F)
    a = np.maximum(z, 0.0)
    n, height, width, count = a.shape
    blocks = a.reshape(n, height // 2, 2, width // 2, 2, count)
    pooled = blocks.max(axis=(2, 4))
    flat = pooled.reshape(n, -1)
    scores = flat @ params["v"] + params["c"]
    return scores, {"z": z, "blocks": blocks, "pooled": pooled, "flat": flat}


def softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def gradients(cols: np.ndarray, labels: np.ndarray, params: dict[str, np.ndarray]) -> tuple[float, dict]:
    """Mean cross-entropy and its gradient for every parameter."""
    scores, saved = forward(cols, params)
    n = len(labels)
    probabilities = softmax(scores)
    loss = float(-np.log(probabilities[np.arange(n), labels] + 1e-12).mean())
    d_scores = probabilities
    d_scores[np.arange(n), labels] -= 1.0
    d_scores /= n
    grads = {"v": saved["flat"].T @ d_scores, "c": d_scores.sum(axis=0)}
    d_pooled = (d_scores @ params["v"].T).reshape(saved["pooled"].shape)
    # The gradient of a max goes to the input that won (the first one when several are equal).
    blocks = saved["blocks"]
    flat_blocks = blocks.transpose(0, 1, 3, 5, 2, 4).reshape(*saved["pooled"].shape, 4)
    winners = flat_blocks.argmax(axis=-1)
    d_flat_blocks = np.zeros_like(flat_blocks)
    np.put_along_axis(d_flat_blocks, winners[..., None], d_pooled[..., None], axis=-1)
    d_blocks = d_flat_blocks.reshape(*saved["pooled"].shape, 2, 2).transpose(0, 1, 4, 2, 5, 3)
    d_a = d_blocks.reshape(saved["z"].shape)
    d_z = d_a * (saved["z"] > 0)
    count = params["w"].shape[0]
    grads["w"] = d_z.reshape(-1, count).T @ cols.reshape(-1, SIDE * SIDE)
    grads["b"] = d_z.reshape(-1, count).sum(axis=0)
    return loss, grads


def accuracy(cols: np.ndarray, labels: np.ndarray, params: dict[str, np.ndarray]) -> float:
    scores, _ = forward(cols, params)
    return float((scores.argmax(axis=1) == labels).mean())


def train(x_train: np.ndarray, y_train: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The trained parameters; inputs are (N, 8, 8) from 0 to 1."""
    cols = windows(x_train)
    pooled_size = (x_train.shape[1] // 2) * (x_train.shape[2] // 2) * FILTERS
    params = {
        "w": rng.normal(0.0, np.sqrt(2.0 / (SIDE * SIDE)), (FILTERS, SIDE * SIDE)),
        "b": np.zeros(FILTERS),
        "v": rng.normal(0.0, np.sqrt(1.0 / pooled_size), (pooled_size, 10)),
        "c": np.zeros(10),
    }
    velocity = {name: np.zeros_like(value) for name, value in params.items()}
    for epoch in range(EPOCHS):
        order = rng.permutation(len(y_train))
        losses = []
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            loss, grads = gradients(cols[batch], y_train[batch], params)
            losses.append(loss)
            for name in params:
                velocity[name] = MOMENTUM * velocity[name] - LEARNING_RATE * grads[name]
                params[name] += velocity[name]
        if epoch % 10 == 9:
            print(f"epoch {epoch + 1}: mean loss {np.mean(losses):.4f}", file=sys.stderr)
    return params


def significant(value: float, digits: int = 4) -> float:
    """``value`` rounded to ``digits`` significant digits."""
    return float(f"{value:.{digits}g}")


def to_json(record: dict) -> str:
    """The record as JSON for people to read: one key a line, each filter on one line."""
    lines = []
    for key, value in record.items():
        if key == "filters":
            rows = ",\n  ".join(json.dumps(grid) for grid in value)
            lines.append(f' "filters": [\n  {rows}\n ]')
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"where to write the JSON (default {OUT})")
    args = parser.parse_args(argv)
    import sklearn
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    started = time.perf_counter()
    digits = load_digits()
    images = digits.images / DIGITS_TOP
    x_train, x_test, y_train, y_test = train_test_split(
        images, digits.target, test_size=HELD_OUT, random_state=SEED, stratify=digits.target
    )
    params = train(x_train, y_train, np.random.default_rng(SEED))
    trained_accuracy = accuracy(windows(x_test), y_test, params)

    # For pictures in grey levels 0–255: a weight for level / 16 becomes one for g / 255, i.e. w / 255.
    weights = [[[significant(w / PICTURE_TOP) for w in row] for row in f.reshape(SIDE, SIDE)] for f in params["w"]]
    bias = [significant(b) for b in params["b"]]
    rounded = dict(params)
    rounded["w"] = np.array(weights).reshape(FILTERS, -1) * PICTURE_TOP
    rounded["b"] = np.array(bias)
    held_out = accuracy(windows(x_test), y_test, rounded)
    seconds = time.perf_counter() - started

    record = {
        "about": (
            "The first layer of a tiny network trained to read handwritten digits: conv 3×3 with "
            f"{FILTERS} filters and zero padding, ReLU, 2×2 max pooling, then a linear layer to 10 classes."
        ),
        "made_by": "python tools/train_digits.py",
        "data": (
            f"scikit-learn's load_digits ({len(digits.target):,} pictures of 8×8 grey levels 0–16, ink bright "
            f"on dark), split {100 - round(100 * HELD_OUT)} % for training and {round(100 * HELD_OUT)} % held "
            f"out, stratified, random_state={SEED}"
        ),
        "training": (
            f"plain minibatch gradient descent with momentum {MOMENTUM} on the cross-entropy, learning rate "
            f"{LEARNING_RATE}, batches of {BATCH}, {EPOCHS} epochs, NumPy generator seed {SEED}; inputs read "
            "as level / 16"
        ),
        "scaling": (
            "weights divided by 255 for pictures in grey levels 0–255 (a level g read as g / 255), then "
            "weights and biases rounded to 4 significant digits"
        ),
        "held_out_accuracy": round(held_out, 4),
        "held_out_accuracy_before_rounding": round(trained_accuracy, 4),
        "held_out_pictures": len(y_test),
        "versions": {"numpy": np.__version__, "scikit-learn": sklearn.__version__},
        "filters": weights,
        "bias": bias,
    }
    args.out.write_text(to_json(record), encoding="utf-8")
    print(
        f"held-out accuracy {held_out:.2%} on {len(y_test)} pictures ({trained_accuracy:.2%} before rounding); "
        f"{seconds:.1f} s; wrote {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
