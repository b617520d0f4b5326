"""Reading the pages' HTML in tests: elements by id, attributes, and the hx-partial regions of a fragment."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import numpy as np
from PIL import Image

from imaging.preview import psnr_db


class Element:
    """A start tag: its name and attributes."""

    def __init__(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tag = tag
        self.attrs = {name: value or "" for name, value in attrs}

    def __getitem__(self, name: str) -> str:
        return self.attrs[name]

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)


class Tags(HTMLParser):
    """Every start tag of a document, in order."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, attrs))

    def by_id(self, element_id: str) -> Element:
        for element in self.elements:
            if element.get("id") == element_id:
                return element
        raise AssertionError(f"no element with id {element_id!r}")

    def named(self, name: str) -> list[Element]:
        return [e for e in self.elements if e.get("name") == name]

    def ids(self) -> list[str]:
        return [e["id"] for e in self.elements if e.get("id")]


def tags(html: str | bytes) -> Tags:
    return Tags(html.decode() if isinstance(html, bytes) else html)


def partial_targets(html: str) -> list[str]:
    """The regions a fragment response replaces, in order."""
    return re.findall(r'<hx-partial hx-target="#([\w-]+)"', html)


def decoded(data: bytes) -> np.ndarray:
    """The pixels of an encoded picture (PNG or JPEG), as uint8."""
    return np.asarray(Image.open(io.BytesIO(data)))


def assert_same_picture(client, preview_src: str, exact_src: str) -> None:
    """The page's picture at ``preview_src`` shows the exact picture at ``exact_src``: pixel for pixel when
    it is a PNG (small or magnified pictures), within the promised fidelity when it is a JPEG preview."""
    preview, exact = client.get(preview_src), client.get(exact_src)
    assert preview.status_code == 200 and exact.status_code == 200
    shown, truth = decoded(preview.data), decoded(exact.data)
    if preview.mimetype == "image/png":
        np.testing.assert_array_equal(shown, truth)
    else:
        assert preview.mimetype == "image/jpeg"
        assert psnr_db(truth, shown) >= 35.0
