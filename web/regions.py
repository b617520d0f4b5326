"""The swappable regions of the pages: each rendered once per request, the same HTML for a full page and for
an htmx answer, with a short hash so an answer can leave out the regions the browser already shows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from flask import render_template
from markupsafe import Markup

from web.page_context import PageContext

TEMPLATES: dict[str, str] = {
    "form-status": "partials/status.html",
    "kernel-editor": "partials/kernel_editor.html",
    "options": "partials/options.html",
    "inspect-region": "partials/inspect.html",
    "inspect-panel": "partials/inspect_panel.html",
    "preset-about": "partials/preset_about.html",
    "play-tools": "partials/play_tools.html",
    "play-region": "partials/play.html",
    "play-panel": "partials/play_panel.html",
    "share": "partials/share.html",
    "form-meta": "partials/meta.html",
    "edge-compare": "partials/edge_compare.html",
    # Combine, compare and the exports
    "combine": "partials/combine.html",
    "compare-tools": "partials/compare.html",
    "compare-region": "partials/compare_panel.html",
    "exports": "partials/export.html",
}
REPLACED_WHOLE = frozenset({"inspect-panel", "play-panel"})
"""Regions without controls, swapped by innerHTML; the others are morphed so typing and focus survive."""


def render_regions(context: PageContext) -> dict[str, Markup]:
    """The HTML of every region the context's view (or its ``part``) has, by region id."""
    return {region: Markup(render_template(TEMPLATES[region], c=context)) for region in context.regions}


def region_hash(html: str) -> str:
    return hashlib.blake2s(html.encode(), digest_size=6).hexdigest()


def hashes_text(regions: Mapping[str, str]) -> str:
    """``id:hash`` pairs joined by commas, as the ``X-Region-Hashes`` header and ``data-regions`` carry them."""
    return ",".join(f"{region}:{region_hash(html)}" for region, html in regions.items())


def read_hashes(text: str) -> dict[str, str]:
    """The ``X-Regions`` request header: what the browser shows now, region by region."""
    pairs = (item.split(":", 1) for item in text.split(",") if ":" in item)
    return {region.strip(): value.strip() for region, value in pairs}


def changed(regions: Mapping[str, str], shown: Mapping[str, str]) -> Iterable[tuple[str, str, str]]:
    """(region, swap style, html) for each region whose HTML differs from what the browser shows."""
    for region, html in regions.items():
        if shown.get(region) != region_hash(html):
            yield region, "innerHTML" if region in REPLACED_WHOLE else "innerMorph", html
