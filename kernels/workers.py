"""A small shared thread pool: NumPy's loops, BLAS and the FFT release the GIL, so strips run in parallel.

Tasks are handed out one at a time from a shared counter and the calling thread works too, so a
helper that the operating system has not scheduled yet (the machine may be busy) never holds the
result up: the caller simply does more of the tasks, and a helper that never started is cancelled.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")

WORKERS = max(1, min(4, os.cpu_count() or 1))
"""Threads working on one filtering call, the caller's included (the machine's cores, at most 4)."""

_pool: ThreadPoolExecutor | None = None


def run_tasks(
    tasks: Sequence[T],
    work: Callable[[T, Any], None],
    make_scratch: Callable[[], Any] = lambda: None,
    parallel: bool = True,
) -> None:
    """Call ``work(task, scratch)`` for every task, sharing them among the worker threads.

    ``make_scratch`` builds one per-thread buffer (called only by threads that take a task);
    ``parallel=False`` (or a single task) runs everything on the caller's thread.
    """
    global _pool
    if not tasks:
        return
    if not parallel or len(tasks) == 1 or WORKERS == 1:
        scratch = make_scratch()
        for task in tasks:
            work(task, scratch)
        return
    counter = itertools.count()
    caller_errors = np.geterr()  # NumPy's error handling is per thread: helpers follow the caller's

    def loop() -> None:
        scratch = None
        with np.errstate(**caller_errors):
            while True:
                index = next(counter)  # atomic under the GIL
                if index >= len(tasks):
                    return
                if scratch is None:
                    scratch = make_scratch()
                work(tasks[index], scratch)

    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=WORKERS - 1, thread_name_prefix="kernels")
    helpers = [_pool.submit(loop) for _ in range(min(WORKERS, len(tasks)) - 1)]
    loop()
    for helper in helpers:
        if not helper.cancel():
            helper.result()
