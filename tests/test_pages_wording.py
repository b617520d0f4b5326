"""Words a learner reads: one wording for the signed colour map everywhere it is described."""

from __future__ import annotations

import html

from kernels.display import SIGNED_COLOURS, SIGNED_COLOURS_FROM_ZERO


def test_the_signed_display_is_orange_above_zero_in_the_legend_the_panel_and_the_options(client):
    page = client.get("/?image=face&kernel=sobel-left&display=signed").get_data(as_text=True)
    assert "red above" not in page
    assert page.count(SIGNED_COLOURS) >= 3  # the options' formula and both panels' value step
    assert "dark orange" in page  # the histogram's legend


def test_a_combined_magnitude_says_the_same_colours(client):
    page = client.get("/?image=face&kernel=sobel-left&display=signed&combine=magnitude").get_data(as_text=True)
    assert "red above" not in page
    assert f"{SIGNED_COLOURS_FROM_ZERO} (a magnitude is never below 0)" in page


def test_every_embed_snippet_lets_its_copy_buttons_write_to_the_clipboard(client):
    page = client.get("/").get_data(as_text=True)
    snippets = [html.unescape(text).split("</iframe>")[0] for text in page.split("&lt;iframe")[1:]]
    assert len(snippets) >= 5
    assert all('allow="clipboard-write"' in snippet for snippet in snippets)


def test_kernel_crop_says_rescaled_only_when_it_rescales(client):
    zero_sum = client.get("/?image=face&kernel=sobel-left&edge=kernel-crop&x=0&y=0").get_data(as_text=True)
    assert "rescaled by kernel-crop" not in zero_sum
    blur = client.get("/?image=face&kernel=blur&edge=kernel-crop&x=0&y=0").get_data(as_text=True)
    assert "rescaled by kernel-crop for the taps left out (× " in blur
