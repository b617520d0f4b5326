"""gunicorn's settings file: the values the Docker image and ``make serve`` run with."""

import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_threads_and_request_line_defaults(monkeypatch):
    monkeypatch.delenv("GUNICORN_THREADS", raising=False)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    settings = runpy.run_path(str(CONF))
    assert (settings["workers"], settings["threads"], settings["worker_class"]) == (2, 8, "gthread")
    assert settings["limit_request_line"] == 8190


def test_the_worker_hook_runs_in_a_plain_process():
    settings = runpy.run_path(str(CONF))
    settings["post_fork"](None, None)  # limits malloc arenas where glibc is there; harmless anywhere else
