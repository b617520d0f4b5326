"""The pages' views and their swappable regions, described once: what each view is called, the frame its embed
snippet suggests, which regions it shows, and which of them an answer to pointing redraws.

The page builder (:mod:`web.page.page_context`), the fragment answers (:mod:`web.page.regions`) and the embed snippets
(:mod:`web.page.page_address`) all read these tables. The page scripts (``static/app.js``, ``static/stepper.js``,
``static/draw.js``) read :data:`POINTING` from ``<main data-pointing>``: the app gives every template
:data:`POINTING_JSON` as ``pointing_json``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

INSPECT_FIGURES = ("inspect-region", "inspect-marks-in", "inspect-marks-out", "inspect-stepper")
PLAY_FIGURES = ("play-region", "play-marks-in", "play-marks-out", "play-stepper")
REGIONS_OF_PART = {
    "inspect": (*INSPECT_FIGURES, "inspect-panel"),
    "play": (*PLAY_FIGURES, "play-panel", "play-pixel"),
    "compare": ("compare-region",),
}
"""The regions an answer to pointing (``part=``) redraws."""


@dataclass(frozen=True)
class Pointing:
    """One part's selected output pixel as the page script handles it: the form fields that hold it (``step``
    empty where the part has no stepper) and the id of the panel that explains it, whose ``data-summary`` is
    read out when it changes."""

    x: str
    y: str
    pin: str
    step: str
    panel: str


POINTING = {
    "inspect": Pointing("x", "y", "pin", "step", "explain"),
    "play": Pointing("px", "py", "ppin", "pstep", "play-explain"),
    "compare": Pointing("cx", "cy", "cpin", "", "compare-explain"),
}
"""Each part pointing can redraw (the keys of :data:`REGIONS_OF_PART`): its fields and its panel."""
POINTING_JSON = json.dumps({part: asdict(pointing) for part, pointing in POINTING.items()}, separators=(",", ":"))
""":data:`POINTING` as ``<main data-pointing>`` carries it, in its order."""
KERNEL_REGIONS = ("kernel-editor", "kernel-facts", "kernel-spectrum", "options")
_INSPECT = (*INSPECT_FIGURES, "inspect-values", "inspect-panel", "preset-about")
_PLAY = ("play-tools", *PLAY_FIGURES, "play-panel", "play-pixel", "play-values")
_AROUND = ("share", "form-meta")


@dataclass(frozen=True)
class View:
    """What one page shows: its title, the frame its embed snippet suggests (width, height in px: its pictures
    and its panel in view without scrolling, at that width and at 375 px), its swappable regions and what its
    snippet's ``<iframe allow="…">`` lets the frame use."""

    title: str
    embed_size: tuple[int, int] | None
    regions: tuple[str, ...]
    allow: str = "clipboard-write"


PAGE_VIEWS: dict[str | None, View] = {
    None: View(
        "Image kernels",
        None,
        (
            "form-status",
            *KERNEL_REGIONS,
            *_INSPECT,
            *_PLAY,
            *_AROUND,
            "combine",
            "compare-tools",
            "compare-region",
            "exports",
            "edge-compare",
        ),
    ),
    "matrix": View("An image is a matrix of numbers", (720, 560), ("form-status", *_AROUND)),
    "inspect": View(
        "A kernel at work", (760, 1100), ("form-status", *KERNEL_REGIONS, *_INSPECT, *_AROUND, "edge-compare")
    ),
    "playground": View("Kernel playground", (760, 1100), ("form-status", *KERNEL_REGIONS, *_PLAY, *_AROUND, "combine")),
    "compare": View("Compare kernels", (760, 1000), ("form-status", "compare-tools", "compare-region", *_AROUND)),
    "code": View("Reproduce it in code", (760, 720), ("form-status", "exports", *_AROUND)),
    "camera": View("Live camera", (760, 700), ("form-status", *KERNEL_REGIONS, "camera-tools", *_AROUND), "camera"),
    "quiz": View("Predict, then reveal", (760, 1100), ("form-status", "quiz", *KERNEL_REGIONS, *_AROUND)),
    "layer": View("One layer of a neural network", (760, 1100), ("form-status", *_AROUND)),  # web.page.layer_page
}
"""The full page (None) and each ``/embed?view=`` view."""
VIEW_TITLES = {name: view.title for name, view in PAGE_VIEWS.items() if name is not None}
EMBED_SIZES = {name: view.embed_size for name, view in PAGE_VIEWS.items() if view.embed_size is not None}
REGIONS_BY_VIEW = {name: view.regions for name, view in PAGE_VIEWS.items()}


@dataclass(frozen=True)
class Region:
    """One swappable region: the partial that draws it (the same on a whole page and in an answer), the region
    it is drawn inside (its place there is an empty ``<div id=… hx-morph-skip-children>``, which a morph of the
    outer region leaves alone), and whether an answer replaces it whole (``innerHTML``: no controls in it) or
    morphs it (``innerMorph``: typing and the focus survive)."""

    template: str
    inside: str | None = None
    replaced_whole: bool = False


REGIONS: dict[str, Region] = {
    "form-status": Region("partials/status.html"),
    "kernel-editor": Region("partials/kernel_editor.html"),
    "kernel-facts": Region("partials/properties.html"),
    "kernel-spectrum": Region("partials/spectrum.html"),
    "options": Region("partials/options.html"),
    "inspect-region": Region("partials/inspect.html"),
    "inspect-marks-in": Region("partials/marks.html", "inspect-region", True),
    "inspect-marks-out": Region("partials/marks.html", "inspect-region", True),
    "inspect-values": Region("partials/inspect_values.html", "inspect-region", True),
    "inspect-panel": Region("partials/inspect_panel.html", replaced_whole=True),
    "inspect-stepper": Region("partials/stepper.html", "inspect-region"),  # a morph: its slider keeps the focus
    "preset-about": Region("partials/preset_about.html"),
    "play-tools": Region("partials/play_tools.html"),
    "play-region": Region("partials/play.html"),
    "play-marks-in": Region("partials/marks.html", "play-region", True),
    "play-marks-out": Region("partials/marks.html", "play-region", True),
    "play-values": Region("partials/play_values.html", replaced_whole=True),
    "play-panel": Region("partials/play_panel.html", replaced_whole=True),
    "play-stepper": Region("partials/stepper.html"),
    "play-pixel": Region("partials/play_pixel.html"),
    "share": Region("partials/share.html"),
    "form-meta": Region("partials/meta.html"),
    "edge-compare": Region("partials/edge_compare.html"),
    "combine": Region("partials/combine.html"),
    "compare-tools": Region("partials/compare.html"),
    "compare-region": Region("partials/compare_panel.html"),
    "exports": Region("partials/export.html"),
    "camera-tools": Region("partials/camera_tools.html"),  # the camera embed's own; on the page the playground's
    "quiz": Region("partials/quiz.html"),  # "Which kernel made this?" and "Find the kernel" (web.page.quiz_view)
}
"""Every region of the pages' form, by the id of the element it fills."""
LAYER_REGIONS: dict[str, Region] = {
    "layer-status": Region("partials/layer_status.html"),
    "layer-carry": Region("partials/layer_carry.html"),
    "layer-controls": Region("partials/layer_controls.html"),
    "layer-input": Region("partials/layer_input.html"),
    "layer-panel": Region("partials/layer_panel.html"),
    "layer-pixel": Region("partials/layer_pixel.html"),
    "layer-filters": Region("partials/layer_filters.html"),
    "layer-code": Region("partials/layer_code.html"),
}
"""The layer section's regions: it has a form and answers of its own (``/layer/fragment``)."""
LAYER_POINTING = ("layer-status", "layer-carry", "layer-panel", "layer-pixel")
"""The layer regions an answer to pointing at a map redraws."""
