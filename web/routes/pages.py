"""HTML pages: the explorable (``/``), its embeddable sections (``/embed``), the htmx fragments and the API index.

Each route reads the query string, lets the engine compute, and renders. A
bad value never raises a 500: the page comes back with status 400, the message
beside the field, what was typed kept and the last good pictures shown.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for

from imaging.drawing import is_drawing
from imaging.samples import is_sample
from kernels import limits
from kernels.errors import InputError
from web.page.page_context import PageContext, build_context, plan_page
from web.page.pictures import keep_sources, kept_sources, picture_state
from web.page.regions import HIDDEN, changed, digests, hashes_text, read_hashes, render_page, render_regions
from web.query.page_state import FORM_PARAMS
from web.query.query_values import READABLE
from web.query.quiz_params import QUIZ_PARAMS
from web.query.state import CELL_NAME, DEFAULT_IMAGE
from web.routes.api import image_response, refuse_cross_site
from web.routes.errors import STATUS_BY_KIND
from web.services.compute import Services, etag_for
from web.services.rate_limits import render_limit, upload_limit

bp = Blueprint("pages", __name__)


def services() -> Services:
    return current_app.extensions["image_kernels"]


def _args() -> dict[str, str]:
    return request.args.to_dict(flat=True)


def _page(context: PageContext) -> tuple[str, int]:
    return render_page(context, _args())


def _page_or_permalink(embed: bool):
    """The page; a plain form submission that worked goes to its clean permalink instead.

    A shared link (a class opening the link its teacher sent) is rendered once: a link that names only samples
    or drawings and no quiz gives the same page every time, so its HTML is kept (``Services.pages``)."""
    args = _args()
    if _shared_link(args):
        key = (request.host_url, request.query_string, embed)
        return services().pages.get_or_make(key, lambda: _fresh_page(args, embed))
    return _fresh_page(args, embed)


def _fresh_page(args: dict[str, str], embed: bool):
    plan = plan_page(services(), args, embed=embed)
    if plan.ok and plan.request.from_form:
        return redirect(plan.page_url, code=303)
    return _page(build_context(services(), plan))


def _shared_link(args: dict[str, str]) -> bool:
    """Whether the page of these parameters is the same for everyone, always: a permalink (no form fields) whose
    pictures are bundled samples or drawings (an upload can be evicted) and that asks no quiz (a question is
    drawn at random)."""
    if any(name in args for name in (*FORM_PARAMS, *QUIZ_PARAMS)) or any(CELL_NAME.match(name) for name in args):
        return False
    image = args.get("image", DEFAULT_IMAGE)
    return is_sample(image) or is_drawing(image)


@bp.get("/")
@render_limit
def index():
    return _page_or_permalink(embed=False)


@bp.get("/embed")
@render_limit
def embed():
    return _page_or_permalink(embed=True)


@bp.get("/fragment")
@render_limit
def fragment() -> Response:
    """The swappable regions for htmx: one ``<hx-partial>`` per region, morphed into place.

    ``part=inspect`` or ``part=play`` (pointing at a pixel) limits the answer to that panel's region, and a
    region whose HTML the page already shows (``X-Regions``: id:hash pairs) is left out. Status 400 when
    something is wrong: htmx 4 swaps 4xx responses too, so the messages appear while the pictures keep the
    last good state; the page's address (``X-Page-Url``) is only sent when the new state worked.
    ``X-Pictures`` (JSON: ``<img>`` id → address) names where the page loaded its output pictures from.
    """
    args = _args()
    plan = plan_page(services(), args, embed="view" in args, fragment=True)
    headers = {"Cache-Control": "no-store"}
    if plan.ok:
        headers["X-Page-Url"] = plan.page_url
    shown = read_hashes(request.headers.get("X-Regions", ""))
    hidden = [region for region, value in shown.items() if value == HIDDEN]
    context = build_context(services(), plan)
    keep_sources(context, kept_sources(services(), plan, request.headers.get("X-Pictures", "")))
    regions = render_regions(context, args, hidden)
    body = render_template("fragment.html", changed=list(changed(regions, shown)), hashes=hashes_text(digests(regions)))
    return Response(body, status=plan.status, headers=headers, mimetype="text/html")


@bp.get("/picture")
@render_limit
def picture() -> Response:
    """An output picture of the page, for ``img=<the id of its <img>>`` and the form's fields as sent.

    The page loads an edit's pictures from here before it asks for the regions (see ``web.page.pictures``).
    """
    state = picture_state(services(), _args())
    return image_response(etag_for("output-preview", state.cache_key()), lambda: services().output_preview(state))


@bp.post("/upload")
@upload_limit
def upload():
    """Upload without JavaScript: store the file, then show the page with the new picture in the playground."""
    refuse_cross_site()
    back = dict(parse_qsl(request.form.get("back", "")))
    upload = request.files.get("file")
    try:
        if upload is None or upload.filename == "":
            raise InputError("file", "choose a picture file first")
        image_id, _ = services().store.put(upload.read(limits.MAX_UPLOAD_BYTES + 1))
    except InputError as err:
        plan = plan_page(services(), back, embed="view" in back, extra_errors={"file": err.message})
        body, _ = _page(build_context(services(), plan))
        return body, STATUS_BY_KIND.get(err.kind, 400)
    back["image"] = image_id
    target = "pages.embed" if "view" in back else "pages.index"
    return redirect(url_for(target) + "?" + urlencode(back, safe=READABLE), code=303)


@bp.get("/api/")
def api_index() -> str:
    return render_template("api.html")
