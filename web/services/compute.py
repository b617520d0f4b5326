"""Turns a parsed :class:`State` into engine inputs, results and encoded images, with small caches.

Hovering over pixels asks for many explanations of the same output, so the
filtered result of the last few states is kept in memory; so are the decoded
engine inputs of the last few images.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from imaging import samples
from imaging.drawing import drawing_rgb, is_drawing
from imaging.images import encode_png, fit_working_size, to_engine_input
from imaging.preview import Preview, encode_preview
from imaging.store import ImageStore, is_image_id
from imaging.store_redis import RedisImageStore
from kernels.engine import FilterResult, filter_image, output_shape
from kernels.engine.cost import Cost
from kernels.library.presets import Preset, load_presets
from kernels.teaching.display import check_display, render
from kernels.teaching.explain import CombinedExplanation, PixelExplanation, explain
from kernels.teaching.gradient import GradientResult, combine, describe_pixel, render_combined
from web.query.state import State
from web.services.budget import Budget, HeavyPool, call_cost, engine_states, refuse_over_budget
from web.services.client_gone import client_gone_check
from web.services.rate_limits import note_computed

RENDER_VERSION = "1"
"""Bumped whenever the same state could render differently, so cached PNGs are not reused."""


def size_in_bytes(value: Any) -> int:
    """What a cached value costs: arrays and bytes by their size, a FilterResult by its arrays."""
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, bytes):
        return len(value)
    if isinstance(value, Preview):
        return len(value.data)
    if isinstance(value, FilterResult):
        return value.raw.nbytes + value.last_input.nbytes
    if isinstance(value, tuple) and value and isinstance(value[0], str):  # a page: (HTML, status)
        return len(value[0])
    if isinstance(value, GradientResult):
        return value.magnitude.nbytes + value.direction.nbytes
    return 1024


class LRU:
    """A small thread-safe least-recently-used cache, bounded by entries and by bytes.

    A value being made is shared: a second request for the same key (the page's fragment and the picture it
    names arrive together) waits for the first instead of computing it again.
    """

    def __init__(self, size: int, max_bytes: int = 256 * 1024 * 1024) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._making: dict[Hashable, threading.Event] = {}

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._items

    def get_or_make(self, key: Hashable, make: Callable[[], Any]) -> Any:
        while True:
            with self._lock:
                if key in self._items:
                    self._items.move_to_end(key)
                    return self._items[key][0]
                running = self._making.get(key)
                if running is None:
                    done = self._making[key] = threading.Event()
                    break
            running.wait()
            # Made (or failed) by another thread: look again; after a failure this thread tries itself.
        try:
            value = make()
            self._store(key, value)
        finally:
            with self._lock:
                del self._making[key]
            done.set()
        return value

    def _store(self, key: Hashable, value: Any) -> None:
        cost = size_in_bytes(value)
        with self._lock:
            if key not in self._items:
                self._items[key] = (value, cost)
                self._bytes += cost
            while len(self._items) > 1 and (len(self._items) > self.size or self._bytes > self.max_bytes):
                _, (_, old_cost) = self._items.popitem(last=False)
                self._bytes -= old_cost


@dataclass
class Services:
    """What the routes share: the preset library, the upload store and the caches."""

    presets: dict[str, Preset]
    store: ImageStore | RedisImageStore
    inputs: LRU = field(default_factory=lambda: LRU(16, 256 * 1024 * 1024))
    results: LRU = field(default_factory=lambda: LRU(128, 512 * 1024 * 1024))
    """The engine's results, bounded by bytes: a class's students each hold a kernel of their own, and pointing
    reads the result of one's own (about 80 results of a 512² colour picture fit)."""
    pngs: LRU = field(default_factory=lambda: LRU(64, 128 * 1024 * 1024))
    picture_keys: LRU = field(default_factory=lambda: LRU(256))
    """The cache key of the picture each ``/picture?…`` address shows (see ``web.page.pictures``)."""
    histograms: LRU = field(default_factory=lambda: LRU(32, 8 * 1024 * 1024))
    """Each output's raw-value histogram (see ``web.page.histogram_view``)."""
    edge_tables: LRU = field(default_factory=lambda: LRU(64))
    """Section 2's edge-mode corner tables, by kernel size and options (see ``web.page.options_view``)."""
    pages: LRU = field(default_factory=lambda: LRU(64, 32 * 1024 * 1024))
    """Whole pages of shared links, whose HTML is the same for everyone (see ``web.routes.pages``)."""
    pointed: LRU = field(default_factory=lambda: LRU(256))
    """Page requests read and checked without the pixels chosen, for the answers to pointing (see
    ``web.page.page_context.plan_page``)."""
    budget: Budget = field(default_factory=Budget)
    heavy: HeavyPool = field(init=False)

    def __post_init__(self) -> None:
        self.heavy = HeavyPool(self.budget)

    @classmethod
    def create(
        cls,
        presets_path: str | None,
        upload_folder: Path,
        upload_max: int,
        upload_bytes: int,
        budget: Budget | None = None,
        redis_url: str | None = None,
    ) -> Services:
        """The services of one app; uploads in Redis when ``redis_url`` is given, else in ``upload_folder``."""
        store: ImageStore | RedisImageStore
        if redis_url:
            store = RedisImageStore(redis_url)
        else:
            store = ImageStore(upload_folder, upload_max, max_bytes=upload_bytes)
        return cls(presets=load_presets(presets_path), store=store, budget=budget or Budget())

    def check_budget(self, states: list[State], compared: int = 0) -> Cost:
        """Refuse the engine calls these states need when, together, they cost more than the budget; returns
        the cost of those whose results are not cached yet (what the request will really compute)."""
        calls = [(self.engine_input(s).shape, plain) for s in states for plain in engine_states(s)]
        costs = [call_cost(*call) for call in calls]
        refuse_over_budget(self.budget, calls, sum(costs, Cost()), compared)
        uncached = [plain.filter_key() not in self.results for _, plain in calls]
        missing = [plain for (_, plain), new in zip(calls, uncached, strict=True) if new]
        cost = sum((one for one, new in zip(costs, uncached, strict=True) if new), Cost())
        if cost.seconds >= self.budget.heavy_seconds:
            stop = client_gone_check()  # the heavy thread has no request of its own
            self.heavy.run(lambda: [self.result(plain, stop) for plain in missing], cost.seconds)
        return cost

    def rgb_image(self, name: str) -> np.ndarray:
        """The named sample, upload or drawing as uint8 RGB, (H, W, 3); an upload id is always asked of the store,
        so one evicted by any worker is refused with the store's own message."""
        if is_drawing(name):
            return drawing_rgb(name)
        if is_image_id(name):
            return self.store.get(name)
        return samples.load_sample(name)

    def working_rgb(self, state: State) -> np.ndarray:
        """The picture at the state's working size, uint8 RGB (H, W, 3) (see :func:`fit_working_size`)."""
        return self.inputs.get_or_make(
            ("rgb", state.image, state.size), lambda: fit_working_size(self.rgb_image(state.image), state.size)
        )

    def engine_input(self, state: State) -> np.ndarray:
        """The float image the engine reads: luma (H, W) for grey, (H, W, 3) for RGB, at the working size."""
        return self.inputs.get_or_make(state.input_key(), lambda: to_engine_input(self.working_rgb(state), state.color))

    def output_size(self, state: State) -> tuple[int, int]:
        """(height, width) of a state's output, from the engine's size rule alone (nothing is filtered)."""
        return output_shape(self.engine_input(state).shape[:2], state.kernel.shape, state.options)

    def result(self, state: State, should_stop: Callable[[], bool] | None = None) -> FilterResult:
        """The main kernel's result (Gx of a combined state). The engine stops (raising
        :class:`~kernels.errors.Stopped`) when ``should_stop``, by default the request's client-gone check,
        answers True."""
        stop = should_stop or client_gone_check()

        def make() -> FilterResult:
            note_computed()
            return filter_image(self.engine_input(state), state.kernel, state.options, should_stop=stop)

        return self.results.get_or_make(state.filter_key(), make)

    def gradient(self, state: State) -> GradientResult:
        """Both kernels of a combined state and their magnitude and direction."""
        return self.results.get_or_make(
            ("gradient", *state.cache_key()),
            lambda: combine(self.result(state), self.result(state.second_state())),
        )

    def raw(self, state: State) -> tuple[np.ndarray, str]:
        """The values before display and the method that made them (both methods for a combined state)."""
        if state.combine is None:
            result = self.result(state)
            return result.raw, result.method
        gradient = self.gradient(state)
        methods = {gradient.gx.method, gradient.gy.method}
        method = gradient.gx.method if len(methods) == 1 else f"{gradient.gx.method}+{gradient.gy.method}"
        return gradient.raw(state.combine), method

    def output_pixels(self, state: State) -> np.ndarray:
        """The output picture as shown: uint8 (H, W) grey or (H, W, 3) colour, after the display mapping."""
        if state.combine is not None:
            image = self.engine_input(state)
            check_display(state.display, 1 if image.ndim == 2 else image.shape[2])
            return render_combined(self.gradient(state), state.combine, state.display)
        return render(self.result(state).raw, state.display)

    def input_pixels(self, state: State) -> np.ndarray:
        """The input picture exactly as the engine reads it, rounded to uint8."""
        return np.clip(np.rint(self.engine_input(state)), 0, 255).astype(np.uint8)

    def output_png(self, state: State) -> bytes:
        """The exact output picture as a PNG (downloads, ``/api/output.png``)."""
        return self.pngs.get_or_make(("out", *state.cache_key()), lambda: encode_png(self.output_pixels(state)))

    def input_png(self, state: State) -> bytes:
        return self.pngs.get_or_make(("in", *state.input_key()), lambda: encode_png(self.input_pixels(state)))

    def output_preview(self, state: State) -> Preview:
        """The output picture as the page shows it (see :mod:`imaging.preview`)."""
        return self.pngs.get_or_make(
            ("out-preview", *state.cache_key()), lambda: encode_preview(self.output_pixels(state))
        )

    def input_preview(self, state: State) -> Preview:
        return self.pngs.get_or_make(
            ("in-preview", *state.input_key()), lambda: encode_preview(self.input_pixels(state))
        )

    def explain(self, state: State, x: int, y: int) -> PixelExplanation:
        """Output pixel (x, y) taken apart, channels named as :func:`kernels.teaching.explain.explain` names them."""
        return explain(
            self.engine_input(state), state.kernel, state.options, state.display, x, y, result=self.result(state)
        )

    def explain_state(self, state: State, x: int, y: int) -> PixelExplanation | CombinedExplanation:
        """:meth:`explain`, or for a combined state both kernels' explanations and
        :func:`kernels.teaching.gradient.describe_pixel` at (x, y). Either one's ``to_json`` is the API's body
        (see :meth:`kernels.teaching.explain.CombinedExplanation.to_json` for how a combined one is laid out).
        """
        if state.combine is None:
            return self.explain(state, x, y)
        second = state.second_state()
        gx, gy = self.explain(state, x, y), self.explain(second, x, y)
        combined = describe_pixel(self.gradient(state), state.combine, state.display, x, y)
        return CombinedExplanation(gx, gy, combined)


def etag_for(*parts: Hashable) -> str:
    """A strong validator for a response computed from ``parts`` (resolved values, not their spelling)."""
    digest = hashlib.sha256(repr((RENDER_VERSION, *parts)).encode()).hexdigest()
    return digest[:32]
