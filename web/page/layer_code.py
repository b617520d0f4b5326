"""The layer section's code: the snippets its "Reproduce these maps in code" shows and /api/layer/export sends."""

from __future__ import annotations

from collections.abc import Sequence

from flask import url_for

from kernels.exports.layer_code import TITLES, LayerExport, export_layer
from web.query.layer_state import LayerState

WRITTEN = "numpy"
"""The snippet written into the page; the others load from /api/layer/export when their panel opens."""


def input_words(state: LayerState) -> str:
    """What the snippets read, in words, with the address that gives it."""
    src = url_for("api.input_png", **state.input_state().input_query())
    if state.color == "gray":
        return f"the picture as the layer reads it: grey (luma) levels 0–255, a float array (H, W), as {src} gives it."
    return f"the picture as the layer reads it: red, green and blue 0–255, a float array (H, W, 3), as {src} gives it."


def export_names(state: LayerState, titles: Sequence[str]) -> dict:
    """What the snippets call the filters and the channels, and the weights as typed."""
    names = ["grey"] if state.color == "gray" else ["red", "green", "blue"]
    return {"texts": state.texts, "bias_texts": state.bias_texts, "titles": list(titles), "names": names}


def export_state(state: LayerState, fmt: str, titles: Sequence[str]) -> LayerExport:
    """The snippet in ``fmt`` for this state (InputError, field ``format``, for an unknown format)."""
    return export_layer(fmt, state.layer, input_words(state), **export_names(state, titles))


def code_items(state: LayerState, titles: Sequence[str]) -> list[tuple[str, str, LayerExport | None, str]]:
    """(format, title, the snippet when written into the page, its address), NumPy first."""
    query = {"image": state.image, **state.settings_query()}
    items = []
    for fmt in (WRITTEN, "pytorch"):
        text = export_state(state, fmt, titles) if fmt == WRITTEN else None
        items.append((fmt, TITLES[fmt], text, url_for("layer.export", **query, format=fmt)))
    return items
