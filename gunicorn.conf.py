"""Gunicorn settings for production (`make serve` and the Docker image).

The port comes from $PORT (gunicorn's own convention), 8000 when unset.
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
worker_class = "gthread"
timeout = 60
accesslog = "-"
# An edit sends the page's state twice (its fields and "good", the last state that worked), so a drawing or a
# typed 7×7 kernel makes a request line over 4 KB: allow what nginx allows in front (8 KB), not gunicorn's 4 KB.
limit_request_line = 8190


def post_fork(server, worker):
    """Keep at most two glibc malloc arenas in each worker: the engine lets the allocator keep freed buffers
    for reuse (see ``kernels.engine.filtering``), and with an arena per thread that memory would be held many
    times over."""
    import contextlib
    import ctypes

    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to tune
        ctypes.CDLL("libc.so.6").mallopt(-8, 2)  # M_ARENA_MAX
