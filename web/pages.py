"""HTML pages: the explorable (``/``), its embeddable sections (``/embed``), the htmx fragments and the API index.

Each route reads the query string, lets the engine compute, and renders. A
bad value never raises a 500: the page comes back with status 400, the message
beside the field, what was typed kept and the last good pictures shown.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for

from kernels import limits
from kernels.errors import InputError
from web.compute import Services
from web.errors import STATUS_BY_KIND
from web.page_context import PageContext, build_context
from web.regions import changed, hashes_text, read_hashes, render_regions

bp = Blueprint("pages", __name__)


def services() -> Services:
    return current_app.extensions["image_kernels"]


def _args() -> dict[str, str]:
    return request.args.to_dict(flat=True)


def _page(context: PageContext) -> tuple[str, int]:
    template = "embed.html" if context.view else "index.html"
    regions = render_regions(context)
    return render_template(template, c=context, r=regions, region_hashes=hashes_text(regions)), context.status


@bp.get("/")
def index():
    context = build_context(services(), _args(), embed=False)
    if context.ok and context.request.from_form:
        return redirect(context.page_url, code=303)
    return _page(context)


@bp.get("/embed")
def embed():
    context = build_context(services(), _args(), embed=True)
    if context.ok and context.request.from_form:
        return redirect(context.page_url, code=303)
    return _page(context)


@bp.get("/fragment")
def fragment() -> Response:
    """The swappable regions for htmx: one ``<hx-partial>`` per region, morphed into place.

    ``part=inspect`` or ``part=play`` (pointing at a pixel) limits the answer to that panel's region, and a
    region whose HTML the page already shows (``X-Regions``: id:hash pairs) is left out.
    Status 400 when something is wrong: htmx 4 swaps 4xx responses too, so the
    messages appear while the pictures keep the last good state; the address
    bar is only rewritten (``HX-Replace-Url``) when the new state worked. ``X-Output-Images`` names the
    output pictures so the page can start loading them before the answer is morphed in.
    """
    args = _args()
    context = build_context(services(), args, embed="view" in args, fragment=True)
    regions = render_regions(context)
    shown = read_hashes(request.headers.get("X-Regions", ""))
    body = render_template("fragment.html", changed=list(changed(regions, shown)))
    response = Response(body, status=context.status)
    response.headers["X-Region-Hashes"] = hashes_text(regions)
    if context.ok:
        response.headers["HX-Replace-Url"] = context.page_url
        outputs = [region.output_figure.src for region in (context.inspect, context.play) if region]
        if outputs and context.parts is None:
            response.headers["X-Output-Images"] = " ".join(outputs)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/upload")
def upload():
    """Upload without JavaScript: store the file, then show the page with the new picture in the playground."""
    back = dict(parse_qsl(request.form.get("back", "")))
    upload = request.files.get("file")
    try:
        if upload is None or upload.filename == "":
            raise InputError("file", "choose a picture file first")
        image_id, _ = services().store.put(upload.read(limits.MAX_UPLOAD_BYTES + 1))
    except InputError as err:
        context = build_context(services(), back, embed="view" in back, extra_errors={"file": err.message})
        body, _ = _page(context)
        return body, STATUS_BY_KIND.get(err.kind, 400)
    back["image"] = image_id
    target = "pages.embed" if "view" in back else "pages.index"
    return redirect(url_for(target) + "?" + urlencode(back, safe=",;/"), code=303)


@bp.get("/api/")
def api_index() -> str:
    return render_template("api.html")
