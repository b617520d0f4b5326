"""Every route refuses work above the request budget before it starts, with a 4xx that names the setting
to turn down; work within it is answered."""

from __future__ import annotations

import os
import threading
import time
from urllib.parse import parse_qsl

import numpy as np
import pytest

from app import create_app
from kernels.engine.cost import Cost, filter_cost
from kernels.errors import InputError
from kernels.options import Options
from web.query.state import parse_state
from web.services.budget import HEAVY_NICE

HEAVY = "image=astronaut&kernel=box(63)&dilation=32&edge=kernel-crop&repeat=10&color=rgb"
COMPARE = "kernel=gaussian(63,20)&dilation=8&color=rgb&compare=log(63,8)|log(63,9)|log(63,10)|log(63,11)&image=coffee"


@pytest.mark.parametrize("route", ["/api/output.png", "/api/preview/output", "/api/convolve", "/api/explain?x=0&y=0"])
def test_every_api_route_refuses_a_heavy_request_before_computing(client, route):
    joiner = "&" if "?" in route else "?"
    started = time.perf_counter()
    answer = client.get(f"{route}{joiner}{HEAVY}")
    assert time.perf_counter() - started < 1.0  # refused from the model, not after the work
    assert answer.status_code == 422
    body = answer.get_json()
    assert body["field"] == "dilation"
    assert "too much work" in body["error"] and "the limit is 2 s a request" in body["error"]
    for knob in ("the dilation (now 32,32)", "the kernel size (now 63×63)", "repeat (now 10)"):
        assert knob in body["error"]


def test_a_slot_is_budgeted_on_its_own(client):
    answer = client.get("/api/output.png?image=astronaut&compare=box(63)&slot=0&dilation=32&repeat=10&color=rgb")
    assert answer.status_code == 422


def test_the_page_and_its_fragments_keep_the_last_good_state_and_say_what_to_turn_down(client):
    for path in ("/", "/fragment", "/embed?view=playground&"):
        answer = client.get(f"{path}{'' if path.endswith('&') else '?'}{HEAVY}")
        text = answer.get_data(as_text=True)
        assert answer.status_code == 400, path
        assert "too much work for this server" in text and "Turn down the dilation" in text
    page = client.get(f"/?{HEAVY}&good=image%3Dastronaut%26kernel%3Dblur").get_data(as_text=True)
    assert 'src="/api/preview/output?image=astronaut&amp;kernel=blur"' in page
    picture = client.get(f"/picture?img=play-output-image&{HEAVY}&good=image%3Dastronaut%26kernel%3Dblur")
    assert picture.status_code == 200  # the last good picture, computed within the budget


def test_compared_kernels_count_together(tmp_path):
    config = {"TESTING": True, "UPLOAD_FOLDER": str(tmp_path), "REQUEST_BUDGET_SECONDS": 0.3}
    client = create_app(config).test_client()
    assert client.get("/api/output.png?image=coffee&kernel=log(63,8)&dilation=8&color=rgb").status_code == 200
    page = client.get(f"/?{COMPARE}").get_data(as_text=True)
    assert "too much work" in page and "the number of compared kernels (now 4)" in page


def test_memory_is_budgeted_too(tmp_path):
    config = {"TESTING": True, "UPLOAD_FOLDER": str(tmp_path), "REQUEST_BUDGET_BYTES": 8 << 20}
    client = create_app(config).test_client()
    answer = client.get("/api/output.png?image=astronaut&kernel=blur&color=rgb")
    assert answer.status_code == 422 and "MB of memory; the limit is 8 MB" in answer.get_json()["error"]


def test_the_cost_counts_every_pass_and_the_float64_rerun():
    one = filter_cost((512, 512), np.ones((9, 9)), Options())
    ten = filter_cost((512, 512), np.ones((9, 9)), Options(repeat=10))
    assert ten.seconds == pytest.approx(10 * one.seconds, rel=0.05)
    rgb = filter_cost((512, 512, 3), np.ones((9, 9)), Options())
    assert rgb.seconds > 2 * one.seconds and rgb.peak_bytes == 3 * one.peak_bytes
    assert (one + rgb).seconds == one.seconds + rgb.seconds and (one + rgb).peak_bytes == rgb.peak_bytes
    assert Cost() + one == one


@pytest.mark.parametrize(
    "family",
    [
        "kernel=box(63)&dilation=32&edge=kernel-crop&color=rgb&repeat={n}",
        "kernel=log(63,8)&dilation=32&edge=mirror&color=rgb&repeat={n}",
        "kernel=motion(63,30)&dilation=4&color=rgb&repeat={n}",
    ],
)
def test_the_heaviest_allowed_request_answers_within_one_and_a_half_budgets(tmp_path, family):
    budget = 2.0
    config = {"TESTING": True, "UPLOAD_FOLDER": str(tmp_path), "REQUEST_BUDGET_SECONDS": budget}
    client = create_app(config).test_client()
    services = client.application.extensions["image_kernels"]
    allowed = None
    with client.application.test_request_context():
        for n in range(1, 11):
            state = parse_state(dict(parse_qsl(f"image=astronaut&{family.format(n=n)}")), services.presets)
            try:
                services.check_budget([state])
            except InputError:
                break
            allowed = n
    assert allowed is not None
    started = time.perf_counter()
    answer = client.get(f"/api/output.png?image=astronaut&{family.format(n=allowed)}")
    assert answer.status_code == 200
    assert time.perf_counter() - started <= 1.5 * budget


def test_heavy_work_runs_apart_and_light_requests_never_wait_for_it(tmp_path):
    config = {"TESTING": True, "UPLOAD_FOLDER": str(tmp_path), "HEAVY_SECONDS": 0.05, "HEAVY_QUEUE": 0}
    client = create_app(config).test_client()
    pool = client.application.extensions["image_kernels"].heavy
    heavy = "/api/output.png?image=astronaut&kernel=log(31,4)&dilation=2&color=rgb"
    release = threading.Event()
    pool._executor.submit(release.wait, 10)  # another heavy request holds the only slot
    pool._pending += 1
    try:
        busy = client.get(heavy)
        assert busy.status_code == 503 and int(busy.headers["Retry-After"]) >= 1
        assert "busy with heavy pictures" in busy.get_json()["error"]
        started = time.perf_counter()
        assert client.get("/healthz").status_code == 200
        assert client.get("/api/output.png?image=face&kernel=blur").status_code == 200  # light: not queued
        assert client.get("/?image=face&kernel=blur").status_code == 200
        assert time.perf_counter() - started < 1.0
    finally:
        pool._pending -= 1
        release.set()
    assert client.get(heavy).status_code == 200
    assert client.get(heavy).status_code == 200  # cached now: no heavy work at all
    assert pool._pending == 0


def test_heavy_work_runs_at_a_lower_priority_on_one_thread(tmp_path):
    config = {"TESTING": True, "UPLOAD_FOLDER": str(tmp_path), "HEAVY_SECONDS": 0.05}
    client = create_app(config).test_client()
    pool = client.application.extensions["image_kernels"].heavy
    seen = []

    def where() -> None:
        seen.append((os.getpriority(os.PRIO_PROCESS, threading.get_native_id()), threading.current_thread().name))

    pool.run(where, 0.1)
    nice, name = seen[0]
    assert name.startswith("heavy") and nice >= os.getpriority(os.PRIO_PROCESS, 0) + HEAVY_NICE - 1
