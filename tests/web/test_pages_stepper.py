"""The stepper's server side: ``step`` and ``pstep`` choose a pixel in raster order, pin it and fill the output
in up to it; the permalink keeps the step and the speed; the buttons and the scrubber are written with the
server's numbers; bad values are refused with the rule."""

from __future__ import annotations

import re

import pytest

from kernels.library.presets import load_presets
from tests.pages_support import partial_targets, tags
from web.query.page_state import read_page

PRESETS = load_presets()


def page_url(html: str) -> str:
    return tags(html).by_id("page-url")["data-url"]


def stepper_of(html: str, area: str) -> dict[str, str]:
    return next(e.attrs for e in tags(html).elements if e.get("data-stepper") == area)


@pytest.mark.parametrize(
    ("step", "x", "y"), [(1, 0, 0), (32, 31, 0), (33, 0, 1), (37, 4, 1), (1024, 31, 31), (5000, 31, 31)]
)
def test_a_step_is_a_pixel_in_raster_order(client, step, x, y):
    html = client.get(f"/?step={step}").get_data(as_text=True)
    panel = tags(html).by_id("explain")
    assert (int(panel["data-x"]), int(panel["data-y"])) == (x, y)
    clamped = min(step, 1024)
    assert f"step={clamped}" in page_url(html)
    assert not re.search(r"[?&](x|y|pin)=", page_url(html))  # the step stands for them
    scrub = tags(html).by_id("step")
    assert (scrub["value"], scrub["max"], scrub["name"]) == (str(clamped), "1024", "step")
    assert tags(html).by_id("pin").get("checked") is not None
    assert f"Pixel {clamped:,} of 1,024" in html


def test_the_output_is_filled_in_up_to_the_step(client):
    html = client.get("/?step=37").get_data(as_text=True)
    marks = re.findall(r'class="mark mark-unfilled" style="([^"]+)"', html)
    assert marks == [
        "left:15.6250%;top:3.1250%;width:84.3750%;height:3.1250%",  # x 5–31 of row 1
        "left:0.0000%;top:6.2500%;width:100.0000%;height:93.7500%",  # rows 2–31
    ]
    assert 'class="mark mark-unfilled"' not in client.get("/?x=4&y=1").get_data(as_text=True)
    last = client.get("/?step=1024").get_data(as_text=True)
    assert 'class="mark mark-unfilled"' not in last  # every pixel computed


def test_without_a_step_the_scrubber_shows_the_pixel_but_carries_no_field(client):
    html = client.get("/?x=4&y=1").get_data(as_text=True)
    scrub = tags(html).by_id("step")
    assert scrub["value"] == "37" and scrub.get("name") is None
    assert "data-stepping" not in stepper_of(html, "inspect")


def test_the_buttons_submit_the_neighbouring_steps(client):
    html = client.get("/?step=37").get_data(as_text=True)
    buttons = [e for e in tags(html).named("step") if e.tag == "button"]
    assert [(b["value"], b.get("disabled")) for b in buttons] == [("36", None), ("38", None)]
    first = [e for e in tags(client.get("/?step=1").get_data(as_text=True)).named("step") if e.tag == "button"]
    assert first[0].get("disabled") is not None and first[1]["value"] == "2"


def test_the_playground_steps_through_its_own_output(client):
    html = client.get("/?image=checkerboard&kernel=blur&edge=crop&pstep=70").get_data(as_text=True)
    panel = tags(html).by_id("play-explain")
    # Crop makes the output 62×62: pixel 70 is x 7 of row 1.
    assert (int(panel["data-x"]), int(panel["data-y"])) == (7, 1)
    assert "pstep=70" in page_url(html) and "px=" not in page_url(html)
    assert tags(html).by_id("pstep")["max"] == str(62 * 62)
    assert stepper_of(html, "play").get("data-stepping") is not None
    assert "data-stepping" not in stepper_of(html, "inspect")


def test_pointing_answers_carry_where_the_stepper_is(client):
    html = client.get("/fragment?step=40&part=inspect").get_data(as_text=True)
    assert {"inspect-marks-in", "inspect-marks-out", "inspect-stepper", "inspect-panel"} <= set(partial_targets(html))
    here = stepper_of(html, "inspect")
    assert (here["data-step"], here["data-steps"], here["data-short"]) == ("40", "1024", "Pixel 40 of 1,024")
    assert here["data-text"] == "Pixel 40 of 1,024, x 7, y 1"
    assert "data-stepping" in here and tags(html).by_id("step")["value"] == "40"


def test_a_step_morphs_the_stepper_so_its_slider_keeps_the_focus(client):
    html = client.get("/fragment?step=41&part=inspect").get_data(as_text=True)
    assert re.search(r'<hx-partial hx-target="#inspect-stepper" hx-swap="innerMorph"', html)


def test_speed_loop_and_autoplay_are_kept_in_the_permalink(client):
    html = client.get("/embed?view=inspect&step=3&speed=12&autoplay=1&loop=1").get_data(as_text=True)
    url = page_url(html)
    assert "speed=12" in url and "autoplay=1" in url and "step=3" in url and "loop=1" in url
    assert tags(html).named("loop")[0].get("checked") is not None
    stepper = stepper_of(html, "inspect")
    assert "data-autoplay" in stepper
    menu = html[html.index('id="speed"') : html.index("</select>")]
    assert re.findall(r'<option value="(\d+)"', menu) == ["1", "2", "3", "5", "8", "10", "12", "15", "20", "30"]
    assert '<option value="12" selected>12/s' in menu
    assert tags(html).named("speed")[0]["value"] == "12"
    assert "speed=" not in page_url(client.get("/?speed=5").get_data(as_text=True))  # the default is left out


@pytest.mark.parametrize(
    ("query", "field", "rule"),
    [
        ("step=0", "step", "step: must be a whole number from 1 to"),
        ("pstep=abc", "pstep", "pstep: must be a whole number from 1 to"),
        ("speed=31", "speed", "speed: must be a whole number from 1 to 30"),
    ],
)
def test_bad_stepper_values_are_refused_with_the_rule(client, query, field, rule):
    response = client.get(f"/?kernel=emboss&{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert rule in html and f'href="#{field}"' in html
    assert tags(html).by_id(field) is not None  # the message links to the control
    assert tags(html).by_id("preset") is not None and 'value="emboss" selected' in html  # the kernel is kept


def test_reading_the_request_pins_a_step():
    request = read_page({"step": "9", "x": "3"}, PRESETS)
    assert request.inspect.step == 9 and request.inspect.pinned
    assert request.play.step is None and not request.play.pinned
