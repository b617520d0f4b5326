"""What a filtering call will cost, worked out from its sizes before it starts.

The time is the engine's own cost model (:mod:`kernels.engine.methods`, fitted to measured runs) for the method each
pass would use, plus the float64 rerun with the same methods that follows when float32's rounding bound
fails, which cannot be known in advance: a budget must count it. (A third run, tap by tap, follows only when
a kernel's rank-1 factors are too inexact even in float64; it is not counted.) Memory is the largest set of
float64 arrays a pass holds at once: its padded source, its output and the previous pass's output.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kernels.engine import methods
from kernels.engine.filtering import effective_weights, plan_passes
from kernels.engine.separable import rank_one_factors
from kernels.options import Options

FLOAT64_FACTOR = 2.0
"""How much slower a float64 pass is than the float32 one the model was fitted on (twice the bytes moved,
half the numbers per vector instruction; measured 1.6–2.4× on the calibration machine)."""


@dataclass(frozen=True)
class Cost:
    """Modelled seconds (float32 run plus the float64 rerun) and peak bytes of working arrays."""

    seconds: float = 0.0
    peak_bytes: int = 0

    def __add__(self, other: Cost) -> Cost:
        """Two calls of one request: their times add up; they run one after the other, so memory does not."""
        return Cost(self.seconds + other.seconds, max(self.peak_bytes, other.peak_bytes))


def filter_cost(image_shape: tuple[int, ...], kernel: np.ndarray, options: Options) -> Cost:
    """The cost of ``filter_image`` on an image of ``image_shape`` ((H, W) or (H, W, C)).

    The arguments must already be valid (see :func:`kernels.engine.filtering.validate`).
    """
    passes = plan_passes(tuple(image_shape[:2]), np.shape(kernel), options)
    weights, _ = effective_weights(np.asarray(kernel, dtype=np.float64), options)
    scaled = weights / float(options.divisor)
    separable = rank_one_factors(weights) is not None
    channels = image_shape[2] if len(image_shape) == 3 else 1
    seconds = 0.0
    peak = 0
    previous = int(np.prod(image_shape[:2]))
    for geometry in passes:
        seconds += min(methods.estimates(geometry, channels, scaled, separable).values())
        (h, w), (top, bottom), (left, right) = geometry.image_shape, geometry.pad_rows, geometry.pad_cols
        padded = (h + top + max(bottom, 0)) * (w + left + max(right, 0))
        out = geometry.out_shape[0] * geometry.out_shape[1]
        peak = max(peak, 8 * channels * (padded + out + previous))
        previous = out
    return Cost((1 + FLOAT64_FACTOR) * seconds, peak)
