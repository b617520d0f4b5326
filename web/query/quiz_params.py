"""The page parameters of "Predict, then reveal": which quiz is on, its question, and the learner's answer.

A teacher turns a quiz on with ``quiz=`` in a link or an embed; it is off by default.

* ``quiz=guess`` — section 2's panel hides the products, the sum and the stored pixel until the learner types
  a guess: ``guess`` (a number, the sum of the products) for the pixel the panel shows. The form also sends
  ``guessed`` (``x,y``: the pixel the guess was typed for), so a guess never reveals a pixel it was not
  typed for; a link's ``guess`` is for the link's own pixel.
* ``quiz=which`` — "Which kernel made this?": ``question`` names the question (see :mod:`web.services.quiz_token`),
  ``pick`` (``A`` to ``D``) is the learner's choice.
* ``quiz=find`` — "Find the kernel": ``question`` names the hidden kernel; the learner's kernel is the page's.

``next=1`` asks for a new question. Only the syntax is checked here; whether a question was made by this
server is checked with the secret (:func:`web.services.quiz_token.check_token`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from kernels.errors import InputError
from kernels.library.kernel_text import parse_number
from web.query.query_values import READABLE, TRUE_TEXTS

MODES: tuple[str, ...] = ("guess", "which", "find")
QUIZ_PARAMS: tuple[str, ...] = ("quiz", "question", "pick", "guess", "guessed", "next")
"""Every page parameter of the quizzes (``guessed`` and ``next`` never appear in a permalink)."""
LETTERS = "ABCD"
"""How the four kernels of "Which kernel made this?" are called, in order."""
QUESTION = re.compile(r"[0-9a-f]{16}-[0-9a-f]{24}")
"""A question's code: 16 hex digits of seed, a hyphen, 24 hex digits of its HMAC."""
QUESTION_RULE = "must be a question's code as the page wrote it: 16 hex digits, '-', 24 hex digits"


@dataclass(frozen=True)
class QuizRequest:
    """A request's quiz parameters, read; ``mode`` None: no quiz (the default).

    ``token`` is set once the question is checked (or made) with the secret; ``pick`` is 0–3 (A–D);
    ``guess`` is the learner's number and ``guess_text`` as typed; ``guessed`` the (x, y) it was typed for.
    """

    mode: str | None = None
    question: str | None = None
    pick: int | None = None
    guess: float | None = None
    guess_text: str = ""
    guessed: tuple[int, int] | None = None
    next: bool = False
    token: str | None = None

    def guess_for(self, pixel: tuple[int, int]) -> float | None:
        """The guess when it was typed for this output pixel (x, y), else None."""
        if self.mode != "guess" or self.guess is None:
            return None
        return self.guess if self.guessed is None or self.guessed == pixel else None


def read_quiz(args: Mapping[str, str], errors: dict[str, str]) -> QuizRequest:
    """The quiz parameters of a page request (first value of each; empty counts as absent).

    A bad value is filed in ``errors`` under its name, with the rule, and left out.
    """
    found: dict[str, object] = {}
    text = {name: args.get(name, "").strip() for name in QUIZ_PARAMS}
    if text["quiz"]:
        mode = text["quiz"].lower()
        if mode in MODES:
            found["mode"] = mode
        else:
            errors["quiz"] = f"quiz: must be one of {', '.join(MODES)} (received {text['quiz']!r})"
    elif args.get("view", "").strip() == "quiz":
        found["mode"] = "which"  # the quiz view's own quiz
    for name, modes in (("question", ("which", "find")), ("pick", ("which",)), ("guess", ("guess",))):
        if text[name] and found.get("mode") not in modes and "quiz" not in errors:
            needs = " or ".join(f"quiz={m}" for m in modes)
            errors[name] = f"{name}: only goes with {needs} (received {text[name]!r})"
            text[name] = ""
    if text["question"]:
        if QUESTION.fullmatch(text["question"]):
            found["question"] = text["question"]
        else:
            errors["question"] = str(InputError("question", QUESTION_RULE, text["question"]))
    if text["pick"]:
        letter = text["pick"].upper()
        if len(letter) == 1 and letter in LETTERS:
            found["pick"] = LETTERS.index(letter)
        else:
            errors["pick"] = str(InputError("pick", f"must be one of {', '.join(LETTERS)}", text["pick"]))
    if text["guess"]:
        try:
            found["guess"] = parse_number(text["guess"], "guess")
            found["guess_text"] = text["guess"]
        except InputError as err:
            errors["guess"] = err.message
            found["guess_text"] = text["guess"]
    if text["guessed"] and found.get("mode") == "guess":
        found["guessed"] = _pixel(text["guessed"], errors)
    return QuizRequest(**found, next=text["next"].lower() in TRUE_TEXTS)  # type: ignore[arg-type]


def _pixel(text: str, errors: dict[str, str]) -> tuple[int, int] | None:
    match = re.fullmatch(r"(\d{1,5}),(\d{1,5})", text.replace(" ", ""))
    if match is None:
        errors["guessed"] = str(InputError("guessed", "must be the pixel x,y the guess was typed for", text))
        return None
    return int(match[1]), int(match[2])


def quiz_query(quiz: QuizRequest, pixel: tuple[int, int] | None) -> str:
    """The permalink's quiz parameters (``&quiz=…``), or "" when no quiz is on. ``pixel`` is section 2's
    selected output pixel: a guess is only kept for the pixel it was typed for."""
    if quiz.mode is None:
        return ""
    query = {"quiz": quiz.mode}
    if quiz.token is not None:
        query["question"] = quiz.token
    if quiz.pick is not None and quiz.mode == "which":
        query["pick"] = LETTERS[quiz.pick]
    if pixel is not None and quiz.guess_for(pixel) is not None:
        query["guess"] = quiz.guess_text
    return "&" + urlencode(query, safe=READABLE)
