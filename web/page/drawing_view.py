"""What the pages show of a drawing: the picture menu's "Draw your own" entries, the start buttons, and the grey
levels the page's script edits (see ``imaging.drawing`` for the ``image=draw:…`` value itself)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from imaging.drawing import SIDE, STARTS, drawing_grey, is_drawing, start_value
from web.query.state import State

GROUP = "Draw your own"
"""The picture menu's group of drawings."""
YOURS = "Your drawing"


@dataclass(frozen=True)
class DrawingView:
    """The drawing a page shows: its canonical ``image`` value, its grey levels (0–255, row by row, top row
    first, joined by commas: what ``static/draw.js`` paints on) and its side in pixels."""

    value: str
    pixels: str
    side: int = SIDE


@dataclass(frozen=True)
class StartButton:
    """One way to begin a drawing: the ``image`` value it sets, its one-word label and what it shows."""

    value: str
    label: str
    title: str


def drawing_view(state: State) -> DrawingView | None:
    """The drawing ``state`` shows, or None when its picture is not a drawing."""
    if not is_drawing(state.image):
        return None
    grey = drawing_grey(state.image)
    return DrawingView(state.image, ",".join(str(v) for v in grey.ravel().tolist()))


def start_buttons() -> list[StartButton]:
    """The starts, in the order the page offers them (the face first)."""
    return [StartButton(start_value(start.name), start.label, start.title) for start in STARTS]


def drawing_choices(current: str) -> list[tuple[str, str, str]]:
    """(value, label, group) for the picture menu: each start, and first the drawing ``current`` (the ``image``
    value as sent, so the menu keeps showing it) when it is a drawing but no start."""
    choices = [(start_value(start.name), f"New drawing: {start.title}", GROUP) for start in STARTS]
    if is_drawing(current) and current not in {value for value, _, _ in choices}:
        choices.insert(0, (current, YOURS, GROUP))
    return choices


def same_picture(image: str, other: str) -> bool:
    """Whether two ``image`` values show the same picture to point at: the same one, or two drawings (an edit
    of a drawing keeps the pixel being explained where it was)."""
    return image == other or (is_drawing(image) and is_drawing(other))


def register(app: Flask) -> None:
    """Let the templates ask for the drawing of a state and for the start buttons."""
    app.add_template_global(drawing_view, "drawing_view")
    app.add_template_global(start_buttons, "draw_starts")
    app.jinja_env.globals["draw_side"] = SIDE
