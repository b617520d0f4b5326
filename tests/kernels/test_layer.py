"""One convolutional layer (kernels.teaching.layer) against conv2d written out plainly in float64, and against PyTorch.

The reference pads the picture with ``np.pad`` in the mode each edge mode names (nothing for crop, zeros for
kernel-crop and constant), sums window × weight with one loop per tap, takes the kernel-crop scale pixel by
pixel from its definition, then adds the bias, applies ReLU and pools with a reshape. The explanation of a pixel
must give back the maps' own numbers.
"""

from __future__ import annotations

import math
import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kernels.errors import InputError
from kernels.options import EDGE_MODES
from kernels.teaching.layer import (
    FILTER_SIDES,
    MAX_FILTERS,
    Layer,
    filter_alone,
    layer_cost,
    pool_maps,
    run_layer,
    validate_layer,
)
from kernels.teaching.layer_explain import MAPS, explain_pixel

NUMPY_MODES = {"extend": "edge", "wrap": "wrap", "mirror": "reflect", "symmetric": "symmetric"}


def reference(image: np.ndarray, layer: Layer) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """pre, act, pooled of the layer, from the definitions, in float64."""
    x = np.asarray(image, dtype=np.float64)
    x = x if x.ndim == 3 else x[:, :, None]
    height, width = x.shape[:2]
    weights, bias = np.asarray(layer.weights, float), np.asarray(layer.bias, float)
    count, per_group, kh, kw = weights.shape
    (sy, sx), (dy, dx) = layer.stride, layer.dilation
    py, px = (kh // 2) * dy, (kw // 2) * dx
    if layer.edge == "crop":
        padded = x
    elif layer.edge in NUMPY_MODES:
        padded = np.pad(x, ((py, py), (px, px), (0, 0)), mode=NUMPY_MODES[layer.edge])
    else:
        padded = np.pad(x, ((py, py), (px, px), (0, 0)))
    out_h = (padded.shape[0] - (kh - 1) * dy - 1) // sy + 1
    out_w = (padded.shape[1] - (kw - 1) * dx - 1) // sx + 1
    pre = np.zeros((count, out_h, out_w))
    for f in range(count):
        first = (f // (count // layer.groups)) * per_group
        for c in range(per_group):
            for i in range(kh):
                for j in range(kw):
                    window = padded[i * dy :: sy, j * dx :: sx, first + c][:out_h, :out_w]
                    pre[f] += weights[f, c, i, j] * window
        if layer.edge == "kernel-crop":
            pre[f] *= kernel_crop_scale(weights[f].sum(axis=0), (height, width), (out_h, out_w), layer)
    pre += bias[:, None, None]
    act = np.maximum(pre, 0.0) if layer.activation == "relu" else pre
    pooled = None
    if layer.pool != "none":
        h, w = out_h // 2, out_w // 2
        blocks = act[:, : 2 * h, : 2 * w].reshape(count, h, 2, w, 2)
        pooled = blocks.max(axis=(2, 4)) if layer.pool == "max" else blocks.mean(axis=(2, 4))
    return pre, act, pooled


def kernel_crop_scale(k: np.ndarray, size: tuple[int, int], out: tuple[int, int], layer: Layer) -> np.ndarray:
    """ΣK / Σ(K over the taps inside the picture), pixel by pixel; 1 where every tap is inside or a sum is 0."""
    (height, width), (kh, kw) = size, k.shape
    (sy, sx), (dy, dx) = layer.stride, layer.dilation
    scale = np.ones(out)
    total, size_k = k.sum(), np.abs(k).sum()
    for r in range(out[0]):
        for c in range(out[1]):
            inside = np.zeros_like(k, dtype=bool)
            for i in range(kh):
                for j in range(kw):
                    y, x = r * sy + (i - kh // 2) * dy, c * sx + (j - kw // 2) * dx
                    inside[i, j] = 0 <= y < height and 0 <= x < width
            used = k[inside].sum()
            if inside.all() or abs(total) <= 1e-12 * size_k or abs(used) <= 1e-12 * np.abs(k[inside]).sum():
                continue
            scale[r, c] = total / used
    return scale


def assert_close(actual: np.ndarray, expected: np.ndarray) -> None:
    assert actual.shape == expected.shape
    bound = 1e-9 * max(1.0, float(np.abs(expected).max(initial=0.0)))
    assert float(np.abs(actual - expected).max(initial=0.0)) <= bound


def random_layer(rng: np.random.Generator, channels: int, groups: int, count: int, side: tuple[int, int], **settings):
    weights = rng.uniform(-3, 3, (count, channels // groups, *side))
    return Layer(weights=weights, bias=rng.uniform(-40, 40, count), groups=groups, **settings)


@pytest.mark.parametrize("edge", EDGE_MODES)
@pytest.mark.parametrize(("channels", "groups", "count"), [(1, 1, 1), (1, 1, 8), (3, 1, 5), (3, 3, 6), (3, 3, 3)])
def test_every_edge_mode_matches_the_reference(edge, channels, groups, count) -> None:
    rng = np.random.default_rng(zlib.crc32(f"{edge} {channels} {groups} {count}".encode()))
    shape = (19, 23) if channels == 1 else (19, 23, 3)
    image = rng.uniform(0, 255, shape)
    for stride, dilation, side in (((1, 1), (1, 1), (3, 3)), ((2, 3), (2, 1), (5, 3)), ((3, 1), (1, 3), (3, 5))):
        for activation, pool in (("relu", "max"), ("none", "avg"), ("relu", "none")):
            layer = random_layer(
                rng, channels, groups, count, side, stride=stride, dilation=dilation, edge=edge,
                activation=activation, pool=pool,
            )  # fmt: skip
            result = run_layer(image, layer)
            pre, act, pooled = reference(image, layer)
            assert_close(result.pre, pre)
            assert_close(result.act, act)
            if pool == "none":
                assert result.pooled is None
            else:
                assert_close(result.pooled, pooled)


@st.composite
def layers(draw):
    channels = draw(st.sampled_from([1, 3]))
    groups = draw(st.sampled_from([1, channels]))
    count = groups * draw(st.integers(1, MAX_FILTERS // groups))
    side = (draw(st.sampled_from(FILTER_SIDES[:3])), draw(st.sampled_from(FILTER_SIDES[:3])))
    height, width = draw(st.integers(4, 16)), draw(st.integers(4, 16))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    layer = random_layer(
        rng,
        channels,
        groups,
        count,
        side,
        stride=(draw(st.integers(1, 3)), draw(st.integers(1, 3))),
        dilation=(draw(st.integers(1, 3)), draw(st.integers(1, 3))),
        edge=draw(st.sampled_from(EDGE_MODES)),
        activation=draw(st.sampled_from(["none", "relu"])),
        pool=draw(st.sampled_from(["none", "max", "avg"])),
    )
    shape = (height, width) if channels == 1 else (height, width, 3)
    return rng.uniform(0, 255, shape), layer


def _valid(image: np.ndarray, layer: Layer) -> bool:
    try:
        validate_layer(image.shape, layer)
    except InputError:
        return False
    return True


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layers())
def test_random_layers_match_the_reference(case) -> None:
    image, layer = case
    assume(_valid(image, layer))
    result = run_layer(image, layer)
    pre, act, pooled = reference(image, layer)
    assert_close(result.pre, pre)
    assert_close(result.act, act)
    assert (result.pooled is None) == (pooled is None)
    if pooled is not None:
        assert_close(result.pooled, pooled)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layers(), st.data())
def test_the_explanation_gives_back_the_maps(case, data) -> None:
    image, layer = case
    assume(_valid(image, layer))
    result = run_layer(image, layer)
    f = data.draw(st.integers(0, layer.filters - 1))
    chosen = data.draw(st.sampled_from([m for m in MAPS if m != "pool" or result.pooled is not None]))
    maps = result.pooled if chosen == "pool" else result.pre
    y, x = data.draw(st.integers(0, maps.shape[1] - 1)), data.draw(st.integers(0, maps.shape[2] - 1))
    pixel = explain_pixel(image, layer, result, f, x, y, chosen)
    conv = pixel.conv
    assert conv.pre == result.pre[f, conv.y, conv.x] and conv.act == result.act[f, conv.y, conv.x]
    tolerance = 1e-9 * max(1.0, abs(conv.pre))
    assert abs(conv.total * conv.scale + conv.bias - conv.pre) <= tolerance
    assert math.isclose(conv.total, math.fsum(part.total for part in conv.channels), rel_tol=1e-12, abs_tol=1e-9)
    assert [part.channel for part in conv.channels] == list(layer.channels_of(f))
    pixels = image if image.ndim == 3 else image[:, :, None]
    for part in conv.channels:
        for i, row in enumerate(part.window):
            for j, value in enumerate(row):
                source = part.sources[i][j]
                if source is not None:
                    assert value == pixels[source[0], source[1], part.channel]
                    assert part.products[i][j] == value * part.weights[i][j]
                elif value is not None:
                    assert value == 0.0 and layer.edge == "constant"
    if chosen == "pool":
        pool = pixel.pool
        assert pool.value == result.pooled[f, y, x]
        block = [(2 * x + dx, 2 * y + dy) for dy in (0, 1) for dx in (0, 1)]
        assert [(one.x, one.y) for one in pool.inputs] == block
        if layer.pool == "max":
            values = [one.value for one in pool.inputs]
            assert pool.value == max(values) and pool.winner == values.index(max(values))
            assert (conv.x, conv.y) == (pool.inputs[pool.winner].x, pool.inputs[pool.winner].y)
        else:
            assert math.isclose(pool.mean, pool.value, rel_tol=1e-12, abs_tol=1e-12)
            assert (conv.x, conv.y) == (2 * x, 2 * y)
    else:
        assert pixel.pool is None and (conv.x, conv.y) == (x, y)


@pytest.mark.parametrize("edge", EDGE_MODES)
def test_a_filter_alone_gives_the_same_maps_bit_for_bit(edge) -> None:
    rng = np.random.default_rng(7)
    image = rng.uniform(0, 255, (40, 37, 3))
    for layer in (
        random_layer(rng, 3, 1, 8, (3, 3), edge=edge, stride=(2, 1)),
        random_layer(rng, 3, 3, 6, (5, 5), edge=edge, dilation=(1, 2), pool="avg"),
    ):
        whole = run_layer(image, layer)
        for f in range(layer.filters):
            alone, channels = filter_alone(layer, f)
            one = run_layer(image[:, :, channels], alone)
            assert np.array_equal(one.pre[0], whole.pre[f]) and np.array_equal(one.pooled[0], whole.pooled[f])
            pixel = explain_pixel(image, layer, one, f, 3, 2)
            assert pixel.conv.pre == whole.pre[f, 2, 3]


def test_relu_keeps_positive_values_and_zeroes_the_rest() -> None:
    maps = np.array([[[-2.0, -0.0], [0.0, 3.5]]])
    layer = Layer(np.ones((1, 1, 1, 1)), np.zeros(1))
    result = run_layer(maps[0], layer)
    assert result.act.tolist() == [[[0.0, 0.0], [0.0, 3.5]]]
    assert not np.signbit(result.act).any()  # no −0 in the maps


def test_pooling_leaves_out_a_last_odd_row_and_column() -> None:
    maps = np.arange(35, dtype=float).reshape(1, 5, 7)
    assert pool_maps(maps, "max").tolist() == [[[8.0, 10.0, 12.0], [22.0, 24.0, 26.0]]]
    assert pool_maps(maps, "avg")[0, 0, 0] == (0 + 1 + 7 + 8) / 4
    assert pool_maps(maps, "none") is None


@pytest.mark.parametrize(
    ("layer", "shape", "field", "words"),
    [
        (Layer(np.ones((9, 1, 3, 3)), np.zeros(9)), (8, 8), "filters", "1 to 8 filters"),
        (Layer(np.ones((1, 1, 2, 3)), np.zeros(1)), (8, 8), "filters", "1, 3, 5 or 7"),
        (Layer(np.ones((2, 1, 3, 3)), np.zeros(3)), (8, 8), "bias", "one number per filter"),
        (Layer(np.ones((2, 1, 3, 3)), np.zeros(2), groups=3), (8, 8, 3), "groups", "must divide"),
        (Layer(np.ones((3, 2, 3, 3)), np.zeros(3)), (8, 8, 3), "filters", "one grid per input channel"),
        (Layer(np.ones((1, 1, 3, 3)), np.zeros(1), stride=(5, 1)), (8, 8), "lstride", "from 1 to 4"),
        (Layer(np.ones((1, 1, 3, 3)), np.zeros(1), dilation=(1, 0)), (8, 8), "ldilation", "from 1 to 4"),
        (Layer(np.ones((1, 1, 3, 3)), np.zeros(1), edge="reflect"), (8, 8), "ledge", "extend"),
        (Layer(np.ones((1, 1, 3, 3)), np.zeros(1), activation="tanh"), (8, 8), "act", "none, relu"),
        (Layer(np.ones((1, 1, 3, 3)), np.zeros(1), pool="min"), (8, 8), "pool", "none, max, avg"),
        (Layer(np.ones((1, 1, 7, 7)), np.zeros(1), edge="crop", dilation=(2, 2)), (8, 8), "filters", "fit inside"),
        (Layer(np.ones((1, 1, 3, 3)), np.zeros(1), stride=(4, 4)), (4, 4), "pool", "at least 2×2"),
        (Layer(np.full((1, 1, 3, 3), np.nan), np.zeros(1)), (8, 8), "filters", "finite"),
        (Layer(np.full((1, 1, 3, 3), 2e9), np.zeros(1)), (8, 8), "filters", "between"),
    ],
)
def test_what_the_layer_refuses_is_named(layer, shape, field, words) -> None:
    with pytest.raises(InputError) as caught:
        validate_layer(shape, layer)
    assert caught.value.field == field and words in caught.value.message


def test_pixels_must_be_finite_and_bounded() -> None:
    layer = Layer(np.ones((1, 1, 3, 3)), np.zeros(1))
    for bad in (np.nan, np.inf, 1e12):
        image = np.zeros((6, 6))
        image[2, 3] = bad
        with pytest.raises(InputError, match="image"):
            run_layer(image, layer)


def test_the_cost_grows_with_the_work() -> None:
    rng = np.random.default_rng(1)
    small = random_layer(rng, 3, 1, 2, (3, 3))
    wide = random_layer(rng, 3, 1, 8, (7, 7))
    a, b = layer_cost((128, 128, 3), small), layer_cost((512, 512, 3), wide)
    assert 0 < a.seconds < b.seconds and 0 < a.peak_bytes < b.peak_bytes
    assert layer_cost((512, 512, 3), random_layer(rng, 3, 1, 8, (3, 3), stride=(2, 2))).seconds < b.seconds


def test_against_pytorch() -> None:
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (it is not a dependency of this project)")
    import torch.nn.functional as F

    rng = np.random.default_rng(3)
    image = rng.uniform(0, 255, (33, 29, 3))
    modes = {"constant": "zeros", "extend": "replicate", "wrap": "circular", "mirror": "reflect"}
    for edge, mode in modes.items():
        for groups, count in ((1, 8), (3, 6)):
            layer = random_layer(rng, 3, groups, count, (3, 5), stride=(2, 1), dilation=(1, 2), edge=edge)
            (kh, kw), (dy, dx) = layer.kernel_shape, layer.dilation
            conv = torch.nn.Conv2d(
                3, count, (kh, kw), stride=layer.stride, padding=((kh // 2) * dy, (kw // 2) * dx),
                dilation=layer.dilation, groups=groups, padding_mode=mode, dtype=torch.float64,
            )  # fmt: skip
            with torch.no_grad():
                conv.weight.copy_(torch.from_numpy(layer.weights))
                conv.bias.copy_(torch.from_numpy(layer.bias))
                x = torch.from_numpy(image.transpose(2, 0, 1).copy())[None]
                pre = conv(x)
                pooled = F.max_pool2d(F.relu(pre), 2)
            result = run_layer(image, layer)
            assert_close(result.pre, pre[0].numpy())
            assert_close(result.pooled, pooled[0].numpy())
