"""Uploaded images kept on disk under content-hash ids, bounded, shared by every worker process.

Each upload is checked by decoding it once (:func:`imaging.images.decode_upload`), then kept as the very
bytes that were sent, ``<id>.upload`` in one folder: the most compact form there is (a 4000×3000 phone JPEG
of 1.6 MB would be 20–30 MB as a lossless PNG of its pixels, and far more decoded), and the original, from
which any working size can be made. The id is the first 32 hex digits of the SHA-256 of those bytes, so
the same file always gets the same id and a permalink keeps working after a restart. Files are written to
a temporary name and renamed into place, so a reader in another process never sees half a file.

The store is bounded by count (``max_items``) and by bytes on disk (``max_bytes``, temporary files
included); the oldest by modification time (set when stored, refreshed when the same file is uploaded
again) go first. Every read asks the disk, never only this process's memory, so an id evicted by any
worker is refused everywhere, with a message that says it was removed to make room.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import threading
import time
from collections import OrderedDict
from pathlib import Path

import numpy as np
from PIL import Image

from imaging.images import decode_upload
from kernels.errors import InputError

ID_LENGTH = 32
"""Hex digits in an upload id (128 bits of SHA-256)."""

_ID_PATTERN = re.compile(rf"[0-9a-f]{{{ID_LENGTH}}}")
_SUFFIX = ".upload"
_LEGACY_SUFFIX = ".png"
"""Uploads kept by earlier versions: the decoded pixels as PNG, still read."""
_TEMP_SUFFIX = ".tmp"
_STALE_TEMP_SECONDS = 60
"""A temporary file older than this was left by a process that died while saving (a save takes well under
a second), and is removed by the next save."""

EVICTED = "no uploaded image has this id: it may have been removed to make room; upload it again"


def image_id_for(data: bytes) -> str:
    """The id an upload of exactly these bytes gets: 32 lowercase hex digits."""
    return hashlib.sha256(data).hexdigest()[:ID_LENGTH]


def is_image_id(text: str) -> bool:
    """Whether ``text`` has the form of an upload id (says nothing about whether it is stored)."""
    return isinstance(text, str) and _ID_PATTERN.fullmatch(text) is not None


class PixelMemory:
    """Decoded pixels of recently used uploads, kept in this process up to ``memory_bytes`` bytes, so repeated
    requests for one upload do not decode it again. Only a store that has just confirmed the upload is
    still stored may hand them out. Thread-safe."""

    def __init__(self, memory_bytes: int) -> None:
        self.memory_bytes = memory_bytes
        self._lock = threading.Lock()
        self._memory: OrderedDict[str, np.ndarray] = OrderedDict()
        self._memory_used = 0

    def _recall(self, image_id: str) -> np.ndarray | None:
        with self._lock:
            pixels = self._memory.get(image_id)
            if pixels is not None:
                self._memory.move_to_end(image_id)
            return pixels

    def _remember(self, image_id: str, pixels: np.ndarray) -> None:
        if pixels.nbytes > self.memory_bytes:
            return
        with self._lock:
            if image_id in self._memory:
                self._memory.move_to_end(image_id)
                return
            self._memory[image_id] = pixels
            self._memory_used += pixels.nbytes
            while self._memory_used > self.memory_bytes:
                _, dropped = self._memory.popitem(last=False)
                self._memory_used -= dropped.nbytes

    def _forget(self, image_id: str) -> None:
        with self._lock:
            dropped = self._memory.pop(image_id, None)
            if dropped is not None:
                self._memory_used -= dropped.nbytes


class ImageStore(PixelMemory):
    """Uploaded images in ``folder``, at most ``max_items`` of them, oldest evicted first.

    Decoded pixels of recently used images are also kept in memory, up to ``memory_bytes`` bytes, so
    repeated requests for the same upload do not decode its PNG again. Safe to share between threads;
    several processes may use the same folder.
    """

    def __init__(
        self, folder: Path, max_items: int = 200, *, max_bytes: int = 2 * 2**30, memory_bytes: int = 128 * 2**20
    ) -> None:
        if max_items < 1:
            raise ValueError(f"max_items must be at least 1, got {max_items}")
        if max_bytes < 1:
            raise ValueError(f"max_bytes must be at least 1, got {max_bytes}")
        super().__init__(memory_bytes)
        self.folder = Path(folder)
        self.max_items = max_items
        self.max_bytes = max_bytes
        self.folder.mkdir(parents=True, exist_ok=True)
        self._remove_stale_temporaries()

    def put(self, data: bytes) -> tuple[str, np.ndarray]:
        """Decode and keep an uploaded file.

        Returns the id and the stored pixels (read-only uint8 RGB, (H, W, 3)). Raises :class:`InputError`
        (field ``"file"``) when the upload is refused; nothing is stored then.
        """
        image_id = image_id_for(data)
        path = self._path(image_id)
        try:
            os.utime(path)  # stored already: uploading it again makes it the newest
        except FileNotFoundError:
            pass
        else:
            with contextlib.suppress(InputError):  # evicted or damaged meanwhile: store it afresh
                return image_id, self.get(image_id)
        pixels = decode_upload(data)
        self._remove_stale_temporaries()
        self._write(path, data)
        pixels.setflags(write=False)
        self._remember(image_id, pixels)
        self._evict(keep=image_id)
        return image_id, pixels

    def get(self, image_id: str) -> np.ndarray:
        """The pixels of an upload: read-only uint8 RGB, (H, W, 3), values 0…255.

        Raises :class:`InputError` (field ``"image"``) for a malformed id or one that is not stored
        (never uploaded, or evicted to make room).
        """
        if not is_image_id(image_id):
            raise InputError("image", f"an upload id is {ID_LENGTH} lowercase hex digits", image_id)
        path = self._find(image_id)
        if path is None:  # evicted, here or by another worker: whatever this process remembers is stale
            self._forget(image_id)
            raise InputError("image", EVICTED, image_id, kind="gone")
        pixels = self._recall(image_id)
        if pixels is not None:
            return pixels
        try:
            pixels = self._read(path)
        except FileNotFoundError:
            raise InputError("image", EVICTED, image_id, kind="gone") from None
        except (OSError, SyntaxError, ValueError, InputError) as error:  # damaged: drop it so it can be sent again
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            raise InputError("image", "the stored copy of this upload is damaged; upload it again", image_id) from error
        pixels.setflags(write=False)
        self._remember(image_id, pixels)
        return pixels

    def _find(self, image_id: str) -> Path | None:
        """The file that holds ``image_id`` (the upload itself, or an earlier version's PNG), if any."""
        for path in (self._path(image_id), self.folder / f"{image_id}{_LEGACY_SUFFIX}"):
            if path.exists():
                return path
        return None

    @staticmethod
    def _read(path: Path) -> np.ndarray:
        if path.suffix == _LEGACY_SUFFIX:
            with Image.open(path, formats=("PNG",)) as image:
                return np.array(image.convert("RGB"), dtype=np.uint8)
        return decode_upload(path.read_bytes())

    def __contains__(self, image_id: object) -> bool:
        """Whether the id is stored now (the disk is asked: another worker may have evicted it)."""
        if not isinstance(image_id, str) or not is_image_id(image_id):
            return False
        return self._find(image_id) is not None

    def bytes_used(self) -> int:
        """Bytes on disk: the stored uploads and any temporary file being written or left behind."""
        return sum(size for _, size, _ in self._stored()) + sum(self._temporaries().values())

    def __len__(self) -> int:
        return len(self._stored())

    def ids(self) -> list[str]:
        """Stored ids, oldest first."""
        return [path.stem for _, _, path in self._stored()]

    def _path(self, image_id: str) -> Path:
        return self.folder / f"{image_id}{_SUFFIX}"

    def _write(self, path: Path, body: bytes) -> None:
        """Write ``body`` to ``path`` atomically: readers see the old state or the whole new file."""
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=_TEMP_SUFFIX)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(body)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise

    def _stored(self) -> list[tuple[float, int, Path]]:
        """(modification time, bytes, path) of every stored image, oldest first."""
        found = []
        for suffix in (_SUFFIX, _LEGACY_SUFFIX):
            for path in self.folder.glob(f"*{suffix}"):
                if not is_image_id(path.stem):
                    continue
                with contextlib.suppress(FileNotFoundError):  # another process may evict it meanwhile
                    status = path.stat()
                    found.append((status.st_mtime, status.st_size, path))
        found.sort()
        return found

    def _temporaries(self) -> dict[Path, int]:
        sizes = {}
        for path in self.folder.glob(f".*{_TEMP_SUFFIX}"):
            with contextlib.suppress(FileNotFoundError):
                sizes[path] = path.stat().st_size
        return sizes

    def _evict(self, keep: str) -> None:
        """Delete the oldest images until at most ``max_items`` remain and they and the temporary files fit in
        ``max_bytes``; never the one named ``keep`` (just stored)."""
        stored = self._stored()
        count = len(stored)
        used = sum(size for _, size, _ in stored) + sum(self._temporaries().values())
        for _, size, path in stored:
            if count <= self.max_items and used <= self.max_bytes:
                break
            if path.stem == keep:
                continue
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            self._forget(path.stem)
            count, used = count - 1, used - size

    def _remove_stale_temporaries(self) -> None:
        """Delete temporary files left by a process that died while writing (on start and before each save)."""
        cutoff = time.time() - _STALE_TEMP_SECONDS
        for path in self._temporaries():
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()
