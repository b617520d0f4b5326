"""A budget for every request: work the engine would take too long or too much memory for is refused before
it starts, with a message that says which setting to turn down.

The cost of each engine call a request needs (its kernel, a combined second kernel, each compared kernel)
comes from :func:`kernels.engine.cost.filter_cost`. That model was fitted on dilations 1–4 and underestimates the
largest dilations up to 2.5×, so the budget counts :data:`MODEL_MARGIN` times the modelled seconds.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from kernels.engine import on_this_thread
from kernels.engine.cost import Cost, filter_cost
from kernels.errors import InputError
from kernels.options import Options
from web.query.state import DEFAULT_SIZE, State, size_text

MODEL_MARGIN = 3.0
"""Modelled seconds are multiplied by this before they are compared with the budget (see the module text)."""


@dataclass(frozen=True)
class Budget:
    """The most one request may cost: ``seconds`` of computing (default 2 s on a 2-core machine) and
    ``peak_bytes`` of working arrays at once (default 1 GiB).

    Requests whose uncached work costs ``heavy_seconds`` or more are heavy: that work runs on one of
    ``heavy_slots`` threads of the process, at a lower priority, and at most ``heavy_queue`` wait for one; any
    more get 503 with ``Retry-After``. Everything lighter (pointing, cached pictures, ``/healthz``) never waits
    for them, and the operating system gives it the cores first.
    """

    seconds: float = 2.0
    peak_bytes: int = 1 << 30
    heavy_seconds: float = 0.25
    heavy_slots: int = 1
    heavy_queue: int = 1


class Busy(Exception):
    """Too many heavy requests are running or waiting in this process; try again after ``retry_after`` s."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"the server is busy with heavy pictures; try again in {retry_after} s")
        self.retry_after = retry_after


HEAVY_NICE = 10
"""The scheduling priority of the heavy-work threads: when the cores are busy, a normal request's thread gets
about ten times their share, so pointing and /healthz stay quick while heavy pictures are made."""


def _lower_priority() -> None:
    with contextlib.suppress(OSError, AttributeError):  # not Linux, or not allowed: run at the normal priority
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HEAVY_NICE)


class HeavyPool:
    """The threads heavy work runs on, apart from the request threads and at a lower priority (see
    :class:`Budget`); thread-safe."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self._executor = ThreadPoolExecutor(
            max_workers=budget.heavy_slots, thread_name_prefix="heavy", initializer=_lower_priority
        )
        self._lock = threading.Lock()
        self._pending = 0

    def run(self, work: Callable[[], object], seconds: float) -> None:
        """Run ``work`` on a heavy thread (its filtering calls without helper threads) and wait for it.

        Raises :class:`Busy` when every slot and the queue are taken, or when it has not started and finished
        within twice the budget (it still finishes, for the caches).
        """
        with self._lock:
            if self._pending >= self.budget.heavy_slots + self.budget.heavy_queue:
                raise Busy(max(1, round(seconds * (self._pending - self.budget.heavy_slots + 1))))
            self._pending += 1
        future = self._executor.submit(_alone, work)
        future.add_done_callback(self._done)
        try:
            future.result(timeout=2 * self.budget.seconds)
        except FutureTimeout:
            raise Busy(max(1, round(self.budget.seconds))) from None

    def _done(self, _future: Future) -> None:
        with self._lock:
            self._pending -= 1


def _alone(work: Callable[[], object]) -> object:
    with on_this_thread():
        return work()


def engine_states(state: State) -> list[State]:
    """The plain states of every engine call ``state`` needs: its kernel and, when combined, the second one."""
    return [state, state.second_state()] if state.combine is not None else [state]


def call_cost(shape: tuple[int, ...], state: State) -> Cost:
    """What one engine call costs as the budget counts it: :data:`MODEL_MARGIN` times the modelled seconds."""
    one = filter_cost(shape, state.kernel, state.options)
    return Cost(one.seconds * MODEL_MARGIN, one.peak_bytes)


def refuse_over_budget(
    budget: Budget, calls: list[tuple[tuple[int, ...], State]], total: Cost, compared: int = 0
) -> Cost:
    """``total`` when it is within the budget. ``calls`` are the (engine input shape, plain state) pairs it is
    the cost of, the request's own state first, and ``compared`` says how many of them are compared kernels.

    Raises :class:`InputError` (kind ``too_expensive``) naming the settings to turn down, biggest effect first.
    """
    if total.seconds <= budget.seconds and total.peak_bytes <= budget.peak_bytes:
        return total
    raise too_expensive(total, budget, _knobs(calls, compared))


Knob = tuple[float, str, str]
"""A setting worth turning down: (its rough factor on the cost, its field, its name and value in words)."""


def too_expensive(cost: Cost, budget: Budget, knobs: list[Knob]) -> InputError:
    """The refusal of work over ``budget``: what it would take against the limit, and the settings worth turning
    down, biggest effect first (at least one knob; the biggest names the field the message goes with)."""
    ranked = sorted(knobs, key=lambda knob: -knob[0])
    words = [knob[2] for knob in ranked]
    settings = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
    if cost.seconds > budget.seconds:
        what = f"about {cost.seconds:.1f} s of computing; the limit is {budget.seconds:g} s a request"
    else:
        what = f"about {cost.peak_bytes / 2**20:,.0f} MB of memory; the limit is {budget.peak_bytes / 2**20:,.0f} MB"
    rule = f"is too much work for this server: it would take {what}. Turn down {settings}."
    return InputError(ranked[0][1], rule, kind="too_expensive")


def _knobs(calls: list[tuple[tuple[int, ...], State]], compared: int) -> list[Knob]:
    """The settings worth turning down for these calls (the request's own first)."""
    shape, state = calls[0]
    options: Options = state.options
    knobs: list[Knob] = []
    kh, kw = state.kernel.shape
    if kh * kw > 25:
        knobs.append((kh * kw / 25, "kernel", f"the kernel size (now {kh}×{kw})"))
    if options.repeat > 1:
        knobs.append((options.repeat, "repeat", f"repeat (now {options.repeat})"))
    if max(options.dilation) > 1:
        dy, dx = options.dilation
        reach = (1 + (kh - 1) * dy) * (1 + (kw - 1) * dx) / (kh * kw)
        knobs.append((reach, "dilation", f"the dilation (now {dy},{dx})"))
    height, width = shape[:2]
    if height * width > DEFAULT_SIZE * DEFAULT_SIZE:
        knobs.append(
            (
                height * width / DEFAULT_SIZE**2,
                "size",
                f"the working size (now {size_text(state.size)}: {width}×{height})",
            )
        )
    if compared:
        knobs.append((compared, "compare", f"the number of compared kernels (now {compared})"))
    return knobs or [(1.0, "kernel", "the kernel size or the working size")]
