"""The swappable regions of the pages: each rendered once per request, the same HTML for a full page and for
an htmx answer, with a short hash so an answer can leave out the regions the browser already shows.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from html import unescape as html_unescape
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from flask import render_template
from markupsafe import Markup

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

_INPUT_VALUE = re.compile(r'(<input\b[^>]*?\bname="([^"]*)"[^>]*?\bvalue=")([^"]*)(")')


def render_regions(context: PageContext, hidden: Iterable[str] = ()) -> dict[str, Markup]:
    """The HTML of every region the context's view (or its ``part``) has, by region id, but the hidden ones."""
    skip = set(hidden)
    return {
        region: Markup(render_template(TEMPLATES[region], c=context, region=region))
        for region in context.regions
        if region not in skip
    }


def render_page(context: PageContext, sent: Mapping[str, str]) -> tuple[str, int]:
    """A whole page (``index.html``, or ``embed.html`` for a view) and its status; ``sent`` is what the request
    sent, so that the hashes leave out what the page's fields show as typed."""
    template = "embed.html" if context.view else "index.html"
    regions = render_regions(context)
    # The page's fields hold its address's values (the selected pixels included) unless something else was typed.
    shown = dict(parse_qsl(urlsplit(context.page_url).query)) | dict(sent)
    hashes = hashes_text(region_hashes(regions, shown))
    return render_template(template, c=context, r=nest_regions(regions), region_hashes=hashes), context.status


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


def region_hash(html: str, sent: Mapping[str, str] | None = None) -> str:
    """A short hash of a region's HTML.

    An ``<input>`` whose value is the one the request sent for its name is hashed without its value: the
    browser already shows that value (someone typed it), so a region that differs from the last answer only
    by what was typed since is not sent again, and nothing is morphed under the person's fingers.
    """
    if sent:

        def typed(match: re.Match[str]) -> str:
            name, value = html_unescape(match[2]), html_unescape(match[3])
            return match[1] + ("\0" if sent.get(name) == value else match[3]) + match[4]

        html = _INPUT_VALUE.sub(typed, html)
    return hashlib.blake2s(html.encode(), digest_size=6).hexdigest()


def region_hashes(regions: Mapping[str, str], sent: Mapping[str, str] | None = None) -> dict[str, str]:
    """Each region's :func:`region_hash`, by region id."""
    return {region: region_hash(html, sent) for region, html in regions.items()}


def hashes_text(hashes: Mapping[str, str]) -> str:
    """``id:hash`` pairs joined by commas, as ``data-hashes`` carries them and ``X-Regions`` sends them back."""
    return ",".join(f"{region}:{digest}" for region, digest in hashes.items())


def read_hashes(text: str) -> dict[str, str]:
    """The ``X-Regions`` request header: what the browser shows now, region by region."""
    pairs = (item.split(":", 1) for item in text.split(",") if ":" in item)
    return {region.strip(): value.strip() for region, value in pairs}


def changed(
    regions: Mapping[str, str], hashes: Mapping[str, str], shown: Mapping[str, str]
) -> Iterable[tuple[str, str, str]]:
    """(region, swap style, html) for each region whose hash differs from what the browser shows."""
    for region, html in regions.items():
        if shown.get(region) != hashes[region]:
            yield region, "innerHTML" if region in REPLACED_WHOLE else "innerMorph", html
