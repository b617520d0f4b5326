"""Work nobody waits for stops: the engine asks ``should_stop`` before each pass, and under gunicorn a request
whose client closed the connection stops at the next pass instead of finishing its picture."""

from __future__ import annotations

import socket
import time

import numpy as np
import pytest

from kernels.engine import filter_image
from kernels.errors import Stopped
from kernels.options import Options
from tests.servers import app_instance
from web.services.client_gone import peer_closed


def test_the_engine_stops_before_a_pass_when_asked_and_not_otherwise():
    image = np.random.default_rng(0).uniform(0, 255, (40, 50))
    kernel = np.ones((3, 3)) / 9
    asked = []

    def stop_after_two() -> bool:
        asked.append(1)
        return len(asked) > 2

    with pytest.raises(Stopped):
        filter_image(image, kernel, Options(repeat=5), should_stop=stop_after_two)
    assert len(asked) == 3  # passes 1 and 2 ran; it stopped before the third
    kept_on = filter_image(image, kernel, Options(repeat=5), should_stop=lambda: False)
    np.testing.assert_array_equal(kept_on.raw, filter_image(image, kernel, Options(repeat=5)).raw)


def test_a_closed_peer_is_told_from_one_still_there():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        assert not peer_closed(ours)  # nothing sent yet
        theirs.sendall(b"GET / HTTP/1.1\r\n")  # the next request on a kept-alive connection
        assert not peer_closed(ours)
        assert ours.recv(64)
        theirs.close()
        assert peer_closed(ours)


@pytest.mark.slow
def test_gunicorn_stops_a_heavy_picture_whose_client_left(tmp_path):
    # About ten passes of a second each: the budget is raised so that it is allowed at all.
    heavy = "/api/output.png?image=astronaut&kernel=box(63)&dilation=32&edge=kernel-crop&repeat=10&color=rgb"
    env = {"IMAGE_KERNELS_REQUEST_BUDGET_SECONDS": "120", "IMAGE_KERNELS_UPLOAD_FOLDER": str(tmp_path / "up")}
    with app_instance(tmp_path, env) as (port, _process, log):
        with socket.create_connection(("127.0.0.1", port)) as client:
            client.sendall(f"GET {heavy} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            time.sleep(1.5)  # the first passes are running
        left = time.monotonic()
        line = ""
        while time.monotonic() < left + 20 and "repeat=10" not in line:
            time.sleep(0.2)
            line = next((one for one in log.read_text().splitlines() if "repeat=10" in one), "")
        finished = time.monotonic() - left
    assert '" 409 ' in line, line  # stopped, not finished (200)
    assert finished < 6, f"took {finished:.1f} s after the client left; the whole picture takes about 10 s"
