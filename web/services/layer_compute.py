"""The layer section's results and pictures, cached, within the request budget.

Each filter is computed on its own (:func:`kernels.teaching.layer.filter_alone`: bit for bit the maps the whole layer
gives), so an edit to one filter recomputes that filter only and the page reloads only its three pictures.
``/api/layer`` runs the whole layer in one call. Every computation is checked against the request budget first:
the cost model's seconds (:func:`kernels.teaching.layer.layer_cost`) times :data:`web.services.budget.MODEL_MARGIN`;
over it, the request is refused with a message naming the settings to turn down, and work at or above the heavy-work
threshold runs on the low-priority heavy threads, like the engine's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

import numpy as np
from flask import Flask, current_app

from imaging.images import encode_png
from kernels.engine.cost import Cost
from kernels.errors import InputError
from kernels.teaching.display import SIGNED_LUT
from kernels.teaching.layer import Layer, LayerResult, filter_alone, layer_cost, run_layer, validate_layer
from web.query.layer_state import DEFAULT_LAYER_SIZE, LayerState
from web.services.budget import MODEL_MARGIN, Knob, too_expensive
from web.services.client_gone import client_gone_check
from web.services.compute import LRU, Services
from web.services.rate_limits import note_computed

EXTENSION = "image_kernels_layer"
"""Where the app keeps its :class:`LayerServices`."""


class LayerServices:
    """The layer results and map pictures of one app, beside its :class:`~web.services.compute.Services`."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.results = LRU(64, 256 * 1024 * 1024)
        self.pngs = LRU(256, 64 * 1024 * 1024)

    def picture(self, state: LayerState) -> np.ndarray:
        """The layer's input: float32 (H, W) luma or (H, W, 3) RGB at the layer's working size."""
        return self.services.engine_input(state.input_state())

    def check(self, state: LayerState, filters: Iterable[int] | None = None) -> Cost:
        """Validate the layer on its picture and refuse it when ``filters`` (None: the whole layer) cost more
        than the budget; returns the modelled cost as the budget counts it."""
        shape = self.picture(state).shape
        layer = state.layer
        validate_layer(shape, layer)
        if filters is None:
            one = layer_cost(shape, layer)
        else:
            one = Cost()
            for f in filters:
                alone, channels = filter_alone(layer, f)
                one = one + layer_cost((*shape[:2], len(channels)), alone)
        cost = Cost(one.seconds * MODEL_MARGIN, one.peak_bytes)
        budget = self.services.budget
        if cost.seconds > budget.seconds or cost.peak_bytes > budget.peak_bytes:
            raise too_expensive(cost, budget, _knobs(state, shape))
        return cost

    def _run(self, key: tuple, make: Callable[[], LayerResult], seconds: float) -> LayerResult:
        """``make()`` through the cache; heavy work on the heavy threads."""
        if key not in self.results:
            note_computed()
            if seconds >= self.services.budget.heavy_seconds:
                self.services.heavy.run(lambda: self.results.get_or_make(key, make), seconds)
        return self.results.get_or_make(key, make)

    def filter_result(self, state: LayerState, f: int, channel: int | None = None) -> LayerResult:
        """Filter ``f``'s maps, (1, h, w) each (checked against the budget). ``channel`` (0–2) makes a one-grid
        filter read that colour channel of the picture instead of its grey (what a depthwise filter reads)."""
        seconds = self.check(state, [f]).seconds
        alone, channels = filter_alone(state.layer, f)
        if channel is None:
            picture = self.picture(state)
        else:
            picture, channels = (
                self.services.engine_input(replace(state.input_state(), color="rgb")),
                range(channel, channel + 1),
            )
        key = ("filter", state.image, state.size, tuple(channels), *alone.key())
        stop = client_gone_check()
        source = picture[:, :, channels] if picture.ndim == 3 else picture
        return self._run(key, lambda: run_layer(source, alone, should_stop=stop), seconds)

    def layer_result(self, state: LayerState) -> LayerResult:
        """The whole layer's maps, (F, h, w) each (checked against the budget)."""
        seconds = self.check(state).seconds
        picture = self.picture(state)
        stop = client_gone_check()
        return self._run(("layer", *state.key()), lambda: run_layer(picture, state.layer, should_stop=stop), seconds)

    def map_png(self, state: LayerState, f: int, which: str, channel: int | None = None) -> bytes:
        """Filter ``f``'s map ``which`` (``pre``, ``act``, ``pool``) as a PNG in the signed colour map."""
        result = self.filter_result(state, f, channel)
        key = ("png", state.image, state.size, channel, *filter_alone(state.layer, f)[0].key(), which)
        return self.pngs.get_or_make(
            key, lambda: encode_png(signed_picture(map_of(result, which)[0], scale_of(result)))
        )


def map_of(result: LayerResult, which: str) -> np.ndarray:
    """The maps ``which`` names: ``pre``, ``act`` or ``pool``."""
    if which == "pool":
        if result.pooled is None:
            raise InputError("map", "pool needs pooling (pool=max or avg)", which)
        return result.pooled
    return result.act if which == "act" else result.pre


def scale_of(result: LayerResult, index: int = 0) -> float:
    """The colour scale of a filter's pictures: its largest |value| before the activation (every map of the
    filter shares it, so the colours of one value match across them)."""
    return float(np.abs(result.pre[index]).max())


def signed_picture(values: np.ndarray, scale: float) -> np.ndarray:
    """(h, w, 3) uint8: the ``signed`` display's colour map of ``values`` with the given scale.

    The same steps as :func:`kernels.teaching.display.render` with ``display="signed"`` (index rint(v / m · 127) + 128),
    but with m given rather than taken from these values alone, so :func:`kernels.teaching.display.stored_value`
    (``signed``, −m, m) names each pixel's colour.
    """
    levels = values.astype(np.float64)
    if scale == 0:
        levels[...] = 128.0
    else:
        levels /= scale
        levels *= 127.0
        np.rint(levels, out=levels)
        levels += 128.0
        np.clip(levels, 1, 255, out=levels)
    return np.take(SIGNED_LUT, levels.astype(np.uint8), axis=0)


def _knobs(state: LayerState, shape: tuple[int, ...]) -> list[Knob]:
    """The layer's settings worth turning down (those that make it costlier than the defaults; else the size)."""
    layer: Layer = state.layer
    height, width = shape[:2]
    kh, kw = layer.kernel_shape
    knobs = [
        (height * width / DEFAULT_LAYER_SIZE**2, "lsize", f"the working size (now {state.size}: {width}×{height})"),
        (layer.filters, "filters", f"the number of filters (now {layer.filters})"),
        (kh * kw / 9, "filters", f"the filter size (now {kh}×{kw})"),
    ]
    return [knob for knob in knobs if knob[0] > 1] or knobs[:1]


def layer_services(app: Flask | None = None) -> LayerServices:
    """The app's :class:`LayerServices` (made on first use)."""
    app = app or current_app
    found = app.extensions.get(EXTENSION)
    if found is None:
        found = app.extensions[EXTENSION] = LayerServices(app.extensions["image_kernels"])
    return found
