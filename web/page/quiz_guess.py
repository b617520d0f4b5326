"""Guess the pixel (``quiz=guess``): section 2's panel with the answer left out until the learner guesses.

Before a guess for the panel's pixel, the panel keeps the window's values and the weights and drops every
number that is the answer or leads to it: the products (and their signs), the sum, the value, the stored pixel,
the clipping and display notes, their ``data-*`` copies and the live region's summary. The output picture
comes from ``/quiz/guess.png``, the same picture with that pixel painted over, and a mark covers it on screen
while a new picture loads. After the guess the panel is whole again, with how close the guess was.
"""

from __future__ import annotations

from flask import url_for

from kernels.library.kernel_text import format_for_people as fmt
from web.page.page_view import Figures, Mark
from web.present.guess import GuessView
from web.present.panel import Panel
from web.query.quiz_params import QuizRequest

KEPT_DATA = ("x", "y", "input-x", "input-y")
"""The panel's ``data-*`` values that stay while the answer is hidden: where the pixel is."""


def apply_guess(region: Figures, quiz: QuizRequest, errors: dict[str, str]) -> None:
    """Hide section 2's answer, or reveal it with the verdict, for the panel's pixel (changes ``region``)."""
    panel = region.panel
    pixel = (panel.x, panel.y)
    figure = region.output_figure
    figure.picture_route = figure.api_src = figure.img_src = None  # an edit must not load the whole output
    guess = quiz.guess_for(pixel)
    if guess is None:
        _hide(panel)
        panel.guess = GuessView(pixel, False, quiz.guess_text if "guess" in errors else "", errors.get("guess", ""))
        figure.src = url_for("quiz.guess_picture", **region.state.to_query(), x=pixel[0], y=pixel[1])
        figure.alt += "; the selected pixel is covered until you check a guess"
        spot = next(m for m in figure.marks if m.kind == "pixel")
        figure.marks.insert(0, Mark("masked", spot.left, spot.top, spot.width, spot.height))
        return
    panel.guess = verdict(panel, guess)
    panel.summary = panel.data["summary"] = f"{panel.guess.verdict} {panel.guess.stored}"


def verdict(panel: Panel, guess: float) -> GuessView:
    """How close ``guess`` came to the sum of the panel's (first) channel, in words."""
    channel = panel.channels[0]
    total = float(panel.data["sum"])
    off = abs(guess - total)
    if off <= 1e-9 * max(1.0, abs(total)):
        closeness, how = "exact", "exactly right."
    else:
        closeness = "close" if off <= max(1.0, 0.05 * abs(total)) else "off"
        how = f"off by {fmt(off)}."
    stored = f"The stored pixel, after display, is {channel.stored}"
    stored += f" ({channel.clip_note})." if channel.clipped else "."
    text = f"Your guess {fmt(guess)}; the sum is {channel.sum}: {how}"
    return GuessView((panel.x, panel.y), True, verdict=text, closeness=closeness, stored=stored)


def _hide(panel: Panel) -> None:
    summary = f"Output pixel x {panel.x}, y {panel.y}: guess the sum of the {panel.taps} products, then check."
    for channel in panel.channels:
        channel.sum = channel.value = channel.stored = channel.display_note = channel.clip_note = ""
        channel.clipped, channel.stored_swatch = False, None
        for row in channel.rows or []:
            for tap in row:
                tap.product = ""
                tap.sign = "none" if tap.sign == "none" else "hidden"
    panel.colour_rows, panel.colour = None, None
    panel.summary = summary
    panel.data = {key: panel.data[key] for key in KEPT_DATA} | {"summary": summary}
