"""Kernels wider than 3 taps at 1280 × 800: the grid and the panel fit without sideways scrolling, with weights
a person can read, and an edited generated kernel keeps a short link."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.support import TIMEOUT_MS

pytestmark = pytest.mark.browser

FITS = """() => {
  const over = e => e.scrollWidth > e.clientWidth + 1;
  const cells = [...document.querySelectorAll('.kgrid input')];
  const picture = id => document.getElementById(id).getBoundingClientRect();
  return {
    clipped: cells.filter(over).map(c => c.id + '=' + c.value),
    texts: cells.map(c => c.value),
    grid: over(document.querySelector('.kgrid-wrap')),
    panels: [...document.querySelectorAll('#explain .taps-scroll, #play-explain .taps-scroll')].map(over),
    page: over(document.documentElement),
    sideBySide: Math.abs(picture('input-image').y - picture('output-image').y) < 1,
  };
}"""


@pytest.mark.parametrize("kernel", ["gaussian(5,1)", "sobel-x(5)", "gaussian(7,1.5)", "unsharp(1,1)", "log(7,1)"])
def test_grid_and_panel_fit_at_1280_with_readable_weights(browser, live_server, kernel):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server}/?kernel={kernel}&x=10&y=10")
    page.locator("#play-explain .taps").wait_for(timeout=TIMEOUT_MS)
    fits = page.evaluate(FITS)
    context.close()
    assert fits["clipped"] == [], "cells whose weight is cut off"
    assert all(len(text) <= 8 for text in fits["texts"]), fits["texts"]
    assert not fits["grid"] and fits["panels"] == [False, False] and not fits["page"]
    assert fits["sideBySide"]  # section 2 keeps input → output in one row beside the wider dock


def test_an_edited_seven_by_seven_gaussian_keeps_a_short_link(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server}/?kernel=gaussian(7,1.5)")
    expect(page.locator("#k-3-3")).to_have_value("0.0733")
    page.fill("#k-3-3", "0.5")
    expect(page).to_have_url(re.compile(r"r4c4(=|%3D)0\.5"), timeout=TIMEOUT_MS)
    kernel = parse_qs(urlsplit(page.url).query)["kernel"][0]
    assert kernel == "gaussian(7,1.5) r4c4=0.5"
    expect(page.locator("#k-0-0")).to_have_value("0.00134")  # still the rounded text, still the exact weight
    expect(page.locator("#output-image")).to_have_attribute("data-api-src", re.compile("r4c4"), timeout=TIMEOUT_MS)
    shown = page.locator("#output-image").get_attribute("data-api-src")
    assert parse_qs(urlsplit(shown).query)["kernel"] == [kernel]  # the picture is the exact kernel's


def test_the_dock_follows_the_grid_as_it_grows_and_shrinks(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server}/?kernel=sharpen")
    bench, dock = page.locator(".bench"), page.locator(".dock")
    expect(bench).to_have_attribute("data-dock", "")
    narrow = dock.bounding_box()["width"]
    page.select_option("#cols", "7")
    expect(page.locator("#k-0-6")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(bench).to_have_attribute("data-dock", "wide", timeout=TIMEOUT_MS)
    assert dock.bounding_box()["width"] > narrow + 100
    assert page.evaluate(FITS)["clipped"] == [] and not page.evaluate(FITS)["grid"]
    page.select_option("#cols", "3")
    expect(page.locator("#k-0-6")).to_have_count(0, timeout=TIMEOUT_MS)
    expect(bench).to_have_attribute("data-dock", "", timeout=TIMEOUT_MS)
    assert dock.bounding_box()["width"] == narrow
