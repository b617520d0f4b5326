"""The layer section's form: its fields read into a :class:`~web.query.layer_state.LayerState`, never stopping at the
first problem, and the structure changes its menus ask for.

Fields (all belong to the form ``layer-form``; none appears in a permalink but those of
:data:`web.query.layer_state.LAYER_PARAMS`):

* ``layer`` — the bank menu ("" for the person's own filters); ``lloaded`` — the bank the grids were last
  filled from: a menu choice that differs from it loads the bank, whatever the grids hold.
* ``lw-F-C-R-K`` — weight cells (filter, grid, row, column, 0-based); ``lb-F`` — each filter's bias.
* ``lmode`` — ``grey`` (one grid per filter, on luma), ``rgb`` (three grids per filter) or ``depthwise`` (one
  grid per filter, groups = 3); ``lshape`` — the mode the grids were drawn for; ``lcount`` — the number of
  filters; ``lside`` — the grids' side. When these differ from the grids sent, the grids are converted: grey to
  colour multiplies each grid by the luma weights (0.299, 0.587, 0.114), so the maps stay nearly the same; colour
  to grey adds the three grids up; standard to depthwise gives each channel the grids of the first filters;
  new filters and rings are zeros.
* ``lgood`` — the last layer that worked (its permalink query), shown while something typed is wrong.
* ``image``, ``act``, ``pool``, ``lstride``, ``ldilation``, ``ledge``, ``lsize`` and the chosen pixel ``lf``,
  ``lx``, ``ly``, ``lmap``, ``lpin`` — as in the permalink.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from kernels.errors import InputError
from kernels.library.kernel_text import format_number, parse_number
from kernels.teaching.layer import FILTER_SIDES, MAX_FILTERS
from web.query.layer_state import LAYER_PARAMS, LayerState, Texts, parse_layer, read_layer

CELL = re.compile(r"^lw-(\d)-(\d)-(\d)-(\d)$")
BIAS = re.compile(r"^lb-(\d)$")
MODES = {"grey": (1, 1), "rgb": (3, 1), "depthwise": (1, 3)}
"""Each mode's (grids per filter, groups)."""
MODE_TITLES = {
    "grey": "Grey picture (luma), 1 channel",
    "rgb": "Colour: every filter reads R, G and B",
    "depthwise": "Colour, depthwise: each filter reads one channel",
}
LUMA = (0.299, 0.587, 0.114)
"""ITU-R 601-2 luma weights of red, green and blue."""
FORM_FIELDS = ("lloaded", "lmode", "lshape", "lcount", "lside", "lgood")
CHANNEL_WORDS = ("red", "green", "blue")


def is_layer_field(name: str) -> bool:
    """Whether a field belongs to the layer section: its parameters, its form's own fields and its cells."""
    return name in LAYER_PARAMS or name in FORM_FIELDS or bool(CELL.match(name) or BIAS.match(name))


def mode_of(grids: int, groups: int) -> str:
    """The form's mode for a layer with ``grids`` per filter and ``groups``."""
    return next(name for name, shape in MODES.items() if shape == (grids, groups))


@dataclass
class LayerForm:
    """A layer form read: the state (None when something typed is wrong), what the pictures show meanwhile,
    the grids as typed, the messages by field (a cell's name for a cell) and notes on what was converted."""

    state: LayerState | None
    fallback: LayerState
    texts: Texts
    bias_texts: tuple[str, ...]
    mode: str
    errors: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def shown(self) -> LayerState:
        return self.state if self.state is not None else self.fallback


def channel_word(mode: str, count: int, f: int, grid: int) -> str:
    """What grid ``grid`` of filter ``f`` reads, in words: grey, red, green or blue."""
    if mode == "grey":
        return "grey"
    if mode == "rgb":
        return CHANNEL_WORDS[grid]
    return CHANNEL_WORDS[f // max(1, count // 3)]


def _cells(args: Mapping[str, str]) -> tuple[list, list, tuple[int, int, int, int]]:
    """The weight and bias texts sent, as nested lists, and their (filters, grids, rows, columns)."""
    found = {tuple(int(g) for g in m.groups()): args[name] for name in args if (m := CELL.match(name))}
    if not found:
        return [], [], (0, 0, 0, 0)
    count, grids, rows, cols = (1 + max(key[axis] for key in found) for axis in range(4))
    texts = [
        [[[found.get((f, g, i, j), "0") for j in range(cols)] for i in range(rows)] for g in range(grids)]
        for f in range(count)
    ]
    bias = [args.get(f"lb-{f}", "0") for f in range(count)]
    return texts, bias, (count, grids, rows, cols)


def _scaled(text: str, factor: float) -> str:
    return format_number(parse_number(text, "filters") * factor)


def _summed(texts: list[str]) -> str:
    if len(set(texts)) == 1 and parse_number(texts[0], "filters") == 0:
        return texts[0]
    return format_number(sum(parse_number(t, "filters") for t in texts))


def _convert_mode(texts: list, bias: list, old: str, new: str, notes: list[str]) -> tuple[list, list]:
    """Grids for mode ``new`` from grids drawn for ``old`` (see the module docstring)."""
    if old == new:
        return texts, bias
    if old == "depthwise":  # back to three grids per filter: filter j takes red of j, green of m + j, blue of 2m + j
        m = max(1, len(texts) // 3)
        texts = [[texts[j][0], texts[m + j][0], texts[2 * m + j][0]] for j in range(m)]
        bias = bias[:m]
        old = "rgb"
    if old == "grey":
        texts = [[[[_scaled(t, weight) for t in row] for row in f[0]] for weight in LUMA] for f in texts]
        notes.append(
            "The grey filters became colour filters: each channel's grid is the grey grid times the luma weight "
            "of that channel (0.299 red, 0.587 green, 0.114 blue), so the maps stay nearly the same."
        )
        old = "rgb"
    if new == "grey":
        texts = [
            [[[_summed([g[i][j] for g in f]) for j in range(len(f[0][0]))] for i in range(len(f[0]))]] for f in texts
        ]
        notes.append("Each filter's three grids were added up into one grid for the grey picture.")
    elif new == "depthwise":
        m = max(1, min(len(texts), MAX_FILTERS // 3))
        bias = [bias[j] for _ in range(3) for j in range(m)]
        texts = [[texts[j][c]] for c in range(3) for j in range(m)]
        if m == 1:
            who = "Filter 1 reads red, filter 2 green and filter 3 blue, each with that channel's grid of filter 1."
        else:
            who = (
                f"Filters 1–{m} read red, {m + 1}–{2 * m} green and {2 * m + 1}–{3 * m} blue, each with that "
                f"channel's grid of the first {m} filters."
            )
        notes.append(f"Depthwise: each filter now reads one channel. {who}")
    return texts, bias


def _zeros(grids: int, rows: int, cols: int) -> list:
    return [[["0"] * cols for _ in range(rows)] for _ in range(grids)]


def _recount(texts: list, bias: list, mode: str, count: int) -> tuple[list, list]:
    """``count`` filters (depthwise: a multiple of 3, the same number per channel); new ones are zeros."""
    grids, rows, cols = len(texts[0]), len(texts[0][0]), len(texts[0][0][0])
    if mode != "depthwise":
        extra = max(0, count - len(texts))
        return texts[:count] + [_zeros(grids, rows, cols) for _ in range(extra)], bias[:count] + ["0"] * extra
    m_old, m_new = len(texts) // 3, max(1, count // 3)
    new_texts, new_bias = [], []
    for c in range(3):
        for j in range(m_new):
            keep = j < m_old
            new_texts.append(texts[c * m_old + j] if keep else _zeros(grids, rows, cols))
            new_bias.append(bias[c * m_old + j] if keep else "0")
    return new_texts, new_bias


def _resize(texts: list, side: int) -> list:
    """Every grid cut or padded to side × side, around its centre (new rings are zeros)."""
    rows = len(texts[0][0])
    if rows == side and len(texts[0][0][0]) == side:
        return texts

    def one(grid: list) -> list:
        h, w = len(grid), len(grid[0])
        return [
            [
                grid[i - (side - h) // 2][j - (side - w) // 2]
                if 0 <= i - (side - h) // 2 < h and 0 <= j - (side - w) // 2 < w
                else "0"
                for j in range(side)
            ]
            for i in range(side)
        ]

    return [[one(grid) for grid in f] for f in texts]


def _good(text: str, image: str) -> LayerState:
    errors: dict[str, str] = {}
    return read_layer(dict(parse_qsl(text)), errors, image) if text else parse_layer({}, image)


def _freeze(texts: list) -> Texts:
    return tuple(tuple(tuple(tuple(row) for row in grid) for grid in f) for f in texts)


def read_layer_form(args: Mapping[str, str], image: str) -> LayerForm:
    """Read the layer form (see the module docstring) for the picture ``image``; never raises."""
    errors: dict[str, str] = {}
    notes: list[str] = []
    fallback = _good(args.get("lgood", ""), image)
    values = {name: args[name].strip() for name in LAYER_PARAMS if args.get(name, "").strip()}
    for name in ("layer", "filters", "bias", "groups"):
        values.pop(name, None)
    chosen, loaded = args.get("layer", "").strip(), args.get("lloaded", "").strip()
    texts, bias, (count, grids, _rows, _cols) = _cells(args)
    shape = args.get("lshape", "").strip()
    if (chosen and chosen != loaded) or not texts or shape not in MODES:
        if chosen and chosen != loaded:  # a bank chosen from the menu: it fills the grids, the pixel starts over
            values["layer"] = chosen
            for name in ("lf", "lx", "ly"):
                values.pop(name, None)
        else:  # no grids sent: the last layer that worked
            kept = ("layer", "filters", "bias", "groups")
            values.update({name: value for name, value in fallback.to_query().items() if name in kept})
        state = None
        try:
            state = parse_layer(values, image)
        except InputError as err:
            errors[err.field] = err.message
        shown = state or fallback
        mode = mode_of(len(shown.texts[0]), shown.layer.groups)
        return LayerForm(state, fallback, shown.texts, shown.bias_texts, mode, errors, notes)

    mode = args.get("lmode", shape).strip()
    mode = mode if mode in MODES else shape
    bad = False
    for f in range(count):
        for g in range(grids):
            for i, row in enumerate(texts[f][g]):
                for j, text in enumerate(row):
                    try:
                        parse_number(text, "filters")
                    except InputError as err:
                        word = channel_word(shape, count, f, g)
                        errors[f"lw-{f}-{g}-{i}-{j}"] = (
                            f"Filter {f + 1}, {word}, row {i + 1}, column {j + 1}: {err.rule}"
                        )
                        bad = True
        try:
            parse_number(bias[f], "bias")
        except InputError as err:
            errors[f"lb-{f}"] = f"Filter {f + 1}, bias: {err.rule}"
            bad = True
    if not bad:  # the menus may change the grids' structure only once every number reads
        texts, bias = _convert_mode(texts, bias, shape, mode, notes)
        wanted = _integer(args.get("lcount", ""), 1, MAX_FILTERS, len(texts))
        if mode == "depthwise":
            wanted = 3 * max(1, min(MAX_FILTERS // 3, -(-wanted // 3)))
        texts, bias = _recount(texts, bias, mode, wanted)
        side = _integer(args.get("lside", ""), 1, max(FILTER_SIDES), len(texts[0][0]))
        texts = _resize(texts, side if side in FILTER_SIDES else len(texts[0][0]))
    else:
        mode = shape
    frozen, bias_texts = _freeze(texts), tuple(bias)
    state = None
    if not bad:
        groups = MODES[mode][1]
        values["filters"] = fallback.filters_text(frozen)
        values["bias"] = ",".join(bias_texts)
        values["groups"] = str(groups)
        lf = _integer(values.get("lf", ""), 1, 99, 1)
        values["lf"] = str(min(lf, len(texts)))
        if values.get("lmap") == "pool" and values.get("pool", "max") == "none":
            values["lmap"] = "act"
        try:
            state = parse_layer(values, image)
        except InputError as err:
            errors[err.field] = err.message
    return LayerForm(state, fallback, frozen, bias_texts, mode, errors, notes)


def _integer(text: str, low: int, high: int, default: int) -> int:
    text = text.strip()
    return min(max(int(text), low), high) if re.fullmatch(r"\d{1,3}", text) else default
