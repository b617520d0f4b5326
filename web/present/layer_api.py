"""The JSON of ``GET /api/layer``: the whole layer's maps with the parameters that made them, and the bound on
how many values one answer may hold."""

from __future__ import annotations

from urllib.parse import urlencode

import numpy as np

from kernels import limits
from kernels.errors import InputError
from kernels.teaching.layer import LayerResult, pooled_shape, validate_layer
from web.query.layer_state import LayerState
from web.query.query_values import READABLE


def check_layer_values(picture_shape: tuple[int, ...], state: LayerState) -> None:
    """Refuse (``lsize``, kind ``too_large``) a layer whose maps hold more than ``MAX_RAW_VALUES`` numbers, saying
    which settings make it smaller, before anything is computed."""
    geometry = validate_layer(picture_shape, state.layer)
    count, (h, w) = state.layer.filters, geometry.out_shape
    ph, pw = pooled_shape((h, w)) if state.layer.pool != "none" else (0, 0)
    values = count * (2 * h * w + ph * pw)
    if values > limits.MAX_RAW_VALUES:
        raise InputError(
            "lsize",
            f"/api/layer returns at most {limits.MAX_RAW_VALUES:,} values; this layer has {count} × (2 × {w}×{h} + "
            f"{pw}×{ph}) = {values:,} (use a smaller lsize, a stride, fewer filters, or /api/layer.png)",
            kind="too_large",
        )


def layer_json(state: LayerState, picture: np.ndarray, result: LayerResult) -> dict:
    """The answer's body: the picture read, every parameter (and the query that gives them back) and the maps
    before the activation, after it and after pooling (None without pooling), as nested lists."""
    layer = state.layer
    return {
        "image": state.image,
        "size": state.size,
        "input": {"shape": list(picture.shape), "color": state.color},
        "parameters": {
            "layer": state.bank,
            "filters": layer.weights.tolist(),
            "bias": layer.bias.tolist(),
            "groups": layer.groups,
            "stride": list(layer.stride),
            "dilation": list(layer.dilation),
            "edge": layer.edge,
            "activation": layer.activation,
            "pool": layer.pool,
            "query": urlencode(state.settings_query(), safe=READABLE),
        },
        "shapes": {
            "pre": list(result.pre.shape),
            "act": list(result.act.shape),
            "pooled": None if result.pooled is None else list(result.pooled.shape),
        },
        "pre": result.pre.tolist(),
        "act": result.act.tolist(),
        "pooled": None if result.pooled is None else result.pooled.tolist(),
    }
