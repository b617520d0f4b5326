"""is_separable: rank by SVD with a relative tolerance, and factors whose outer product is the kernel."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from kernels.library.separability import SEPARABLE_RTOL, is_separable


def test_zero_kernel_is_rank_zero_and_separable() -> None:
    separable, factors, rank = is_separable(np.zeros((3, 4)))
    assert separable and rank == 0
    np.testing.assert_array_equal(np.outer(*factors), np.zeros((3, 4)))


@pytest.mark.parametrize("kernel", [[[5.0]], [[1.0, -2.0, 3.0]], [[1.0], [0.0], [-1.0]]])
def test_single_row_or_column(kernel: list[list[float]]) -> None:
    separable, (column, row), rank = is_separable(np.array(kernel))
    assert separable and rank == 1
    np.testing.assert_array_equal(np.outer(column, row), kernel)


def test_rank_counts_independent_rows() -> None:
    assert is_separable(np.eye(4)) == (False, None, 4)
    assert is_separable(np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 7.0]]))[2] == 2


def test_tolerance_is_relative_to_the_largest_singular_value() -> None:
    base = np.outer([1.0, 2.0, 1.0], [1.0, 0.0, -1.0]) * 1e6
    nudge = np.zeros((3, 3))
    nudge[0, 1] = 1.0
    assert is_separable(base + nudge * 1e6 * SEPARABLE_RTOL / 10)[0]
    assert not is_separable(base + nudge * 1e6 * SEPARABLE_RTOL * 10)[0]


def test_factors_are_plain_numbers_with_a_positive_lead() -> None:
    column, row = is_separable(np.outer([-2.0, 0.0, 2.0], [-1.0, -2.0, -1.0]))[1]
    np.testing.assert_array_equal(column, [1, 0, -1])
    np.testing.assert_array_equal(row, [2, 4, 2])
    assert not np.signbit(row).any() and not np.signbit(column[:2]).any()  # no -0.0


@pytest.mark.parametrize("bad", [np.zeros(3), np.zeros((0, 3)), np.array([[1.0, np.nan]]), np.array([[np.inf]])])
def test_refuses_non_kernels(bad: np.ndarray) -> None:
    with pytest.raises(ValueError, match="finite 2-D array"):
        is_separable(bad)


vectors = hnp.arrays(np.float64, st.integers(1, 7), elements=st.floats(-100, 100, allow_subnormal=False))


@settings(max_examples=80, deadline=None)
@given(vectors, vectors)
def test_outer_products_are_separable(column: np.ndarray, row: np.ndarray) -> None:
    kernel = np.outer(column, row)
    separable, factors, rank = is_separable(kernel)
    assert separable
    assert rank == (0 if not kernel.any() else 1)
    np.testing.assert_allclose(np.outer(*factors), kernel, rtol=1e-12, atol=1e-12 * np.abs(kernel).max())


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, st.tuples(st.integers(2, 4), st.integers(2, 4)), elements=st.integers(-5, 5)))
def test_rank_matches_numpy(kernel: np.ndarray) -> None:
    # Small integer matrices keep every non-zero singular value far above the tolerance
    # (their product is at least 1), so both tolerances must agree.
    separable, factors, rank = is_separable(kernel)
    assert rank == np.linalg.matrix_rank(kernel)
    assert separable == (rank <= 1)
    assert (factors is None) == (rank > 1)
