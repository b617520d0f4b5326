"""What a page request asks for: the engine state plus the page's own parameters and the kernel-editor form.

A page URL is the API state (``image``, ``kernel``, ``edge``...) plus:

* ``x``, ``y``, ``pin`` — the selected output pixel of sections 1–2 (the 32×32 face) and whether it is pinned;
* ``px``, ``py``, ``ppin`` — the same for the playground photo;
* ``step``, ``pstep`` — stepping through section 2 or the playground: the selected output pixel as its number
  in raster order (1 is the top-left pixel, ``width × height`` the bottom-right); it stands for ``x``, ``y`` and
  ``pin``, and the output is shown filled in up to that pixel;
* ``autoplay``, ``speed``, ``loop`` — the stepper starts playing on load (never when the browser asks for reduced
  motion), at ``speed`` steps a second (1–30, default 5), and starts again at the end;
* ``view`` — which section ``/embed`` shows (``matrix``, ``inspect``, ``playground``, ``compare``, ``code``,
  ``camera``, ``quiz`` or ``layer``);
* ``layer``, ``filters``, ``bias``, ``groups``, ``act``, ``pool``, ``lstride``, ``ldilation``, ``ledge``, ``lsize``,
  ``lf``, ``lx``, ``ly``, ``lmap``, ``lpin`` — the layer section (see :mod:`web.query.layer_state`);
* ``quiz``, ``question``, ``pick``, ``guess`` — "Predict, then reveal", off by default (see
  :mod:`web.query.quiz_params`).

The kernel tools are buttons of the same form (``tool=rotate-left``...): the answer shows the edited kernel and
its permalink holds the result, never the tool. The generator picker and its sliders (``gen``, ``g-*``,
``generated``; see :mod:`web.query.generator_form`) fill the grid with a generator's weights, and the permalink keeps
the call (``kernel=gaussian(7,1.5)``) until a cell is edited by hand. ``base`` is the preset or generator the grid
was last filled from: what "reset" goes back to.

The kernel-editor form adds fields that never appear in a permalink: the grid cells ``k-ROW-COL``, the preset
menu ``preset``, the preset the grid was last filled from ``loaded``, the size pickers ``rows``/``cols`` and
``good`` (the last state that worked, so an error can keep showing its pictures). Reading the form never stops
at the first problem: every bad cell gets its own message, and everything typed is kept to be shown again. The
kernel editor's own fields are read by :mod:`web.query.kernel_form`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl

from kernels import limits
from kernels.errors import InputError
from kernels.library.presets import Preset
from web.query import generator_form
from web.query.kernel_choice import conventional_x
from web.query.kernel_form import KernelForm, form_tool, read_kernel, record
from web.query.layer_state import LAYER_PARAMS
from web.query.pickers import PICKER_PARAMS, fold_pickers
from web.query.query_values import TRUE_TEXTS, parse_int
from web.query.quiz_params import QUIZ_PARAMS, QuizRequest, read_quiz
from web.query.state import CELL_NAME, State, default_kernel, parse_state

SELECTION_PARAMS: tuple[str, ...] = ("x", "y", "pin", "step", "px", "py", "ppin", "pstep", "cx", "cy", "cpin")
STEPPER_PARAMS: tuple[str, ...] = ("autoplay", "speed", "loop")
MIN_SPEED, MAX_SPEED, DEFAULT_SPEED = 1, 30, 5
"""Steps a second the stepper may play at."""
SPEED_CHOICES: tuple[int, ...] = (1, 2, 3, 5, 8, 10, 15, 20, 30)
"""The speeds the stepper's menu offers (a link may ask for any other from 1 to 30)."""
FORM_PARAMS: tuple[str, ...] = (
    "preset",
    "loaded",
    "rows",
    "cols",
    "good",
    *PICKER_PARAMS,
    "tool",
    "base",
    *generator_form.FORM_FIELDS,
)
PAGE_PARAMS: tuple[str, ...] = (
    *SELECTION_PARAMS,
    *STEPPER_PARAMS,
    "view",
    "part",
    *FORM_PARAMS,
    *QUIZ_PARAMS,
    *LAYER_PARAMS,
)
PARTS: tuple[str, ...] = ("inspect", "play", "compare")
"""Regions a fragment request may ask for alone (``part=play``): pointing at a pixel redraws only its panel."""
VIEWS: tuple[str, ...] = ("matrix", "inspect", "playground", "compare", "code", "camera", "quiz", "layer")
DEFAULT_VIEW = "inspect"


@dataclass(frozen=True)
class Selection:
    """A selected output pixel (None: not chosen yet, the page picks one) and whether hovering may move it.

    ``step`` is set while stepping through the output: the pixel's number in raster order, from 1.
    """

    x: int | None = None
    y: int | None = None
    pinned: bool = False
    step: int | None = None

    def within(self, size: tuple[int, int], default: tuple[int, int]) -> Selection:
        """This selection on an output of ``size`` (height, width): ``default`` (x, y) when none was chosen,
        a step turned into its pixel, everything clamped to the output."""
        height, width = size
        if self.step is not None:
            step = min(max(self.step, 1), width * height)
            return Selection((step - 1) % width, (step - 1) // width, True, step)
        x = default[0] if self.x is None else self.x
        y = default[1] if self.y is None else self.y
        return Selection(min(max(x, 0), width - 1), min(max(y, 0), height - 1), self.pinned)


@dataclass(frozen=True)
class PageRequest:
    """One page or fragment request, read without giving up at the first error; never changed once read (the
    checks that follow make a new one: :meth:`with_errors`, :meth:`refused`).

    ``state`` is None when anything is wrong; ``fallback`` is then the last state that worked (from ``good``)
    and the pictures show it while the form shows what was typed, with ``errors`` (field → message).
    """

    values: dict[str, str]
    kernel: KernelForm
    state: State | None
    fallback: State
    errors: dict[str, str] = field(default_factory=dict)
    view: str | None = None
    inspect: Selection = Selection()
    play: Selection = Selection()
    from_form: bool = False
    compare: Selection = Selection()
    autoplay: bool = False
    speed: int = DEFAULT_SPEED
    loop: bool = False
    quiz: QuizRequest = field(default_factory=QuizRequest)  # see web.query.quiz_params

    @property
    def shown_state(self) -> State:
        """The state the pictures and the panels are computed from."""
        return self.state if self.state is not None else self.fallback

    def with_errors(self, errors: Mapping[str, str]) -> PageRequest:
        """This request with more messages (field → message); a field keeps the message it had first."""
        added = {name: message for name, message in errors.items() if name not in self.errors}
        return replace(self, errors={**self.errors, **added}) if added else self

    def refused(self, field_name: str, message: str) -> PageRequest:
        """This request after a check refused its state: no state (the pictures show the fallback), and why."""
        return replace(self.with_errors({field_name: message}), state=None)


def read_page(args: Mapping[str, str], presets: Mapping[str, Preset], *, embed: bool = False) -> PageRequest:
    """Read a page's query parameters (first value of each); never raises :class:`InputError`."""
    errors: dict[str, str] = {}
    good = _good_state(args.get("good", ""), presets)
    args = fold_pickers(args, presets, good)
    values = {name: value for name, value in args.items() if not CELL_NAME.match(name)}
    kernel = read_kernel(args, presets, errors, good.kernel)
    if "good" in args and values.get("combine") and good.combine is None and not values.get("kernel2"):
        # Combine just turned on in the form (a link keeps its kernels): a gradient pair starts from right − left,
        # so that its direction points where brightness increases.
        start = conventional_x(kernel.param, presets, values.get("op", "correlate"))
        if start is not None:
            kernel = read_kernel({"kernel": start}, presets, errors, good.kernel)

    state_args = {name: value for name, value in values.items() if name not in PAGE_PARAMS and name != "kernel"}
    if kernel.weights is None:
        rows, cols = kernel.shape
        state_args["kernel"] = ";".join([",".join(["0"] * cols)] * rows)
    else:
        state_args["kernel"] = kernel.param
    if kernel.invalid_text is not None:
        state_args["kernel"] = default_kernel(presets)
    read = kernel.choice if kernel.invalid_text is None else None
    state = record(errors, lambda: parse_state(state_args, presets, PAGE_PARAMS, kernel=read))
    tool = values.get("tool", "").strip()
    if tool and state is not None and not errors:
        state, kernel = form_tool(state, kernel, tool, presets, values, errors)

    view = None
    if embed:
        view = values.get("view", "").strip() or DEFAULT_VIEW
        if view not in VIEWS:
            errors["view"] = f"view: must be one of {', '.join(VIEWS)} (received {view!r})"
            view = DEFAULT_VIEW
    if state is None and "good" not in args:  # a shared link: show what it got right, beside what it got wrong
        good = _salvaged(state_args, presets, errors) or good
    inspect, play, compare = read_selections(args, errors)
    return PageRequest(
        values=values,
        kernel=kernel,
        state=state if not errors else None,
        fallback=good,
        errors=errors,
        view=view,
        inspect=inspect,
        play=play,
        from_form=any(name in args for name in FORM_PARAMS) or len(values) != len(args),
        compare=compare,
        autoplay=args.get("autoplay", "").strip().lower() in TRUE_TEXTS,
        loop=args.get("loop", "").strip().lower() in TRUE_TEXTS,
        speed=record(errors, lambda: parse_int(args, "speed", MIN_SPEED, MAX_SPEED, DEFAULT_SPEED)) or DEFAULT_SPEED,
        quiz=read_quiz(args, errors),
    )


def _salvaged(state_args: Mapping[str, str], presets: Mapping[str, Preset], errors: dict[str, str]) -> State | None:
    """The state of a link with every parameter that cannot be used left out (its default taken instead), or
    None when even that fails. Each one left out is filed in ``errors``, for the page to explain beside its field."""
    kept = dict(state_args)
    for _ in range(len(kept) + 1):
        try:
            return parse_state(kept, presets, PAGE_PARAMS)
        except InputError as err:
            errors.setdefault(err.field, err.message)
            name = err.field.split("[")[0]  # compare[2] → compare
            if name not in kept:
                return None
            del kept[name]
    return None


def read_parts(text: str) -> frozenset[str] | None:
    """The regions a fragment request asks for; None for all of them (also for anything unrecognised)."""
    parts = frozenset(p.strip() for p in text.split(",") if p.strip())
    return parts if parts and parts <= set(PARTS) else None


def read_selections(args: Mapping[str, str], errors: dict[str, str]) -> tuple[Selection, Selection, Selection]:
    """The pixels chosen in section 2, the playground and compare (``SELECTION_PARAMS``); bad values are filed in
    ``errors`` and left out."""
    return (
        _selection(args, ("x", "y", "pin", "step"), errors),
        _selection(args, ("px", "py", "ppin", "pstep"), errors),
        _selection(args, ("cx", "cy", "cpin", ""), errors),
    )


def _selection(args: Mapping[str, str], names: tuple[str, str, str, str], errors: dict[str, str]) -> Selection:
    """The (x, y, pin, step) parameters named ``names``; an empty step name: the area has no stepper."""
    x_name, y_name, pin_name, step_name = names
    top = limits.MAX_IMAGE_SIDE - 1
    x = record(errors, lambda: parse_int(args, x_name, 0, top))
    y = record(errors, lambda: parse_int(args, y_name, 0, top))
    step = record(errors, lambda: parse_int(args, step_name, 1, limits.MAX_IMAGE_SIDE**2)) if step_name else None
    return Selection(x, y, args.get(pin_name, "").strip().lower() in TRUE_TEXTS or step is not None, step)


def _good_state(text: str, presets: Mapping[str, Preset]) -> State:
    """The last state that worked, carried by the form; the default state when missing or unreadable."""
    if text:
        try:
            return parse_state(dict(parse_qsl(text)), presets)
        except (InputError, ValueError):
            pass
    return parse_state({}, presets)
