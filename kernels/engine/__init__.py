"""The convolution engine's one door: :func:`filter_image`, its checks and its plan of passes.

Everything the web half needs is imported from here (and the cost model from ``kernels.engine.cost``): the
filtering, its checks and plan, and the few parts a page shows beside a result (a kernel's sum as kernel crop
uses it, padding an image's corner, running a call on its own thread). The modules beside this one are the
engine's own parts (the three methods, padding, geometry, precision bounds, the cost model and the worker
pool); the teaching maths and the exports, which compute beside the engine, build on them too.
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
from kernels.engine.kernelcrop import kernel_sum
from kernels.engine.padding import INDEX_MODES, pad, source_index
from kernels.engine.workers import on_this_thread

__all__ = [
    "DEFAULT_OPTIONS",
    "INDEX_MODES",
    "METHOD_CHOICES",
    "TOLERANCE",
    "FilterResult",
    "effective_weights",
    "filter_image",
    "kernel_sum",
    "on_this_thread",
    "output_shape",
    "pad",
    "plan_passes",
    "source_index",
    "validate",
]
