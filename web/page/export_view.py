"""Exports of a state, for ``GET /api/export`` and for the page's "Reproduce it in code" section.

Both call :func:`export_of`, so the page shows exactly the text the API sends. Only the NumPy snippet is
written into the page on every edit; the other formats are fetched from ``/api/export`` when their panel is
opened (a 31×31 kernel makes each export 20–45 KB and up to 9 ms). An export reproduces
one kernel's raw result. ``slot=N`` (handled by the route) exports ``compare[N]`` on its own. A combined
state (``combine``) is refused with a 400 naming ``combine``: no single filter call computes a gradient
magnitude or direction, so the page exports the first kernel (Gx) alone and shows the line of NumPy
that combines two results.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from flask import url_for

from kernels.errors import InputError
from kernels.exports import FILENAMES, FORMAT_HINTS, FORMAT_TITLES, FORMATS, Export, export
from web.query.state import State
from web.services.compute import Services

EAGER_FORMAT = "numpy"
"""The format written into the page (and shown open); the others load when opened."""
COMBINE_LINES = {
    "magnitude": "result = np.hypot(gx, gy)  # √(Gx² + Gy²)",
    "direction": "result = np.degrees(np.arctan2(gy, gx))  # direction in degrees, (−180, 180]",
}


def export_of(services: Services, state: State, format_name: str) -> Export:
    """The export of ``state`` in ``format_name``; InputError (field ``combine``) for a combined state."""
    if state.combine is not None:
        raise InputError(
            "combine",
            "cannot be exported: an export reproduces one kernel's raw result. Export each kernel "
            f"alone (without combine) as gx and gy, then: {COMBINE_LINES[state.combine].split('  #')[0]}",
            state.combine,
        )
    image = services.engine_input(state)
    return export(
        format_name,
        state.kernel,
        state.options,
        state.color,
        state.display,
        state.image,
        query=urlencode(state.to_query()),
        image_shape=image.shape,
    )


@dataclass
class ExportItem:
    """One format as the page shows it: where to download it, and for :data:`EAGER_FORMAT` its text and the
    settings the tool cannot express (the others' text is loaded from ``href``)."""

    format: str
    title: str
    hint: str
    text: str
    href: str
    filename: str
    notes: list[str] = field(default_factory=list)


@dataclass
class ExportsView:
    """The section: one item per format, or the reason nothing can be exported."""

    items: list[ExportItem]
    combine_note: str = ""
    error: str = ""


def build_exports(services: Services, state: State) -> ExportsView:
    """Every format for the page's state (its first kernel alone when combining)."""
    combine_note = ""
    if state.combine is not None:
        combine_note = COMBINE_LINES[state.combine]
        state = replace(state, combine=None, kernel2=None, kernel2_default=False)
    state = replace(state, compare=())
    query = state.to_query()
    items = []
    try:
        eager = export_of(services, state, EAGER_FORMAT)
        for format_name in FORMATS:
            href = url_for("api.export_state", **query, format=format_name)
            item = ExportItem(
                format_name, FORMAT_TITLES[format_name], FORMAT_HINTS[format_name], "", href, FILENAMES[format_name]
            )
            if format_name == EAGER_FORMAT:
                item.text, item.notes = eager.text, eager.notes
            items.append(item)
    except InputError as err:
        return ExportsView([], combine_note, err.message)
    return ExportsView(items, combine_note)
