"""The swappable regions of the pages: each rendered once per request, the same HTML for a full page and for
an htmx answer, with a short hash so an answer can leave out the regions the browser already shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from flask import render_template
from markupsafe import Markup

from web.page.fields import Hashed, render_hashed
from web.page.views import REGIONS

if TYPE_CHECKING:
    from web.page.page_context import PageContext

TEMPLATES: dict[str, str] = {name: region.template for name, region in REGIONS.items()}
NESTED: dict[str, str] = {name: region.inside for name, region in REGIONS.items() if region.inside}
"""Regions shown inside another region (see :class:`web.page.views.Region`): a pointer move redraws the marks and
the panel but neither the figures around the marks nor the histogram; an edit redraws the figures without the
marks."""
REPLACED_WHOLE = frozenset(name for name, region in REGIONS.items() if region.replaced_whole)

HIDDEN = "-"
"""The hash ``X-Regions`` gives a region the page does not show now (the closed share panel): it is neither
rendered nor sent, and the page asks for it again when it opens."""


def render_regions(context: PageContext, sent: Mapping[str, str], hidden: Iterable[str] = ()) -> dict[str, Hashed]:
    """Every region the context's view (or its ``part``) has, but the hidden ones, by region id: its HTML and
    its hash without the field values in ``sent`` (what the request sent; see :mod:`web.page.fields`)."""
    skip = set(hidden)
    return {
        region: render_hashed(lambda region=region: render_template(TEMPLATES[region], c=context, region=region), sent)
        for region in context.regions
        if region not in skip
    }


def render_page(context: PageContext, sent: Mapping[str, str]) -> tuple[str, int]:
    """A whole page (``index.html``, or ``embed.html`` for a view) and its status; ``sent`` is what the request
    sent, so that the hashes leave out what the page's fields show as typed."""
    template = "embed.html" if context.view else "index.html"
    # The page's fields hold its address's values (the selected pixels included) unless something else was typed.
    shown = dict(parse_qsl(urlsplit(context.page_url).query)) | dict(sent)
    regions = render_regions(context, shown)
    html = nest_regions(html_of(regions))
    return render_template(template, c=context, r=html, region_hashes=hashes_text(digests(regions))), context.status


def nest_regions(regions: Mapping[str, Markup]) -> dict[str, Markup]:
    """The regions of a whole page: each nested region's HTML put in its place in the outer region (the comment
    ``<!--region id-->`` the ``nested`` macro leaves there)."""
    nested = dict(regions)
    for inner, outer in NESTED.items():
        if inner in nested and outer in nested:
            place = f"<!--region {inner}-->"
            if place not in nested[outer]:
                raise LookupError(f"the region {outer!r} has no place for {inner!r}")
            nested[outer] = Markup(str(nested[outer]).replace(place, str(nested[inner]), 1))  # both are safe
    return nested


def html_of(regions: Mapping[str, Hashed]) -> dict[str, Markup]:
    """Each region's HTML, by region id."""
    return {region: hashed.html for region, hashed in regions.items()}


def digests(regions: Mapping[str, Hashed]) -> dict[str, str]:
    """Each region's hash, by region id."""
    return {region: hashed.digest for region, hashed in regions.items()}


def hashes_text(hashes: Mapping[str, str]) -> str:
    """``id:hash`` pairs joined by commas, as ``data-hashes`` carries them and ``X-Regions`` sends them back."""
    return ",".join(f"{region}:{digest}" for region, digest in hashes.items())


def read_hashes(text: str) -> dict[str, str]:
    """The ``X-Regions`` request header: what the browser shows now, region by region."""
    pairs = (item.split(":", 1) for item in text.split(",") if ":" in item)
    return {region.strip(): value.strip() for region, value in pairs}


def changed(regions: Mapping[str, Hashed], shown: Mapping[str, str]) -> Iterable[tuple[str, str, str]]:
    """(region, swap style, html) for each region whose hash differs from what the browser shows."""
    for region, hashed in regions.items():
        if shown.get(region) != hashed.digest:
            yield region, "innerHTML" if region in REPLACED_WHOLE else "innerMorph", hashed.html
