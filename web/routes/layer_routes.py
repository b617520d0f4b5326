"""The layer section's routes: its JSON, pictures and code under ``/api/layer``, its htmx answers and its form.

* ``GET /api/layer?<state>`` — the whole layer's maps as JSON (see ``docs/api.md``).
* ``GET /api/layer/explain?<state>`` — the chosen pixel (``lf``, ``lx``, ``ly``, ``lmap``) taken apart.
* ``GET /api/layer.png?<state>&map=pre|act|pool`` — one filter's map (``f``, from 1; default 1) as a PNG in the
  signed colour map; ``lread=r|g|b`` lets a one-grid filter read that colour channel instead of the grey picture.
* ``GET /api/layer/export?<state>&format=numpy|pytorch`` — code that reproduces the maps.
* ``GET /layer/fragment`` — the section's regions for htmx, from its form (or, with ``part=panel``, from the
  permalink parameters and the chosen pixel alone).
* ``GET /layer`` — the form sent without JavaScript: back to the page's permalink, or the page with the messages.

Routes stay thin: parse, compute (web.services.layer_compute), render (web.page.layer_view and the ``layer_*``
partials).
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, Flask, Response, jsonify, redirect, render_template, request, url_for

from kernels.errors import InputError
from kernels.teaching.layer_explain import explain_pixel
from web.page.layer_code import layer_export_of
from web.page.layer_page import finish_layer, render_layer
from web.page.layer_view import build_layer_view, filter_titles
from web.page.page_context import build_context, plan_page
from web.page.page_view import image_choices
from web.page.regions import changed, digests, hashes_text, read_hashes, render_page
from web.page.views import LAYER_POINTING
from web.present.layer_api import check_layer_values, layer_json
from web.query.layer_form import LayerForm, is_layer_field, read_layer_form
from web.query.layer_state import LAYER_PARAMS, LayerState, parse_layer, read_map_choice
from web.query.query_values import READABLE
from web.query.state import DEFAULT_IMAGE, parse_state
from web.routes.api import png_response
from web.services.compute import etag_for
from web.services.layer_compute import layer_services, map_of
from web.services.rate_limits import render_limit

bp = Blueprint("layer", __name__)

FIELD_IDS = {"layer": "layer-bank", "groups": "layer-mode", "filters": "layer-filters", "bias": "layer-filters"}


def _image(args: Mapping[str, str]) -> str:
    """The picture the request names (a sample, an upload or a drawing), refused when unknown."""
    services = layer_services().services
    image = parse_state({"image": args.get("image", "").strip() or DEFAULT_IMAGE}, services.presets).image
    services.rgb_image(image)
    return image


def _known(args: Mapping[str, str], extra: tuple[str, ...]) -> None:
    allowed = {"image", *LAYER_PARAMS, *extra}
    for name, value in args.items():
        if name not in allowed:
            raise InputError(name, f"is not a known parameter; known ones are {', '.join(sorted(allowed))}", value)


def request_layer(extra: tuple[str, ...] = ()) -> LayerState:
    """The layer state of this request's query string; unknown parameters and bad values are refused (400)."""
    args = request.args.to_dict(flat=True)
    _known(args, extra)
    return parse_layer(args, _image(args))


@bp.get("/api/layer")
@render_limit
def api_layer() -> Response:
    """The whole layer: maps before and after the activation and after pooling, with the parameters used."""
    state = request_layer()
    services = layer_services()
    picture = services.picture(state)
    services.check(state)
    check_layer_values(picture.shape, state)
    return jsonify(layer_json(state, picture, services.layer_result(state)))


@bp.get("/api/layer/explain")
@render_limit
def api_explain() -> Response:
    """The chosen pixel, tap by tap (the same values the page's panel shows)."""
    state = request_layer()
    services = layer_services()
    f, chosen = state.selection.f, state.selection
    result = services.filter_result(state, f)
    maps = map_of(result, chosen.map)
    h, w = maps.shape[1:]
    x = w // 2 if chosen.x is None else chosen.x
    y = h // 2 if chosen.y is None else chosen.y
    for name, value, size in (("lx", x, w), ("ly", y, h)):
        if value >= size:
            raise InputError(name, f"must be from 0 to {size - 1}: the {chosen.map} map is {w}×{h}", value)
    return jsonify(explain_pixel(services.picture(state), state.layer, result, f, x, y, chosen.map).to_json())


@bp.get("/api/layer.png")
@render_limit
def map_png() -> Response:
    """One filter's map as a PNG (cached, with an ETag)."""
    state = request_layer(extra=("map", "f", "lread"))
    which, f, channel = read_map_choice(request.args, state.layer)
    services = layer_services()
    key = (*state.key(), channel, f, which)
    return png_response(etag_for("layer-map", key), lambda: services.map_png(state, f, which, channel))


@bp.get("/api/layer/export")
def export() -> Response:
    """A snippet (``format=numpy`` or ``pytorch``) that reproduces the maps."""
    state = request_layer(extra=("format",))
    exported = layer_export_of(state, request.args.get("format", "").strip(), filter_titles(state))
    response = Response(exported.text, mimetype="text/x-python")
    response.headers["Content-Disposition"] = f'inline; filename="{exported.filename}"'
    return response


@bp.get("/layer/fragment")
@render_limit
def fragment() -> Response:
    """The section's regions whose HTML differs from what the page shows (``X-Layer-Regions``)."""
    args = request.args.to_dict(flat=True)
    services = layer_services()
    embed = args.get("view", "") == "layer"
    pointing = args.get("part", "") == "panel"
    try:
        image = _image(args)
    except InputError as err:
        image, image_error = DEFAULT_IMAGE, {"image": err.message}
    else:
        image_error = {}
    if pointing:
        _known(args, ("part", "view"))
        view = build_layer_view(services, parse_layer(args, image), embed=embed, whole=False)
        names: tuple[str, ...] | None = LAYER_POINTING
    else:
        form = read_layer_form(args, image)
        view = build_layer_view(
            services,
            form.shown,
            embed=embed,
            texts=form.texts,
            bias_texts=form.bias_texts,
            mode=form.mode,
            errors={**image_error, **form.errors},
            notes=form.notes,
        )
        names = None
    if embed:
        view.images = image_choices(services.services, view.state.image)
    regions = render_layer(view, args, names)
    shown = read_hashes(request.headers.get("X-Layer-Regions", ""))
    body = render_template(
        "partials/layer_fragment.html",
        changed=list(changed(regions, shown)),
        hashes=hashes_text({**shown, **digests(regions)}),
    )
    headers = {"Cache-Control": "no-store"}
    if not view.errors:
        headers["X-Layer-Query"] = urlencode(view.query, safe=READABLE)
    return Response(body, status=400 if view.errors else 200, headers=headers, mimetype="text/html")


@bp.get("/layer")
def submit() -> Response | tuple[str, int]:
    """The section's form without JavaScript: the page's permalink with the new layer, or the page with the
    messages beside the fields (status 400) and the last layer that worked."""
    args = request.args.to_dict(flat=True)
    carried = dict(parse_qsl(args.pop("lpage", "")))  # the page's own parameters (see layer_carry.html)
    page = {**carried, **{name: value for name, value in args.items() if not is_layer_field(name)}}
    view_name = page.pop("view", None)
    image = page.get("image", DEFAULT_IMAGE)
    form = read_layer_form(args, image)
    if form.state is not None and not form.errors:
        query = {**page, **form.state.to_query(), **({"view": view_name} if view_name else {})}
        target = url_for("pages.embed" if view_name else "pages.index")
        return redirect(target + "?" + urlencode(query, safe=READABLE) + "#layer", code=303)
    page_args = {**page, **form.fallback.to_query(), **({"view": view_name} if view_name else {})}
    return _page_with(page_args, form)


def field_id(name: str) -> str:
    """The id of the element a layer field's message links to."""
    return FIELD_IDS.get(name, name)


def register(app: Flask) -> None:
    """Add the routes and what the section's templates use."""
    app.register_blueprint(bp)
    app.jinja_env.globals["layer_params"] = LAYER_PARAMS
    app.jinja_env.globals["layer_field_id"] = field_id


def _page_with(page_args: Mapping[str, str], form: LayerForm) -> tuple[str, int]:
    """The whole page of ``page_args`` with the section showing what the form typed and what is wrong (400)."""
    services = layer_services().services
    plan = plan_page(services, page_args, embed="view" in page_args)
    context = build_context(services, plan)
    view = build_layer_view(
        layer_services(),
        form.fallback,
        embed=plan.view == "layer",
        texts=form.texts,
        bias_texts=form.bias_texts,
        mode=form.mode,
        errors=form.errors,
        notes=form.notes,
    )
    finish_layer(context, view, plan.page_query)
    body, _ = render_page(context, page_args)
    return body, 400
