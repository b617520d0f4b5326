"""The exported PyTorch snippet: its text, its logic run on a NumPy stand-in of torch, and real torch when present.

PyTorch is not a dependency of the project. The stand-in (:mod:`tests.torch_stand_in`, with ``F.pad`` and
``F.conv2d`` below) implements the five calls the snippet makes (``torch.from_numpy``, ``torch.flip``,
``F.pad``, ``F.conv2d`` and a few tensor methods) as PyTorch documents them, so the snippet's padding order,
grouping and stride are checked everywhere; the last test runs the snippet on real PyTorch whenever it is
installed.
"""

from __future__ import annotations

import ast

import numpy as np
import pytest

from kernels.engine import filter_image
from kernels.exports import export
from kernels.options import EDGE_MODES, OPS, Options
from tests.kernels.test_export_python import GRAY, KERNELS, RGB, assert_same_raw, run_snippet
from tests.oracles import valid_conv2d
from tests.torch_stand_in import StandInTensor, install


def _pad(x, pad, mode="constant", value=0.0):
    """F.pad for 4-D input: ``pad`` is (left, right, top, bottom), the last axis first."""
    left, right, top, bottom = pad
    height, width = x.shape[-2:]
    if mode == "reflect" and (max(top, bottom) >= height or max(left, right) >= width):
        raise RuntimeError("Padding size should be less than the corresponding input dimension")
    if mode == "circular" and (max(top, bottom) > height or max(left, right) > width):
        raise RuntimeError("Padding value causes wrapping around more than once")
    widths = [(0, 0)] * (x.ndim - 2) + [(top, bottom), (left, right)]
    numpy_mode = {"constant": "constant", "replicate": "edge", "reflect": "reflect", "circular": "wrap"}[mode]
    extra = {"constant_values": value} if mode == "constant" else {}
    return np.pad(np.asarray(x), widths, mode=numpy_mode, **extra).view(StandInTensor)


def _conv2d(x, weight, bias=None, stride=(1, 1), padding=0, dilation=(1, 1), groups=1):
    """F.conv2d without padding: a correlation of (N, C, H, W) with (out, C / groups, kh, kw) weights."""
    assert bias is None and padding == 0
    return valid_conv2d(x, weight, None, stride, dilation, groups).view(StandInTensor)


@pytest.fixture
def stand_in_torch(monkeypatch):
    """Install the stand-in as ``torch`` and ``torch.nn.functional`` for the snippet's imports."""
    install(monkeypatch, functional={"pad": _pad, "conv2d": _conv2d})


CASES = [
    ("sharpen", "gray", {}),
    ("gaussian", "rgb", {"normalize": True, "divisor": 2.5, "offset": -3.0, "stride": (2, 3)}),
    ("even", "gray", {"origin": (0, 3), "dilation": (2, 1), "repeat": 2, "cval": 20.0}),
    ("tall", "rgb", {"origin": (4, 0), "dilation": (1, 2), "stride": (1, 2), "repeat": 2}),
    ("sobel", "gray", {"normalize": True, "offset": 128.0}),
]


@pytest.mark.usefixtures("stand_in_torch")
@pytest.mark.parametrize("edge", EDGE_MODES)
@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize(("kernel_name", "color", "settings"), CASES, ids=[f"{k}-{c}" for k, c, _ in CASES])
def test_snippet_logic_reproduces_engine(op, edge, kernel_name, color, settings) -> None:
    image = GRAY if color == "gray" else RGB
    kernel, options = KERNELS[kernel_name], Options(op=op, edge=edge, **settings)
    raw = filter_image(image, kernel, options).raw
    text = export("pytorch", kernel, options, color, "clamp", "x", image_shape=image.shape).text
    assert_same_raw(run_snippet(text, image), raw)


def pytorch_text(options: Options, color: str = "gray", kernel: str = "even") -> str:
    return export("pytorch", KERNELS[kernel], options, color, "clamp", "x").text


@pytest.mark.parametrize(
    ("edge", "expected"),
    [
        ("extend", 'mode="replicate"'),
        ("wrap", 'mode="circular"'),
        ("mirror", 'mode="reflect"'),
        ("constant", 'mode="constant", value=7'),
        ("symmetric", 'np.pad(result.numpy(), widths, mode="symmetric")'),
    ],
)
def test_padding_modes_use_pytorch_names(edge, expected) -> None:
    assert expected in pytorch_text(Options(edge=edge, cval=7))


def test_padding_amounts_follow_the_origin_last_axis_first() -> None:
    # 2×4 kernel, origin (0, 3), dilation 2×1: reaches 0 rows above, 2 below, 3 columns left, 0 right.
    text = pytorch_text(Options(origin=(0, 3), dilation=(2, 1)))
    assert "F.pad(result, (3, 0, 0, 2)" in text
    assert "dilation=(2, 1)" in text


def test_convolution_flips_the_kernel_and_correlation_does_not() -> None:
    assert "kernel = torch.flip(kernel, dims=(0, 1))" in pytorch_text(Options(op="convolve"))
    assert "torch.flip" not in pytorch_text(Options(op="correlate"))


def test_rgb_filters_each_channel_with_groups() -> None:
    text = pytorch_text(Options(stride=(2, 3)), color="rgb")
    assert "weight = kernel.repeat(3, 1, 1, 1)" in text
    assert "stride=(2, 3), groups=3" in text
    assert "result[0].permute(1, 2, 0).numpy()" in text


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (Options(edge="symmetric"), "PyTorch has no symmetric padding"),
        (Options(edge="kernel-crop"), "PyTorch has no kernel-crop"),
        (Options(edge="mirror"), "'reflect' needs every pad smaller than the image side"),
    ],
)
def test_what_pytorch_cannot_express_is_said_at_the_top(options, words) -> None:
    exported = export("pytorch", KERNELS["gaussian"], options, "gray", "clamp", "x")
    assert any(words in note for note in exported.notes)
    assert words.split()[-1] in exported.text.split("\nimport ")[0]


def test_snippet_is_valid_python_with_the_imports() -> None:
    text = pytorch_text(Options(edge="kernel-crop", repeat=3, normalize=True), color="rgb")
    ast.parse(text)
    assert "import torch\nimport torch.nn.functional as F" in text


def test_snippet_on_real_pytorch() -> None:
    pytest.importorskip("torch", reason="PyTorch is not installed (it is not a dependency of this project)")
    for index, edge in enumerate(EDGE_MODES):
        color = ("gray", "rgb")[index % 2]
        image = GRAY if color == "gray" else RGB
        options = Options(
            op=OPS[index % 2],
            edge=edge,
            origin=(0, 1),
            dilation=(1, 2),
            stride=(2, 1),
            repeat=2,
            cval=9.0,
            normalize=True,
            offset=3.0,
        )
        raw = filter_image(image, KERNELS["even"], options).raw
        text = export("pytorch", KERNELS["even"], options, color, "clamp", "x").text
        assert_same_raw(run_snippet(text, image), raw)
