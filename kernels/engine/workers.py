"""A small shared thread pool: NumPy's loops, BLAS and the FFT release the GIL, so strips run in parallel.

Tasks are handed out one at a time from a shared counter and the calling thread works too, so a
helper that the operating system has not scheduled yet (the machine may be busy) never holds the
result up: the caller simply does more of the tasks, and a helper that never started is cancelled.

BLAS (OpenBLAS under NumPy) keeps a thread pool of its own, one thread per core. Run from several of our
threads at once it would put cores × threads on a machine with ``cores`` of them, and a large batched
product then slows down by 3–100×. :func:`blas_on_one_thread` lends BLAS one thread while any filtering
call is running and gives the library its own setting back when the last one ends.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

import numpy as np
from threadpoolctl import ThreadpoolController

T = TypeVar("T")

WORKERS = max(1, min(4, os.cpu_count() or 1))
"""Threads working on one filtering call, the caller's included (the machine's cores, at most 4)."""

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
_here = threading.local()


@contextmanager
def on_this_thread() -> Iterator[None]:
    """Run every filtering call made by this thread in the body on this thread alone (no helper threads):
    for work that runs at a lower priority and must not lend it to the shared helpers."""
    before = getattr(_here, "alone", False)
    _here.alone = True
    try:
        yield
    finally:
        _here.alone = before


_blas_lock = threading.Lock()
_blas_users = 0
_blas_limit: Any = None
_blas_owner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kernels-blas")
"""The one thread that sets and restores the BLAS limit: threadpoolctl lets only the thread that set a
process-wide limit change it again, and filtering calls start and end on any request thread."""


_controller: list[ThreadpoolController] = []


def _limit_blas() -> Any:
    if not _controller:  # finding the libraries takes about 0.3 ms: once
        _controller.append(ThreadpoolController())
    return _controller[0].limit(limits=1, user_api="blas")


@contextmanager
def blas_on_one_thread() -> Iterator[None]:
    """Run the body with BLAS limited to one thread; nested and concurrent uses share one limit.

    The limit is process-wide (OpenBLAS has one setting), so it is counted: the first caller sets it,
    the last one out restores what was there before. Outside any filtering call BLAS keeps its own setting.
    """
    global _blas_users, _blas_limit
    with _blas_lock:
        if _blas_users == 0:
            _blas_limit = _blas_owner.submit(_limit_blas).result()
        _blas_users += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_users -= 1
            if _blas_users == 0:
                _blas_owner.submit(_blas_limit.restore_original_limits).result()
                _blas_limit = None


def _shared_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=WORKERS - 1, thread_name_prefix="kernels")
        return _pool


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
    if not tasks:
        return
    if not parallel or len(tasks) == 1 or WORKERS == 1 or getattr(_here, "alone", False):
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

    pool = _shared_pool()
    helpers = [pool.submit(loop) for _ in range(min(WORKERS, len(tasks)) - 1)]
    loop()
    for helper in helpers:
        if not helper.cancel():
            helper.result()
