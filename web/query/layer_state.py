"""The layer section's state in the query string: parse it, check it, write it back.

Parameters (every one optional; the page's own parameters, ``image`` first, stay as they are):

* ``layer`` — a bank's name (``starter``, ``edges``, ``opponents``, ``depthwise``, ``digits``); default ``starter``
  when ``filters`` is not given either. ``filters``, ``bias`` and ``groups`` replace that part of the bank.
* ``filters`` — the weights: filters split by ``|``, each filter's grids (one per input channel it reads) by
  ``:``, rows by ``;``, values by ``,``, each a decimal or a fraction (``1/9``). Sides 1, 3, 5 or 7.
* ``bias`` — one number per filter, split by ``,`` (default all 0).
* ``groups`` — 1 (default: every filter reads every channel) or 3 (depthwise: one channel each). The picture is
  read grey (luma, 1 channel) or as red, green and blue (3): groups × the grids per filter.
* ``act`` — ``relu`` (default) or ``none``; ``pool`` — ``max`` (default), ``avg`` or ``none``.
* ``lstride``, ``ldilation`` — ``s`` or ``sy,sx``, 1 to 4 (default 1); ``ledge`` — an edge mode (default
  ``constant``: zeros, what ``Conv2d`` does); ``lsize`` — the layer's working size, 32 to 4096 (default 128).
* ``lf`` (the filter, from 1), ``lx``, ``ly`` (0-based), ``lmap`` (``pre``, ``act`` or ``pool``), ``lpin`` — the
  pixel whose arithmetic the panel shows.

A permalink spells a bank by its name whenever the filters, biases and groups are exactly the bank's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from kernels import limits
from kernels.errors import InputError
from kernels.library.kernel_text import parse_number
from kernels.library.layer_presets import DEFAULT_BANK, load_banks, matching_bank
from kernels.options import EDGE_MODES
from kernels.teaching.layer import (
    ACTIVATIONS,
    MAX_FILTERS,
    MAX_LAYER_DILATION,
    MAX_LAYER_STRIDE,
    POOLS,
    Layer,
)
from kernels.teaching.layer_explain import MAPS
from web.query.query_values import TRUE_TEXTS, pair_text
from web.query.state import DEFAULT_IMAGE, State

SETTING_PARAMS = ("layer", "filters", "bias", "groups", "act", "pool", "lstride", "ldilation", "ledge", "lsize")
SELECTION_PARAMS = ("lf", "lx", "ly", "lmap", "lpin")
LAYER_PARAMS = (*SETTING_PARAMS, *SELECTION_PARAMS)
"""Every parameter of the layer section, in the order a permalink writes them."""
FILTER_SEPARATOR, GRID_SEPARATOR, ROW_SEPARATOR, VALUE_SEPARATOR = "|", ":", ";", ","
MAX_FILTERS_TEXT = 20_000
"""Longest ``filters`` value, in characters (8 filters of 7×7×3 with long decimals fit)."""
DEFAULT_LAYER_SIZE = 128
MIN_LAYER_SIZE = 32
DEFAULTS = {"act": "relu", "pool": "max", "ledge": "constant"}
COLOR_OF_CHANNELS = {1: "gray", 3: "rgb"}
Texts = tuple[tuple[tuple[tuple[str, ...], ...], ...], ...]
"""Weights as typed: per filter, per grid, rows of texts."""


@dataclass(frozen=True)
class LayerSelection:
    """The chosen feature-map pixel: filter ``f`` (0-based), ``x``, ``y`` in map ``map`` (None: its centre)."""

    f: int = 0
    x: int | None = None
    y: int | None = None
    map: str = "pre"
    pinned: bool = False


@dataclass(frozen=True)
class LayerState:
    """Everything that decides the layer section: the picture, the working size, the layer and the chosen pixel.

    ``texts`` and ``bias_texts`` keep the weights as typed (``1/27`` stays ``1/27``); ``bank`` is the bank's name
    when the layer is exactly one.
    """

    image: str
    size: int
    layer: Layer
    texts: Texts
    bias_texts: tuple[str, ...]
    bank: str | None
    selection: LayerSelection = field(default_factory=LayerSelection)

    @property
    def color(self) -> str:
        """How the picture is read: ``gray`` (luma) for one input channel, ``rgb`` for three."""
        return COLOR_OF_CHANNELS[self.layer.in_channels]

    def input_state(self) -> State:
        """The plain state whose engine input is this layer's picture (``/api/input.png`` shows it)."""
        return State(image=self.image, size=self.size, color=self.color)

    def filters_text(self, texts: Texts | None = None) -> str:
        """The ``filters`` parameter for these weights (or for ``texts``)."""
        return FILTER_SEPARATOR.join(
            GRID_SEPARATOR.join(ROW_SEPARATOR.join(VALUE_SEPARATOR.join(row) for row in grid) for grid in f)
            for f in (texts if texts is not None else self.texts)
        )

    def settings_query(self) -> dict[str, str]:
        """The parameters that decide the layer (no selection); defaults left out."""
        query: dict[str, str] = {}
        layer = self.layer
        if self.bank is not None:
            if self.bank != DEFAULT_BANK:
                query["layer"] = self.bank
        else:
            query["filters"] = self.filters_text()
            if any(float(b) != 0 for b in layer.bias):
                query["bias"] = VALUE_SEPARATOR.join(self.bias_texts)
            if layer.groups != 1:
                query["groups"] = str(layer.groups)
        for name, value in (("act", layer.activation), ("pool", layer.pool), ("ledge", layer.edge)):
            if value != DEFAULTS[name]:
                query[name] = value
        for name, pair in (("lstride", layer.stride), ("ldilation", layer.dilation)):
            if pair != (1, 1):
                query[name] = pair_text(pair)
        if self.size != DEFAULT_LAYER_SIZE:
            query["lsize"] = str(self.size)
        return query

    def to_query(self) -> dict[str, str]:
        """Every layer parameter that is not its default, the chosen pixel included."""
        query = self.settings_query()
        chosen = self.selection
        if chosen.f:
            query["lf"] = str(chosen.f + 1)
        if chosen.x is not None and chosen.y is not None:
            query["lx"], query["ly"] = str(chosen.x), str(chosen.y)
        if chosen.map != "pre":
            query["lmap"] = chosen.map
        if chosen.pinned:
            query["lpin"] = "1"
        return query

    def key(self) -> tuple:
        """What decides the maps (not the selection)."""
        return (self.image, self.size, *self.layer.key())


def parse_filters(text: str) -> tuple[Texts, np.ndarray]:
    """The ``filters`` parameter: the texts as typed and the float64 weights (F, grids, kh, kw)."""
    if len(text) > MAX_FILTERS_TEXT:
        raise InputError("filters", f"may be at most {MAX_FILTERS_TEXT:,} characters", f"{len(text):,} characters")
    parts = text.split(FILTER_SEPARATOR)
    if len(parts) > MAX_FILTERS:
        rule = f"may hold at most {MAX_FILTERS} filters, separated by '{FILTER_SEPARATOR}'"
        raise InputError("filters", rule, f"{len(parts)} filters")
    texts = []
    for f, part in enumerate(parts):
        grids = []
        for g, grid_text in enumerate(part.split(GRID_SEPARATOR)):
            rows = tuple(tuple(v.strip() for v in row.split(VALUE_SEPARATOR)) for row in grid_text.split(ROW_SEPARATOR))
            if len({len(row) for row in rows}) != 1:
                raise InputError(
                    "filters",
                    f"filter {f + 1}, grid {g + 1}: every row must have as many values "
                    f"(rows split by '{ROW_SEPARATOR}', values by '{VALUE_SEPARATOR}')",
                    grid_text,
                )
            grids.append(rows)
        texts.append(tuple(grids))
    shapes = {(len(f), len(grid), len(grid[0])) for f in texts for grid in f}
    if len(shapes) != 1:
        raise InputError(
            "filters",
            f"every filter must have the same number of grids (one per input channel it reads, split by "
            f"'{GRID_SEPARATOR}') and every grid the same number of rows and columns",
            text,
        )
    weights = np.empty((len(texts), *next(iter(shapes))))
    for f, grids in enumerate(texts):
        for g, grid in enumerate(grids):
            for i, row in enumerate(grid):
                for j, value in enumerate(row):
                    try:
                        weights[f, g, i, j] = parse_number(value, "filters")
                    except InputError as err:
                        where = f"filter {f + 1}, grid {g + 1}, row {i + 1}, value {j + 1}"
                        raise InputError("filters", f"{where}: {err.rule}", value) from None
    return tuple(texts), weights


def parse_bias(text: str, count: int) -> tuple[tuple[str, ...], np.ndarray]:
    """The ``bias`` parameter: one number per filter."""
    parts = tuple(v.strip() for v in text.split(VALUE_SEPARATOR))
    if len(parts) != count:
        raise InputError("bias", f"must give one number per filter, split by '{VALUE_SEPARATOR}': {count}", text)
    return parts, np.array([parse_number(v, "bias") for v in parts], dtype=np.float64)


def _choice(values: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str:
    value = values.get(name, DEFAULTS[name])
    if value not in allowed:
        raise InputError(name, f"must be one of {', '.join(allowed)}", value)
    return value


def _integer(values: Mapping[str, str], name: str, low: int, high: int, default: int | None) -> int | None:
    if name not in values:
        return default
    text = values[name]
    if not re.fullmatch(r"\d{1,9}", text) or not low <= int(text) <= high:
        raise InputError(name, f"must be a whole number from {low} to {high}", text)
    return int(text)


def _pair(values: Mapping[str, str], name: str, high: int) -> tuple[int, int]:
    if name not in values:
        return (1, 1)
    parts = values[name].split(",")
    if len(parts) not in (1, 2) or not all(re.fullmatch(r"\s*\d{1,2}\s*", p) and 1 <= int(p) <= high for p in parts):
        raise InputError(name, f"must be one whole number or two ('rows,columns'), each from 1 to {high}", values[name])
    return int(parts[0]), int(parts[-1])


def build_layer(values: Mapping[str, str]) -> tuple[Layer, Texts, tuple[str, ...]]:
    """The layer the parameters describe, with the weights and biases as typed; raises :class:`InputError`."""
    banks = load_banks()
    name = values.get("layer")
    if name is not None and name not in banks:
        raise InputError("layer", f"must be one of {', '.join(banks)} (or give filters)", name)
    bank = banks[name] if name else (None if "filters" in values else banks[DEFAULT_BANK])
    if "filters" in values:
        texts, weights = parse_filters(values["filters"])
    else:
        texts, weights = bank.texts, bank.weights
    if "bias" in values:
        bias_texts, bias = parse_bias(values["bias"], len(texts))
    elif bank is not None and len(bank.bias_texts) == len(texts):
        bias_texts, bias = bank.bias_texts, bank.bias
    else:
        bias_texts, bias = ("0",) * len(texts), np.zeros(len(texts))
    groups = _integer(values, "groups", 1, 3, bank.groups if bank is not None else 1)
    if groups * weights.shape[1] not in COLOR_OF_CHANNELS:
        raise InputError(
            "groups",
            "with the filters' grids must read a grey picture (one grid per filter, groups=1) or red, green and "
            "blue (three grids per filter with groups=1, or one grid per filter with groups=3)",
            f"groups={groups} with {weights.shape[1]} grid{'s' if weights.shape[1] > 1 else ''} per filter",
        )
    layer = Layer(
        weights=weights,
        bias=bias,
        groups=groups,
        stride=_pair(values, "lstride", MAX_LAYER_STRIDE),
        dilation=_pair(values, "ldilation", MAX_LAYER_DILATION),
        edge=_choice(values, "ledge", EDGE_MODES),
        activation=_choice(values, "act", ACTIVATIONS),
        pool=_choice(values, "pool", POOLS),
    )
    return layer, texts, bias_texts


def parse_layer(values: Mapping[str, str], image: str = DEFAULT_IMAGE) -> LayerState:
    """The layer state of these parameters (empty values count as absent); raises :class:`InputError`."""
    values = {k: v.strip() for k, v in values.items() if k in LAYER_PARAMS and v.strip() != ""}
    layer, texts, bias_texts = build_layer(values)
    size = _integer(values, "lsize", MIN_LAYER_SIZE, limits.MAX_IMAGE_SIDE, DEFAULT_LAYER_SIZE)
    count = layer.filters
    f = _integer(values, "lf", 1, count, 1)
    chosen = values.get("lmap", "pre")
    if chosen not in MAPS:
        raise InputError("lmap", f"must be one of {', '.join(MAPS)}", chosen)
    if chosen == "pool" and layer.pool == "none":
        raise InputError("lmap", "pool needs pooling (pool=max or avg)", chosen)
    top = limits.MAX_IMAGE_SIDE - 1
    selection = LayerSelection(
        f=f - 1,
        x=_integer(values, "lx", 0, top, None),
        y=_integer(values, "ly", 0, top, None),
        map=chosen,
        pinned=values.get("lpin", "").lower() in TRUE_TEXTS,
    )
    bank = matching_bank(layer.weights, layer.bias, layer.groups)
    return LayerState(image, size, layer, texts, bias_texts, bank, selection)


def read_layer(values: Mapping[str, str], errors: dict[str, str], image: str = DEFAULT_IMAGE) -> LayerState:
    """:func:`parse_layer` that never raises: each parameter it cannot use is filed in ``errors`` (field →
    message) and left out, so a link with one bad value still shows the rest of its layer."""
    kept = {k: v for k, v in values.items() if k in LAYER_PARAMS}
    for _ in range(len(LAYER_PARAMS) + 1):
        try:
            return parse_layer(kept, image)
        except InputError as err:
            errors.setdefault(err.field, err.message)
            name = err.field if err.field in kept else next((n for n in ("filters", "layer") if n in kept), None)
            if name is None:
                break
            del kept[name]
    return parse_layer({}, image)


READ_CHANNELS = "rgb"
"""``lread``: the colour channel a one-grid filter's map reads, by its letter."""


def read_map_choice(args: Mapping[str, str], layer: Layer) -> tuple[str, int, int | None]:
    """Which map ``/api/layer.png`` draws: ``map`` (pre, act or pool; pre when absent), ``f`` (the filter's number,
    from 1; the first when absent), ``lread`` (r, g or b, for a layer of one-grid filters). Returns (map, the
    filter's index from 0, the channel's index or None)."""
    which = args.get("map", "pre").strip() or "pre"
    if which not in ("pre", "act", "pool"):
        raise InputError("map", "must be one of pre, act, pool", which)
    text = args.get("f", "1").strip() or "1"
    if not re.fullmatch(r"\d{1,9}", text) or not 1 <= int(text) <= layer.filters:
        raise InputError("f", f"must be a filter number from 1 to {layer.filters}", text)
    read = args.get("lread", "").strip()
    if not read:
        return which, int(text) - 1, None
    if read not in READ_CHANNELS or len(read) != 1:
        raise InputError("lread", "must be r, g or b: the colour channel a one-grid filter reads", read)
    if layer.in_channels != 1:
        raise InputError("lread", "is for a layer of one-grid filters (groups=1): it reads one colour channel", read)
    return which, int(text) - 1, READ_CHANNELS.index(read)
