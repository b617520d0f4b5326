"""explain() against the engine: same value, same stored pixel, and the right source for every tap; and its JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernels.engine import filter_image
from kernels.errors import InputError
from kernels.options import DISPLAYS, EDGE_MODES, Options
from kernels.teaching.display import render
from kernels.teaching.explain import ChannelExplanation, CombinedExplanation, explain
from tests.kernels.test_engine_definitions import cases
from tests.kernels.test_engine_loops import tolerance


def _pixels(height: int, width: int) -> list[tuple[int, int]]:
    """(y, x): the four corners, a point on every edge and the middle."""
    ys, xs = [0, height // 2, height - 1], [0, width // 2, width - 1]
    return sorted({(y, x) for y in ys for x in xs})


@settings(max_examples=70, deadline=None)
@given(cases(max_side=10, max_kernel=5), st.sampled_from(DISPLAYS))
def test_explain_matches_the_engine(case, display: str) -> None:
    image, kernel, options = case
    try:
        result = filter_image(image, kernel, options)
    except InputError:
        return
    channels = 1 if result.raw.ndim == 2 else result.raw.shape[2]
    if display == "signed" and channels > 1:
        display = "stretch"
    stored_image = render(result.raw, display)
    height, width = result.raw.shape[:2]
    for y, x in _pixels(height, width):
        explained = explain(image, kernel, options, display, x, y, result=result)
        json.dumps(explained.to_json(), allow_nan=False)
        assert explained.x == x and explained.y == y
        assert len(explained.channels) == channels
        for channel, part in enumerate(explained.channels):
            raw = result.raw[y, x] if result.raw.ndim == 2 else result.raw[y, x, channel]
            assert part.value == float(raw)
            products = [p for row in part.products for p in row if p is not None]
            assert part.sum == pytest.approx(sum(products), rel=1e-12, abs=1e-9)
            recomputed = part.sum * explained.scale / options.divisor + options.offset
            assert abs(recomputed - raw) <= tolerance(result.raw)
            pixel = stored_image[y, x] if stored_image.ndim == 2 or display == "signed" else stored_image[y, x, channel]
            assert part.to_json()["stored"] == pixel.tolist()
            assert part.stored == (tuple(pixel.tolist()) if pixel.ndim else pixel.tolist())
            source = result.last_input if result.last_input.ndim == 3 else result.last_input[:, :, None]
            for i, j in np.ndindex(*result.weights.shape):
                where, value = part.sources[i][j], part.window[i][j]
                assert part.weights[i][j] == result.weights[i, j]
                if where is not None:
                    assert value == float(source[where[0], where[1], channel])
                elif options.edge == "constant":
                    assert value == options.cval
                else:
                    assert options.edge == "kernel-crop" and value is None and part.products[i][j] is None


def _sources(edge: str, x: int = 0, y: int = 0, shape=(5, 6), kernel=None, **more) -> ChannelExplanation:
    image = np.arange(np.prod(shape), dtype=float).reshape(shape)
    kernel = np.ones((1, 5)) if kernel is None else kernel
    result = explain(image, kernel, Options(edge=edge, cval=-7.0, **more), "clamp", x, y)
    return result.channels[0]


def test_sources_at_the_left_edge_per_mode() -> None:
    assert [s[1] for s in _sources("mirror").sources[0]] == [2, 1, 0, 1, 2]
    assert [s[1] for s in _sources("symmetric").sources[0]] == [1, 0, 0, 1, 2]
    assert [s[1] for s in _sources("wrap").sources[0]] == [4, 5, 0, 1, 2]
    assert [s[1] for s in _sources("extend").sources[0]] == [0, 0, 0, 1, 2]
    constant = _sources("constant")
    assert constant.sources[0][:2] == (None, None) and constant.window[0][:2] == (-7.0, -7.0)
    cropped = _sources("kernel-crop")
    assert cropped.window[0][:2] == (None, None) and cropped.products[0][:2] == (None, None)


def test_sources_at_the_right_and_bottom_edges() -> None:
    assert [s[1] for s in _sources("mirror", x=5).sources[0]] == [3, 4, 5, 4, 3]
    assert [s[1] for s in _sources("symmetric", x=5).sources[0]] == [3, 4, 5, 5, 4]
    assert [s[1] for s in _sources("wrap", x=5).sources[0]] == [3, 4, 5, 0, 1]
    column = _sources("mirror", y=4, kernel=np.ones((5, 1))).sources
    assert [row[0][0] for row in column] == [2, 3, 4, 3, 2]


def test_kernel_crop_scale_and_crop_positions() -> None:
    image = np.arange(30, dtype=float).reshape(5, 6)
    kernel = np.array([[1.0, 2.0, 3.0]])
    explained = explain(image, kernel, Options(edge="kernel-crop"), "clamp", 0, 0)
    assert explained.scale == pytest.approx(6.0 / 5.0)
    assert explained.channels[0].value == pytest.approx((2 * 0 + 3 * 1) * 6 / 5, rel=1e-6)
    crop = explain(image, kernel, Options(edge="crop", stride=(1, 2)), "clamp", 1, 0)
    assert (crop.input_x, crop.input_y) == (3, 0)
    assert crop.channels[0].sources[0] == ((0, 2), (0, 3), (0, 4))


def test_repeat_explains_the_last_pass() -> None:
    image = np.random.default_rng(1).random((6, 6)) * 255
    kernel = np.ones((3, 3)) / 9
    options = Options(repeat=3)
    result = filter_image(image, kernel, options)
    explained = explain(image, kernel, options, "clamp", 2, 3, result=result)
    window = explained.channels[0].window
    assert window[1][1] == float(result.last_input[3, 2])
    assert explained.channels[0].value == float(result.raw[3, 2])


def test_convolution_explains_rotated_weights() -> None:
    image = np.zeros((5, 5))
    image[2, 2] = 1.0
    kernel = np.arange(9.0).reshape(3, 3)
    explained = explain(image, kernel, Options(op="convolve"), "midgray", 2, 2)
    assert explained.channels[0].weights == tuple(tuple(row) for row in kernel[::-1, ::-1].tolist())


def test_channel_names_and_refusals() -> None:
    image = np.random.default_rng(2).random((4, 5, 3)) * 255
    kernel = np.ones((3, 3))
    assert [c.name for c in explain(image, kernel, Options(), "clamp", 0, 0).channels] == ["R", "G", "B"]
    named = explain(image, kernel, Options(), "clamp", 0, 0, channel_names=["a", "b", "c"])
    assert [c.name for c in named.channels] == ["a", "b", "c"]
    for field, x, y in (("x", 5, 0), ("y", 0, 4), ("x", -1, 0), ("y", 0, -2)):
        with pytest.raises(InputError) as caught:
            explain(image, kernel, Options(), "clamp", x, y)
        assert caught.value.field == field and "from 0 to" in str(caught.value)
    with pytest.raises(InputError) as caught:
        explain(image, kernel, Options(), "signed", 0, 0)
    assert caught.value.field == "display"
    stride = explain(image, kernel, Options(stride=(2, 2)), "clamp", 2, 1)
    assert (stride.input_x, stride.input_y) == (4, 2)
    with pytest.raises(InputError):
        explain(image, kernel, Options(stride=(2, 2)), "clamp", 3, 0)


@pytest.mark.parametrize("edge", EDGE_MODES)
def test_clipped_flags(edge: str) -> None:
    image = np.full((4, 4), 200.0)
    explained = explain(image, np.full((3, 3), 1.0), Options(edge=edge, cval=200.0), "clamp", 1, 1)
    part = explained.channels[0]
    assert part.clipped is True and part.stored == 255


def _plain(value) -> bool:
    """True when ``value`` is made of lists, dicts, strings, numbers, booleans and None only (no tuples)."""
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return value is None or isinstance(value, str | int | float | bool)


CHANNEL_KEYS = ["name", "window", "sources", "weights", "products", "sum", "value", "stored", "clipped"]


@pytest.mark.parametrize(("edge", "display"), [("constant", "clamp"), ("kernel-crop", "signed"), ("wrap", "stretch")])
def test_to_json_gives_the_api_shape(edge: str, display: str) -> None:
    image = np.arange(30, dtype=float).reshape(5, 6) * 9 - 60
    kernel = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 0.0]])
    explained = explain(image, kernel, Options(edge=edge, cval=4.0), display, 0, 4)
    body = explained.to_json()
    assert _plain(body) and json.loads(json.dumps(body)) == body
    assert list(body) == ["x", "y", "input_x", "input_y", "scale", "channels"]
    assert (body["x"], body["y"], body["input_x"], body["input_y"]) == (0, 4, 0, 4)
    assert body["scale"] == explained.scale and isinstance(body["scale"], float)
    (part,) = body["channels"]
    channel = explained.channels[0]
    assert list(part) == CHANNEL_KEYS
    assert part["name"] == "gray" and part["clipped"] is channel.clipped
    assert part["window"] == [list(row) for row in channel.window]
    assert part["sources"] == [[None if s is None else [s[0], s[1]] for s in row] for row in channel.sources]
    assert part["weights"] == kernel.tolist() and part["products"] == [list(row) for row in channel.products]
    assert (part["sum"], part["value"]) == (channel.sum, channel.value)
    if display == "signed":
        assert isinstance(channel.stored, tuple) and part["stored"] == list(channel.stored) and len(part["stored"]) == 3
    else:
        assert isinstance(channel.stored, int) and part["stored"] == channel.stored
    if edge == "constant":
        assert part["sources"][0][0] is None and part["window"][0][0] == 4.0
    if edge == "kernel-crop":
        assert part["window"][1][0] is None and part["products"][1][0] is None


def test_explanations_are_frozen() -> None:
    explained = explain(np.ones((3, 3)), np.ones((1, 1)), Options(), "clamp", 1, 1)
    with pytest.raises(AttributeError):
        explained.x = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        explained.channels[0].sum = 0.0  # type: ignore[misc]


def test_combined_to_json_alternates_gx_and_gy_per_colour() -> None:
    image = np.random.default_rng(3).random((5, 5, 3)) * 255
    gx = explain(image, np.array([[1.0, 0.0, -1.0]]), Options(), "clamp", 2, 1)
    gy = explain(image, np.array([[1.0], [0.0], [-1.0]]), Options(), "clamp", 2, 1)
    combined = {"mode": "magnitude", "magnitude": [1.0, 2.0, 3.0], "direction": [0.0, 0.0, 0.0], "stored": [1, 2, 3]}
    body = CombinedExplanation(gx, gy, combined).to_json()
    assert _plain(body)
    assert list(body) == ["x", "y", "input_x", "input_y", "scale", "channels", "combined"]
    assert body["combined"] == combined
    assert {key: body[key] for key in ("x", "y", "input_x", "input_y", "scale")} == {
        key: gx.to_json()[key] for key in ("x", "y", "input_x", "input_y", "scale")
    }
    assert [c["name"] for c in body["channels"]] == ["Gx (R)", "Gy (R)", "Gx (G)", "Gy (G)", "Gx (B)", "Gy (B)"]
    assert [c["kernel"] for c in body["channels"]] == ["Gx", "Gy"] * 3
    assert [c["channel"] for c in body["channels"]] == ["R", "R", "G", "G", "B", "B"]
    for index, part in enumerate(body["channels"]):
        source = (gx if index % 2 == 0 else gy).channels[index // 2].to_json()
        assert list(part) == [*CHANNEL_KEYS, "kernel", "channel"]
        assert {key: part[key] for key in CHANNEL_KEYS if key != "name"} == {
            key: source[key] for key in CHANNEL_KEYS if key != "name"
        }
    grey = CombinedExplanation(explain(image[:, :, 0], np.ones((1, 3)), Options(), "clamp", 0, 0), gx, {})
    with pytest.raises(ValueError):
        grey.to_json()  # one grey channel against three colour ones
    gray_x = explain(image[:, :, 0], np.ones((1, 3)), Options(), "clamp", 0, 0)
    gray_y = explain(image[:, :, 0], np.ones((3, 1)), Options(), "clamp", 0, 0)
    channels = CombinedExplanation(gray_x, gray_y, {}).to_json()["channels"]
    names = [(c["name"], c["kernel"], c["channel"]) for c in channels]
    assert names == [("Gx", "Gx", "gray"), ("Gy", "Gy", "gray")]
