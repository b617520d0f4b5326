"""Every word of the "Frequencies" panel: what kind of filter a kernel is, what it keeps and removes, what the
options do to its gains, the heat map's alt text and the charts' descriptions. Every gain and frequency shown
goes through :func:`gain_text`.
"""

from __future__ import annotations

import numpy as np

from kernels.library.kernel_text import format_for_people
from kernels.teaching.spectrum import RAY_ANGLES, SideLobe, Spectrum, nearest_ray
from web.query.state import State

CHANGES = {
    "x": "changes from left to right",
    "y": "changes from top to bottom",
    "diagonal": "changes from top-left to bottom-right",
    "antidiagonal": "changes from top-right to bottom-left",
}
CUT_TITLES = {"x": "Gain along x (changes from left to right)", "y": "Gain along y (changes from top to bottom)"}
ACROSS = {"x": "y", "y": "x", "diagonal": "antidiagonal", "antidiagonal": "diagonal"}
SIGNIFICANT = 2
"""Gains and frequencies are shown to this many significant digits: enough to read a chart, short enough to say."""
NONE = 1e-9
"""A gain below this fraction of the highest counts as none."""
LITTLE_ALIASING = 0.1
"""A stride's aliasing is "little" when no frequency it cannot keep gets a gain of this or more."""
UNEVEN = 0.8
"""A directional filter whose weaker direction gets at least this share of the stronger one's gain is not said
to prefer one: its map changes when turned, but not as one direction against the other."""


def gain_text(value: float) -> str:
    """A gain or a frequency for people: two significant digits, a real minus sign (``0.33``, ``−0.25``, ``9``)."""
    v = float(value)
    if v == 0 or abs(v) < 1e-12:
        return "0"
    return format_for_people(float(f"{v:.{SIGNIFICANT}g}"))


def _place(fx: float, fy: float) -> str:
    """Where a frequency is, in words."""
    if fx == 0 and fy == 0:
        return "zero frequency (flat areas)"
    if abs(fx) == 0.5 and abs(fy) == 0.5:
        return "(0.5, 0.5) cycles per pixel, a checkerboard"
    if fy == 0:
        return f"{gain_text(fx)} cycles per pixel from left to right (a period of {gain_text(1 / abs(fx))} pixels)"
    if fx == 0:
        return f"{gain_text(fy)} cycles per pixel from top to bottom (a period of {gain_text(1 / abs(fy))} pixels)"
    return f"({gain_text(fx)}, {gain_text(fy)}) cycles per pixel"


def headline(s: Spectrum) -> str:
    """What kind of filter it is, with its telling gains."""
    dc, peak = gain_text(s.dc_gain), gain_text(s.peak_gain)
    where = _place(*s.peak_at)
    if s.kind == "zero":
        return "Every weight is 0, so every frequency gets gain 0: nothing gets through."
    if s.kind == "all-pass":
        if abs(s.dc_gain - 1) <= 1e-9:
            return (
                "Every frequency passes with gain 1: flat areas, edges and the finest detail come out as strong as "
                "they went in (the picture may still move: the map shows how strong each pattern comes out, not "
                "where)."
            )
        flip = ", sign flipped (a negative)" if s.total < 0 else ""
        return (
            f"Every frequency passes with the same gain, {dc}{flip}: the picture gets "
            f"{'brighter' if s.dc_gain > 1 else 'darker'} but no sharper or softer."
        )
    if s.kind == "low-pass":
        if s.corner_gain <= 0.5 * s.dc_gain:
            lowest = f"{gain_text(s.corner_gain)} for a checkerboard (the corners, 0.5 cycles per pixel each way)"
        else:
            lowest = f"{gain_text(s.min_gain)} at {_place(*s.min_at)}"
        return (
            f"A low-pass filter, a blur: it keeps flat areas and slow changes (gain {dc} at the centre) and weakens "
            f"fine detail, down to {lowest}."
        )
    if s.kind == "high-pass":
        return (
            f"A high-pass filter: flat areas vanish (gain {dc} at the centre) and the finest detail comes out "
            f"strongest, up to {peak} at {where}: it finds edges, texture and noise."
        )
    if s.kind == "band-pass":
        finest = s.finest_gain()
        edges = "gain 0" if finest <= NONE * s.peak_gain else f"at most {gain_text(finest)}"
        return (
            f"A band-pass filter: flat areas vanish (gain {dc} at the centre) and so does the finest pixel-to-pixel "
            f"detail ({edges} at the map's edges); it responds most, {peak}, at {where}."
        )
    effect = (
        "it sharpens changes in some directions more than in others"
        if s.directional
        else "that is what sharpens, and it lifts noise just as much"
    )
    lift = f"lifts finer detail above that, up to {peak} at {where}"
    return f"It keeps flat areas (gain {dc} at the centre) and {lift}: {effect}."


def direction_sentence(s: Spectrum) -> str:
    """How the gain depends on the direction of the change, for a directional filter ("" otherwise)."""
    if not s.directional or s.direction is None:
        return ""
    strong = nearest_ray(s.direction)
    weak = ACROSS[strong]
    strong_words = CHANGES[strong]
    if abs(s.direction - RAY_ANGLES[strong]) >= 1:
        strong_words = strong_words.replace("changes from", "changes roughly from")
    if s.kind == "low-pass":
        high, low = float(s.ray(strong)[1:].mean()), float(s.ray(weak)[1:].mean())
        strong_text = f"it keeps {strong_words} (gain {gain_text(high)} on average)"
        weak_text = f"smooths {CHANGES[weak]} more (gain {gain_text(low)} on average)"
    else:
        high, low = float(s.ray(strong).max()), float(s.ray(weak).max())
        strong_text = f"it responds most to {strong_words} (up to {gain_text(high)})"
        weak_text = (
            f"ignores {CHANGES[weak]} (gain 0)"
            if low <= NONE * s.peak_gain
            else f"responds less to {CHANGES[weak]} (at most {gain_text(low)})"
        )
    if low >= UNEVEN * high:
        return "Its gains depend on direction: the map is not the same turned a quarter turn."
    return f"It depends on direction: {strong_text} and {weak_text}."


def ripple_sentence(s: Spectrum) -> str:
    """The side lobes of a blur ("" when its gain falls smoothly, or when it is not a blur)."""
    if s.kind != "low-pass" or not s.side_lobes:
        return ""
    axes = [ray for ray in ("x", "y") if any(lobe.ray == ray for lobe in s.side_lobes)]
    first: SideLobe = next((lobe for lobe in s.side_lobes if lobe.ray in axes), s.side_lobes[0])
    along = "along both axes" if len(axes) == 2 else f"along {axes[0]}" if axes else "along the diagonals"
    return (
        f"Its gain does not fall smoothly {along}: it drops to {gain_text(first.dip_gain)} near "
        f"{gain_text(first.dip_at)} cycles per pixel, then rises again to {gain_text(first.lobe_gain)} near "
        f"{gain_text(first.lobe_at)} (a side lobe), so some finer patterns get through better than coarser ones: "
        "ripples, like a box blur's. A kernel whose weights fade smoothly to 0 at its edges, like a small Gaussian, "
        "falls without them."
    )


def flat_sentence(s: Spectrum, kernel_sum: float, state: State) -> str:
    """The gain on flat areas is the sum of the taps, and what normalise and the divisor did to it."""
    o = state.options
    total = gain_text(s.total)
    if s.kind == "zero":
        return ""
    if abs(s.total) <= NONE * max(s.peak_gain, 1e-300):
        note = " (Normalise leaves a kernel that sums to 0 alone.)" if o.normalize else ""
        return f"The weights add up to 0, so flat areas give 0: the centre of the map is dark.{note}"
    steps = []
    if o.normalize and kernel_sum not in (0, 1):
        steps.append(f"normalise divided the weights by their sum, {gain_text(kernel_sum)}")
    if o.divisor != 1:
        steps.append(("the divisor" if steps else "the divisor divided the weights") + f" by {gain_text(o.divisor)}")
    how = f"After {', and '.join(steps)}, the" if steps else "The"
    text = f"{how} weights add up to {total}: that is the gain at the centre, so a flat area comes out"
    if abs(s.total - 1) <= 1e-9:
        text += " as bright as it went in."
    elif s.total < 0:
        text += f" multiplied by {total}, inverted."
    elif s.total < 1:
        text += f" at {gain_text(100 * s.total)}% of its brightness."
    else:
        text += f" {total} times as bright."
    if not o.normalize and abs(kernel_sum - 1) > 1e-9 and kernel_sum != 0:
        text += f" Normalise would divide the weights by {gain_text(kernel_sum)} and make it 1."
    return text


def options_sentences(s: Spectrum, state: State) -> list[str]:
    """What stride, repeat, dilation, the origin and combine do to the map (or do not)."""
    o = state.options
    out = []
    (dy, dx), (sy, sx) = o.dilation, o.stride
    if (dy, dx) != (1, 1):
        ways = [(d, way) for d, way in ((dy, "down"), (dx, "across")) if d > 1]
        if dy == dx:
            spread = f"{dx} pixels apart, so the map repeats itself {dx} times along each axis"
        else:
            apart = " and ".join(f"{d} pixels apart {way}" for d, way in ways)
            spread = f"{apart}, so the map repeats " + " and ".join(f"{d} times {way}" for d, way in ways)
        period = f"{dx} pixels" if dy == dx else " or ".join(f"{d} pixels {way}" for d, way in ways)
        out.append(
            f"Dilation {dy if dy == dx else f'{dy},{dx}'} spreads the taps {spread}: stripes with a period of "
            f"{period} get the same gain as flat areas, {gain_text(s.dc_gain)}."
        )
    if (sy, sx) != (1, 1):
        band = (
            f"{gain_text(0.5 / sx)} cycles per pixel"
            if sy == sx
            else (f"{gain_text(0.5 / sy)} cycles per pixel down and {gain_text(0.5 / sx)} across")
        )
        aliased = s.aliased_gain((sy, sx))
        if aliased < LITTLE_ALIASING:
            verdict = "little of that here."
        elif s.kind == "low-pass":
            verdict = "some of that here; a wider or smoother blur would let less through."
        else:
            verdict = "much of that here. A blur before the stride would remove them."
        out.append(
            f"Stride {sy if sy == sx else f'{sy},{sx}'} keeps one pixel in {sy * sx} ({_every(sy, 'row')}, "
            f"{_every(sx, 'column')}): the output only holds patterns up to {band} (the dashed box). Finer "
            f"patterns this kernel lets through, with a gain up to {gain_text(aliased)}, come back as false coarser "
            f"ones (aliasing): {verdict}"
        )
    if o.repeat > 1:
        example = s.corner_gain if 0 < s.corner_gain < 1 else s.peak_gain
        out.append(
            f"Repeat {o.repeat} runs it {o.repeat} times, so every gain is raised to the power {o.repeat}: "
            f"{gain_text(example)} becomes {gain_text(example**o.repeat)}. The map shows one pass."
        )
    if o.op == "convolve" or o.origin is not None:
        what = "Turning the kernel 180° (convolution)" if o.op == "convolve" else "Moving the origin"
        if o.op == "convolve" and o.origin is not None:
            what += " and moving the origin"
        out.append(f"{what} changes where each pattern lands, never how strong it comes out: the map stays the same.")
    if state.combine is not None:
        out.append(
            "Gradient magnitude and direction combine two results in a way no single kernel does, so the map "
            "shows the first kernel (Gx) alone."
        )
    return out


def _every(step: int, what: str) -> str:
    """ "every row", "every 2nd row", "every 11th column"."""
    if step == 1:
        return f"every {what}"
    suffix = "th" if 10 <= step % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(step % 10, "th")
    return f"every {step}{suffix} {what}"


def alt_text(s: Spectrum) -> str:
    """The heat map in words: its gains at the centre, edges and corners, the highest, and its ripples."""
    n = s.n
    if s.kind == "zero":
        return "Heat map of the gain at each frequency: 0 everywhere, the darkest blue."
    fx, fy = s.peak_at
    parts = [
        f"Heat map of the gain at each frequency, from −0.5 to 0.5 cycles per pixel across and down: "
        f"{gain_text(s.dc_gain)} at the centre",
        f"{gain_text(s.magnitude[n // 2, 0])} at the middle of the left and right edges",
        f"{gain_text(s.magnitude[0, n // 2])} at the middle of the top and bottom edges",
        f"{gain_text(s.corner_gain)} at the corners",
    ]
    text = ", ".join(parts)
    if s.kind == "all-pass":
        return text + ": the same everywhere."
    where = "the centre" if (fx, fy) == (0.0, 0.0) else f"({gain_text(fx)}, {gain_text(fy)})"
    text += f"; highest {gain_text(s.peak_gain)} at {where}"
    rays = {lobe.ray for lobe in s.side_lobes}
    if {"x", "y"} <= rays:
        text += "; ripples along both axes"
    elif rays & {"x", "y"}:
        text += f"; ripples along {'x' if 'x' in rays else 'y'}"
    return text + "."


def cut_description(s: Spectrum, gains: np.ndarray, axis: str) -> str:
    """A cut chart's description: its gains at 0 and ±0.5, its highest and lowest, and where."""
    n = s.n
    half = np.append(gains[n // 2 :], gains[0])  # 0 … +0.5; the gain at −f is the gain at +f
    high, low = int(half.argmax()), int(half.argmin())

    def at(k: int) -> str:
        return "0" if k == 0 else f"±{gain_text(k / n)}"

    text = f"Gain along {axis} through zero frequency, from −0.5 to 0.5 cycles per pixel: "
    if half[high] - half[low] <= 1e-9 * max(half[high], 1e-300):
        return text + f"{gain_text(half[0])} everywhere. A dashed line marks gain 1."
    return text + (
        f"{gain_text(half[0])} at 0 and {gain_text(half[-1])} at ±0.5; highest {gain_text(half[high])} at "
        f"{at(high)}, lowest {gain_text(half[low])} at {at(low)}. A dashed line marks gain 1."
    )


def sentences(s: Spectrum, state: State) -> list[str]:
    """Everything the panel says, in order: the kind of filter, direction, ripples, flat areas, the options."""
    texts = [
        headline(s),
        direction_sentence(s),
        ripple_sentence(s) if state.options.dilation == (1, 1) else "",  # dilation's repeats are said below
        flat_sentence(s, float(state.kernel.sum()), state),
        *options_sentences(s, state),
    ]
    return [text for text in texts if text]


def too_wide_text(largest: int) -> str:
    """Why the panel has no map: the dilated kernel is wider than the largest grid."""
    return (
        f"With this dilation the kernel spans more than {largest} pixels, more than the map can show: turn down "
        "the dilation to see its frequencies."
    )
