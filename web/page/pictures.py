"""The output pictures as the page loads them during an edit: straight from the form's fields.

An edit (a typed weight, a menu, a slider) makes the page point each output ``<img>`` at
``/picture?img=<its id>&<the form's fields>`` at once, and only ask for the regions once the new pictures
are on screen, so the pictures never wait for the panels. The regions then name the same picture by its
API address (``/api/output.png?<state>``); the page tells which address each ``<img>`` uses now
(``X-Pictures``), and when that address shows the same picture the answer keeps it, so the picture is
neither fetched nor decoded twice.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import parse_qsl, urlsplit

from flask import url_for
from werkzeug.datastructures import MultiDict

from kernels.errors import InputError
from web.page.page_context import PageContext, PagePlan, plan_page
from web.query.state import State
from web.services.compute import Services


def picture_state(services: Services, args: Mapping[str, str]) -> State:
    """The state whose output the ``<img>`` named by ``img`` shows for these form fields.

    A state with a mistake gives the last good state's picture (``good``), the one the page keeps showing
    while the mistake is explained. Raises :class:`InputError` when ``img`` names no output picture of the
    form's view.
    """
    fields = dict(args)
    element = fields.pop("img", "")
    plan = plan_page(services, fields, embed="view" in fields, fragment=True)
    if element not in plan.outputs:
        names = ", ".join(plan.outputs) or "none in this view"
        raise InputError("img", f"no output picture has the id {element!r}; this view's are: {names}")
    return plan.outputs[element]


def _picture_key(services: Services, src: str) -> tuple | None:
    """The cache key of the picture a ``/picture?…`` address shows (None if it shows none); remembered,
    since the page sends the same addresses with every answer it asks for."""
    return services.picture_keys.get_or_make(src, lambda: _key_of(services, src))


def _key_of(services: Services, src: str) -> tuple | None:
    parts = urlsplit(src)
    if parts.path != url_for("pages.picture") or parts.netloc:
        return None
    try:
        fields = MultiDict(parse_qsl(parts.query, keep_blank_values=True)).to_dict()
        return picture_state(services, fields).cache_key()
    except InputError:
        return None


def kept_sources(services: Services, plan: PagePlan, header: str) -> dict[str, str]:
    """The ``<img>`` addresses from ``X-Pictures`` (JSON: id → address) that show the plan's own pictures."""
    try:
        shown = json.loads(header) if header else {}
    except (ValueError, RecursionError):  # deep nesting ("[[[[…") exhausts the parser's recursion
        return {}
    if not isinstance(shown, dict):
        return {}
    kept = {}
    for element, state in plan.outputs.items():
        src = shown.get(element)
        if isinstance(src, str) and _picture_key(services, src) == state.cache_key():
            kept[element] = src
    return kept


def keep_sources(context: PageContext, kept: Mapping[str, str]) -> None:
    """Let the output ``<img>`` elements keep the addresses the page already shows them from."""
    for region in (context.inspect, context.play):
        if region is not None and region.output_figure.element_id in kept:
            region.output_figure.img_src = kept[region.output_figure.element_id]
