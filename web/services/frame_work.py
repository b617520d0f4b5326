"""The work of one camera frame (``POST /api/frame``): the picture the engine will read, the request budget for
it, and the filtering itself, on a heavy-work thread when it is long. Nothing is stored or cached."""

from __future__ import annotations

import numpy as np

from imaging.images import fit_working_size, to_engine_input, working_shape
from kernels.engine import filter_image, validate
from kernels.engine.cost import Cost
from kernels.teaching.display import check_display, render
from kernels.teaching.gradient import combine, render_combined
from web.query.state import State
from web.services.budget import call_cost, engine_states, refuse_over_budget
from web.services.client_gone import client_gone_check
from web.services.compute import Services


def frame_input_shape(state: State, width: int, height: int) -> tuple[int, ...]:
    """The shape of the float image the engine reads for a frame of ``width × height`` pixels: (H, W) grey or
    (H, W, 3) RGB, at the state's working size (a frame is scaled down, never up, as any picture is)."""
    rows, cols = working_shape(height, width, state.size)
    return (rows, cols) if state.color == "gray" else (rows, cols, 3)


def frame_budget(services: Services, state: State, shape: tuple[int, ...]) -> Cost:
    """Let the engine check the state on a picture of ``shape``, and refuse it (422) when its engine calls
    together cost more than the request budget; the cost (modelled seconds, peak bytes) otherwise."""
    calls = [(shape, plain) for plain in engine_states(state)]
    for _, plain in calls:
        validate(shape, plain.kernel, plain.options)
    check_display(state.display, 1 if len(shape) == 2 else shape[2])
    total = sum((call_cost(*call) for call in calls), Cost())
    return refuse_over_budget(services.budget, calls, total)


def filtered_frame(services: Services, state: State, rgb: np.ndarray, cost: Cost) -> np.ndarray:
    """The output picture of the frame's uint8 RGB pixels (H, W, 3), as ``/api/output.png`` would show the
    same picture uploaded: uint8 (h, w) grey or (h, w, 3) colour. Work modelled at the budget's heavy
    seconds or more runs on a heavy-work thread (see :class:`web.services.budget.Budget`)."""
    stop = client_gone_check()

    def make() -> np.ndarray:
        image = to_engine_input(fit_working_size(rgb, state.size), state.color)
        first = filter_image(image, state.kernel, state.options, should_stop=stop)
        if state.combine is None:
            return render(first.raw, state.display)
        second = state.second_state()
        other = filter_image(image, second.kernel, second.options, should_stop=stop)
        return render_combined(combine(first, other), state.combine, state.display)

    if cost.seconds < services.budget.heavy_seconds:
        return make()
    made: list[np.ndarray] = []
    services.heavy.run(lambda: made.append(make()), cost.seconds)
    return made[0]
