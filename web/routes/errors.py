"""Every refusal becomes a clear 4xx: JSON ``{"error", "field"}`` under /api, a page elsewhere."""

from __future__ import annotations

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_limiter.errors import RateLimitExceeded
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from imaging.images import megabytes
from kernels import limits
from kernels.errors import InputError, Stopped
from web.services.budget import Busy
from web.services.rate_limits import seconds_until_reset

STATUS_BY_KIND = {
    "invalid": 400,
    "forbidden": 403,
    "too_large": 413,
    "unsupported": 415,
    "too_expensive": 422,
    "unavailable": 503,
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(message: str, field: str | None, status: int) -> Response | tuple[str, int]:
    if wants_json():
        response = jsonify({"error": message, "field": field})
        response.status_code = status
        return response
    return render_template("error.html", message=message, field=field, status=status), status


def retry_later(message: str, status: int, seconds: int) -> Response:
    """A refusal that will pass later (429, 503): the message and ``Retry-After: seconds``."""
    response = make_response(error_response(message, None, status))
    response.headers["Retry-After"] = str(seconds)
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(InputError)
    def input_error(err: InputError):
        return error_response(err.message, err.field, STATUS_BY_KIND.get(err.kind, 400))

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(err: RequestEntityTooLarge):
        mb = limits.MAX_UPLOAD_BYTES // (1024 * 1024)
        sent = f"; this one is {megabytes(request.content_length)}" if request.content_length else ""
        return error_response(f"file: uploads are limited to {mb} MB{sent}", "file", 413)

    @app.errorhandler(Stopped)
    def stopped(_err: Stopped):
        # Nobody reads this: the client closed the connection before the picture was ready.
        return error_response("stopped: the connection closed before the picture was ready", None, 409)

    @app.errorhandler(Busy)
    def busy(err: Busy):
        return retry_later(str(err), 503, err.retry_after)

    @app.errorhandler(RateLimitExceeded)
    def too_many(err: RateLimitExceeded):
        scope = str(err.limit.scope or "")
        what = "uploads" if "upload" in scope else "camera frames" if "frame" in scope else "new pictures"
        wait = seconds_until_reset()
        message = (
            f"too many {what} from your network ({err.description}); try again in {wait} s: "
            "a class shares one address, so the limit is for all of you together"
        )
        return retry_later(message, 429, wait)

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        return error_response(f"{err.name}: {err.description}", None, err.code or 500)

    @app.errorhandler(Exception)
    def unexpected(err: Exception):
        app.logger.exception("unhandled error on %s", request.path)
        return error_response("the server could not finish this request", None, 500)
