"""The layer's code exports, run; the filter banks; and the learned bank's training script.

The NumPy snippet is executed as it is. The PyTorch snippet runs on a NumPy stand-in of the calls it makes
(:mod:`tests.torch_stand_in`, with ``nn.Conv2d`` and its padding modes, ``F.conv2d``, ``F.relu`` and the pooling
below), written from PyTorch's documentation, so its padding, grouping and kernel-crop logic are checked
everywhere; the last test runs it on real PyTorch whenever PyTorch is installed (it is not a dependency of the
project).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kernels.exports.layer_code import export_layer
from kernels.library.layer_presets import DIGITS_PATH, load_banks, matching_bank
from kernels.options import EDGE_MODES, EDGE_WORDS
from kernels.teaching.layer import Layer, run_layer, validate_layer
from tests.oracles import valid_conv2d
from tests.torch_stand_in import install, tensor

ROOT = Path(__file__).resolve().parents[2]


def layers_for(edge: str, rng: np.random.Generator) -> list[tuple[np.ndarray, Layer]]:
    grey = rng.uniform(0, 255, (21, 17))
    colour = rng.uniform(0, 255, (19, 22, 3))
    weights = rng.uniform(-2, 2, (6, 1, 5, 3))
    if edge == "kernel-crop":
        weights = np.abs(weights)
    return [
        (grey, Layer(weights[:5], rng.uniform(-9, 9, 5), edge=edge, stride=(2, 1), dilation=(2, 2), pool="avg")),
        (colour, Layer(weights, rng.uniform(-9, 9, 6), groups=3, edge=edge, dilation=(1, 3), activation="none")),
        (colour, Layer(rng.uniform(-2, 2, (4, 3, 3, 3)), np.zeros(4), edge=edge, stride=(1, 2), pool="none")),
    ]


def run_snippet(text: str, image: np.ndarray) -> dict:
    namespace = {"image": image.copy()}
    exec(compile(text, "<snippet>", "exec"), namespace)
    return namespace


def assert_same_maps(namespace: dict, image: np.ndarray, layer: Layer) -> None:
    result = run_layer(image, layer)
    bound = 1e-9 * max(1.0, float(np.abs(result.pre).max()))
    for name, expected in (("pre", result.pre), ("act", result.act), ("pooled", result.pooled)):
        got = namespace[name]
        if expected is None:
            assert got is None
            continue
        got = np.asarray(got)
        assert got.shape == expected.shape, name
        assert float(np.abs(got - expected).max()) <= bound, name


@pytest.mark.parametrize("edge", EDGE_MODES)
def test_numpy_snippet_reproduces_the_maps(edge) -> None:
    for image, layer in layers_for(edge, np.random.default_rng(len(edge))):
        text = export_layer("numpy", layer, "a test picture.").text
        ast.parse(text)
        assert_same_maps(run_snippet(text, image), image, layer)


@pytest.mark.parametrize("edge", EDGE_MODES)
def test_a_snippet_words_its_edge_mode_as_the_page_does(edge) -> None:
    _, layer = layers_for(edge, np.random.default_rng(0))[0]
    words = "zeros past the border" if edge == "constant" else EDGE_WORDS[edge].past  # the layer pads with 0
    for library in ("numpy", "pytorch"):
        assert f"edges: {edge} ({words})," in " ".join(export_layer(library, layer, "x").text.replace("#", "").split())


def test_snippets_keep_fractions_as_typed_and_name_the_filters() -> None:
    bank = load_banks()["starter"]
    layer = Layer(bank.weights, bank.bias)
    named = {"texts": bank.texts, "bias_texts": bank.bias_texts, "titles": list(bank.filter_titles)}
    text = export_layer("numpy", layer, "x", **named).text
    assert "[1/27, 1/27, 1/27]" in text and "# filter 5: Blur" in text and "# reads blue" in text
    torch_text = export_layer("pytorch", layer, "x", **named).text
    assert "torch.nn.Conv2d(3, 6, kernel_size=(3, 3)" in torch_text and 'padding_mode="zeros"' in torch_text
    assert "F.max_pool2d(act, 2)" in torch_text and "F.relu(pre)" in torch_text


def _valid_conv(x, weight, bias, stride, dilation, groups):
    return tensor(valid_conv2d(x, weight, bias, stride, dilation, groups))


def _pad(x, py: int, px: int, mode: str):
    numpy_mode = {"zeros": "constant", "replicate": "edge", "reflect": "reflect", "circular": "wrap"}[mode]
    height, width = x.shape[-2:]
    if mode == "reflect":
        assert py < height and px < width, "reflect padding must be smaller than the input"
    if mode == "circular":
        assert py <= height and px <= width, "circular padding wraps at most once"
    return np.pad(np.asarray(x), ((0, 0), (0, 0), (py, py), (px, px)), mode=numpy_mode)


class StandInConv2d:
    def __init__(self, in_channels, out_channels, kernel_size, stride, padding, dilation, groups, padding_mode, dtype):
        self.weight = tensor(np.zeros((out_channels, in_channels // groups, *kernel_size)))
        self.bias = tensor(np.zeros(out_channels))
        self.stride, self.padding, self.dilation, self.groups = stride, padding, dilation, groups
        self.padding_mode = padding_mode

    def __call__(self, x):
        padded = _pad(x, *self.padding, self.padding_mode)
        return _valid_conv(padded, self.weight, self.bias, self.stride, self.dilation, self.groups)


def _conv2d(x, weight, bias=None, stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1):
    return _valid_conv(_pad(x, *padding, "zeros"), weight, bias, stride, dilation, groups)


def _pool(x, size: int, reduce):
    n, c, height, width = x.shape
    h, w = height // size, width // size
    blocks = np.asarray(x)[:, :, : h * size, : w * size].reshape(n, c, h, size, w, size)
    return tensor(reduce(blocks, axis=(3, 5)))


@pytest.fixture
def stand_in_torch(monkeypatch):
    """Install the stand-in as ``torch``, ``torch.nn`` and ``torch.nn.functional`` for the snippet's imports."""
    functional = {
        "conv2d": _conv2d,
        "relu": lambda x: tensor(np.maximum(np.asarray(x), 0.0)),
        "max_pool2d": lambda x, size: _pool(x, size, np.max),
        "avg_pool2d": lambda x, size: _pool(x, size, np.mean),
    }
    install(monkeypatch, functional, nn={"Conv2d": StandInConv2d})


@pytest.mark.usefixtures("stand_in_torch")
@pytest.mark.parametrize("edge", EDGE_MODES)
def test_pytorch_snippet_logic_reproduces_the_maps(edge) -> None:
    for image, layer in layers_for(edge, np.random.default_rng(len(edge) + 50)):
        exported = export_layer("pytorch", layer, "a test picture.")
        assert_same_maps(run_snippet(exported.text, image), image, layer)


@pytest.mark.parametrize(
    ("edge", "words"),
    [
        ("symmetric", "PyTorch has no symmetric padding"),
        ("kernel-crop", "PyTorch has no kernel-crop"),
        ("mirror", "padding_mode='reflect' needs each pad"),
        ("wrap", "padding_mode='circular' needs each pad"),
    ],
)
def test_what_pytorch_cannot_express_is_said_at_the_top(edge, words) -> None:
    exported = export_layer("pytorch", Layer(np.ones((1, 1, 3, 3)), np.zeros(1), edge=edge), "x")
    assert any(words in note for note in exported.notes)
    assert words.split()[0] in exported.text.split("import numpy")[0]


def test_pytorch_snippet_on_real_pytorch() -> None:
    pytest.importorskip("torch", reason="PyTorch is not installed (it is not a dependency of this project)")
    for edge in EDGE_MODES:
        for image, layer in layers_for(edge, np.random.default_rng(len(edge) + 90)):
            text = export_layer("pytorch", layer, "a test picture.").text
            assert_same_maps(run_snippet(text, image), image, layer)


def test_every_bank_is_a_valid_layer_and_named_back() -> None:
    banks = load_banks()
    assert list(banks)[:4] == ["starter", "edges", "opponents", "depthwise"] and "digits" in banks
    for bank in banks.values():
        shape = (32, 32) if bank.in_channels == 1 else (32, 32, 3)
        layer = Layer(bank.weights, bank.bias, groups=bank.groups)
        validate_layer(shape, layer)
        assert len(bank.filter_titles) == layer.filters == len(bank.bias_texts)
        assert matching_bank(bank.weights, bank.bias, bank.groups) == bank.name
    starter = banks["starter"]
    assert matching_bank(starter.weights, starter.bias + 1, 1) is None


def test_the_learned_bank_says_how_it_was_made() -> None:
    record = json.loads(DIGITS_PATH.read_text(encoding="utf-8"))
    weights = np.array(record["filters"])
    assert weights.shape[1:] == (3, 3) and len(record["bias"]) == weights.shape[0]
    assert record["made_by"] == "python tools/train_digits.py"
    assert 0.9 <= record["held_out_accuracy"] <= 1.0 and record["held_out_pictures"] > 300
    bank = load_banks()["digits"]
    assert bank.accuracy == record["held_out_accuracy"] and f"{bank.accuracy:.1%}" in bank.about
    assert np.array_equal(bank.weights[:, 0], weights)


@pytest.mark.slow
def test_the_training_script_writes_the_same_layer(tmp_path) -> None:
    pytest.importorskip("sklearn", reason="scikit-learn is a development dependency (requirements-dev.txt)")
    import sklearn

    out = tmp_path / "digits.json"
    script = ROOT / "tools" / "train_digits.py"
    subprocess.run([sys.executable, str(script), "--out", str(out)], check=True, timeout=120)
    made, committed = json.loads(out.read_text()), json.loads(DIGITS_PATH.read_text(encoding="utf-8"))
    assert made["held_out_accuracy"] >= 0.9
    if made["versions"] == committed["versions"] == {"numpy": np.__version__, "scikit-learn": sklearn.__version__}:
        assert out.read_text() == DIGITS_PATH.read_text(encoding="utf-8")
