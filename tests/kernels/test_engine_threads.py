"""BLAS runs on one thread inside the engine's own calls, so its threads and the engine's never
oversubscribe the cores, and the engine leaves no thread limit behind outside its calls."""

from __future__ import annotations

import threading

import numpy as np
from threadpoolctl import threadpool_info

import kernels.engine.filtering as engine
from kernels.engine.workers import blas_on_one_thread


def blas_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_blas_has_one_thread_inside_a_filtering_call_and_its_own_setting_after(monkeypatch):
    before = blas_threads()
    assert before, "NumPy's BLAS should be visible to threadpoolctl"
    seen = []
    original = engine._filter_checked

    def spying(*args, **kwargs):
        seen.append(blas_threads())
        return original(*args, **kwargs)

    monkeypatch.setattr(engine, "_filter_checked", spying)
    engine.filter_image(np.ones((64, 64)), np.ones((19, 19)))
    assert seen == [[1] * len(before)]
    assert blas_threads() == before


def test_concurrent_and_nested_calls_restore_the_setting_once_the_last_ends():
    before = blas_threads()
    inside, release = threading.Barrier(5), threading.Event()

    def hold() -> None:
        with blas_on_one_thread():
            inside.wait()
            release.wait(10)

    threads = [threading.Thread(target=hold) for _ in range(4)]
    for thread in threads:
        thread.start()
    inside.wait()
    with blas_on_one_thread():
        assert set(blas_threads()) == {1}
    assert set(blas_threads()) == {1}  # the other four still hold it
    release.set()
    for thread in threads:
        thread.join()
    assert blas_threads() == before


def test_calls_from_many_threads_leave_no_limit_behind():
    before = blas_threads()
    rng = np.random.default_rng(0)
    image = rng.random((256, 256, 3)).astype(np.float32)
    kernels = [rng.normal(size=(k, k)) for k in (3, 9, 19, 31)]
    threads = [threading.Thread(target=engine.filter_image, args=(image, kernel)) for kernel in kernels * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert blas_threads() == before
