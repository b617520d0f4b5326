"""The regions of combine, compare and the exports, added to a page context once its sections are built.

Which view shows what: the playground (``/`` and ``view=playground``) has the combine controls, and
explains a combined pixel; ``/`` and ``view=compare`` have the compare section; only ``/`` has the exports.
A fragment that asks for one ``part`` gets only that part's regions (``part=compare``: the compared
pictures and their panels).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from web.page.combine_view import build_combine
from web.page.compare_view import build_compare
from web.page.export_view import build_exports
from web.services.compute import Services

if TYPE_CHECKING:
    from web.page.page_context import PageContext, PagePlan


def add_extra_regions(services: Services, plan: PagePlan, context: PageContext) -> None:
    """Fill ``context.combine``, ``context.compare`` and ``context.exports`` for the regions it renders."""
    regions = set(context.regions)
    state = plan.state
    submitted = plan.request.values if plan.request.errors else None
    if "combine" in regions or ("play-panel" in regions and state.combine is not None):
        play = context.play
        pixel = (play.selection.x, play.selection.y) if play is not None else None
        context.combine = build_combine(
            services,
            state,
            pixel=pixel,
            first=play.panel if play else None,
            submitted=submitted,
            loaded=plan.request.values.get("loaded", ""),
        )
    if "compare-region" in regions or "compare-tools" in regions:
        context.compare = build_compare(
            services, state, plan.compare, with_pickers="compare-tools" in regions, submitted=submitted
        )
    if "exports" in regions:
        context.exports = build_exports(services, state)
