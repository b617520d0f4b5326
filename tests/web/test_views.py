"""The one description of the views and their regions (``web.page.views``) holds together."""

from pathlib import Path

from web.page.views import LAYER_POINTING, LAYER_REGIONS, PAGE_VIEWS, REGIONS, REGIONS_OF_PART
from web.query.page_state import VIEWS

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_every_region_a_view_shows_is_described_once():
    named = {region for view in PAGE_VIEWS.values() for region in view.regions}
    named |= {region for regions in REGIONS_OF_PART.values() for region in regions}
    assert named - set(REGIONS) == set()


def test_every_region_has_its_partial():
    for region in (*REGIONS.values(), *LAYER_REGIONS.values()):
        assert (TEMPLATES / region.template).is_file(), region.template


def test_a_nested_region_sits_in_a_region_of_every_view_that_shows_it():
    for name, region in REGIONS.items():
        if region.inside is None:
            continue
        assert region.inside in REGIONS and REGIONS[region.inside].inside is None
        for view in PAGE_VIEWS.values():
            if name in view.regions:
                assert region.inside in view.regions, (name, view.title)


def test_the_layer_answers_pointing_with_its_own_regions():
    assert set(LAYER_POINTING) <= set(LAYER_REGIONS)
    assert not set(LAYER_REGIONS) & set(REGIONS)


def test_the_view_names_the_request_accepts_are_the_views_described():
    # web.query reads ``view=`` before any page is built, so it keeps the names; the registry describes each.
    assert set(VIEWS) == set(PAGE_VIEWS) - {None}
