"""Networks the latency benchmark emulates, and the bytes a page moves over them.

* :data:`PROFILES`: loopback (no emulation), a classroom's shared Wi-Fi and a phone on a mobile network, each
  applied with Chromium's DevTools network emulation (``Network.emulateNetworkConditions``): the round-trip
  latency is added before each response's headers, and the bodies flow at the profile's throughput.
* :class:`Traffic`: every request the page sends, as Chromium's ``Network`` events report it, with the bytes
  on the wire (``encodedDataLength`` of ``Network.loadingFinished``: headers and the body as sent, compressed
  if it was), so a benchmark can add up what a page load or one edit moved.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import CDPSession, Page


@dataclass(frozen=True)
class Profile:
    """One network: throughput each way (Mbit/s) and round-trip latency (ms); loopback has neither."""

    name: str
    down_mbit: float | None = None
    up_mbit: float | None = None
    rtt_ms: float = 0.0

    @property
    def emulated(self) -> bool:
        return self.down_mbit is not None

    def describe(self) -> str:
        if not self.emulated:
            return f"{self.name} (no emulation)"
        return (
            f"{self.name} ({self.down_mbit:g} Mbit/s down, {self.up_mbit:g} Mbit/s up, {self.rtt_ms:g} ms round trip; "
            "Chromium DevTools network emulation)"
        )


PROFILES = {
    profile.name: profile
    for profile in (
        Profile("loopback"),
        Profile("classroom", down_mbit=20, up_mbit=5, rtt_ms=20),
        Profile("phone", down_mbit=9, up_mbit=1.5, rtt_ms=60),
    )
}


def bytes_per_second(mbit: float) -> float:
    return mbit * 1e6 / 8


def emulate(cdp: CDPSession, profile: Profile) -> None:
    """Apply ``profile`` to the page of ``cdp`` (``Network`` must be enabled); loopback changes nothing."""
    if not profile.emulated:
        return
    assert profile.down_mbit is not None and profile.up_mbit is not None
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": profile.rtt_ms,
            "downloadThroughput": bytes_per_second(profile.down_mbit),
            "uploadThroughput": bytes_per_second(profile.up_mbit),
        },
    )


@dataclass
class Request:
    """One request: its URL, Chromium's resource type, and the bytes it moved once it has finished."""

    url: str
    kind: str
    seq: int
    mime: str = ""
    bytes: int = 0
    done: bool = False
    failed: bool = False


class Traffic:
    """Records the page's requests from ``Network`` events (it enables the domain on ``cdp``).

    Playwright hands the events over while a call into it is under way, so read the counts after one
    (:meth:`wait_idle` makes such calls). Requests for ``data:`` and ``blob:`` URLs move nothing and are left out.
    A request cancelled before it finished (an ``<img>`` pointed elsewhere) counts its redirects only.
    """

    def __init__(self, cdp: CDPSession) -> None:
        self.requests: dict[str, Request] = {}
        self.order: list[Request] = []
        self.last_event = time.monotonic()
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)
        cdp.send("Network.enable")

    def _sent(self, params: dict[str, Any]) -> None:
        self.last_event = time.monotonic()
        url = params["request"]["url"]
        if url.startswith(("data:", "blob:")):
            return
        known = self.requests.get(params["requestId"])
        redirect = params.get("redirectResponse")
        if known is not None and redirect is not None:  # the same request, redirected: its bytes so far stay
            known.bytes += int(redirect.get("encodedDataLength", 0))
            known.url = url
            return
        request = Request(url, params.get("type", "Other"), len(self.order))
        self.requests[params["requestId"]] = request
        self.order.append(request)

    def _response(self, params: dict[str, Any]) -> None:
        request = self.requests.get(params["requestId"])
        if request is None:
            return
        request.kind = params.get("type") or request.kind
        request.mime = params.get("response", {}).get("mimeType", "")

    def _finished(self, params: dict[str, Any]) -> None:
        self.last_event = time.monotonic()
        request = self.requests.get(params["requestId"])
        if request is not None:
            request.bytes += int(params.get("encodedDataLength", 0))
            request.done = True

    def _failed(self, params: dict[str, Any]) -> None:
        self.last_event = time.monotonic()
        request = self.requests.get(params["requestId"])
        if request is not None:
            request.done = request.failed = True

    def mark(self) -> int:
        """A point in the sequence of requests: the requests sent from here on are after it."""
        return len(self.order)

    def between(self, start: int, end: int | None = None) -> list[Request]:
        """The requests sent between two marks (to now when ``end`` is None)."""
        return self.order[start:end]

    def in_flight(self) -> int:
        return sum(not request.done for request in self.order)

    def wait_idle(self, page: Page, quiet_ms: float = 300, timeout_ms: float = 60_000) -> bool:
        """Wait until no request is in flight and none has started or ended for ``quiet_ms``. Polls from here,
        not in the page, so the page's main thread has nothing extra to do. False if it timed out."""
        deadline = time.monotonic() + timeout_ms / 1e3
        while time.monotonic() < deadline:
            page.wait_for_timeout(50)
            if not self.in_flight() and time.monotonic() - self.last_event >= quiet_ms / 1e3:
                return True
        return False


def total_bytes(requests: list[Request]) -> int:
    return sum(request.bytes for request in requests)
