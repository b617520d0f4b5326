"""Uploaded images kept in Redis, so that every instance of the app serves every upload.

The same contract as :class:`imaging.store.ImageStore`: the upload is checked by decoding it once, then the
bytes that were sent are kept under ``<prefix>upload:<id>`` (the id is the content hash). Redis bounds them:
run it with ``maxmemory`` and ``maxmemory-policy allkeys-lru``, and the least recently used uploads go when
it is full. Whether they survive a restart is Redis's persistence (``appendonly yes`` keeps them). Every
read asks Redis first, so an upload evicted there is refused by every instance with the same message.
"""

from __future__ import annotations

import numpy as np
import redis

from imaging.images import decode_upload
from imaging.store import EVICTED, ID_LENGTH, PixelMemory, image_id_for, is_image_id
from kernels.errors import InputError

UNREACHABLE = "the upload store (Redis) cannot be reached just now; try again in a moment"


class RedisImageStore(PixelMemory):
    """Uploads in the Redis at ``url`` under ``prefix``; decoded pixels cached here up to ``memory_bytes``."""

    def __init__(self, url: str, *, prefix: str = "ik:", memory_bytes: int = 128 * 2**20) -> None:
        super().__init__(memory_bytes)
        self.prefix = prefix
        self.client = redis.Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0)

    def put(self, data: bytes) -> tuple[str, np.ndarray]:
        """Decode and keep an uploaded file; see :meth:`imaging.store.ImageStore.put`."""
        image_id = image_id_for(data)
        pixels = decode_upload(data)
        try:
            self.client.set(self._key(image_id), data)
        except redis.RedisError as error:
            raise InputError("file", UNREACHABLE, kind="unavailable") from error
        pixels.setflags(write=False)
        self._remember(image_id, pixels)
        return image_id, pixels

    def get(self, image_id: str) -> np.ndarray:
        """The pixels of an upload, read-only uint8 RGB (H, W, 3); see :meth:`imaging.store.ImageStore.get`."""
        if not is_image_id(image_id):
            raise InputError("image", f"an upload id is {ID_LENGTH} lowercase hex digits", image_id)
        remembered = self._recall(image_id)
        try:
            if remembered is not None:
                # EXISTS does not count as a use for the LRU policy; TOUCH does, and says whether it is there.
                if self.client.touch(self._key(image_id)):
                    return remembered
                data = None
            else:
                data = self.client.get(self._key(image_id))
        except redis.RedisError as error:
            raise InputError("image", UNREACHABLE, image_id, kind="unavailable") from error
        if data is None:
            self._forget(image_id)
            raise InputError("image", EVICTED, image_id, kind="gone")
        pixels = decode_upload(data)
        pixels.setflags(write=False)
        self._remember(image_id, pixels)
        return pixels

    def __contains__(self, image_id: object) -> bool:
        if not isinstance(image_id, str) or not is_image_id(image_id):
            return False
        try:
            return bool(self.client.exists(self._key(image_id)))
        except redis.RedisError:
            return False

    def __len__(self) -> int:
        return sum(1 for _ in self.client.scan_iter(match=self._key("*"), count=1000))

    def _key(self, image_id: str) -> str:
        return f"{self.prefix}upload:{image_id}"
