"""The result cache: bounded by entries and bytes, and a value being made is made once."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from web.services.compute import LRU


def test_keeps_the_most_recent_entries():
    cache = LRU(2)
    for key in "abc":
        cache.get_or_make(key, lambda key=key: key.upper())
    made = []
    assert cache.get_or_make("a", lambda: made.append("a") or "A") == "A"
    assert made == ["a"]  # "a" was the oldest and had been evicted
    assert cache.get_or_make("c", lambda: made.append("c") or "C") == "C"
    assert made == ["a"]


def test_is_bounded_by_bytes():
    cache = LRU(10, max_bytes=3000)
    for key in range(4):
        cache.get_or_make(key, lambda: np.zeros(1000, dtype=np.uint8))
    made = []
    cache.get_or_make(0, lambda: made.append(0) or np.zeros(1, dtype=np.uint8))
    assert made == [0]


def test_a_value_being_made_is_shared_with_other_threads():
    cache = LRU(4)
    calls = []
    started = threading.Event()

    def slow() -> str:
        calls.append(1)
        started.set()
        time.sleep(0.05)
        return "result"

    answers = []
    first = threading.Thread(target=lambda: answers.append(cache.get_or_make("k", slow)))
    first.start()
    started.wait()
    others = [threading.Thread(target=lambda: answers.append(cache.get_or_make("k", slow))) for _ in range(3)]
    for thread in others:
        thread.start()
    for thread in (first, *others):
        thread.join()
    assert answers == ["result"] * 4
    assert len(calls) == 1


def test_a_failure_is_not_cached_and_waiting_threads_try_again():
    cache = LRU(4)
    started, release = threading.Event(), threading.Event()

    def failing() -> str:
        started.set()
        release.wait()
        raise ValueError("no")

    errors = []

    def first() -> None:
        try:
            cache.get_or_make("k", failing)
        except ValueError as err:
            errors.append(err)

    thread = threading.Thread(target=first)
    thread.start()
    started.wait()
    answers = []
    waiter = threading.Thread(target=lambda: answers.append(cache.get_or_make("k", lambda: "second try")))
    waiter.start()
    release.set()
    thread.join()
    waiter.join()
    assert len(errors) == 1 and answers == ["second try"]
    with pytest.raises(KeyError):
        cache.get_or_make("x", lambda: {}["missing"])
    assert cache.get_or_make("x", lambda: "made") == "made"
