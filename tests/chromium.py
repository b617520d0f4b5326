"""Where Debian's Chromium is, and the flags it is launched with, for the browser tests and the latency benchmark."""

from __future__ import annotations

import os
import shutil

PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")

ARGS = ("--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage")
"""Without --disable-background-networking, Chromium keeps trying to reach its own services (update checks,
safe-browsing lists); on a machine with a closed network those refused connections and failed lookups share
the browser's threads with the page under test."""


def find_chromium() -> str | None:
    """The Chromium executable, or None when it is not installed."""
    for path in PATHS:
        if os.access(path, os.X_OK):
            return path
    return shutil.which("chromium")
