"""The form fields a region writes, and the hash of a region without the values the browser already shows.

A template writes a field's name and value with :func:`name_value`: ``<input id="cval" {{ name_value('cval',
o.cval) }}>``. While :func:`render_hashed` renders a region, a value equal to the one the request sent for
that name is written as a numbered placeholder, the region's hash is taken, and only then are the values put
in. So a region that differs from the last answer only by what the person typed (or where they pointed)
since has the same hash, is not sent again, and nothing is morphed under their fingers; a value the server
changed is part of the hash and is sent.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field

from markupsafe import Markup, escape

_MARK = f"\x00{secrets.token_hex(8)}:"
"""Opens a placeholder (``<mark><n>\\0``); unguessable, so no text a person sends can contain it."""
_END = "\x00"


@dataclass
class _Shown:
    sent: Mapping[str, str]
    values: list[str] = field(default_factory=list)


_shown: ContextVar[_Shown | None] = ContextVar("shown_fields", default=None)


def name_value(name: str, value: object) -> Markup:
    """``name="…" value="…"`` of a form field (the templates' global of the same name); ``None`` is empty."""
    text = "" if value is None else str(value)
    shown = _shown.get()
    if shown is not None and shown.sent.get(name) == text:
        shown.values.append(text)
        return Markup('name="{}" value="{}{}{}"').format(name, Markup(_MARK), len(shown.values) - 1, Markup(_END))
    return Markup('name="{}" value="{}"').format(name, text)


@dataclass(frozen=True)
class Hashed:
    """A region's HTML and a short hash of it without the field values its request sent."""

    html: Markup
    digest: str


def render_hashed(render: Callable[[], str], sent: Mapping[str, str]) -> Hashed:
    """Call ``render`` (a template's rendering) with :func:`name_value` leaving out the values in ``sent``."""
    shown = _Shown(sent)
    token = _shown.set(shown)
    try:
        html = render()
    finally:
        _shown.reset(token)
    digest = hashlib.blake2s(html.encode(), digest_size=6).hexdigest()
    if not shown.values:
        return Hashed(Markup(html), digest)
    pieces = html.split(_MARK)
    for n, piece in enumerate(pieces[1:], 1):
        index, rest = piece.split(_END, 1)
        pieces[n] = str(escape(shown.values[int(index)])) + rest
    return Hashed(Markup("".join(pieces)), digest)
