"""The engine's exceptions: :class:`InputError` for input it refuses, :class:`Stopped` when its caller stopped it."""

from __future__ import annotations


class InputError(ValueError):
    """A request value broke a rule.

    The message always names the field, the rule and the value received, so it
    can be shown to a person as it is. ``kind`` tells the web layer which HTTP
    status fits: ``"invalid"`` (400), ``"too_large"`` (413) or
    ``"unsupported"`` (415).
    """

    def __init__(self, field: str, rule: str, received: object = None, *, kind: str = "invalid") -> None:
        self.field = field
        self.rule = rule
        self.received = received
        self.kind = kind
        text = f"{field}: {rule}"
        if received is not None:
            shown = received if isinstance(received, str) else repr(received)
            if len(shown) > 80:
                shown = shown[:77] + "..."
            text += f" (received {shown!r})" if isinstance(received, str) else f" (received {shown})"
        super().__init__(text)

    @property
    def message(self) -> str:
        return str(self)


class Stopped(Exception):
    """The caller's ``should_stop`` answered True between two steps: nobody waits for the result any more."""
