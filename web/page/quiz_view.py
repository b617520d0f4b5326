"""What "Predict, then reveal" adds to a page: the question checked or made while the request is planned, then
the guess box in section 2's panel (:mod:`web.page.quiz_guess`) or the ``quiz`` region of "Which kernel made this?"
and "Find the kernel".

Before the learner answers, nothing built here holds the answer: a "which" view knows the four kernels' weights
and the address of the output picture (``/quiz/which.png?question=…``, which names no kernel), and a "find"
view the target's address and how far the learner's output is from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode

import numpy as np
from flask import url_for

from imaging.samples import get_sample
from kernels.errors import InputError
from kernels.library.kernel_text import MINUS
from kernels.library.kernel_text import format_for_people as fmt
from kernels.library.presets import Preset
from kernels.options import Options
from kernels.teaching.display import SIGNED_LUT
from kernels.teaching.properties import kernel_properties
from web.page.page_address import embed_snippet
from web.page.page_view import check_engine, face_state
from web.page.quiz_guess import apply_guess
from web.page.quiz_states import (
    SOLVED_MEAN_DIFFERENCE,
    compare_with_target,
    hidden_preset,
    target_query,
    target_state,
    which_for,
    which_state,
)
from web.page.views import KERNEL_REGIONS
from web.present.quiz_questions import FIND_SIDE, tell
from web.query.page_state import VIEWS, PageRequest
from web.query.query_values import READABLE
from web.query.quiz_params import LETTERS, MODES, QUIZ_PARAMS, QuizRequest, quiz_query
from web.query.state import State
from web.services.compute import Services
from web.services.quiz_token import check_token, new_token, quiz_secret

if TYPE_CHECKING:
    from web.page.page_context import PageContext, PagePlan

__all__ = ["add_quiz", "quiz_query", "quiz_regions", "resolve_quiz"]

VIEW_MODES: dict[str | None, tuple[str, ...]] = {None: MODES, "inspect": ("guess",), "quiz": ("which", "find")}
"""Where each quiz is asked: the full page has all three, ``view=inspect`` the guess, ``view=quiz`` the others."""
_STOPS = (1, 64, 128, 192, 255)
LEGEND_GRADIENT = "linear-gradient(90deg, {})".format(
    ", ".join("rgb({},{},{}) {:.1f}%".format(*SIGNED_LUT[i], 100 * (i - 1) / 254) for i in _STOPS)
)
"""The signed colours from −m (left) through 0 to +m (right), as a CSS gradient."""
WHERE = "guess is asked on / and view=inspect, which and find on / and view=quiz"


def resolve_quiz(services: Services, request: PageRequest) -> PageRequest:
    """The request with its question checked with the secret (a forged one is refused and a new question made),
    made when there is none or ``next`` asks for it, and section 2's pixel pinned while guessing."""
    quiz, errors = request.quiz, dict(request.errors)
    if request.view == "quiz" and quiz.mode is None:
        quiz = replace(quiz, mode="which")
    if quiz.mode is not None and quiz.mode not in VIEW_MODES.get(request.view, ()):
        errors["quiz"] = f"quiz: {WHERE} (received {quiz.mode!r} in view={request.view})"
        quiz = replace(quiz, mode="which" if request.view == "quiz" else None)
    inspect = replace(request.inspect, pinned=True) if quiz.mode == "guess" else request.inspect
    if quiz.mode in ("which", "find"):
        secret = quiz_secret()
        if quiz.question and not quiz.next:
            try:
                quiz = replace(quiz, token=check_token(secret, quiz.mode, quiz.question))
            except InputError as err:
                errors.setdefault("question", err.message)
        if quiz.token is None:
            quiz = replace(quiz, token=new_token(secret, quiz.mode), pick=None)
    request = replace(request, quiz=quiz, errors=errors, inspect=inspect)
    if quiz.mode == "find" and request.state is not None:
        hidden = hidden_preset(services.presets, quiz_secret(), quiz.token)
        request = check_engine(services, request, [face_state(request.state), target_state(request.state, hidden)])
    return request


def quiz_regions(quiz: QuizRequest, view: str | None, regions: tuple[str, ...]) -> tuple[str, ...]:
    """The regions a view renders with this quiz: the full page adds the ``quiz`` region for which and find, and
    ``view=quiz`` has no kernel editor while it asks which kernel made a picture."""
    if view is None and quiz.mode in ("which", "find"):
        return (*regions, "quiz")
    if view == "quiz" and quiz.mode == "which":
        return tuple(region for region in regions if region not in KERNEL_REGIONS)
    return regions


def add_quiz(services: Services, plan: PagePlan, context: PageContext) -> None:
    """Fill in what the planned quiz shows: the guess box, or the ``quiz`` region; and the share panel's
    embeds, each with the quiz its view asks (a question of its own for everyone who opens it)."""
    quiz = plan.request.quiz
    if quiz.mode == "guess" and context.inspect is not None:
        apply_guess(context.inspect, quiz, plan.request.errors)
    elif quiz.token is not None and "quiz" in context.regions:
        secret = quiz_secret()
        if quiz.mode == "which":
            context.quiz = build_which(services, quiz.token, quiz.pick, secret)
        else:
            context.quiz = build_find(services, plan.state, quiz.token, secret)
    if context.embeds:
        kept = [(name, value) for name, value in parse_qsl(plan.page_query) if name not in QUIZ_PARAMS]
        asks = {"inspect": "guess" if quiz.mode == "guess" else None}
        asks["quiz"] = quiz.mode if quiz.mode in ("which", "find") else None
        context.embeds = [
            embed_snippet(view, urlencode([*kept, ("quiz", asks[view])] if asks.get(view) else kept, safe=READABLE))
            for view in VIEWS
        ]


@dataclass
class Choice:
    """One of the four kernels: its letter and weights (as written, with a real minus), and after the answer
    its name, what to look for in its output and that output's address."""

    letter: str
    rows: list[list[str]]
    scale: str
    picked: bool = False
    made_it: bool = False
    title: str = ""
    tell: str = ""
    src: str = ""


@dataclass
class WhichView:
    """Which kernel made this: the photo, the output of the hidden choice, the four choices; after the
    answer whether it was right, the answer's text and why its output looks so."""

    token: str
    image_title: str
    input_src: str
    output_src: str
    size: tuple[int, int]
    choices: list[Choice]
    answered: bool = False
    right: bool = False
    verdict: str = ""
    about: str = ""
    why: str = ""
    kind: str = "which"


def build_which(services: Services, token: str, pick: int | None, secret: bytes) -> WhichView:
    """The question of a checked code; with ``pick`` (0–3) the answer and its explanation too."""
    presets = services.presets
    question = which_for(presets, secret, token)
    states = [which_state(presets, question.image, name) for name in question.choices]
    services.check_budget(states if pick is not None else [states[question.answer]])
    height, width = services.engine_input(states[0]).shape[:2]
    view = WhichView(
        token,
        get_sample(question.image).title,
        url_for("api.input_preview", **states[0].input_query()),
        url_for("quiz.which_picture", question=token),
        (width, height),
        [Choice(LETTERS[i], *written(presets[name])) for i, name in enumerate(question.choices)],
    )
    if pick is None:
        return view
    answer = presets[question.choices[question.answer]]
    for i, (choice, state) in enumerate(zip(view.choices, states, strict=True)):
        choice.picked, choice.made_it = i == pick, i == question.answer
        choice.title, choice.tell = presets[question.choices[i]].title, tell(question.choices[i])
        choice.src = url_for("api.output_preview", **state.to_query())
    made = f"kernel {LETTERS[question.answer]}, {answer.title}, made this picture."
    view.answered, view.right = True, pick == question.answer
    view.verdict = (
        f"Right: {made}"
        if view.right
        else f"Not this time: you picked {LETTERS[pick]}, {presets[question.choices[pick]].title}; {made}"
    )
    view.about = answer.text
    view.why = f"{tell(answer.name)} {kernel_properties(answer.weights, Options()).meaning_text}"
    return view


def written(preset: Preset) -> tuple[list[list[str]], str]:
    """A preset's weights as its file writes them, with a real minus, and its factor ("× 1/16", or "")."""
    rows = [[text.strip().replace("-", MINUS) for text in row] for row in preset.rows_text]
    return rows, f"× {preset.scale.replace('-', MINUS)}" if preset.scale else ""


@dataclass
class FindView:
    """Find the kernel: the target, the learner's output and their difference, how far apart they are
    (mean absolute difference in grey levels, PSNR in dB) and, once solved, the hidden kernel."""

    token: str
    target_src: str
    yours_src: str
    difference_src: str | None
    size: tuple[int, int]
    mean: str = ""
    psnr: str = ""
    solved: bool = False
    mismatch: str = ""
    legend: list[str] = field(default_factory=list)
    legend_gradient: str = ""
    threshold: str = fmt(SOLVED_MEAN_DIFFERENCE)
    side: int = FIND_SIDE
    title: str = ""
    rows: list[list[str]] = field(default_factory=list)
    scale: str = ""
    about: str = ""
    kind: str = "find"


def build_find(services: Services, state: State, token: str, secret: bytes) -> FindView:
    """The learner's state against the target of a checked code."""
    hidden = hidden_preset(services.presets, secret, token)
    result = compare_with_target(services, state, hidden)
    width, height = result.sizes[1]
    view = FindView(
        token,
        url_for("quiz.target_picture", question=token, **target_query(state)),
        url_for("api.output_preview", **face_state(state).to_query()),
        None,
        (width, height),
    )
    if result.mean is None:
        view.mismatch = result.mismatch[0].upper() + result.mismatch[1:] + "."
        return view
    view.difference_src = url_for("quiz.difference_picture", question=token, **state.to_query())
    view.mean = fmt(round(result.mean, 2))
    view.psnr = "∞" if np.isinf(result.psnr) else fmt(round(float(result.psnr), 1))
    view.solved = result.solved
    scale = result.scale
    if scale > 0:
        view.legend = [fmt(-scale), "0", fmt(scale, signed=True)]
        view.legend_gradient = LEGEND_GRADIENT
    if view.solved:
        view.title, view.about = hidden.title, hidden.text
        view.rows, view.scale = written(hidden)
    return view
