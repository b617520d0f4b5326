"""The layer section on the pages: its parameters read with the page's, its regions rendered for a whole page.

:func:`plan_layer` reads the layer's parameters of any page request (a bad one is filed beside the page's other
messages and left out) and adds the canonical ones to the page's permalink; only a whole page that shows the
section (``/`` or ``/embed?view=layer``) checks the layer on its picture and against the budget.
:func:`add_layer` builds the section for such a page. Answers to the rest of the page never compute the layer:
its regions are not among theirs, and the section asks for its own answers (``/layer/fragment``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode

from flask import render_template, request

from kernels.errors import InputError
from web.page.fields import Hashed, render_hashed
from web.page.layer_view import LayerView, build_layer_view, page_carry
from web.page.page_view import image_choices
from web.page.regions import digests, hashes_text, html_of
from web.page.views import LAYER_REGIONS
from web.query.layer_form import is_layer_field
from web.query.layer_state import LayerState, parse_layer, read_layer
from web.query.query_values import READABLE
from web.services.compute import Services
from web.services.layer_compute import layer_services

if TYPE_CHECKING:
    from web.page.page_context import PageContext, PagePlan
    from web.query.page_state import PageRequest

SHOWN_IN = (None, "layer")
"""The views that show the section: the full page and its embed."""


def plan_layer(
    services: Services, request_: PageRequest, page_query: str, view: str | None, *, check: bool
) -> tuple[str, LayerState, dict[str, str]]:
    """The page query with the layer's parameters added, the layer state, and the messages about its parameters
    (field → message). ``check``: also validate the layer on the page's picture and against the budget (a whole
    page that shows the section)."""
    image = request_.shown_state.image
    errors: dict[str, str] = {}
    state = read_layer(request_.values, errors, image)
    if check and view in SHOWN_IN and not errors:
        try:
            layer_services().check(state)
        except InputError as err:
            errors[err.field] = err.message
            kept = {k: v for k, v in state.to_query().items() if k != err.field}
            try:
                state = parse_layer(kept, image)
                layer_services().check(state)
            except InputError:
                state = parse_layer({}, image)
    extra = urlencode(state.to_query(), safe=READABLE)
    return (page_query + "&" + extra if extra else page_query), state, errors


def render_layer(view: LayerView, sent: Mapping[str, str], regions: tuple[str, ...] | None = None) -> dict[str, Hashed]:
    """The section's regions (all, or those named): each one's HTML and its hash without the field values in
    ``sent`` (see :mod:`web.page.fields`)."""
    return {
        region: render_hashed(lambda template=layer.template: render_template(template, v=view), sent)
        for region, layer in LAYER_REGIONS.items()
        if regions is None or region in regions
    }


def finish_layer(context: PageContext, view: LayerView, page_query: str) -> None:
    """Put the section's regions, rendered, into a whole page's context (``context.layer``)."""
    view.page_carry = page_carry(dict(parse_qsl(page_query)), context.view)
    if view.embed:
        view.images = image_choices(layer_services().services, view.state.image)
    regions = render_layer(view, request.args.to_dict(flat=True))
    view.html = html_of(regions)
    view.hashes = hashes_text(digests(regions))
    context.layer = view


def add_layer(services: Services, plan: PagePlan, context: PageContext) -> None:
    """Build the section for a whole page that shows it (``context.layer``); nothing otherwise."""
    if plan.view not in SHOWN_IN or plan.fragment or plan.layer is None:
        return
    errors = {name: message for name, message in plan.request.errors.items() if is_layer_field(name)}
    view = build_layer_view(layer_services(), plan.layer, embed=plan.view == "layer", errors=errors)
    finish_layer(context, view, plan.page_query)
