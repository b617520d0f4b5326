"""Every refusal of the engine: the field it names and what the message says."""

from __future__ import annotations

import numpy as np
import pytest

from kernels import limits
from kernels.engine import filter_image, output_shape, validate
from kernels.errors import InputError
from kernels.options import Options

IMAGE = np.zeros((10, 12))
KERNEL = np.ones((3, 3))


DEFAULT = Options()


def refused(options: Options = DEFAULT, kernel=KERNEL, image=IMAGE, **kwargs) -> InputError:
    with pytest.raises(InputError) as caught:
        filter_image(image, kernel, options, **kwargs)
    return caught.value


@pytest.mark.parametrize(
    ("kernel", "words"),
    [
        (np.ones((0, 3)), "non-empty"),
        (np.ones(3), "non-empty table"),
        (np.ones((64, 3)), "at most 63 rows and 63 columns"),
        (np.ones((2, 64)), "at most 63"),
        (np.array([[1.0, np.nan]]), "finite"),
        (np.array([[1.0, np.inf]]), "finite"),
        (np.array([[2e9]]), "between -1e+09 and 1e+09"),
        ([["a"]], "table of numbers"),
    ],
)
def test_bad_kernels(kernel, words: str) -> None:
    error = refused(kernel=kernel)
    assert error.field == "kernel"
    assert words in str(error)
    assert str(error).startswith("kernel: ")


@pytest.mark.parametrize(
    ("options", "field", "words"),
    [
        (Options(op="flip"), "op", "one of correlate, convolve"),
        (Options(edge="reflect"), "edge", "one of extend, wrap"),
        (Options(cval=float("nan")), "cval", "finite number"),
        (Options(cval=2e9), "cval", "between"),
        (Options(divisor=0.0), "divisor", "must not be 0"),
        (Options(divisor=float("inf")), "divisor", "finite"),
        (Options(offset=float("-inf")), "offset", "finite"),
        (Options(offset="1"), "offset", "finite number"),
        (Options(normalize="yes"), "normalize", "true or false"),
        (Options(stride=(0, 1)), "stride", "between 1 and 64"),
        (Options(stride=(1, 65)), "stride", "between 1 and 64"),
        (Options(stride=(1,)), "stride", "two whole numbers"),
        (Options(stride=(1.5, 1)), "stride", "two whole numbers"),
        (Options(dilation=(33, 1)), "dilation", "between 1 and 32"),
        (Options(dilation=(1, 0)), "dilation", "between 1 and 32"),
        (Options(repeat=0), "repeat", "from 1 to 10"),
        (Options(repeat=11), "repeat", "from 1 to 10"),
        (Options(repeat=2.0), "repeat", "whole number"),
        (Options(origin=(3, 0)), "origin", "inside the 3×3 kernel"),
        (Options(origin=(0, -1)), "origin", "row 0…2, column 0…2"),
        (Options(origin=(0, 5)), "origin", "inside the 3×3 kernel"),
        (Options(origin=(1, 1, 1)), "origin", "two whole numbers"),
    ],
)
def test_bad_options(options: Options, field: str, words: str) -> None:
    error = refused(options)
    assert error.field == field
    assert words in str(error), str(error)
    assert error.kind == "invalid"


def test_origin_outside_a_non_square_kernel() -> None:
    error = refused(Options(origin=(2, 0)), kernel=np.ones((2, 5)))
    assert error.field == "origin" and "row 0…1, column 0…4" in str(error) and "received '2,0'" in str(error)


def test_crop_with_a_kernel_larger_than_the_image() -> None:
    error = refused(Options(edge="crop"), kernel=np.ones((11, 3)))
    assert error.field == "kernel"
    assert "must fit inside the image" in str(error) and "11×3" in str(error) and "10×12" in str(error)
    error = refused(Options(edge="crop", dilation=(1, 6)))
    assert "spans 3×13 pixels" in str(error)


def test_crop_that_runs_out_after_some_passes() -> None:
    assert output_shape((10, 12), (3, 3), Options(edge="crop", repeat=4)) == (2, 4)
    error = refused(Options(edge="crop", repeat=5))
    assert error.field == "kernel" and "2×4" in str(error)


def test_images_that_cannot_be_filtered() -> None:
    assert refused(image=np.zeros((0, 4))).field == "image"
    assert refused(image=np.zeros((4, 4, 5))).field == "image"
    assert refused(image=np.zeros(4)).field == "image"
    assert refused(image=np.array([[1.0, np.nan]])).field == "image"
    for method in ("direct", "fft", "auto"):
        strips = np.full((40, 30), 9.0)
        strips[35, 2] = np.nan
        assert refused(image=strips, method=method).field == "image"
    assert refused(image=np.array([["a"]])).field == "image"
    error = refused(image=np.zeros((limits.MAX_IMAGE_SIDE + 1, 1)))
    assert error.field == "image" and error.kind == "too_large"


def test_method_names_and_separability() -> None:
    error = refused(method="winograd")
    assert error.field == "method" and "auto, direct, separable, fft" in str(error)
    error = refused(kernel=np.eye(3), method="separable")
    assert error.field == "method" and "rank-1" in str(error)


def test_results_too_large_to_represent() -> None:
    image = np.full((4, 4), 1e9)
    error = refused(Options(divisor=1e-300), kernel=np.full((5, 5), 1e9), image=image)
    assert error.field == "kernel" and "too large" in str(error)


def test_validate_alone_checks_shapes_without_pixels() -> None:
    validate((5, 5), KERNEL, Options())
    with pytest.raises(InputError) as caught:
        validate((2, 2), KERNEL, Options(edge="crop"))
    assert caught.value.field == "kernel"
