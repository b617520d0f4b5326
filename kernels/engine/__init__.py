"""The convolution engine's one door: :func:`filter_image`, its checks and its plan of passes.

Everything a caller needs is imported from here; the modules beside this one are the engine's own
parts (the three methods, padding, geometry, precision bounds, the cost model and the worker pool)
and are named only by each other, by the cost estimate a server makes before it computes, and by
the engine's tests.
"""

from kernels.engine.filtering import (
    DEFAULT_OPTIONS,
    METHOD_CHOICES,
    TOLERANCE,
    FilterResult,
    effective_weights,
    filter_image,
    output_shape,
    plan_passes,
    validate,
)

__all__ = [
    "DEFAULT_OPTIONS",
    "METHOD_CHOICES",
    "TOLERANCE",
    "FilterResult",
    "effective_weights",
    "filter_image",
    "output_shape",
    "plan_passes",
    "validate",
]
