"""A page's addresses: its permalink's query (the state, the selected pixels and the stepper; the page adds the
quiz's own fields) and the ``<iframe>`` snippets that embed its views."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import url_for

from web.page.compare_view import SUGGESTED as SUGGESTED_COMPARE
from web.page.views import EMBED_SIZES, PAGE_VIEWS, POINTING, VIEW_TITLES
from web.query.page_state import DEFAULT_SPEED, PageRequest, Selection
from web.query.query_values import READABLE
from web.query.state import State


def canonical_query(
    state: State,
    kernel_param: str,
    inspect: Selection,
    play: Selection,
    compare: Selection | None = None,
    request: PageRequest | None = None,
) -> str:
    """The permalink's query: the API state (kernel as typed), then the selected pixels (a step stands for its
    pixel) and how the stepper plays."""
    query = state.to_query()
    query["kernel"] = kernel_param
    for names, sel in (
        (POINTING["inspect"], inspect),
        (POINTING["play"], play),
        (POINTING["compare"], compare or Selection()),
    ):
        if sel.step is not None and names.step:
            query[names.step] = str(sel.step)
            continue
        if sel.x is not None and sel.y is not None:
            query[names.x], query[names.y] = str(sel.x), str(sel.y)
        if sel.pinned:
            query[names.pin] = "1"
    if request is not None and request.autoplay:
        query["autoplay"] = "1"
    if request is not None and request.speed != DEFAULT_SPEED:
        query["speed"] = str(request.speed)
    if request is not None and request.loop:
        query["loop"] = "1"
    return urlencode(query, safe=READABLE)  # readable: kernel=gaussian(7,1.5), compare=blur|sharpen


def embed_snippet(view: str, page_query: str) -> dict[str, str]:
    if view == "compare" and "compare=" not in page_query:
        page_query += f"&compare={SUGGESTED_COMPARE}"  # a frame of empty menus would teach nothing
    src = url_for("pages.embed", _external=True) + "?" + page_query + f"&view={view}"
    width, height = EMBED_SIZES[view]
    title = f"Image Kernels: {VIEW_TITLES[view]}"
    # clipboard-write: the view's own "Copy" buttons work inside the frame; camera: the live camera's.
    html = (
        f'<iframe src="{src}" title="{title}" width="{width}" height="{height}" '
        f'style="border:0;max-width:100%" loading="lazy" allow="{PAGE_VIEWS[view].allow}"></iframe>'
    )
    return {"view": view, "title": VIEW_TITLES[view], "src": src, "html": html}
