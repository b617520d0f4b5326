"""Helpers for the browser tests: pointing at picture pixels, waiting for the panel, reading images back."""

from __future__ import annotations

import io
import json

import numpy as np
from PIL import Image
from playwright.sync_api import Locator, Page, expect

from imaging.preview import is_lossy_size, psnr_db

TIMEOUT_MS = 8000


def point_at(page: Page, image: Locator, x: int, y: int, *, click: bool = False) -> None:
    """Move the mouse to the centre of pixel (x, y) of a picture (in its own pixels)."""
    image.scroll_into_view_if_needed()
    box = image.bounding_box()
    width, height = (int(v) for v in image.evaluate("img => [img.naturalWidth, img.naturalHeight]"))
    # The pixel's centre, kept inside the picture: nearer its right or bottom edge than 1 px, the pointer
    # hits the figure around it.
    cx = min(max(box["x"] + (x + 0.5) * box["width"] / width, box["x"] + 0.5), box["x"] + box["width"] - 1)
    cy = min(max(box["y"] + (y + 0.5) * box["height"] / height, box["y"] + 0.5), box["y"] + box["height"] - 1)
    page.mouse.move(cx, cy)
    if click:
        page.mouse.click(cx, cy)


def wait_for_pixel(panel: Locator, x: int, y: int) -> None:
    expect(panel).to_have_attribute("data-x", str(x), timeout=TIMEOUT_MS)
    expect(panel).to_have_attribute("data-y", str(y), timeout=TIMEOUT_MS)


def api_json(page: Page, base: str, path: str) -> dict:
    response = page.request.get(base + path)
    assert response.ok, response.text()
    return response.json()


def assert_panel_is_api(panel: Locator, api: dict) -> None:
    """The panel's data-* numbers are the engine's, exactly."""
    first = api["channels"][0]
    data = panel.evaluate("p => Object.assign({}, p.dataset)")
    assert (int(data["x"]), int(data["y"])) == (api["x"], api["y"])
    assert float(data["sum"]) == first["sum"]
    assert float(data["value"]) == first["value"]
    assert json.loads(data["stored"]) == first["stored"]


def png_pixels(body: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(body)).convert("RGBA"))


def assert_shows(image: Locator, exact_png: bytes) -> None:
    """The page's picture shows this exact PNG: pixel for pixel where the page must be lossless (narrower
    than :data:`LOSSY_MIN_WIDTH`), within the preview's promised 35 dB where it may be a JPEG preview."""
    painted, exact = painted_pixels(image), png_pixels(exact_png)
    if is_lossy_size(exact.shape[1], exact.shape[0]):
        assert painted.shape == exact.shape and psnr_db(exact, painted) >= 35.0
    else:
        assert np.array_equal(painted, exact)


def painted_pixels(image: Locator) -> np.ndarray:
    """The picture as the browser decoded it (RGBA), read back through a canvas once it has loaded."""
    expect(image).to_have_js_property("complete", True, timeout=TIMEOUT_MS)
    flat = image.evaluate(
        """img => {
            const canvas = document.createElement("canvas");
            canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
            const context = canvas.getContext("2d");
            context.drawImage(img, 0, 0);
            return [img.naturalWidth, img.naturalHeight,
                    Array.from(context.getImageData(0, 0, img.naturalWidth, img.naturalHeight).data)];
        }"""
    )
    width, height, data = flat
    return np.array(data, dtype=np.uint8).reshape(height, width, 4)


def small_png(colour: tuple[int, int, int] = (30, 140, 220), size: tuple[int, int] = (24, 16)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def axe_violations(page: Page, axe_source: str, include: list[str] | None = None) -> list[tuple]:
    """axe-core's violations on the page, or only inside the ``include`` CSS selectors: (rule, help, first targets)."""
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        """async (include) => await axe.run(
             include ? { include: include.map((s) => [s]) } : document, { resultTypes: ['violations'] })""",
        include,
    )
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]]
