"""The exported NumPy, SciPy and OpenCV snippets, executed on the engine's input.

Each snippet runs with ``image`` in its namespace and must leave in ``result`` the engine's raw output:
same shape, values within 1e-4 × max(1, max |raw|), for every op × edge mode, with origins, even and
non-square kernels, dilation, stride, normalise, divisor/offset, repeat, grey and RGB.
"""

from __future__ import annotations

import ast

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kernels.engine import filter_image
from kernels.errors import InputError
from kernels.exports import export
from kernels.options import EDGE_MODES, OPS, Options

LIBRARIES = ("numpy", "scipy", "opencv")
TOLERANCE = 1e-4

_rng = np.random.default_rng(20)
GRAY = _rng.integers(0, 256, (20, 17)).astype(np.float32)
RGB = _rng.integers(0, 256, (20, 17, 3)).astype(np.float32)

KERNELS = {
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=float),
    "gaussian": np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16,
    "sobel": np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype=float),
    "even": _rng.normal(size=(2, 4)),
    "tall": _rng.normal(size=(5, 3)),
    "row": np.full((1, 7), 1 / 7),
}

# (kernel, colour, options other than op and edge): together they cover every setting at least twice.
CASES = [
    ("sharpen", "gray", {}),
    ("gaussian", "rgb", {"normalize": True, "divisor": 2.5, "offset": -3.0}),
    ("sobel", "gray", {"origin": (0, 2), "dilation": (2, 1), "stride": (2, 3), "repeat": 2}),
    ("even", "rgb", {"stride": (3, 1), "offset": 10.0, "cval": 37.5}),
    ("even", "gray", {"origin": (1, 0), "dilation": (1, 3), "normalize": True, "repeat": 3}),
    ("tall", "gray", {"origin": (4, 2), "divisor": -4.0, "stride": (1, 2), "cval": -20.0}),
    ("tall", "rgb", {"dilation": (2, 2), "repeat": 2, "normalize": True}),
    ("row", "gray", {"origin": (0, 6), "stride": (2, 2), "offset": 0.5, "cval": 255.0}),
]


def run_snippet(text: str, image: np.ndarray) -> np.ndarray:
    """Execute an exported snippet with ``image`` defined; return its ``result``."""
    namespace = {"image": image.copy()}
    exec(compile(text, "<export>", "exec"), namespace)
    return np.asarray(namespace["result"])


def assert_same_raw(result: np.ndarray, raw: np.ndarray) -> None:
    assert result.shape == raw.shape
    assert np.issubdtype(result.dtype, np.floating)
    scale = max(1.0, float(np.abs(raw).max()))
    worst = float(np.abs(result.astype(np.float64) - raw).max())
    assert worst <= TOLERANCE * scale, f"off by {worst} (allowed {TOLERANCE * scale})"


def check(library: str, image: np.ndarray, kernel: np.ndarray, options: Options, color: str) -> None:
    """Compare the snippet with the engine; where the engine refuses (crop too big), the export must too."""
    try:
        raw = filter_image(image, kernel, options).raw
    except InputError as refused:
        with pytest.raises(InputError) as also_refused:
            export(library, kernel, options, color, "clamp", "test", image_shape=image.shape)
        assert also_refused.value.field == refused.field
        return
    exported = export(library, kernel, options, color, "clamp", "test", image_shape=image.shape)
    assert_same_raw(run_snippet(exported.text, image), raw)


@pytest.mark.parametrize("library", LIBRARIES)
@pytest.mark.parametrize("edge", EDGE_MODES)
@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize(
    ("kernel_name", "color", "settings"), CASES, ids=[f"{k}-{c}-{i}" for i, (k, c, _) in enumerate(CASES)]
)
def test_snippet_reproduces_engine(library, op, edge, kernel_name, color, settings) -> None:
    options = Options(op=op, edge=edge, **settings)
    check(library, GRAY if color == "gray" else RGB, KERNELS[kernel_name], options, color)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    library=st.sampled_from(LIBRARIES),
    size=st.tuples(st.integers(1, 9), st.integers(1, 9)),
    kernel_shape=st.tuples(st.integers(1, 5), st.integers(1, 5)),
    data=st.data(),
)
def test_snippet_reproduces_engine_on_tiny_images(library, size, kernel_shape, data) -> None:
    """Images smaller than the kernel's reach: padding wraps and reflects more than once."""
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    color = data.draw(st.sampled_from(["gray", "rgb"]))
    image = rng.integers(0, 256, size + ((3,) if color == "rgb" else ())).astype(np.float32)
    kernel = np.round(rng.normal(size=kernel_shape) * 4) / 4
    origin = (data.draw(st.integers(0, kernel_shape[0] - 1)), data.draw(st.integers(0, kernel_shape[1] - 1)))
    options = Options(
        op=data.draw(st.sampled_from(OPS)),
        edge=data.draw(st.sampled_from(EDGE_MODES)),
        cval=data.draw(st.sampled_from([0.0, 12.5, -3.0])),
        normalize=data.draw(st.booleans()),
        divisor=data.draw(st.sampled_from([1.0, 3.0, -0.5])),
        offset=data.draw(st.sampled_from([0.0, 7.0])),
        stride=data.draw(st.tuples(st.integers(1, 3), st.integers(1, 3))),
        dilation=data.draw(st.tuples(st.integers(1, 3), st.integers(1, 3))),
        repeat=data.draw(st.integers(1, 2)),
        origin=origin,
    )
    try:
        raw = filter_image(image, kernel, options).raw
    except InputError:
        assume(False)  # crop with a kernel wider than the image: nothing to compare
    exported = export(library, kernel, options, color, "clamp", "test", image_shape=image.shape)
    assert_same_raw(run_snippet(exported.text, image), raw)


@pytest.mark.parametrize("library", LIBRARIES)
def test_snippet_leaves_the_input_untouched(library) -> None:
    image = GRAY.copy()
    options = Options(edge="kernel-crop", normalize=True, repeat=2)
    run_snippet(export(library, KERNELS["even"], options, "gray", "clamp", "x").text, image)
    np.testing.assert_array_equal(image, GRAY)


def test_snippets_write_the_kernel_as_a_learner_would() -> None:
    text = export("numpy", KERNELS["gaussian"], Options(), "gray", "clamp", "x").text
    assert "    [1, 2, 1],\n    [2, 4, 2],\n    [1, 2, 1],\n], dtype=float) / 16" in text
    box = export("scipy", np.full((21, 21), 1 / 441), Options(), "gray", "clamp", "x").text
    assert "kernel = np.ones((21, 21), dtype=float) / 441" in box
    for library in LIBRARIES:
        source = export(library, KERNELS["sobel"], Options(op="convolve"), "rgb", "clamp", "x").text
        ast.parse(source)
        assert source.startswith("# Image Kernels, reproduced with")
        assert "`image`" in source and "`result`" in source


@pytest.mark.parametrize(
    ("library", "options", "expected"),
    [
        ("scipy", Options(edge="extend"), 'mode="nearest"'),
        ("scipy", Options(edge="mirror"), 'mode="mirror"'),
        ("scipy", Options(edge="symmetric"), 'mode="reflect"'),
        ("scipy", Options(edge="wrap"), 'mode="wrap"'),
        ("scipy", Options(edge="constant", cval=9), 'mode="constant", cval=9'),
        ("scipy", Options(op="convolve"), "ndimage.convolve("),
        ("scipy", Options(origin=(0, 0)), "origin = (-1, -1)"),
        ("opencv", Options(edge="extend"), "cv2.BORDER_REPLICATE"),
        ("opencv", Options(edge="mirror"), "cv2.BORDER_REFLECT_101"),
        ("opencv", Options(edge="symmetric"), "cv2.BORDER_REFLECT)"),
        ("opencv", Options(op="convolve"), "cv2.flip(kernel, -1)"),
        ("opencv", Options(origin=(0, 2)), "anchor = (2, 0)"),
        ("numpy", Options(edge="mirror"), 'mode="reflect"'),
        ("numpy", Options(edge="symmetric"), 'mode="symmetric"'),
        ("numpy", Options(op="convolve"), "kernel[::-1, ::-1]"),
    ],
)
def test_snippets_use_the_library_names(library, options, expected) -> None:
    assert expected in export(library, KERNELS["sobel"], options, "gray", "clamp", "x").text


@pytest.mark.parametrize(
    ("library", "options", "words"),
    [
        ("opencv", Options(edge="wrap"), "refuses BORDER_WRAP"),
        ("opencv", Options(edge="constant", cval=5), "no fill-value parameter"),
        ("opencv", Options(edge="kernel-crop"), "no kernel-crop"),
        ("scipy", Options(edge="kernel-crop"), "no kernel-crop"),
        ("scipy", Options(edge="crop"), "no 'valid' (crop) mode"),
        ("scipy", Options(stride=(2, 2)), "no stride"),
        ("opencv", Options(dilation=(2, 1)), "no dilation parameter"),
    ],
)
def test_what_a_library_cannot_express_is_said_at_the_top(library, options, words) -> None:
    exported = export(library, KERNELS["gaussian"], options, "gray", "clamp", "x")
    assert any(words in note for note in exported.notes)
    top = exported.text.split("\nimport ")[0]
    assert words.split()[-1] in top
