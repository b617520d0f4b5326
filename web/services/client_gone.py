"""Stopping work nobody waits for any more.

A client that leaves closes its connection, and so does a page that replaces a request with a newer one (htmx
aborts the old request; a picture whose address changed is cancelled by the browser; nginx then closes its
connection to the app too). Before each engine pass the server peeks at the request's socket, and when the
other end has closed it, the engine raises :class:`~kernels.errors.Stopped` instead of finishing the picture.
This needs the socket, which gunicorn gives (``gunicorn.socket``); under other servers nothing is stopped.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from contextvars import ContextVar

from flask import request

_CHECK: ContextVar[Callable[[], bool] | None] = ContextVar("client_gone_check", default=None)


def peer_closed(sock: socket.socket) -> bool:
    """Whether the other end of ``sock`` has closed it: a peek that finds the end of the stream (or a reset).
    Bytes waiting (the next request on a kept-alive connection) or none yet both mean it is still there."""
    try:
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except (BlockingIOError, InterruptedError):
        return False
    except OSError:
        return True


def watch_client() -> None:
    """Before a request: remember how to tell that its client has gone (nothing to remember without a socket)."""
    sock = request.environ.get("gunicorn.socket")
    _CHECK.set((lambda: peer_closed(sock)) if isinstance(sock, socket.socket) else None)


def client_gone_check() -> Callable[[], bool] | None:
    """The current request's check, to hand to the engine (``should_stop``) on this or another thread."""
    return _CHECK.get()
