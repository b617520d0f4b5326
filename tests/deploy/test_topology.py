"""The production topology with real processes on loopback: nginx in front of two gunicorn instances of the
app, uploads and rate-limit counters in redis-server. What docker-compose.yml deploys, without Docker."""

from __future__ import annotations

import base64
import io
import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from contextlib import ExitStack
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.servers import app_instance, nginx_in_front, redis_server, stop

pytestmark = pytest.mark.slow

HEAVY = "kernel=log(63,8)&dilation=8&color=rgb&repeat=2"
"""Close to the heaviest request the default budget allows on the 512² astronaut."""


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def upload(base: str, seed: int) -> str:
    pixels = np.random.default_rng(seed).integers(0, 256, (40, 60, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    boundary = "----ik"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        + buffer.getvalue()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        f"{base}/api/images",
        data=body,
        method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(request, timeout=20) as answer:
        return json.loads(answer.read())["id"]


def app_hits(topology: dict, path: str) -> int:
    """How many requests for ``path`` the two instances logged (the access log is written a moment after)."""
    deadline, hits = time.monotonic() + 5, 0
    while time.monotonic() < deadline:
        hits = sum(topology[name][2].read_text().count(path) for name in ("one", "two") if topology[name][2].exists())
        if hits:
            time.sleep(0.5)  # let a second request, if there were one, reach the log too
            return sum(topology[name][2].read_text().count(path) for name in ("one", "two"))
        time.sleep(0.05)
    return hits


@pytest.fixture
def topology(tmp_path: Path):
    (tmp_path / "redis").mkdir()
    (tmp_path / "nginx").mkdir()
    with redis_server(tmp_path / "redis") as redis:
        env = {
            "IMAGE_KERNELS_REDIS_URL": redis.url,
            "IMAGE_KERNELS_PROXY_COUNT": "1",
            "IMAGE_KERNELS_UPLOAD_FOLDER": str(tmp_path / "unused"),
        }
        with ExitStack() as stack:
            one = stack.enter_context(app_instance(tmp_path, env))
            two = stack.enter_context(app_instance(tmp_path, env))
            front = stack.enter_context(nginx_in_front(tmp_path / "nginx", (one[0], two[0])))
            yield {"redis": redis, "one": one, "two": two, "front": f"http://127.0.0.1:{front}"}


def test_an_upload_through_one_instance_is_served_by_the_other(topology):
    one, two = (f"http://127.0.0.1:{topology[name][0]}" for name in ("one", "two"))
    image_id = upload(one, 1)
    status, _, body = get(f"{two}/api/input.png?image={image_id}&color=rgb")
    assert status == 200
    expected = np.random.default_rng(1).integers(0, 256, (40, 60, 3), dtype=np.uint8)
    np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(body))), expected)


def test_the_same_picture_address_reaches_the_app_once(topology):
    path = "/api/preview/output?image=camera&kernel=emboss&edge=wrap"
    first = get(topology["front"] + path)
    second = get(topology["front"] + path)
    assert first[0] == second[0] == 200 and first[2] == second[2]
    assert (first[1]["X-Cache-Status"], second[1]["X-Cache-Status"]) == ("MISS", "HIT")
    assert app_hits(topology, "/api/preview/output?image=camera&kernel=emboss") == 1


def test_a_long_page_address_passes_nginx_and_gunicorn(topology):
    """An edit of a drawing with a typed 7×7 kernel: the form sends the state, each grid cell and ``good``, a
    request line over gunicorn's default 4 KB, within nginx's 8 KB and our ``limit_request_line``."""
    drawing = "draw:" + base64.urlsafe_b64encode(
        zlib.compress(np.random.default_rng(3).integers(0, 256, 1024, dtype=np.uint8).tobytes(), 9)
    ).decode().rstrip("=")
    kernel = ";".join(",".join(f"{0.0123 * (r * 7 + c):.4f}" for c in range(7)) for r in range(7))
    state = urllib.parse.urlencode({"image": drawing, "kernel": kernel})
    cells = urllib.parse.urlencode(
        {f"k-{r}-{c}": f"{0.0123 * (r * 7 + c):.4f}" for r in range(7) for c in range(7)} | {"rows": 7, "cols": 7}
    )
    path = f"/fragment?{state}&{cells}&good={urllib.parse.quote(state)}"
    assert 4200 < len(path) < 8000
    status, _, body = get(topology["front"] + path)
    assert status == 200, body[:300]


def test_killing_an_instance_under_load_loses_no_request_nginx_can_retry(topology):
    answers: list[int] = []

    def load() -> None:
        for n in range(60):
            answers.append(get(f"{topology['front']}/api/kernel?kernel=box({3 + 2 * (n % 5)})&offset={n}")[0])

    thread = threading.Thread(target=load)
    thread.start()
    while len(answers) < 15:
        threading.Event().wait(0.01)
    stop(topology["one"][1], kill=True)
    thread.join(60)
    assert len(answers) == 60 and set(answers) == {200}


def test_uploads_survive_a_redis_restart_and_an_outage_is_said_plainly(topology):
    base = f"http://127.0.0.1:{topology['one'][0]}"
    image_id = upload(base, 2)
    redis = topology["redis"]
    redis.stop()
    status, _, body = get(f"{base}/api/output.png?image={image_id}&kernel=blur")
    assert status == 503 and b"cannot be reached just now" in body
    redis.start()
    status, _, _ = get(f"http://127.0.0.1:{topology['two'][0]}/api/output.png?image={image_id}&kernel=blur")
    assert status == 200  # kept by the append-only file


def test_eight_heaviest_requests_and_eight_slow_clients_leave_healthz_quick(topology):
    front = topology["front"]
    host, port = front.removeprefix("http://").split(":")
    stop_at = time.monotonic() + 8
    statuses: list[int] = []

    def heavy(n: int) -> None:
        while time.monotonic() < stop_at:
            offset = f"{n}.{time.time_ns() % 10**9}"
            statuses.append(get(f"{front}/api/output.png?image=astronaut&{HEAVY}&offset={offset}")[0])

    def slow() -> None:
        with socket.create_connection((host, int(port)), timeout=20) as sock:
            for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\n":
                if time.monotonic() >= stop_at:
                    return
                try:
                    sock.send(bytes([byte]))
                except OSError:  # nginx gave up on this client: that is the point
                    return
                time.sleep(1.0)

    workers = [threading.Thread(target=heavy, args=(n,)) for n in range(8)]
    workers += [threading.Thread(target=slow) for _ in range(8)]
    for worker in workers:
        worker.start()
    time.sleep(1.5)  # the heavy work and the slow sockets are all under way
    times = []
    while time.monotonic() < stop_at - 0.5:
        started = time.perf_counter()
        assert get(front + "/healthz")[0] == 200
        times.append(time.perf_counter() - started)
        time.sleep(0.25)
    for worker in workers:
        worker.join(30)
    assert times and max(times) < 1.0, times
    assert set(statuses) <= {200, 503} and 200 in statuses
