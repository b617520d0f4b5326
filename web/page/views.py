"""The pages' views and their swappable regions, described once: what each view is called, the frame its embed
snippet suggests, which regions it shows, and which of them an answer to pointing redraws.

The page builder (:mod:`web.page.page_context`), the fragment answers (:mod:`web.page.regions`) and the embed snippets
(:mod:`web.page.page_address`) all read these tables. The page script (``static/app.js``) reads :data:`POINTING` from
``<main data-pointing>``: the app gives every template :data:`POINTING_JSON` as ``pointing_json``.
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
