"""The quiz's pictures: ``/quiz/*.png``. Each route checks its parameters and the question's code, asks the
engine (cached, within the request budget) and answers a picture whose address names no hidden kernel.

* ``GET /quiz/guess.png?<state>&x=&y=`` — section 2's output (the face) with output pixel (x, y) painted over.
* ``GET /quiz/which.png?question=`` — the output of "Which kernel made this?": the question's photo through
  the kernel only the server knows.
* ``GET /quiz/target.png?question=&<options>`` — the target of "Find the kernel": the face through the hidden
  kernel with these options.
* ``GET /quiz/difference.png?question=&<state>`` — the learner's output on the face minus the target, in the
  signed colours (blue below 0, white at 0, orange above) from −m to +m, m the largest difference.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from flask import Blueprint, Response, current_app, request

from imaging.images import encode_png
from imaging.preview import Preview
from kernels import limits
from kernels.errors import InputError
from kernels.teaching.display import render
from web.page.page_view import face_state
from web.page.quiz_states import compare_with_target, hidden_preset, masked, target_state, which_for, which_state
from web.query.query_values import parse_int
from web.query.quiz_params import QUESTION_RULE
from web.query.state import State, parse_state
from web.routes.api import image_response
from web.services.compute import Services, etag_for
from web.services.quiz_token import check_token, quiz_secret
from web.services.rate_limits import render_limit

bp = Blueprint("quiz", __name__, url_prefix="/quiz")


def services() -> Services:
    return current_app.extensions["image_kernels"]


def _state(extra: tuple[str, ...] = ()) -> State:
    """The page state in the query (``question`` and ``extra`` read by the route), its picture checked."""
    state = parse_state(request.args.to_dict(flat=True), services().presets, ("question", *extra))
    services().rgb_image(state.image)
    return state


def _token(mode: str) -> tuple[str, bytes]:
    token = request.args.get("question", "").strip()
    if not token:
        raise InputError("question", f"is required: {QUESTION_RULE}")
    secret = quiz_secret()
    return check_token(secret, mode, token), secret


def _png(etag: str, make: Callable[[], np.ndarray]) -> Response:
    return image_response(etag, lambda: Preview(encode_png(make()), "image/png"))


@bp.get("/guess.png")
@render_limit
def guess_picture() -> Response:
    """Section 2's output with the pixel being guessed painted over."""
    face = face_state(_state(("x", "y")))
    services().check_budget([face])
    top = limits.MAX_IMAGE_SIDE - 1
    x, y = parse_int(request.args, "x", 0, top), parse_int(request.args, "y", 0, top)
    if x is None or y is None:
        raise InputError("x" if x is None else "y", "is required: the output pixel to cover, 0-based")

    def make() -> np.ndarray:
        pixels = services().output_pixels(face)
        height, width = pixels.shape[:2]
        if not (x < width and y < height):
            raise InputError("x", f"must be inside the output, x 0–{width - 1} and y 0–{height - 1}", f"{x},{y}")
        return masked(pixels, x, y)

    return _png(etag_for("quiz-guess", face.cache_key(), x, y), make)


@bp.get("/which.png")
@render_limit
def which_picture() -> Response:
    """The output a "which" question asks about."""
    token, secret = _token("which")
    presets = services().presets
    question = which_for(presets, secret, token)
    state = which_state(presets, question.image, question.choices[question.answer])
    services().check_budget([state])
    # Tagged by the code alone: a tag computed from the state could be matched against each choice's.
    return image_response(etag_for("quiz-which", token), lambda: services().output_preview(state))


@bp.get("/target.png")
@render_limit
def target_picture() -> Response:
    """The target of a "find" question, with the options in the query."""
    token, secret = _token("find")
    state = _state()
    target = target_state(state, hidden_preset(services().presets, secret, token))
    services().check_budget([target])
    return _png(
        etag_for("quiz-target", token, target.options, target.display), lambda: services().output_pixels(target)
    )


@bp.get("/difference.png")
@render_limit
def difference_picture() -> Response:
    """The learner's output minus the target, in signed colours."""
    token, secret = _token("find")
    state = _state()
    hidden = hidden_preset(services().presets, secret, token)
    services().check_budget([face_state(state), target_state(state, hidden)])

    def make() -> np.ndarray:
        result = compare_with_target(services(), state, hidden)
        if result.difference is None:
            raise InputError("kernel", result.mismatch)
        return render(result.difference, "signed")

    return _png(etag_for("quiz-difference", token, state.cache_key()), make)
