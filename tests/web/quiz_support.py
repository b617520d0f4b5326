"""What the quiz tests share: an app with a known question secret, the page form's fields, numbers and words
looked for in a text, a response's headers and a fragment's regions as text.

The test modules import :func:`app`, which takes the place of ``tests/conftest.py``'s for them, so their
``client`` fixture makes question codes with :data:`SECRET`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app import create_app
from tests.pages_support import partial_targets
from tests.web.test_pages_kernel_tools import FormFields

SECRET = "a secret for the quiz tests"


@pytest.fixture
def app(tmp_path: Path):
    return create_app({"TESTING": True, "UPLOAD_FOLDER": str(tmp_path / "uploads"), "SECRET_KEY": SECRET})


def fields_of(html: str) -> dict[str, str]:
    """What a browser without JavaScript submits for the page form, no button pressed."""
    return dict(FormFields(html).fields)


def found(text: str, needles: set[str]) -> set[str]:
    """The needles written in ``text`` as numbers or words of their own (not inside a longer number or name)."""
    return {n for n in needles if re.search(rf"(?<![\w.]){re.escape(n)}(?![\w])", text)}


def headers_text(response) -> str:
    return "\n".join(f"{name}: {value}" for name, value in response.headers.items())


def region(html: str, region_id: str) -> str:
    """A region's HTML in a fragment answer."""
    match = re.search(rf'<hx-partial hx-target="#{region_id}"[^>]*>(.*?)</hx-partial>', html, re.S)
    assert match, f"no region {region_id} in {partial_targets(html)}"
    return match[1]
