"""Per-client rate limits (Flask-Limiter): uploads, renders that the caches could not answer, camera frames.

A class behind one school NAT shares one address, so the limits are sized for a class, not a person:
30 students who each upload a photo at the start of a lesson, and 50 who each edit a kernel every 3 s
(about 2,000 new pictures a minute: each edit makes the playground's picture and the face's). Only answers
that ran the engine count towards the render limit, and answers to pointing (``part=``) are never refused by
it: pointing mostly reads pictures already made, and the request budget and the heavy-work slots bound
what it can cost. Camera frames (``/api/frame``) have their own limit, since a live camera sends up to 15 a
second: 30 students streaming at once send 450 a second, and every frame counts.
Counters live in memory (one set per worker process) unless ``RATELIMIT_STORAGE_URI`` names Redis.
"""

from __future__ import annotations

import time

from flask import Flask, Response, current_app, g, has_request_context, request
from flask_limiter import Limiter

DEFAULTS = {
    # Named, so that each app says it: Flask-Limiter's one limiter otherwise keeps the last app's setting.
    "RATELIMIT_ENABLED": True,
    "UPLOAD_RATE_LIMIT": "60 per minute;600 per hour",
    "RENDER_RATE_LIMIT": "3000 per minute",
    "FRAME_RATE_LIMIT": "600 per second",
    "RATELIMIT_STORAGE_URI": "memory://",
    # Redis down: count in this process's memory meanwhile rather than fail the request.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "RATELIMIT_SWALLOW_ERRORS": True,
    # Off: Flask-Limiter would put Retry-After on every answer (a 503's own included); the 429 sets its own.
    "RATELIMIT_HEADERS_ENABLED": False,
}
"""Settings (``IMAGE_KERNELS_*`` in the environment), in Flask-Limiter's notation."""


def client_address() -> str:
    """Who a request counts against: its address (the proxy's forwarded one when ProxyFix is set up)."""
    return request.remote_addr or "unknown"


limiter = Limiter(key_func=client_address)


def note_computed() -> None:
    """Mark this request as one that made a result the caches did not have (it counts as a render)."""
    if has_request_context():
        g.computed = True


def _computed(response: Response) -> bool:
    return bool(g.get("computed"))


upload_limit = limiter.shared_limit(lambda: current_app.config["UPLOAD_RATE_LIMIT"], scope="upload")
"""Decorates the routes that store an upload."""


def _pointing() -> bool:
    return "part" in request.args


render_limit = limiter.shared_limit(
    lambda: current_app.config["RENDER_RATE_LIMIT"], scope="render", deduct_when=_computed, exempt_when=_pointing
)
"""Decorates the routes that may run the engine; only answers that did run it are counted."""


frame_limit = limiter.shared_limit(lambda: current_app.config["FRAME_RATE_LIMIT"], scope="frame")
"""Decorates ``/api/frame``: every camera frame counts (a frame is never cached)."""


def init_rate_limits(app: Flask) -> None:
    """Set the defaults (counters in Redis when ``REDIS_URL`` is set and no other storage is named)."""
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    if app.config.get("REDIS_URL") and app.config["RATELIMIT_STORAGE_URI"] == DEFAULTS["RATELIMIT_STORAGE_URI"]:
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
    limiter.init_app(app)


def seconds_until_reset() -> int:
    """Seconds until the limit this request broke lets requests through again (at least 1)."""
    current = limiter.current_limit
    return max(1, int(current.reset_at - time.time())) if current is not None else 60
