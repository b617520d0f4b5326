"""Everything one page or fragment template needs, assembled from a request's query parameters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from urllib.parse import urlencode

from flask import url_for

from kernels.errors import InputError
from kernels.library.kernel_text import format_number
from kernels.library.presets import GROUPS, Preset
from web.page.combine_view import CombineView
from web.page.compare_view import CompareView, default_pixel, slot_states
from web.page.drawing_view import same_picture
from web.page.export_view import ExportsView
from web.page.extra_regions import add_extra_regions
from web.page.kernel_summary import KernelInfo, heatmap, kernel_info
from web.page.layer_page import LayerState, LayerView, add_layer, plan_layer
from web.page.options_view import OptionsView, build_options_view
from web.page.page_address import canonical_query, embed_snippet
from web.page.page_view import (
    DEFAULT_FACE_PIXEL,
    Figures,
    Heatmap,
    Matrix,
    WorkingSizeView,
    build_figures,
    build_matrix,
    check_engine,
    face_state,
    image_choices,
    working_size_view,
)
from web.page.quiz_view import FindView, WhichView, add_quiz, quiz_query, quiz_regions, resolve_quiz
from web.page.spectrum_view import SpectrumPanel, spectrum_panel
from web.page.views import PAGE_VIEWS, REGIONS_BY_VIEW, REGIONS_OF_PART
from web.present.kernel_api import KernelFacts, kernel_facts
from web.query.kernel_form import MAX_GRID_SIDE, KernelForm
from web.query.page_state import (
    SELECTION_PARAMS,
    SPEED_CHOICES,
    VIEWS,
    PageRequest,
    Selection,
    read_page,
    read_parts,
    read_selections,
)
from web.query.query_values import TRUE_TEXTS, pair_text
from web.query.quiz_params import QUIZ_PARAMS
from web.query.state import CELL_NAME, DEFAULT_IMAGE, State, size_text
from web.services.compute import Services

POINTING_PARAMS = (*SELECTION_PARAMS, "part")
"""What an answer to pointing changes in the request: the pixels chosen and which panel answers."""
GROUP_TITLES = {"blur": "Blur", "sharpen": "Sharpen", "edges": "Edges", "gradient": "Gradients", "other": "Other"}


@dataclass
class PageContext:
    """The template context of ``index.html``, ``embed.html`` and ``fragment.html``."""

    request: PageRequest
    view: str | None
    state: State
    kernel: KernelForm
    kernel_info: KernelInfo
    heatmap: Heatmap | None
    preset_groups: list[tuple[str, list[tuple[str, str]]]]
    options: dict[str, str]
    inspect: Figures | None
    play: Figures | None
    matrix: Matrix | None
    images: list[tuple[str, str, str]]
    working: WorkingSizeView | None
    page_url: str
    absolute_url: str
    embeds: list[dict[str, str]] = field(default_factory=list)
    good_query: str = ""
    parts: frozenset[str] | None = None
    combine: CombineView | None = None
    compare: CompareView | None = None
    exports: ExportsView | None = None
    explained: OptionsView | None = None  # the options region's rules, sizes and edge comparison
    quiz: WhichView | FindView | None = None  # the "quiz" region's question (web.page.quiz_view)
    layer: LayerView | None = None  # the layer section, on a whole page that shows it (web.page.layer_page)

    @property
    def ok(self) -> bool:
        return not self.request.errors

    @property
    def view_title(self) -> str:
        """The title of what this page shows (see :data:`PAGE_VIEWS`)."""
        return PAGE_VIEWS[self.view].title

    def shortcut(self, anchor: str = "", **changes: str) -> str:
        """A link to this page's state with only ``changes`` changed (an embed stays the same view)."""
        query = self.state.to_query() | changes
        if self.view:
            return url_for("pages.embed", **query, view=self.view)
        return url_for("pages.index", **query) + anchor

    @cached_property
    def facts(self) -> KernelFacts:
        """The kernel editor's properties: sum and meaning, separable factors and cost, rank."""
        weights = self.kernel.weights if self.kernel.weights is not None else self.state.kernel
        return kernel_facts(weights, self.state.options)

    @cached_property
    def spectrum(self) -> SpectrumPanel:
        """The "Frequencies" panel of the kernel the pictures show; worked out only when its region is rendered."""
        return spectrum_panel(self.state)

    @cached_property
    def errors(self) -> dict[str, str]:
        """Field → message, worded for people (a grid cell is "Row 2, column 3: ...", not ``k-1-2``)."""
        return {field: _worded(field, message) for field, message in self.request.errors.items()}

    @property
    def regions(self) -> tuple[str, ...]:
        """The regions a fragment answer replaces: every region of the view, or only the parts asked for."""
        regions = quiz_regions(self.request.quiz, self.view, REGIONS_BY_VIEW[self.view])
        if self.parts is None:
            return regions
        return tuple(r for part in sorted(self.parts) for r in REGIONS_OF_PART[part] if r in regions)

    @property
    def status(self) -> int:
        return 200 if self.ok else 400

    @property
    def speeds(self) -> list[int]:
        """The stepper's speed menu, in steps a second: the usual ones and the one asked for."""
        return sorted({*SPEED_CHOICES, self.request.speed})

    @property
    def size_choices(self) -> list[int]:
        return sorted({*range(1, MAX_GRID_SIDE + 1), *self.kernel.shape})


@dataclass
class PagePlan:
    """A request read and checked, with its addresses worked out, before anything is computed.

    Selections are already clamped to their outputs (the output's size needs no filtering), so the
    address bar and the pictures' addresses can be sent before the pictures are computed.
    """

    request: PageRequest
    view: str | None
    state: State
    parts: frozenset[str] | None
    inspect: Selection
    play: Selection
    page_query: str
    page_url: str
    outputs: dict[str, State]
    """The states of the output pictures the view shows, by the id of the ``<img>`` that shows each."""
    compare: Selection = field(default_factory=Selection)
    fragment: bool = False
    layer: LayerState | None = None

    @property
    def ok(self) -> bool:
        return not self.request.errors

    @property
    def status(self) -> int:
        return 200 if self.ok else 400


def plan_page(
    services: Services,
    args: Mapping[str, str],
    *,
    embed: bool,
    fragment: bool = False,
    extra_errors: Mapping[str, str] | None = None,
) -> PagePlan:
    """Read the request and let the engine check it on every picture the view shows.

    An answer to pointing (``part=``) differs from the last one only by the pixels chosen, so the request read and
    checked without them is kept (``services.pointed``) and only the pixels are read again."""
    if fragment and "part" in args and not extra_errors and not any(name in args for name in QUIZ_PARAMS):
        unpointed = {name: value for name, value in args.items() if name not in POINTING_PARAMS}
        key = (embed, frozenset(unpointed.items()))
        checked = services.pointed.get_or_make(key, lambda: _checked_request(services, unpointed, embed))
        errors: dict[str, str] = {}
        inspect, play, compare = read_selections(args, errors)
        request = replace(checked, inspect=inspect, play=play, compare=compare).with_errors(errors)
    else:
        request = _checked_request(services, args, embed).with_errors(extra_errors or {})
    view = request.view
    state = request.shown_state
    if request.state is not None and "good" in request.values and not same_picture(state.image, request.fallback.image):
        request = replace(request, play=Selection())  # a new picture: start from its centre, unpinned
    face = face_state(state)
    if view == "matrix":
        inspect = request.inspect.within(services.engine_input(face).shape[:2], DEFAULT_FACE_PIXEL)
    else:
        inspect = request.inspect.within(services.output_size(face), DEFAULT_FACE_PIXEL)
    play_size = services.output_size(state)
    play = request.play.within(play_size, (play_size[1] // 2, play_size[0] // 2))
    kernel_param = request.kernel.param if request.state is not None else state.kernel_text
    same = "good" not in request.values or same_picture(state.image, request.fallback.image)
    compare = request.compare if same else Selection()
    if state.compare:
        compare = compare.within(services.output_size(state.for_slot(0)), default_pixel(services, state))
    page_query = canonical_query(state, kernel_param, inspect, play, compare, request)
    page_query += quiz_query(request.quiz, (inspect.x, inspect.y))
    page_query, layer, layer_errors = plan_layer(services, request, page_query, view, check=not fragment)
    request = request.with_errors(layer_errors)
    page_url = url_for("pages.index") + "?" + page_query
    if view:
        page_url = url_for("pages.embed") + "?" + page_query + f"&view={view}"
    shows = (
        ("output-image", face, view in (None, "inspect")),
        ("play-output-image", state, view in (None, "playground")),
    )
    outputs = {element: s for element, s, shown in shows if shown}
    parts = read_parts(args.get("part", "")) if fragment else None
    return PagePlan(request, view, state, parts, inspect, play, page_query, page_url, outputs, compare, fragment, layer)


def _checked_request(services: Services, args: Mapping[str, str], embed: bool) -> PageRequest:
    """The request read, with the engine's and the budget's checks of every picture its view shows."""
    request = read_page(args, services.presets, embed=embed)
    view = request.view
    request = resolve_quiz(services, _check_image(services, request))
    if request.state is None:
        return request
    states = []
    if view in (None, "inspect", "matrix"):
        states.append(face_state(request.state))
    if view in (None, "playground", "camera"):  # camera: a state its frames would refuse is shown by its field
        states.append(request.state)
    if view in (None, "compare"):
        states += slot_states(request.state)
    return check_engine(services, request, states)


def build_context(services: Services, plan: PagePlan) -> PageContext:
    """Compute what the plan's view shows: the regions' pictures and panels (section 1 only on full pages)."""
    request, view, state, parts = plan.request, plan.view, plan.state, plan.parts
    inspect = play = matrix = None
    if view in (None, "inspect") and (parts is None or "inspect" in parts):
        inspect = build_figures(services, face_state(state), plan.inspect, "inspect", values=parts is None)
    if view in (None, "playground") and (parts is None or "play" in parts):
        play = build_figures(services, state, plan.play, "play", values=parts is None)
    if view in (None, "matrix") and not plan.fragment:  # section 1 is never swapped: its numbers never change
        chosen = (inspect.panel.input_x, inspect.panel.input_y) if inspect else (plan.inspect.x, plan.inspect.y)
        matrix = build_matrix(services, state, chosen)

    kernel = request.kernel
    if kernel.weights is not None:
        weights, preset = kernel.weights, services.presets.get(kernel.preset)
    else:  # a cell is wrong: describe the kernel the pictures still show
        weights, preset = state.kernel, services.presets.get(state.preset or "")
    whole = parts is None  # pointing at a pixel redraws a panel only: skip what only other regions show
    context = PageContext(
        request=request,
        view=view,
        state=state,
        kernel=kernel,
        kernel_info=kernel_info(weights, preset, kernel.generator_view.title if kernel.generator else ""),
        heatmap=None if kernel.as_grid or not whole else heatmap(weights),
        preset_groups=preset_groups(services.presets) if whole else [],
        options=option_texts(request, state),
        inspect=inspect,
        play=play,
        matrix=matrix,
        images=image_choices(services, request.values.get("image", state.image)) if whole else [],
        working=working_size_view(services, state) if whole else None,
        page_url=plan.page_url,
        absolute_url=url_for("pages.index", _external=True) + "?" + plan.page_query,
        good_query=urlencode(state.to_query()),
        parts=parts,
    )
    if whole:
        context.embeds = [embed_snippet(v, plan.page_query) for v in VIEWS]
        context.explained = build_options_view(services, state, view)
    add_extra_regions(services, plan, context)
    add_quiz(services, plan, context)
    add_layer(services, plan, context)
    return context


def _worded(field: str, message: str) -> str:
    match = CELL_NAME.match(field)
    if match is None:
        return message
    rule = message.split(": ", 1)[1] if ": " in message else message
    return f"Row {int(match[1]) + 1}, column {int(match[2]) + 1}: {rule}"


def _check_image(services: Services, request: PageRequest) -> PageRequest:
    """The request with an unknown sample or an evicted upload as the ``image`` field's error, not a crash later.
    The rest of the link is kept: the page shows the same kernel and options on the default picture. Each picture
    is looked up once, even when the state and the last good one show the same."""
    state, fallback = request.state, request.fallback
    names = {fallback.image} if state is None else {fallback.image, state.image}
    problems = {name: _image_problem(services, name) for name in names}
    problem = None if state is None else problems[state.image]
    if problem is not None and (fallback.image == state.image or "good" not in request.values):
        request = replace(request, fallback=replace(state, image=DEFAULT_IMAGE))
    if problems[fallback.image] is not None:  # the last good state's own picture is gone too: it wins
        request = replace(request, fallback=replace(fallback, image=DEFAULT_IMAGE))
    return request if problem is None else request.refused("image", problem)


def _image_problem(services: Services, image: str) -> str | None:
    """Why the picture named ``image`` cannot be read (unknown, or removed from the store), or None."""
    try:
        services.rgb_image(image)
    except InputError as err:
        return err.message
    return None


def preset_groups(presets: Mapping[str, Preset]) -> list[tuple[str, list[tuple[str, str]]]]:
    groups = []
    for group in GROUPS:
        items = [(p.name, p.title) for p in presets.values() if p.group == group]
        if items:
            groups.append((GROUP_TITLES.get(group, group.title()), items))
    return groups


def option_texts(request: PageRequest, state: State) -> dict[str, str]:
    """Each option field's text: what was typed if anything, else the value in force."""
    o = state.options
    texts = {
        "op": o.op,
        "edge": o.edge,
        "cval": format_number(o.cval),
        "divisor": format_number(o.divisor),
        "offset": format_number(o.offset),
        "stride": pair_text(o.stride),
        "dilation": pair_text(o.dilation),
        "repeat": str(o.repeat),
        "origin": "" if o.origin is None else f"{o.origin[0]},{o.origin[1]}",
        "color": state.color,
        "display": state.display,
        "image": state.image,
        "normalize": "1" if o.normalize else "",
        "size": size_text(state.size),
    }
    submitted = request.values
    if request.from_form or request.errors:
        for name in texts:
            if name == "normalize":
                texts[name] = "1" if submitted.get(name, "").strip().lower() in TRUE_TEXTS else ""
            elif name in submitted:
                texts[name] = submitted[name]
    return texts
