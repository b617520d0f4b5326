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


def layer_export_of(state: LayerState, format_name: str, titles: Sequence[str]) -> LayerExport:
    """The snippet in ``format_name`` for this state (InputError, field ``format``, for an unknown format)."""
    return export_layer(format_name, state.layer, input_words(state), **export_names(state, titles))


def code_items(state: LayerState, titles: Sequence[str]) -> list[tuple[str, str, LayerExport | None, str]]:
    """(format, title, the snippet when written into the page, its address), NumPy first."""
    query = {"image": state.image, **state.settings_query()}
    items = []
    for format_name in (WRITTEN, "pytorch"):
        text = layer_export_of(state, format_name, titles) if format_name == WRITTEN else None
        items.append((format_name, TITLES[format_name], text, url_for("layer.export", **query, format=format_name)))
    return items
