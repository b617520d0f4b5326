"""The kernel editor's form: the grid of cells, the preset menu, the generator and the size pickers, read into
the ``kernel`` value a permalink uses, and the kernel tools applied to it.

Reading never stops at the first problem: every bad cell gets its own message (filed under ``k-ROW-COL``), and
everything typed is kept to be shown again. Cells show generated weights rounded (see :mod:`web.query.grid_texts`) and
read back exactly; a preset or generator with a few changed cells is spelled as such in the link.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from kernels import limits
from kernels.errors import InputError
from kernels.library.generators import parse_generator
from kernels.library.kernel_text import parse_number
from kernels.library.presets import Preset
from web.query import generator_form
from web.query.grid_texts import exact_rows, readable_texts, restore_exact
from web.query.kernel_choice import (
    KernelChoice,
    briefer,
    parse_kernel_choice,
    preset_named,
    same_weights,
    spell_edits,
)
from web.query.kernel_edit import page_tool
from web.query.query_values import parse_int
from web.query.state import CELL_NAME, State, default_kernel

MAX_GRID_SIDE = 15
"""Largest kernel side edited as a grid of inputs; larger kernels are shown as a heat map."""


def record(errors: dict[str, str], make):
    """Run ``make``; file an :class:`InputError` under its field and return None instead."""
    try:
        return make()
    except InputError as err:
        errors.setdefault(err.field, err.message)
        return None


@dataclass
class KernelForm:
    """The kernel as the editor shows it.

    ``texts`` holds every cell as typed (rows of strings); ``param`` is the ``kernel`` value a permalink uses
    (a preset name, or the typed rows joined by ``,`` and ``;``); ``preset`` is the menu's choice ("" for a
    hand-made kernel); ``weights`` is None while a cell is wrong.
    """

    texts: list[list[str]]
    param: str
    preset: str
    weights: np.ndarray | None
    invalid_text: str | None = None
    generator: str | None = None
    base: str = ""
    base_title: str = ""
    choice: KernelChoice | None = None
    """The kernel read, as the state takes it (weights, and the preset, generator or edited base that names
    them); None while a cell is wrong."""

    @property
    def generator_view(self) -> generator_form.GeneratorView:
        """The generator picker and sliders: the call in use, or the picker on "none"."""
        return generator_form.view(self.generator)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.texts), len(self.texts[0])

    @property
    def dock_width(self) -> str:
        """How wide the dock beside the sections must be for the grid: "" (up to 4 columns or a heat map),
        "five" or "wide" (6 or more); the page's ``.bench`` carries it as ``data-dock``."""
        cols = self.shape[1]
        if not self.as_grid or cols < 5:
            return ""
        return "five" if cols == 5 else "wide"

    @property
    def as_grid(self) -> bool:
        """Small enough to edit cell by cell (else a heat map)."""
        return max(self.shape) <= MAX_GRID_SIDE


def read_kernel(
    args: Mapping[str, str], presets: Mapping[str, Preset], errors: dict[str, str], last: np.ndarray
) -> KernelForm:
    """Decide where the kernel comes from — a newly chosen preset, a generator whose picker or sliders moved,
    the grid cells or ``kernel`` — and read it. ``last`` is the kernel of the last state that worked: grid cells
    still showing its rounded weights read as its exact ones (see :mod:`web.query.grid_texts`)."""
    cells = {(int(m[1]), int(m[2])): text for name, text in args.items() if (m := CELL_NAME.match(name))}
    choice = args.get("preset", "").strip()
    loaded = args.get("loaded", "").strip()
    invalid_text = None
    generator = None
    chosen = bool(choice and choice != loaded and choice in presets)
    slid = None if chosen else generator_form.read_generator(args, errors)
    if chosen:  # a preset picked from the menu: its own size, whatever the size pickers still say
        texts = preset_texts(presets[choice])
    elif slid is not None:  # the generator picker or a slider moved: the generator's own size too
        generator = slid
        texts = generator_texts(slid)
    elif cells:
        texts = _cell_rectangle(cells, errors)
        kept = generator_form.kept_generator(args)
        picked = args.get(generator_form.GEN_FIELD, "").strip()
        if kept is not None and generator_form.call_parts(kept)[0] == picked:
            generator = kept  # still the generator's weights unless a cell is found edited below
    else:
        text = args.get("kernel", "").strip() or default_kernel(presets)
        if text in presets:
            texts = preset_texts(presets[text])
        else:
            try:
                parsed = parse_kernel_choice(text, presets, "kernel")
                if parsed.generator is not None:  # a generator becomes its weights in the grid
                    generator = parsed.generator
                    texts = generator_texts(generator)
                elif parsed.base is not None:  # a preset or generator with changed cells
                    texts = readable_texts(parsed.weights)
                    last = parsed.weights
                else:
                    texts = [[cell.strip() for cell in row.split(",")] for row in text.split(";")]
            except InputError as err:
                errors["kernel"] = err.message
                invalid_text, texts = text, preset_texts(presets[default_kernel(presets)])
    if choice and choice not in presets:
        errors["preset"] = f"preset: must be one of the listed kernels (received {choice!r})"

    rows, cols = _side(args, "rows", errors), _side(args, "cols", errors)
    if not chosen and slid is None:
        texts = _resize(texts, rows, cols)
    weights = _weights(texts, errors)
    if weights is not None:
        weights = restore_exact(weights, texts, _root(args.get("base", ""), presets))
        weights = restore_exact(weights, texts, generator_weights(generator) if generator else last)
    if generator is not None and (weights is None or not same_weights(weights, generator_weights(generator))):
        generator = None  # a cell was edited by hand, or the size changed
    prefer = choice or args.get("kernel", "").strip()
    named = preset_named(weights, presets, prefer) if weights is not None and not generator else None
    preset = named or ""
    base = _base(args, presets, chosen_preset=choice if chosen else "", generator=generator)
    if generator:
        param, choice = generator, KernelChoice(weights, generator=generator)
    elif preset:
        param, choice = preset, KernelChoice(presets[preset].weights, preset=preset)
    else:
        param, choice = _spelled(texts, weights, base, presets)
    title = _base_title(base, presets)
    return KernelForm(texts, param, preset, weights, invalid_text, generator, base, title, choice)


def generator_weights(call: str) -> np.ndarray:
    """A generator call's exact weights."""
    weights, _ = parse_generator(call, "kernel")  # type: ignore[misc]
    return weights


def generator_texts(call: str) -> list[list[str]]:
    """A generator call's weights as the grid shows them (rounded where long; read back exactly)."""
    return readable_texts(generator_weights(call))


def _root(text: str, presets: Mapping[str, Preset]) -> np.ndarray | None:
    """The weights of the ``base`` field (what the grid was filled from), or None when it reads as nothing."""
    try:
        return parse_kernel_choice(text, presets, "base").weights if text.strip() else None
    except InputError:
        return None


def _base(args: Mapping[str, str], presets: Mapping[str, Preset], *, chosen_preset: str, generator: str | None) -> str:
    """The preset or generator call the grid was last filled from ("" when unknown): what "reset" restores."""
    if chosen_preset:
        return chosen_preset
    if generator is not None:
        return generator
    if not any(CELL_NAME.match(name) for name in args):
        text = args.get("kernel", "").strip()
        if text in presets or _rows(text, presets):  # a link's own kernel, hand-made ones included
            return text
    submitted = args.get("base", "").strip()
    if submitted in presets or generator_form.kept_generator({generator_form.GENERATED_FIELD: submitted}) == submitted:
        return submitted
    return submitted if _rows(submitted, presets) else ""


def _rows(text: str, presets: Mapping[str, Preset]) -> bool:
    """Whether ``text`` spells a hand-made kernel: rows of numbers (``1,2,1;2,4,2;1,2,1``) or a preset or
    generator with changed cells (``gaussian(5,1) r3c3=0.5``)."""
    if not text or text in presets:
        return False
    try:
        choice = parse_kernel_choice(text, presets, "base")
    except InputError:
        return False
    return choice.generator is None


def _spelled(
    texts: list[list[str]], weights: np.ndarray | None, base: str, presets: Mapping[str, Preset]
) -> tuple[str, KernelChoice | None]:
    """The ``kernel`` value for a hand-made grid, and the kernel it names (None while a cell is wrong): its rows as
    typed, or the preset or generator it came from with the changed cells (``gaussian(5,1) r3c3=0.5``) when that
    is much shorter."""
    if weights is None:
        return ";".join(",".join(cell.strip() for cell in row) for row in texts), None
    rows = exact_rows(texts, weights)
    root = None
    if base:
        try:
            named = parse_kernel_choice(base, presets, "base")
            root = named.base or named
        except InputError:
            root = None
    if root is None or (root.preset is None and root.generator is None):
        return rows, KernelChoice(weights)
    spelled = briefer(rows, spell_edits(root, weights, texts))
    return spelled, KernelChoice(weights, base=root if spelled != rows else None)


def _base_title(base: str, presets: Mapping[str, Preset]) -> str:
    """How the reset button names what it restores: the preset's title or the generator call."""
    if base in presets:
        return presets[base].title
    if _rows(base, presets):
        return "the kernel the link held"
    return f"{generator_form.TITLES[generator_form.call_parts(base)[0]]}, {base}" if base else ""


def form_tool(
    state: State,
    kernel: KernelForm,
    tool: str,
    presets: Mapping[str, Preset],
    values: dict[str, str],
    errors: dict[str, str],
) -> tuple[State, KernelForm]:
    """A kernel-tool button: the edited state and grid; the origin field follows the tap it was on."""
    reset_to = parse_kernel_choice(kernel.base, presets, "base") if kernel.base else None
    try:
        edited, texts = page_tool(state, kernel.texts, tool, presets=presets, reset_to=reset_to)
    except InputError as err:
        errors.setdefault(err.field, err.message)
        return state, kernel
    if edited.preset is not None:
        texts = preset_texts(presets[edited.preset])
    elif edited.generator is not None:
        texts = generator_texts(edited.generator)
    param = edited.preset or edited.generator or _spelled(texts, edited.kernel, kernel.base, presets)[0]
    origin = edited.options.origin
    values["origin"] = "" if origin is None else f"{origin[0]},{origin[1]}"
    form = KernelForm(
        texts,
        param,
        edited.preset or "",
        edited.kernel,
        None,
        edited.generator,
        kernel.base,
        kernel.base_title,
        edited.choice,
    )
    return edited, form


def preset_texts(preset: Preset) -> list[list[str]]:
    """A preset's weights as exact cell texts (``1/16``, ``-1``...)."""
    return [row.split(",") for row in preset.kernel_text.split(";")]


def _cell_rectangle(cells: Mapping[tuple[int, int], str], errors: dict[str, str]) -> list[list[str]]:
    rows = min(1 + max(r for r, _ in cells), limits.MAX_KERNEL_SIDE)
    cols = min(1 + max(c for _, c in cells), limits.MAX_KERNEL_SIDE)
    texts = []
    for r in range(rows):
        row = []
        for c in range(cols):
            if (r, c) not in cells:
                errors.setdefault(f"k-{r}-{c}", f"k-{r}-{c}: is missing; the grid must fill a whole rectangle")
            row.append(cells.get((r, c), ""))
        texts.append(row)
    return texts


def _side(args: Mapping[str, str], name: str, errors: dict[str, str]) -> int | None:
    return record(errors, lambda: parse_int(args, name, 1, limits.MAX_KERNEL_SIDE))


def _resize(texts: list[list[str]], rows: int | None, cols: int | None) -> list[list[str]]:
    """The grid at a new size, keeping the cells around the centre (index side // 2) and filling with 0."""
    old_rows, old_cols = len(texts), len(texts[0])
    rows, cols = rows or old_rows, cols or old_cols
    if (rows, cols) == (old_rows, old_cols):
        return texts
    shift_r, shift_c = old_rows // 2 - rows // 2, old_cols // 2 - cols // 2
    resized = []
    for r in range(rows):
        row = []
        for c in range(cols):
            rr, cc = r + shift_r, c + shift_c
            row.append(texts[rr][cc] if 0 <= rr < old_rows and 0 <= cc < old_cols else "0")
        resized.append(row)
    return resized


def _weights(texts: list[list[str]], errors: dict[str, str]) -> np.ndarray | None:
    """Every cell read as a number; each bad cell is filed under its own name (``k-R-C``)."""
    weights = np.zeros((len(texts), len(texts[0])))
    ok = True
    for r, row in enumerate(texts):
        for c, text in enumerate(row):
            name = f"k-{r}-{c}"
            value = record(errors, lambda text=text, name=name: parse_number(text, name))
            if value is None:
                ok = False
            else:
                weights[r, c] = value
    return weights if ok else None
