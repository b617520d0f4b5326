"""``POST /api/frame``: one camera frame through the kernel and options of the query string, answered as a
picture. Nothing is stored or cached: a frame is seen once.

The order of the checks keeps a refused frame cheap: the rate limit, then the media type and the byte count
(before the body is read), the state, the size in the frame's header, and the request budget for a picture of
that size. Only then is the frame decoded and filtered.
"""

from __future__ import annotations

import numpy as np
from flask import Blueprint, Response, current_app, request

from imaging.frames import MAX_FRAME_BYTES, check_body, check_length, check_media_type, decode_frame, encode_frame
from imaging.images import fit_working_size, to_engine_input, working_shape
from kernels.engine import filter_image, validate
from kernels.engine.cost import Cost
from kernels.teaching.display import check_display, render
from kernels.teaching.gradient import combine, render_combined
from web.query.state import State, parse_state
from web.services.budget import call_cost, engine_states, refuse_over_budget
from web.services.client_gone import client_gone_check
from web.services.compute import Services
from web.services.rate_limits import frame_limit

bp = Blueprint("frame", __name__, url_prefix="/api")


def services() -> Services:
    return current_app.extensions["image_kernels"]


@bp.post("/frame")
@frame_limit
def frame() -> Response:
    """The frame in the body (JPEG, PNG or WebP) filtered as the query's state says; ``image`` and ``compare``
    are read and ignored, so any state query works."""
    claimed = check_media_type(request.content_type)
    check_length(request.content_length)
    state = parse_state(request.args.to_dict(flat=True), services().presets)
    data = request.stream.read(MAX_FRAME_BYTES + 1)
    width, height = check_body(data, claimed)
    cost = frame_budget(services(), state, frame_input_shape(state, width, height))
    pixels = filtered_frame(services(), state, decode_frame(data), cost)
    picture = encode_frame(pixels)
    return Response(picture.data, mimetype=picture.media_type, headers={"Cache-Control": "no-store"})


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
