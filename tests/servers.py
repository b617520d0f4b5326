"""Real servers on loopback for the tests: redis-server, gunicorn instances of the app, nginx in front.

Each is a process of its own, started on a free port of 127.0.0.1 and stopped (or killed) by the test.
A missing program skips the test on a developer's machine and fails it under ``CI=true``.
"""

from __future__ import annotations

import os
import shutil
import socket
import string
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from tests.conftest import require_tool

ROOT = Path(__file__).resolve().parent.parent
NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "image-kernels.conf.template"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode} before listening on {port}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port} after {seconds} s")


def program(name: str, *places: str) -> str:
    found = shutil.which(name) or next((p for p in places if Path(p).is_file()), None)
    require_tool(found is not None, f"{name} (Debian package {'nginx' if name == 'nginx' else 'redis-server'})")
    return found  # type: ignore[return-value]


def stop(process: subprocess.Popen, *, kill: bool = False) -> None:
    if process.poll() is None:
        process.kill() if kill else process.terminate()
        with suppress(subprocess.TimeoutExpired):
            process.wait(10)
    if process.poll() is None:
        process.kill()
        process.wait(10)


class Redis:
    """A redis-server with an append-only file in ``folder``, bounded like production (maxmemory, LRU)."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            program("redis-server", "/usr/bin/redis-server"),
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.folder),
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
            "--save",
            "",
            "--maxmemory",
            "64mb",
            "--maxmemory-policy",
            "allkeys-lru",
            "--daemonize",
            "no",
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, self.process)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)


@contextmanager
def redis_server(folder: Path) -> Iterator[Redis]:
    server = Redis(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def app_instance(folder: Path, env: dict[str, str]) -> Iterator[tuple[int, subprocess.Popen, Path]]:
    """The app under gunicorn (1 worker, 8 threads unless GUNICORN_THREADS says otherwise) on a free
    port; yields (port, process, access log)."""
    port, log = free_port(), folder / f"access-{free_port()}.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--threads",
        os.environ.get("GUNICORN_THREADS", "8"),
        "--access-logfile",
        str(log),
        "app:create_app()",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for_port(port, process)
        yield port, process, log
    finally:
        stop(process)


@contextmanager
def nginx_in_front(folder: Path, app_ports: tuple[int, int]) -> Iterator[int]:
    """nginx with ``deploy/nginx/image-kernels.conf.template`` in front of two instances; yields its port."""
    binary = program("nginx", "/usr/sbin/nginx")
    port = free_port()
    for name in ("cache", "body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / name).mkdir()
    site = string.Template(NGINX_TEMPLATE.read_text()).safe_substitute(
        APP1=f"127.0.0.1:{app_ports[0]}",
        APP2=f"127.0.0.1:{app_ports[1]}",
        LISTEN=f"127.0.0.1:{port}",
        CACHE_DIR=str(folder / "cache"),
    )
    (folder / "site.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log warn;\n"
        "events { worker_connections 256; }\n"
        f"http {{\n access_log {folder}/access.log;\n client_body_temp_path {folder}/body;\n"
        f" proxy_temp_path {folder}/proxy;\n fastcgi_temp_path {folder}/fastcgi;\n uwsgi_temp_path {folder}/uwsgi;\n"
        f" scgi_temp_path {folder}/scgi;\n include {folder}/site.conf;\n}}\n"
    )
    process = subprocess.Popen(
        [binary, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
        yield port
    finally:
        stop(process)
