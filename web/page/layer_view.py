"""What the layer section shows, assembled for its templates: the controls, each filter's grids and maps, the
input, the panel for the chosen pixel and the code.

Every number comes from the engine (:mod:`kernels.teaching.layer`, :mod:`kernels.teaching.layer_explain`); this
module lays the results out, names the pictures' addresses and words the settings. The full page and
``/embed?view=layer`` build it when they are rendered whole (never for an answer to the rest of the page); the
section's own answers (``/layer/fragment``) build it from the section's form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

import numpy as np
from flask import url_for

from kernels.errors import InputError
from kernels.exports.layer_code import TORCH_PADDING_MODES, LayerExport
from kernels.library.kernel_text import format_for_people
from kernels.library.layer_presets import Bank, load_banks
from kernels.options import EDGE_MODES, EDGE_WORDS
from kernels.teaching.display import SIGNED_COLOURS, stored_value
from kernels.teaching.layer import FILTER_SIDES, MAX_FILTERS, POOL_SIZE, LayerResult
from kernels.teaching.layer_explain import LayerPixel, PoolPixel, explain_pixel, explain_pool
from web.page.layer_code import code_items
from web.present.panel import shade, text_colour_on
from web.query.layer_form import MODE_TITLES, channel_word, mode_of
from web.query.layer_state import LAYER_PARAMS, LayerState, Texts
from web.query.query_values import READABLE, pair_text
from web.services.layer_compute import LayerServices, map_of, scale_of

MAP_TITLES = {"pre": "Before activation", "act": "After ReLU", "pool": "After pooling"}
MAP_SHORT = {"pre": "sum + bias", "act": "after ReLU", "pool": "pooled"}
"""The maps in the chosen pixel's menu, where the column is narrow."""
ACTIVATION_TITLES = {"relu": "ReLU: max(value, 0)", "none": "None: the sums as they are"}
POOL_TITLES = {"max": "Max, 2×2, stride 2", "avg": "Average, 2×2, stride 2", "none": "None"}


def _edge_title(mode: str) -> str:
    """An edge mode as the layer's menu names it: with PyTorch's name where it has one; the layer pads with 0."""
    if mode == "constant":
        return "Zeros (Conv2d's default)"
    torch = "valid, no padding" if mode == "crop" else TORCH_PADDING_MODES.get(mode)
    return f"{EDGE_WORDS[mode].title} ({torch})" if torch else EDGE_WORDS[mode].title


EDGE_TITLES = {mode: _edge_title(mode) for mode in EDGE_MODES}
LAYER_SIZES = (64, 128, 256, 512)
"""Working sizes the section's menu offers (a link may ask for any from 32 to 4096)."""
MAX_TAP_TABLE = 27
"""Filters with more taps than this (grids × rows × columns) show their tap tables folded."""
CHANNEL_CLASS = {"grey": "grey", "red": "r", "green": "g", "blue": "b"}


@dataclass
class Cell:
    """One typed number of the form: its field name, text, label for screen readers and whether it is wrong."""

    name: str
    text: str
    label: str
    error: bool = False


@dataclass
class MapFigure:
    """One feature-map picture: which map, its address, its size in pixels, and the mark of the chosen pixel."""

    which: str
    title: str
    src: str
    width: int
    height: int
    mark: tuple[float, float, float, float] | None = None  # left, top, width, height in % of the picture


@dataclass
class FilterRow:
    """One filter: its grids (one per channel it reads), bias, maps and colour scale."""

    index: int
    title: str
    reads: str
    grids: list[tuple[str, str, list[list[Cell]]]]  # (channel word, css class, rows of cells)
    bias: Cell
    maps: list[MapFigure] = field(default_factory=list)
    scale: float | None = None
    selected: bool = False


@dataclass
class Panel:
    """The chosen pixel's arithmetic (``pixel``, typed values from the engine) and how to colour it."""

    pixel: LayerPixel
    title: str
    scale: float
    summary: str
    block: PoolPixel | None = None
    """For a pixel before pooling: the pooled pixel whose 2×2 block holds it (None without pooling, or in a last
    odd row or column, which pooling leaves out). The panel then has the same parts on every map."""

    @property
    def pool(self) -> PoolPixel | None:
        """The pooling step the panel shows: the pooled pixel chosen, or the one the chosen pixel goes into."""
        return self.pixel.pool or self.block

    def colour(self, value: float) -> str:
        """The pixel's colour in the filter's pictures, as CSS."""
        r, g, b = stored_value(value, "signed", -self.scale, self.scale)
        return f"rgb({r},{g},{b})"

    def text_on(self, value: float) -> str:
        """Black or white, whichever reads on :meth:`colour` of the value."""
        r, g, b = stored_value(value, "signed", -self.scale, self.scale)
        return text_colour_on(r, g, b)

    @staticmethod
    def shade(value: float | None, name: str) -> tuple[str, str]:
        """Background and text colour of an input value in its channel's colour."""
        if value is None:
            return "transparent", "inherit"
        # The layer calls its one channel "grey" (/api/layer/explain); the panel's colours go by "gray" (/api/explain).
        return shade(value, {"grey": "gray"}.get(name, name))

    @property
    def folded(self) -> bool:
        conv = self.pixel.conv
        return len(conv.channels) * len(conv.channels[0].window) * len(conv.channels[0].window[0]) > MAX_TAP_TABLE


@dataclass
class LayerView:
    """The layer section's template context (``c.layer``)."""

    state: LayerState
    texts: Texts
    bias_texts: tuple[str, ...]
    mode: str
    embed: bool
    errors: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    rows: list[FilterRow] = field(default_factory=list)
    input_src: str = ""
    input_size: tuple[int, int] = (0, 0)  # width, height
    input_mark: tuple[float, float, float, float] | None = None
    marks: dict = field(default_factory=dict)  # the chosen pixel's marks, for static/layer.js
    map_size: tuple[int, int] = (0, 0)  # width, height of the maps before pooling
    pooled_size: tuple[int, int] | None = None
    panel: Panel | None = None
    exports: list[tuple[str, str, LayerExport | None, str]] = field(default_factory=list)
    page_carry: dict[str, str] = field(default_factory=dict)
    images: list[tuple[str, str, str]] = field(default_factory=list)
    html: dict = field(default_factory=dict)  # region id → its HTML, on a whole page
    hashes: str = ""  # "id:hash" pairs of those regions (see web.page.regions)

    @property
    def query(self) -> dict[str, str]:
        """The layer's permalink parameters (``image`` too), what the page's address takes from an answer."""
        return {"image": self.state.image, **self.state.to_query()}

    @property
    def carry(self) -> dict[str, str]:
        """The layer parameters the page's form carries, so its own answers keep them in the address."""
        return self.state.to_query()

    @property
    def good_query(self) -> str:
        return urlencode(self.state.to_query(), safe=READABLE)

    @property
    def banks(self) -> list[tuple[str, str]]:
        return [(bank.name, bank.title) for bank in load_banks().values()]

    @property
    def bank(self) -> Bank | None:
        """The bank the layer is, if it is one."""
        return load_banks().get(self.state.bank or "")

    @property
    def modes(self) -> list[tuple[str, str]]:
        return list(MODE_TITLES.items())

    @property
    def counts(self) -> list[int]:
        return [3, 6] if self.mode == "depthwise" else list(range(1, MAX_FILTERS + 1))

    @property
    def sides(self) -> tuple[int, ...]:
        return FILTER_SIDES

    @property
    def sizes(self) -> list[int]:
        return sorted({*LAYER_SIZES, self.state.size})

    @property
    def edges(self) -> list[tuple[str, str]]:
        return [(name, EDGE_TITLES[name]) for name in EDGE_MODES]

    @property
    def titles(self) -> dict[str, dict[str, str]]:
        return {"act": ACTIVATION_TITLES, "pool": POOL_TITLES, "map": MAP_TITLES, "short": MAP_SHORT}

    @property
    def signed_words(self) -> str:
        return SIGNED_COLOURS

    def pair(self, value: tuple[int, int]) -> str:
        return pair_text(value)


def filter_titles(state: LayerState) -> list[str]:
    """One name per filter: the bank's, else "Filter N"."""
    bank = load_banks().get(state.bank or "")
    if bank is not None:
        return list(bank.filter_titles)
    return [f"Filter {f + 1}" for f in range(state.layer.filters)]


def map_query(state: LayerState, f: int) -> dict[str, str]:
    """The address parameters of filter ``f``'s pictures: that filter alone, with the settings and, for a
    depthwise filter, the colour channel it reads (``lread``). An edit to another filter leaves them alone."""
    layer = state.layer
    query = {"image": state.image}
    query.update(
        (name, value)
        for name, value in state.settings_query().items()
        if name not in ("layer", "filters", "bias", "groups")
    )
    query["filters"] = state.filters_text((state.texts[f],))
    if float(layer.bias[f]) != 0:
        query["bias"] = state.bias_texts[f]
    if layer.groups > 1:
        query["lread"] = "rgb"[layer.channels_of(f)[0]]
    return query


def _rows(state: LayerState, texts: Texts, bias_texts: tuple[str, ...], mode: str, errors: Mapping[str, str]):
    titles = filter_titles(state) if texts == state.texts else [f"Filter {f + 1}" for f in range(len(texts))]
    rows = []
    count = len(texts)
    for f, grids in enumerate(texts):
        grid_views = []
        for g, grid in enumerate(grids):
            word = channel_word(mode, count, f, g)
            cells = [
                [
                    Cell(
                        f"lw-{f}-{g}-{i}-{j}",
                        text,
                        f"Filter {f + 1}, {word}, row {i + 1}, column {j + 1}",
                        f"lw-{f}-{g}-{i}-{j}" in errors,
                    )
                    for j, text in enumerate(row)
                ]
                for i, row in enumerate(grid)
            ]
            grid_views.append((word, CHANNEL_CLASS[word], cells))
        words = sorted({w for w, _, _ in grid_views}, key=["red", "green", "blue", "grey"].index)
        bias = Cell(f"lb-{f}", bias_texts[f], f"Filter {f + 1}, bias", f"lb-{f}" in errors)
        rows.append(FilterRow(f, titles[f], ", ".join(words), grid_views, bias))
    return rows


def _mark(x: int, y: int, width: int, height: int, span: tuple[int, int] = (1, 1)) -> tuple[float, ...]:
    return (100 * x / width, 100 * y / height, 100 * span[0] / width, 100 * span[1] / height)


def build_layer_view(
    services: LayerServices,
    state: LayerState,
    *,
    embed: bool,
    texts: Texts | None = None,
    bias_texts: tuple[str, ...] | None = None,
    mode: str | None = None,
    errors: Mapping[str, str] | None = None,
    notes: list[str] | None = None,
    whole: bool = True,
) -> LayerView:
    """The section for ``state`` (the last layer that worked when something typed is wrong: then ``texts``,
    ``bias_texts`` and ``mode`` are what was typed). ``whole=False`` (pointing) computes only the chosen
    filter, for the panel."""
    layer = state.layer
    view = LayerView(
        state=state,
        texts=texts if texts is not None else state.texts,
        bias_texts=bias_texts if bias_texts is not None else state.bias_texts,
        mode=mode or mode_of(len(state.texts[0]), layer.groups),
        embed=embed,
        errors=dict(errors or {}),
        notes=list(notes or []),
    )
    view.rows = _rows(state, view.texts, view.bias_texts, view.mode, view.errors)
    try:
        picture = services.picture(state)
        services.check(state, None if whole else [state.selection.f])
    except InputError as err:
        view.errors.setdefault(err.field, err.message)
        return view
    height, width = picture.shape[:2]
    view.input_size = (width, height)
    view.input_src = url_for("api.input_png", **state.input_state().input_query())
    f_chosen = min(state.selection.f, layer.filters - 1)
    results = {}
    for f in range(layer.filters) if whole else [f_chosen]:
        try:
            results[f] = services.filter_result(state, f)
        except InputError as err:
            view.errors.setdefault(err.field, err.message)
            return view
    first = results[f_chosen]
    mh, mw = first.pre.shape[1:]
    view.map_size = (mw, mh)
    view.pooled_size = None if first.pooled is None else (first.pooled.shape[2], first.pooled.shape[1])
    view.panel = _panel(state, picture, first, f_chosen)
    if whole:
        for f, result in results.items():
            row = view.rows[f] if f < len(view.rows) and len(view.texts) == layer.filters else None
            if row is None:
                continue
            row.scale = scale_of(result)
            row.selected = f == f_chosen
            query = map_query(state, f)
            for which in ("pre", "act", "pool"):
                if (which == "act" and layer.activation == "none") or (which == "pool" and result.pooled is None):
                    continue
                h, w = map_of(result, which).shape[1:]
                src = url_for("layer.map_png", **query, map=which)
                row.maps.append(MapFigure(which, MAP_TITLES[which], src, w, h))
        view.exports = code_items(state, filter_titles(state))
    _place_marks(view, f_chosen)
    return view


def _panel(state: LayerState, picture: np.ndarray, result: LayerResult, f: int) -> Panel:
    """The chosen pixel (its map's centre when none is chosen; clamped to the map) taken apart."""
    chosen = state.selection
    which = chosen.map if chosen.map != "pool" or result.pooled is not None else "act"
    h, w = map_of(result, which).shape[1:]
    x = min(max(chosen.x if chosen.x is not None else w // 2, 0), w - 1)
    y = min(max(chosen.y if chosen.y is not None else h // 2, 0), h - 1)
    pixel = explain_pixel(picture, state.layer, result, f, x, y, which)
    title = filter_titles(state)[f]
    conv = pixel.conv
    block = None
    if pixel.pool is None and result.pooled is not None:
        px, py = x // POOL_SIZE, y // POOL_SIZE
        if py < result.pooled.shape[1] and px < result.pooled.shape[2]:
            block = explain_pool(state.layer, result, f, px, py)
    value = pixel.pool.value if pixel.pool is not None else (conv.act if which == "act" else conv.pre)
    summary = f"{title}, {MAP_TITLES[which].lower()}, x {x}, y {y}: {format_for_people(value)}"
    if which != "pre":
        summary += f" (before activation {format_for_people(conv.pre)})"
    return Panel(pixel, title, scale_of(result), summary, block)


def _place_marks(view: LayerView, f: int) -> None:
    """The chosen pixel on its filter's maps and the window it read on the input."""
    panel = view.panel
    if panel is None:
        return
    pixel, conv, layer = panel.pixel, panel.pixel.conv, view.state.layer
    mw, mh = view.map_size
    (kh, kw), (dy, dx) = layer.kernel_shape, layer.dilation
    width, height = view.input_size
    left, top = conv.input_x - (kw // 2) * dx, conv.input_y - (kh // 2) * dy
    view.input_mark = _mark(left, top, width, height, ((kw - 1) * dx + 1, (kh - 1) * dy + 1))
    marks: dict[str, tuple[float, ...] | None] = {}
    if pixel.pool is not None:
        x0, y0 = pixel.pool.inputs[0].x, pixel.pool.inputs[0].y
        marks["pre"] = marks["act"] = _mark(x0, y0, mw, mh, (POOL_SIZE, POOL_SIZE))
    else:
        marks["pre"] = marks["act"] = _mark(conv.x, conv.y, mw, mh)
    px, py = (pixel.x, pixel.y) if pixel.pool is not None else (conv.x // POOL_SIZE, conv.y // POOL_SIZE)
    pooled = view.pooled_size
    marks["pool"] = _mark(px, py, *pooled) if pooled and px < pooled[0] and py < pooled[1] else None
    view.marks = {"f": f, "input": view.input_mark, **marks}
    if f < len(view.rows):
        for figure in view.rows[f].maps:
            figure.mark = marks[figure.which]


def page_carry(page_query: Mapping[str, str], view: str | None) -> dict[str, str]:
    """The page's own parameters, for the section's form to carry when it is sent without JavaScript (the picture
    is the section's own field)."""
    carried = {name: value for name, value in page_query.items() if name not in LAYER_PARAMS and name != "image"}
    if view:
        carried["view"] = view
    return carried
