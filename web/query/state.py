"""The query-string state shared by every route: parse it, check it, write it back.

The HTTP contract is stable (permalinks and course pages depend on it), so the
parameter names and their defaults live in this one module, and the syntax of a
single value (numbers, flags, pairs, the origin) in :mod:`web.query.query_values`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from imaging.drawing import canonical_drawing, is_drawing
from kernels import limits
from kernels.errors import InputError
from kernels.library.kernel_text import format_number, parse_number
from kernels.library.presets import Preset
from kernels.options import COLORS, DISPLAYS, EDGE_MODES, OPS, Options
from kernels.teaching.gradient import COMBINE_MODES, check_pair
from web.query.kernel_choice import KernelChoice, parse_kernel_choice, transpose_partner
from web.query.query_values import (
    pair_text,
    read_choice,
    read_flag,
    read_integer,
    read_number,
    read_origin,
    read_pair,
)

DEFAULT_IMAGE = "astronaut"
DEFAULT_KERNEL = "sharpen"
DEFAULT_COLOR = "gray"
DEFAULT_DISPLAY = "clamp"
DEFAULT_SIZE = 512
"""The default working size: the engine reads a copy of the picture with at most 512 × 512 pixels."""
FULL_SIZE = "full"
"""The ``size`` value that asks for the picture as it was uploaded."""
MIN_SIZE = 32

STATE_PARAMS: tuple[str, ...] = (
    "image",
    "kernel",
    "origin",
    "op",
    "edge",
    "cval",
    "normalize",
    "divisor",
    "offset",
    "stride",
    "dilation",
    "repeat",
    "color",
    "display",
    "combine",
    "kernel2",
    "compare",
    "size",
)
MAX_COMPARE = 4
"""Most kernels the ``compare`` parameter may list."""
COMPARE_SEPARATOR = "|"
CELL_NAME = re.compile(r"^k-(\d{1,2})-(\d{1,2})$")
"""A kernel grid cell's field name, ``k-ROW-COL`` (0-based), which may stand in for ``kernel``."""


@dataclass(frozen=True)
class State:
    """Everything that decides an output image, as parsed from a query string.

    ``kernel`` holds the weights as written (before normalise or flip);
    ``preset`` is the preset's name when the kernel came from one, ``generator``
    the canonical generator call (``gaussian(7,1.5)``) when it came from one.

    ``combine`` ("magnitude" or "direction", or None) asks for the gradient of
    ``kernel`` (Gx) and ``kernel2`` (Gy); ``kernel2`` is the second kernel,
    resolved (None when neither ``combine`` nor ``kernel2`` was given), and
    ``kernel2_default`` says it was not given but taken as the transpose partner
    of ``kernel``. ``compare`` lists up to :data:`MAX_COMPARE` further kernels
    shown beside the main output with the same image and options (see
    :meth:`for_slot`). ``size`` is the working size: the engine reads the picture
    scaled down (never up) to at most ``size × size`` pixels in area, its aspect
    kept; None reads it as it is.
    """

    image: str = DEFAULT_IMAGE
    kernel: np.ndarray = field(default_factory=lambda: np.zeros((1, 1)))
    preset: str | None = None
    options: Options = field(default_factory=Options)
    color: str = DEFAULT_COLOR
    display: str = DEFAULT_DISPLAY
    generator: str | None = None
    combine: str | None = None
    kernel2: KernelChoice | None = None
    kernel2_default: bool = False
    compare: tuple[KernelChoice, ...] = ()
    size: int | None = DEFAULT_SIZE
    base: KernelChoice | None = None

    @property
    def choice(self) -> KernelChoice:
        """The main kernel with how it was named."""
        return KernelChoice(self.kernel, preset=self.preset, generator=self.generator, base=self.base)

    @property
    def kernel_text(self) -> str:
        """The kernel as the ``kernel`` parameter spells it: the preset name, the generator call or its rows."""
        return self.choice.text

    def to_query(self) -> dict[str, str]:
        """The parameters that restore this state; image and kernel always, the rest when not default."""
        o, d = self.options, Options()
        query = {"image": self.image, "kernel": self.kernel_text}
        if o.origin is not None:
            query["origin"] = f"{o.origin[0]},{o.origin[1]}"
        for name in ("op", "edge"):
            if getattr(o, name) != getattr(d, name):
                query[name] = getattr(o, name)
        for name in ("cval", "divisor", "offset"):
            if getattr(o, name) != getattr(d, name):
                query[name] = format_number(getattr(o, name))
        if o.normalize:
            query["normalize"] = "1"
        for name in ("stride", "dilation"):
            pair = getattr(o, name)
            if pair != getattr(d, name):
                query[name] = pair_text(pair)
        if o.repeat != d.repeat:
            query["repeat"] = str(o.repeat)
        if self.color != DEFAULT_COLOR:
            query["color"] = self.color
        if self.display != DEFAULT_DISPLAY:
            query["display"] = self.display
        if self.combine is not None:
            query["combine"] = self.combine
        if self.kernel2 is not None and not self.kernel2_default:
            query["kernel2"] = self.kernel2.text
        if self.compare:
            query["compare"] = COMPARE_SEPARATOR.join(choice.text for choice in self.compare)
        if self.size != DEFAULT_SIZE:
            query["size"] = size_text(self.size)
        return query

    def input_key(self) -> tuple:
        """What decides the engine's input picture: the image, its working size and the colour mode."""
        return (self.image, self.size, self.color)

    def input_query(self) -> dict[str, str]:
        """The parameters of :meth:`to_query` that decide the input picture alone."""
        query = {"image": self.image}
        if self.color != DEFAULT_COLOR:
            query["color"] = self.color
        if self.size != DEFAULT_SIZE:
            query["size"] = size_text(self.size)
        return query

    def cache_key(self) -> tuple:
        """A hashable key that changes whenever the output could change (resolved weights, not names)."""
        key = self.filter_key()
        if self.combine is not None and self.kernel2 is not None:
            key += ("combine", self.combine, *self.kernel2.key())
        return key

    def filter_key(self) -> tuple:
        """The key of the main kernel's own result (what ``combine`` and ``compare`` leave out)."""
        k = np.ascontiguousarray(self.kernel, dtype=np.float64) + 0.0  # -0.0 and 0.0 filter alike
        return (self.image, self.size, k.shape, k.tobytes(), self.options, self.color, self.display)

    def second_state(self) -> State:
        """The plain state of ``kernel2`` (Gy) with every other setting of this one, origin included."""
        if self.kernel2 is None:
            raise InputError("kernel2", "is not set: give kernel2, or combine with a known x/y gradient kernel")
        second = self.kernel2
        return replace(
            self,
            kernel=second.weights,
            preset=second.preset,
            generator=second.generator,
            combine=None,
            kernel2=None,
            kernel2_default=False,
            compare=(),
        )

    def with_kernel(self, kernel: np.ndarray, preset: str | None = None, generator: str | None = None) -> State:
        return replace(self, kernel=kernel, preset=preset, generator=generator)

    @property
    def slots(self) -> int:
        """How many kernels ``compare`` lists (``slot`` runs from 0 to this minus 1)."""
        return len(self.compare)

    def for_slot(self, slot: int) -> State:
        """The plain state of ``compare[slot]``: that kernel, the same image, colour, display and options.

        The origin belongs to ``kernel``, so compared kernels use their own default origin; ``combine``
        and ``compare`` do not carry over. InputError (field ``slot``) for a slot the list does not have.
        """
        if not 0 <= slot < len(self.compare):
            rule = (
                f"must be from 0 to {len(self.compare) - 1}, an index into compare"
                if self.compare
                else "needs a compare list (compare=blur|sharpen|…)"
            )
            raise InputError("slot", rule, str(slot))
        choice = self.compare[slot]
        return State(
            image=self.image,
            kernel=choice.weights,
            preset=choice.preset,
            generator=choice.generator,
            options=replace(self.options, origin=None),
            color=self.color,
            display=self.display,
            size=self.size,
        )


def parse_state(
    args: Mapping[str, str],
    presets: Mapping[str, Preset],
    extra: Iterable[str] = (),
    *,
    kernel: KernelChoice | None = None,
) -> State:
    """Build a :class:`State` from query parameters, refusing anything unknown or out of range.

    ``extra`` names further parameters the calling route reads itself (``x``,
    ``y``, ``view``...). Empty values count as absent, which is what a plain
    HTML form sends for an untouched field. Kernel grid cells named
    ``k-ROW-COL`` (0-based) may stand in for ``kernel``; ``kernel`` given here is
    the kernel already read from the same text (the page's editor reads it once).
    """
    allowed = set(STATE_PARAMS) | set(extra)
    cells: dict[tuple[int, int], str] = {}
    values: dict[str, str] = {}
    for name, value in args.items():
        match = CELL_NAME.match(name)
        if match:
            cells[(int(match[1]), int(match[2]))] = value
        elif name not in allowed:
            raise InputError(name, f"is not a known parameter; known ones are {', '.join(sorted(allowed))}", value)
        elif value.strip() != "":
            values[name] = value.strip()

    if kernel is not None:  # already read (the page's kernel editor): its ``kernel`` text names the same
        choice = kernel
    elif cells:
        choice = KernelChoice(_kernel_from_cells(cells))
    else:
        choice = parse_kernel_choice(values.get("kernel", default_kernel(presets)), presets, "kernel")
    kernel = choice.weights

    options = Options(
        op=read_choice(values, "op", OPS, Options.op),
        edge=read_choice(values, "edge", EDGE_MODES, Options.edge),
        cval=read_number(values, "cval", Options.cval),
        normalize=read_flag(values, "normalize"),
        divisor=_divisor(values),
        offset=read_number(values, "offset", Options.offset),
        stride=read_pair(values, "stride", limits.MAX_STRIDE),
        dilation=read_pair(values, "dilation", limits.MAX_DILATION),
        repeat=read_integer(values, "repeat", 1, limits.MAX_REPEAT, Options.repeat),
        origin=read_origin(values, kernel.shape),
    )
    image = values.get("image", DEFAULT_IMAGE)
    if is_drawing(image):
        image = canonical_drawing(image)
    elif not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", image):
        rule = "must be a sample name, an upload id (letters, digits, - and _) or a drawing (draw:…)"
        raise InputError("image", rule, image)
    combine = values.get("combine")
    if combine is not None and combine not in COMBINE_MODES:
        raise InputError("combine", f"must be one of {', '.join(COMBINE_MODES)} (or absent for one kernel)", combine)
    kernel2, kernel2_default = _second_kernel(values, choice, combine, presets)
    return State(
        image=image,
        kernel=kernel,
        preset=choice.preset,
        options=options,
        color=read_choice(values, "color", COLORS, DEFAULT_COLOR),
        display=read_choice(values, "display", DISPLAYS, DEFAULT_DISPLAY),
        generator=choice.generator,
        combine=combine,
        kernel2=kernel2,
        kernel2_default=kernel2_default,
        compare=_compare(values, presets),
        size=parse_size(values.get("size")),
        base=choice.base,
    )


def size_text(size: int | None) -> str:
    """How the ``size`` parameter spells a working size."""
    return FULL_SIZE if size is None else str(size)


def parse_size(text: str | None) -> int | None:
    """The working size a ``size`` value asks for: a whole number of pixels a side, or ``full`` (None)."""
    if text is None:
        return DEFAULT_SIZE
    if text.lower() in (FULL_SIZE, "original"):
        return None
    rule = (
        f"must be '{FULL_SIZE}' (the picture as uploaded) or a whole number from {MIN_SIZE} to "
        f"{limits.MAX_IMAGE_SIDE}: the engine reads the picture scaled down to at most size × size pixels"
    )
    if not re.fullmatch(r"\d{1,5}", text) or not MIN_SIZE <= int(text) <= limits.MAX_IMAGE_SIDE:
        raise InputError("size", rule, text)
    return int(text)


def default_kernel(presets: Mapping[str, Preset]) -> str:
    """The kernel a request gets when it names none: sharpen, or an author's library's first preset."""
    return DEFAULT_KERNEL if DEFAULT_KERNEL in presets or not presets else next(iter(presets))


def _second_kernel(
    values: Mapping[str, str], first: KernelChoice, combine: str | None, presets: Mapping[str, Preset]
) -> tuple[KernelChoice | None, bool]:
    """``kernel2`` as given, or with ``combine`` the transpose partner of ``kernel``; and whether it was defaulted."""
    if "kernel2" in values:
        second = parse_kernel_choice(values["kernel2"], presets, "kernel2")
        if combine is not None:
            check_pair(first.weights, second.weights)
        return second, False
    if combine is None:
        return None, False
    partner = transpose_partner(first, presets)
    if partner is None:
        raise InputError(
            "kernel2",
            "is required with combine: the second kernel (Gy), as a preset name, generator "
            "or rows; it defaults only for known x/y gradient kernels such as sobel-left or sobel-x(3)",
            first.text,
        )
    return partner, True


def _compare(values: Mapping[str, str], presets: Mapping[str, Preset]) -> tuple[KernelChoice, ...]:
    if "compare" not in values:
        return ()
    texts = values["compare"].split(COMPARE_SEPARATOR)
    if len(texts) > MAX_COMPARE:
        raise InputError(
            "compare", f"may list at most {MAX_COMPARE} kernels separated by '{COMPARE_SEPARATOR}'", values["compare"]
        )
    return tuple(parse_kernel_choice(text, presets, f"compare[{index}]") for index, text in enumerate(texts))


def _kernel_from_cells(cells: Mapping[tuple[int, int], str]) -> np.ndarray:
    rows = 1 + max(r for r, _ in cells)
    cols = 1 + max(c for _, c in cells)
    if rows > limits.MAX_KERNEL_SIDE or cols > limits.MAX_KERNEL_SIDE:
        raise InputError("kernel", f"each side must be 1 to {limits.MAX_KERNEL_SIDE} cells", f"{rows}x{cols}")
    kernel = np.zeros((rows, cols))
    for r in range(rows):
        for c in range(cols):
            name = f"k-{r}-{c}"
            if (r, c) not in cells:
                raise InputError(name, "is missing: the kernel grid must fill a whole rectangle")
            kernel[r, c] = parse_number(cells[(r, c)], name)
    return kernel


def _divisor(values: Mapping[str, str]) -> float:
    divisor = read_number(values, "divisor", Options.divisor)
    if divisor == 0:
        raise InputError("divisor", "must not be 0 (use 1 to leave the sum as it is)", values["divisor"])
    return divisor
