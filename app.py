"""Image Kernels: the Flask application factory (``flask --app app run``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, Response

from kernels import limits
from web import api, pages
from web.compute import Services
from web.errors import register_error_handlers

DEFAULTS: dict[str, Any] = {
    # A presets JSON file that extends or replaces the bundled library (None: bundled only).
    "PRESETS_PATH": None,
    # Where uploads are kept (default: <instance folder>/uploads) and how many, oldest evicted first.
    "UPLOAD_FOLDER": None,
    "UPLOAD_STORE_MAX": 500,
    # Who may put the pages in an iframe: a CSP frame-ancestors source list ("*" = any site, "'self'" = none else).
    "FRAME_ANCESTORS": "*",
    # Multipart framing around a maximal upload needs a little room above the file itself.
    "MAX_CONTENT_LENGTH": limits.MAX_UPLOAD_BYTES + 64 * 1024,
    # Static URLs carry a version (see static_version), so browsers may keep the files for a day without
    # asking again: otherwise every address-bar update re-validates the favicon.
    "SEND_FILE_MAX_AGE_DEFAULT": 86400,
}


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` overrides :data:`DEFAULTS` and ``IMAGE_KERNELS_*`` environment variables."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(DEFAULTS)
    app.config.from_prefixed_env("IMAGE_KERNELS")
    if config:
        app.config.update(config)

    upload_folder = Path(app.config["UPLOAD_FOLDER"] or Path(app.instance_path) / "uploads")
    app.extensions["image_kernels"] = Services.create(
        app.config["PRESETS_PATH"], upload_folder, int(app.config["UPLOAD_STORE_MAX"])
    )

    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    register_error_handlers(app)

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
            f"frame-ancestors {app.config['FRAME_ANCESTORS']}",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        return response

    @app.url_defaults
    def static_version(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            path = Path(app.static_folder or "static") / values["filename"]
            values["v"] = int(path.stat().st_mtime) if path.is_file() else 0

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
