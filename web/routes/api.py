"""The JSON and PNG API: ``/api/*``. Each route parses, asks the engine, and renders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

from flask import Blueprint, Response, current_app, jsonify, request, url_for

from imaging import samples
from imaging.preview import Preview
from kernels import limits
from kernels.engine import output_shape
from kernels.errors import InputError
from kernels.library.kernel_tools import MAX_SEED
from kernels.library.presets import preset_to_json
from web.page.export_view import export_of
from web.page.spectrum_view import spectrum_json, spectrum_picture, spectrum_request
from web.present.kernel_api import describe_kernel
from web.query.kernel_edit import apply_tool, tool_result
from web.query.query_values import parse_int
from web.query.state import MAX_COMPARE, State, parse_state
from web.services.compute import Services, etag_for
from web.services.rate_limits import render_limit, upload_limit

bp = Blueprint("api", __name__, url_prefix="/api")

IMAGE_CACHE_CONTROL = "public, max-age=3600, s-maxage=86400"
"""Image addresses spell their whole state, so an answer never changes while the code does not: browsers keep
it for an hour, a shared cache (nginx, a CDN) for a day."""


def services() -> Services:
    return current_app.extensions["image_kernels"]


def request_state(extra: tuple[str, ...] = ()) -> State:
    """The state in this request's query string (first value of each parameter)."""
    state = parse_state(request.args.to_dict(flat=True), services().presets, extra)
    services().rgb_image(state.image)  # refuse an unknown image before anything else
    return state


def slot_state(extra: tuple[str, ...] = ()) -> State:
    """The request's state, within the budget; with ``slot=N`` the plain state of ``compare[N]`` instead."""
    state = request_state(extra=("slot", *extra))
    slot = parse_int(request.args, "slot", 0, MAX_COMPARE - 1)
    state = state if slot is None else state.for_slot(slot)
    services().check_budget([state])
    return state


def refuse_cross_site() -> None:
    """Refuse an upload that another site's page sent (its ``Origin`` or ``Sec-Fetch-Site`` says so), unless
    that origin is listed in ``UPLOAD_ALLOWED_ORIGINS``."""
    site, origin = request.headers.get("Sec-Fetch-Site"), request.headers.get("Origin")
    allowed = {request.host_url.rstrip("/"), *current_app.config.get("UPLOAD_ALLOWED_ORIGINS", ())}
    if site in ("same-origin", "none") or origin in allowed:  # the browser's own word, or a listed origin
        return
    if site in ("cross-site", "same-site") or origin not in (None, "null"):
        rule = "uploads are only taken from this site's own pages (UPLOAD_ALLOWED_ORIGINS can allow another)"
        raise InputError("file", rule, origin or "a cross-site request", kind="forbidden")


def png_response(body_etag: str, make_body: Callable[[], bytes]) -> Response:
    """A cacheable PNG; a matching If-None-Match is answered with 304 without computing anything."""
    return image_response(body_etag, lambda: Preview(make_body(), "image/png"))


def image_response(body_etag: str, make: Callable[[], Preview]) -> Response:
    """A cacheable picture (PNG or JPEG) with a strong ETag; If-None-Match is answered with 304 at no cost."""
    if body_etag in request.if_none_match:
        response = Response(status=304)
    else:
        picture = make()
        response = Response(picture.data, mimetype=picture.media_type)
    response.set_etag(body_etag)
    response.headers["Cache-Control"] = IMAGE_CACHE_CONTROL
    return response


@bp.get("/samples")
def list_samples() -> Response:
    return jsonify([asdict(sample) for sample in samples.list_samples()])


@bp.get("/presets")
def list_presets() -> Response:
    return jsonify([preset_to_json(p) for p in services().presets.values()])


@bp.post("/images")
@upload_limit
def upload_image() -> tuple[Response, int, dict[str, str]]:
    refuse_cross_site()
    upload = request.files.get("file")
    if upload is None:
        raise InputError("file", "send the image as a multipart/form-data field named 'file'")
    data = upload.read(limits.MAX_UPLOAD_BYTES + 1)
    image_id, pixels = services().store.put(data)
    location = url_for("api.input_png", image=image_id)
    body = {"id": image_id, "width": int(pixels.shape[1]), "height": int(pixels.shape[0])}
    return jsonify(body), 201, {"Location": location}


@bp.get("/input.png")
def input_png() -> Response:
    state = request_state()
    return png_response(etag_for("input", state.input_key()), lambda: services().input_png(state))


@bp.get("/output.png")
@render_limit
def output_png() -> Response:
    state = slot_state()
    return png_response(etag_for("output", state.cache_key()), lambda: services().output_png(state))


@bp.get("/preview/input")
def input_preview() -> Response:
    """The input picture as the pages show it: a JPEG within 35 dB of ``/api/input.png``, or that PNG."""
    state = request_state()
    return image_response(etag_for("input-preview", state.input_key()), lambda: services().input_preview(state))


@bp.get("/preview/output")
@render_limit
def output_preview() -> Response:
    """The output picture as the pages show it: a JPEG within 35 dB of ``/api/output.png``, or that PNG."""
    state = slot_state()
    return image_response(etag_for("output-preview", state.cache_key()), lambda: services().output_preview(state))


@bp.get("/convolve")
@render_limit
def convolve() -> Response:
    state = slot_state()
    image = services().engine_input(state)
    height, width = output_shape(image.shape[:2], state.kernel.shape, state.options)
    channels = 1 if image.ndim == 2 else image.shape[2]
    if height * width * channels > limits.MAX_RAW_VALUES:
        raise InputError(
            "image",
            f"/api/convolve returns at most {limits.MAX_RAW_VALUES:,} values; this output has "
            f"{width}×{height}×{channels} = {height * width * channels:,} (use /api/output.png, a stride, "
            "or a smaller image)",
            kind="too_large",
        )
    raw, method = services().raw(state)
    body = {"width": width, "height": height, "channels": channels, "raw": raw.tolist(), "method": method}
    if state.combine is not None:
        body["combine"] = state.combine
    return jsonify(body)


@bp.get("/explain")
@render_limit
def explain() -> Response:
    state = slot_state(extra=("x", "y"))
    x = parse_int(request.args, "x", 0, limits.MAX_IMAGE_SIDE - 1)
    y = parse_int(request.args, "y", 0, limits.MAX_IMAGE_SIDE - 1)
    for name, value in (("x", x), ("y", y)):
        if value is None:
            raise InputError(name, "is required: the output pixel's column (x) and row (y), 0-based")
    return jsonify(services().explain_state(state, x, y).to_json())


@bp.get("/kernel")
def kernel() -> Response:
    """The kernel as written and multiplied, its properties, the output size and formula, and every tool's link."""
    full = request_state(extra=("slot",))
    slot = parse_int(request.args, "slot", 0, MAX_COMPARE - 1)
    state = full if slot is None else full.for_slot(slot)
    image = services().engine_input(state)
    body = describe_kernel(state, image.shape, services().presets, tools=slot is None)
    body["slot"] = slot
    return jsonify(body)


@bp.get("/kernel/tool")
def kernel_tool() -> Response:
    """One kernel tool applied to the main kernel: ``tool=rotate-left`` …; resize takes ``rows`` and ``cols``."""
    state = request_state(extra=("tool", "rows", "cols", "seed"))
    side = limits.MAX_KERNEL_SIDE
    edited = apply_tool(
        state,
        request.args.get("tool", "").strip(),
        presets=services().presets,
        seed=parse_int(request.args, "seed", 0, MAX_SEED),
        rows=parse_int(request.args, "rows", 1, side),
        cols=parse_int(request.args, "cols", 1, side),
    )
    return jsonify({"tool": request.args.get("tool", "").strip(), **tool_result(edited), "state": edited.to_query()})


@bp.get("/spectrum")
def spectrum() -> Response:
    """The kernel's gain at every frequency: ``n`` × ``n`` values of |DFT| of the taps as applied (see
    ``kernels.teaching.spectrum``), zero frequency at row and column n // 2, with its cuts, gains and classification."""
    state, n = spectrum_request(request.args.to_dict(flat=True), services().presets)
    return jsonify(spectrum_json(state, n))


@bp.get("/spectrum.png")
def spectrum_png() -> Response:
    """``/api/spectrum``'s gains as a heat map, (n + 1) × (n + 1) pixels (see ``kernels.teaching.spectrum_picture``)."""
    state, n = spectrum_request(request.args.to_dict(flat=True), services().presets)
    key, make = spectrum_picture(state, n)
    return png_response(etag_for(*key), make)


@bp.get("/export")
@render_limit
def export_state() -> Response:
    """Code or settings that reproduce this state's raw result in another tool (``format=...``).

    ``slot=N`` exports ``compare[N]`` on its own; a combined state is refused (400, field ``combine``).
    """
    state = slot_state(extra=("format",))
    exported = export_of(services(), state, request.args.get("format", ""))
    response = Response(exported.text, mimetype=exported.media_type)
    response.headers["Content-Disposition"] = f'inline; filename="{exported.filename}"'
    return response
