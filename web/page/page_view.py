"""From a read page request to what the templates show: figures, overlays, panels, the face's numbers.

The face of sections 1–2 is always the grey 32×32 sample ``face``; the playground
uses the state's own ``image`` and ``color``. Every number comes from the engine
through :class:`web.services.compute.Services`; this module only decides what to show
where (positions of the window over the input, in percent of the picture).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
from flask import url_for
from markupsafe import Markup

from imaging.images import working_shape
from imaging.preview import MIN_PSNR_DB, is_lossy_size
from imaging.samples import list_samples
from imaging.store import is_image_id
from kernels.engine import validate
from kernels.errors import InputError
from kernels.teaching.display import render
from kernels.teaching.explain import PixelExplanation
from web.page.drawing_view import drawing_choices
from web.page.histogram_view import HistogramView, histogram_view
from web.present.panel import MAX_TABLE_TAPS, Panel, build_panel, flip_view, shade
from web.query.page_state import PageRequest, Selection
from web.query.state import DEFAULT_SIZE, State, size_text
from web.services.compute import Services

FACE = "face"
INSPECT_SCALE = 9
"""Screen pixels per face pixel in section 2 (32 × 9 = 288 px)."""
PLAY_WIDTH = 420
"""Widest the playground shows a picture, in CSS pixels."""
DEFAULT_FACE_PIXEL = (12, 13)
"""Where section 2 points before anyone chooses: the astronaut's left eye (x, y)."""


@dataclass
class Mark:
    """A box drawn over a picture, positioned in percent of it (it may stick out past the border)."""

    kind: str
    left: float
    top: float
    width: float
    height: float
    background: str = ""
    label: str = ""
    text: str = ""  # a number drawn inside the mark (the weight over a tap when convolving)

    def style(self) -> str:
        style = f"left:{self.left:.4f}%;top:{self.top:.4f}%;width:{self.width:.4f}%;height:{self.height:.4f}%"
        return style + (f";background:{self.background}" if self.background else "")


@dataclass
class Figure:
    """One picture that can be pointed at, with the map from its pixels to output pixels for the script."""

    element_id: str
    src: str
    """Where the ``<img>`` loads the picture: its preview (``/api/preview/…``, see :mod:`imaging.preview`)."""
    alt: str
    width: int
    height: int
    css_width: float
    area: str
    start: tuple[int, int]
    step: tuple[int, int]
    out_size: tuple[int, int]
    marks: list[Mark] = field(default_factory=list)
    picture_route: str | None = None
    """Where the page loads this output picture from during an edit (``/picture``); None for the others."""
    img_src: str | None = None
    """Another address of the same picture that the page's ``<img>`` already shows (see ``web.page.pictures``)."""
    marks_region: str | None = None
    """The region that draws ``marks`` over the picture (see ``web.page.regions.NESTED``); None: drawn in place."""
    api_src: str | None = None
    """The exact picture (``/api/output.png?<state>``) for an output figure; None for the others."""

    @property
    def lossy_preview(self) -> bool:
        """Whether the page shows this picture as a JPEG preview rather than exactly."""
        return is_lossy_size(self.width, self.height)

    @property
    def preview_bound(self) -> str:
        return f"{int(MIN_PSNR_DB)}"


@dataclass
class Figures:
    """Section 2 or the playground: the state it ran, its two figures and the panel of the selected pixel."""

    state: State
    selection: Selection
    input_figure: Figure
    output_figure: Figure
    panel: Panel
    out_size: tuple[int, int]
    histogram: HistogramView | None = None

    @property
    def steps(self) -> int:
        """How many output pixels the stepper goes through."""
        return self.out_size[0] * self.out_size[1]

    @property
    def step(self) -> int:
        """The selected pixel's number in raster order, from 1 (top-left) to :attr:`steps` (bottom-right)."""
        return self.selection.y * self.out_size[1] + self.selection.x + 1

    @property
    def step_text(self) -> str:
        """Where the stepper is, for people: "Pixel 38 of 1,024"."""
        return f"Pixel {self.step:,} of {self.steps:,}"


def face_state(state: State) -> State:
    """Sections 1–2 run the page's kernel and options on the grey face (one kernel: combine is the playground's)."""
    return replace(state, image=FACE, color="gray", combine=None, kernel2=None, kernel2_default=False, compare=())


def check_engine(services: Services, request: PageRequest, states: list[State]) -> PageRequest:
    """The request, or, when the engine refuses any region's state (kernel larger than the image in crop mode, a
    display that does not fit the channels...) or the budget refuses them all together, the request without a
    state and with that refusal among its errors."""
    if request.state is None:
        return request
    try:
        for state in states:
            image = services.engine_input(state)
            validate(image.shape, state.kernel, state.options)
            render(np.zeros((1, 1, *image.shape[2:]), dtype=np.float32), state.display)  # display fits the channels
        services.check_budget(states, compared=len(request.state.compare))
    except InputError as err:
        return request.refused(err.field, err.message)
    return request


def build_figures(services: Services, state: State, selection: Selection, area: str, *, values: bool = True) -> Figures:
    """Compute (cached) the result, explain the selected pixel, and place the overlays; ``values=False`` leaves
    out the histogram of raw values (an answer to a pointer move does not redraw it)."""
    image = services.engine_input(state)
    result = services.result(state)
    in_h, in_w = image.shape[:2]
    out_h, out_w = result.raw.shape[:2]
    default = DEFAULT_FACE_PIXEL if area == "inspect" else (out_w // 2, out_h // 2)
    x = _clamp(selection.x if selection.x is not None else default[0], out_w)
    y = _clamp(selection.y if selection.y is not None else default[1], out_h)
    info = services.explain(state, x, y)
    panel = build_panel(info, state.options, state.display, result.origin, result.last_input.shape[:2])
    panel.flip = flip_view(state.kernel, result.weights, result.origin, state.options)
    sy, sx = state.options.stride
    start = (info.input_x - x * sx, info.input_y - y * sy)

    scale = INSPECT_SCALE if area == "inspect" else min(PLAY_WIDTH / max(in_w, in_h), 12.0)
    in_query = state.input_query()
    prefix = "" if area == "inspect" else "play-"
    name = "the face" if area == "inspect" else "the picture"
    input_figure = Figure(
        f"{prefix}input-image",
        url_for("api.input_preview", **in_query),
        f"Input: {name}, {in_w}×{in_h} pixels",
        in_w,
        in_h,
        in_w * scale,
        area,
        start,
        (sx, sy),
        (out_w, out_h),
    )
    output_figure = Figure(
        f"{prefix}output-image",
        url_for("api.output_preview", **state.to_query()),
        f"Output: {name} after the kernel, {out_w}×{out_h} pixels",
        out_w,
        out_h,
        out_w * scale * sx,
        area,
        (0, 0),
        (1, 1),
        (out_w, out_h),
        picture_route=url_for("pages.picture"),
        api_src=url_for("api.output_png", **state.to_query()),
    )
    input_figure.marks = _window_marks(panel, info, state, result.origin, (in_h, in_w), detailed=area == "inspect")
    output_figure.marks = [_box("pixel", x, y, 1, 1, (out_h, out_w), label=f"output pixel x {x}, y {y}")]
    if selection.step is not None:
        output_figure.marks += _unfilled_marks(x, y, (out_h, out_w))
    if area == "play":
        output_figure.marks.append(_box("reticle", x, y, 1, 1, (out_h, out_w)))
        input_figure.marks.append(_box("reticle", info.input_x, info.input_y, 1, 1, (in_h, in_w)))
    input_figure.marks_region, output_figure.marks_region = f"{area}-marks-in", f"{area}-marks-out"
    return Figures(
        state,
        Selection(x, y, selection.pinned, selection.step),
        input_figure,
        output_figure,
        panel,
        (out_h, out_w),
        histogram_view(services, state, area) if values else None,
    )


def _clamp(value: int, size: int) -> int:
    return min(max(value, 0), size - 1)


def _box(kind: str, x: float, y: float, w: float, h: float, size: tuple[int, int], **extra) -> Mark:
    height, width = size
    return Mark(kind, 100 * x / width, 100 * y / height, 100 * w / width, 100 * h / height, **extra)


def _unfilled_marks(x: int, y: int, size: tuple[int, int]) -> list[Mark]:
    """Stepping: the output pixels after (x, y) in raster order, not computed yet, as at most two boxes (the
    rest of row y, and the rows below it)."""
    height, width = size
    marks = []
    if x + 1 < width:
        marks.append(_box("unfilled", x + 1, y, width - x - 1, 1, size))
    if y + 1 < height:
        marks.append(_box("unfilled", 0, y + 1, width, height - y - 1, size))
    return marks


def _window_marks(
    panel: Panel,
    info: PixelExplanation,
    state: State,
    origin: tuple[int, int],
    size: tuple[int, int],
    *,
    detailed: bool,
) -> list[Mark]:
    """The window's outline over the input, and each tap past the border shaded with the value it read."""
    kh, kw = panel.kernel_shape
    dy, dx = state.options.dilation
    first = info.channels[0]
    top = info.input_y - origin[0] * dy
    left = info.input_x - origin[1] * dx
    marks = [
        _box(
            "window",
            left,
            top,
            (kw - 1) * dx + 1,
            (kh - 1) * dy + 1,
            size,
            label=f"{kh}×{kw} window around input x {info.input_x}, y {info.input_y}",
        )
    ]
    height, width = size
    if detailed and kh * kw <= MAX_TABLE_TAPS and state.options.op == "convolve":
        # The weights as multiplied (already turned 180°), each over the input pixel it multiplies.
        for i, row in enumerate(first.weights):
            for j, weight in enumerate(row):
                marks.append(_box("weight", left + j * dx, top + i * dy, 1, 1, size, text=short_weight(weight)))
    if detailed and kh * kw <= MAX_TABLE_TAPS:
        for i in range(kh):
            for j in range(kw):
                ty, tx = top + i * dy, left + j * dx
                if 0 <= ty < height and 0 <= tx < width:
                    if dy > 1 or dx > 1:
                        marks.append(_box("tap", tx, ty, 1, 1, size))
                    continue
                value = first.window[i][j]
                background = "" if value is None else shade(value, "gray")[0]
                marks.append(
                    _box("ghost" if value is not None else "skipped", tx, ty, 1, 1, size, background=background)
                )
    marks.append(_box("centre", info.input_x, info.input_y, 1, 1, size))
    return marks


def short_weight(weight: float) -> str:
    """A weight in at most four characters, to fit over one pixel: ``-1``, ``5``, ``.06``, ``1.5``, ``-476``."""
    w = float(weight)
    if w == round(w) and abs(w) < 1e4:
        text = str(round(w))
    elif abs(w) >= 10:
        text = f"{w:.0f}"
    elif abs(w) >= 1:
        text = f"{w:.1f}"
    else:
        text = f"{w:.2f}".replace("0.", ".", 1)
        if text in (".00", "-.00"):
            text = "≈0"
    return text  # a hyphen-minus: narrower than "−", and the marks are not read out


@dataclass
class Matrix:
    """Section 1: the face's grey levels, their shades, and the highlighted input pixel."""

    values: list[list[int]]
    selected: tuple[int, int]
    width: int
    height: int
    src: str

    @property
    def body(self) -> Markup:
        """The table's rows: each grey level on its own shade, the selected one marked (``class="sel"``)."""
        rows = list(_matrix_rows(tuple(map(tuple, self.values))))
        sx, sy = self.selected
        cells = rows[sy].split("<td ")
        cells[sx + 1] = 'class="sel" tabindex="0" ' + cells[sx + 1]
        rows[sy] = "<td ".join(cells)
        return Markup("".join(rows))  # numbers and colours only


@lru_cache(maxsize=2)
def _matrix_rows(values: tuple[tuple[int, ...], ...]) -> tuple[str, ...]:
    """The HTML of each row of the grey levels' table, none selected; the same face every time, so made once."""
    table = [shade(v, "gray") for v in range(256)]
    return tuple(
        f'<tr><th scope="row">{y}</th>'
        + "".join(f'<td style="background:{table[v][0]};color:{table[v][1]}">{v}</td>' for v in row)
        + "</tr>"
        for y, row in enumerate(values)
    )


def build_matrix(services: Services, state: State, selected: tuple[int, int]) -> Matrix:
    face = face_state(state)
    grey = np.clip(np.rint(services.engine_input(face)), 0, 255).astype(int)
    height, width = grey.shape
    sx = _clamp(selected[0], width)
    sy = _clamp(selected[1], height)
    return Matrix(grey.tolist(), (sx, sy), width, height, url_for("api.input_png", image=FACE))


@dataclass
class Heatmap:
    """A kernel too large for a grid of inputs, drawn with the signed colour map."""

    src: str
    rows: int
    cols: int


def image_choices(services: Services, current: str) -> list[tuple[str, str, str]]:
    """(value, label, group) for the picture menu: the samples, the current upload if there is one, then the
    drawings (see :func:`web.page.drawing_view.drawing_choices`)."""
    choices = [(s.name, s.title, "Photos" if s.kind == "photo" else "Patterns") for s in list_samples()]
    if is_image_id(current) and current not in {name for name, _, _ in choices}:
        choices.append((current, "Your picture", "Uploads"))
    return choices + drawing_choices(current)


WORKING_SIZES = (DEFAULT_SIZE, 1024, 2048)
"""The working sizes the playground offers besides the picture as uploaded (``size=full``)."""


@dataclass(frozen=True)
class WorkingSizeView:
    """The playground's working-size menu: the picture's own size, the size the engine reads, and the choices.

    ``choices`` holds (value of ``size``, label, selected); a label says the size in pixels and what it costs
    against the default, since work and bytes grow with the pixel count.
    """

    original: tuple[int, int]
    working: tuple[int, int]
    choices: list[tuple[str, str, bool]]


def working_size_view(services: Services, state: State) -> WorkingSizeView | None:
    """The menu for pictures larger than the default working size (or when a size was asked for); else None."""
    height, width = services.rgb_image(state.image).shape[:2]
    if height * width <= DEFAULT_SIZE * DEFAULT_SIZE and state.size == DEFAULT_SIZE:
        return None
    base_h, base_w = working_shape(height, width, DEFAULT_SIZE)
    choices = []
    for size in (*WORKING_SIZES, None):
        h, w = working_shape(height, width, size)
        if size is not None and (h, w) == (height, width):
            continue  # the same as the picture as uploaded
        cost = (h * w) / (base_h * base_w)
        name = "As uploaded" if size is None else ("Default" if size == DEFAULT_SIZE else f"Up to {size}²")
        label = f"{name}: {w}×{h}" + ("" if cost < 1.5 else f", about {cost:.0f}× the work and bytes")
        choices.append((size_text(size), label, size == state.size))
    working_h, working_w = working_shape(height, width, state.size)
    return WorkingSizeView((width, height), (working_w, working_h), choices)
