"""Image Kernels: the Flask application factory (``flask --app app run``)."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask, Response, request
from flask_compress import Compress
from werkzeug.middleware.proxy_fix import ProxyFix

from kernels import limits
from kernels.library.kernel_text import format_for_people
from kernels.library.kernel_tools import RANDOM_HIGH, RANDOM_LOW
from kernels.options import EDGE_WORDS
from kernels.teaching.display import DISPLAY_WORDS, SIGNED_COLOURS
from web.page import drawing_view
from web.page.fields import name_value
from web.page.views import POINTING_JSON
from web.query.kernel_form import MAX_GRID_SIDE
from web.routes import api, frame, layer_routes, pages, quiz
from web.routes.errors import register_error_handlers
from web.services.budget import Budget
from web.services.client_gone import watch_client
from web.services.compute import Services
from web.services.rate_limits import init_rate_limits

DEFAULTS: dict[str, Any] = {
    # A presets JSON file that extends or replaces the bundled library (None: bundled only).
    "PRESETS_PATH": None,
    # Where uploads are kept (default: <instance folder>/uploads), how many and how many bytes on disk at most,
    # oldest evicted first.
    "UPLOAD_FOLDER": None,
    "UPLOAD_STORE_MAX": 500,
    "UPLOAD_STORE_BYTES": 2 * 2**30,
    # A Redis URL (redis://host:6379/0): uploads and rate-limit counters then live there, shared by every
    # instance; the folder and the bounds above are not used for uploads.
    "REDIS_URL": None,
    # Proxies in front that set X-Forwarded-For (nginx: 1); rate limits then count the client's own address.
    "PROXY_COUNT": 0,
    # Other sites whose pages may post uploads here (origins such as "https://course.example.org").
    "UPLOAD_ALLOWED_ORIGINS": [],
    # The most one request may cost before it is refused (422, saying which setting to turn down).
    "REQUEST_BUDGET_SECONDS": 2.0,
    "REQUEST_BUDGET_BYTES": 1 << 30,
    # Work modelled at HEAVY_SECONDS or more runs on HEAVY_SLOTS low-priority threads per process, HEAVY_QUEUE
    # waiting, the rest 503 with Retry-After, so pointing, cached pictures and /healthz never queue behind it.
    "HEAVY_SECONDS": 0.25,
    "HEAVY_SLOTS": 1,
    "HEAVY_QUEUE": 1,
    # Who may put the pages in an iframe: a CSP frame-ancestors source list ("*" = any site, "'self'" = none else).
    "FRAME_ANCESTORS": "*",
    # Signs the quiz's question codes; instances behind one address need the same one. Unset: one made at random,
    # shared through Redis (REDIS_URL) or, without it, by this machine's workers (web/services/quiz_token.py).
    "SECRET_KEY": None,
    # Multipart framing around a maximal upload needs a little room above the file itself.
    "MAX_CONTENT_LENGTH": limits.MAX_UPLOAD_BYTES + 64 * 1024,
    # Static URLs carry a hash of the file (see static_version); an address without it may be kept an hour.
    "SEND_FILE_MAX_AGE_DEFAULT": 3600,
    # Text answers (pages, fragments, JSON, CSS, JS) are compressed for the network, best first as the client
    # accepts: zstd, brotli, gzip. Pictures are compressed already (see imaging.preview).
    "COMPRESS_ALGORITHM": ["zstd", "br", "gzip"],
    "COMPRESS_MIMETYPES": [
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "text/plain",
        "text/csv",
        "image/svg+xml",
    ],
}

IMMUTABLE = "public, max-age=31536000, immutable"
"""Cache-Control of a static file asked for with its content hash: the address changes when the file does."""


@cache
def _file_version(path: Path, mtime_ns: int) -> str:
    """The first 12 hex digits of a file's SHA-256 (``mtime_ns`` only keys the cache)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def static_file_version(folder: str | Path, filename: str) -> str:
    """The version a static file's address carries: its content hash, "0" for a missing file."""
    path = Path(folder) / filename
    try:
        return _file_version(path, path.stat().st_mtime_ns)
    except OSError:
        return "0"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` overrides :data:`DEFAULTS` and ``IMAGE_KERNELS_*`` environment variables."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(DEFAULTS)
    app.config.from_prefixed_env("IMAGE_KERNELS")
    if config:
        app.config.update(config)

    upload_folder = Path(app.config["UPLOAD_FOLDER"] or Path(app.instance_path) / "uploads")
    budget = Budget(
        float(app.config["REQUEST_BUDGET_SECONDS"]),
        int(app.config["REQUEST_BUDGET_BYTES"]),
        float(app.config["HEAVY_SECONDS"]),
        int(app.config["HEAVY_SLOTS"]),
        int(app.config["HEAVY_QUEUE"]),
    )
    app.extensions["image_kernels"] = Services.create(
        app.config["PRESETS_PATH"],
        upload_folder,
        int(app.config["UPLOAD_STORE_MAX"]),
        int(app.config["UPLOAD_STORE_BYTES"]),
        budget,
        app.config["REDIS_URL"],
    )

    app.register_blueprint(api.bp)
    app.register_blueprint(frame.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(quiz.bp)
    drawing_view.register(app)
    layer_routes.register(app)
    register_error_handlers(app)
    app.jinja_env.globals["pointing_json"] = POINTING_JSON
    app.jinja_env.globals["signed_colours"] = SIGNED_COLOURS
    app.jinja_env.globals["edge_words"] = EDGE_WORDS
    app.jinja_env.globals["display_words"] = DISPLAY_WORDS
    app.jinja_env.globals["bounds"] = {  # the limits the page's controls and hints state
        "repeat": limits.MAX_REPEAT,
        "kernel_side": limits.MAX_KERNEL_SIDE,
        "grid_side": MAX_GRID_SIDE,
        "random": (RANDOM_LOW, RANDOM_HIGH),
    }
    app.jinja_env.globals["name_value"] = name_value
    app.jinja_env.filters["num"] = format_for_people  # every number a person reads, one minus sign
    app.before_request(watch_client)
    Compress(app)
    init_rate_limits(app)
    if int(app.config["PROXY_COUNT"]):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(app.config["PROXY_COUNT"]), x_proto=1, x_host=1)

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
            f"frame-ancestors {app.config['FRAME_ANCESTORS']}",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # The live camera asks for this site's own pages only; a page embedding one needs allow="camera" too.
        response.headers.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if request.endpoint == "static" and response.status_code in (200, 304):
            filename = (request.view_args or {}).get("filename", "")
            if request.args.get("v") == static_file_version(app.static_folder or "static", filename):
                response.headers["Cache-Control"] = IMMUTABLE
        return response

    @app.url_defaults
    def static_version(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            values["v"] = static_file_version(app.static_folder or "static", values["filename"])

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
