"""``POST /api/frame``: one camera frame through the kernel and options of the query string, answered as a
picture. Nothing is stored or cached: a frame is seen once.

The order of the checks keeps a refused frame cheap: the rate limit, then the media type and the byte count
(before the body is read), the state, the size in the frame's header, and the request budget for a picture of
that size. Only then is the frame decoded and filtered.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from imaging.frames import MAX_FRAME_BYTES, check_body, check_length, check_media_type, decode_frame, encode_frame
from web.query.state import parse_state
from web.services.compute import Services
from web.services.frame_work import filtered_frame, frame_budget, frame_input_shape
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
