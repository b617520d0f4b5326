"""A quiz question as an opaque code: a random seed and its HMAC, from which only the server derives the answer.

``<seed>-<mac>``: 16 hex digits of random seed, then the first 24 hex digits (96 bits) of
HMAC-SHA256(secret, "question:<mode>:<seed>"). The answer (the kernels, their order, the picture) comes from a
second HMAC, HMAC-SHA256(secret, "answer:<mode>:<seed>"), so the code says nothing about the answer to anyone
without the secret; a changed seed or MAC is refused. Nothing is stored: any instance with the same secret
checks a code and derives the same question.

The secret is the ``SECRET_KEY`` setting (``IMAGE_KERNELS_SECRET_KEY``). Without it, instances that share Redis
(``REDIS_URL``) share one made at random and kept there, and otherwise the workers of one machine share one kept
in the instance folder (``<instance>/quiz-secret``).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from pathlib import Path

import numpy as np
import redis
from flask import Flask, current_app

from imaging.store_redis import RedisImageStore
from kernels.errors import InputError
from web.query.quiz_params import QUESTION, QUESTION_RULE

MAC_HEX = 24
SECRET_BYTES = 32
REDIS_KEY = "secret-key"
"""The Redis key (after the store's prefix) of the shared secret."""
REDIS_REFRESH_S = 60.0
"""How often an instance looks at the Redis copy of the secret, and puts it back if Redis evicted it."""
FORGED = "was not made by this server (or it was made for another quiz), so it cannot be checked; a new one is shown"

_lock = threading.Lock()


def new_token(secret: bytes, mode: str) -> str:
    """A new random question code for ``mode``."""
    seed = secrets.token_hex(8)
    return f"{seed}-{_mac(secret, mode, seed)}"


def check_token(secret: bytes, mode: str, token: str) -> str:
    """``token`` when this server made it for ``mode``; :class:`InputError` (field ``question``) otherwise."""
    if not QUESTION.fullmatch(token):
        raise InputError("question", QUESTION_RULE, token)
    seed, mac = token.split("-")
    if not hmac.compare_digest(mac, _mac(secret, mode, seed)):
        raise InputError("question", FORGED, token)
    return token


def question_rng(secret: bytes, mode: str, token: str) -> np.random.Generator:
    """The random numbers the question of a checked ``token`` is drawn with: the same for every instance
    with the same secret, and unpredictable without it."""
    seed = token.split("-")[0]
    digest = hmac.new(secret, f"answer:{mode}:{seed}".encode(), hashlib.sha256).digest()
    return np.random.default_rng(int.from_bytes(digest, "big"))


def _mac(secret: bytes, mode: str, seed: str) -> str:
    return hmac.new(secret, f"question:{mode}:{seed}".encode(), hashlib.sha256).hexdigest()[:MAC_HEX]


def quiz_secret(app: Flask | None = None) -> bytes:
    """The app's secret for question codes (see the module's text); :class:`InputError` (503) when it lives in
    Redis and Redis cannot be reached before this process has read it once."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    configured = app.config.get("SECRET_KEY")
    if configured:
        return configured.encode() if isinstance(configured, str) else bytes(configured)
    store = app.extensions["image_kernels"].store
    with _lock:
        held = app.extensions.get("quiz_secret")
        if isinstance(store, RedisImageStore):
            if held is None or time.monotonic() - held[1] > REDIS_REFRESH_S:
                held = (_redis_secret(store, held[0] if held else None), time.monotonic())
                app.extensions["quiz_secret"] = held
        elif held is None:
            held = (_file_secret(Path(app.instance_path) / "quiz-secret"), 0.0)
            app.extensions["quiz_secret"] = held
        return held[0]


def _redis_secret(store: RedisImageStore, known: bytes | None) -> bytes:
    """The secret kept in Redis: made there by the first instance to ask (SET NX), so all of them agree; one
    that Redis evicted (``allkeys-lru``) is put back from ``known``, this process's copy."""
    key = store.prefix + REDIS_KEY
    try:
        store.client.set(key, known or secrets.token_bytes(SECRET_BYTES), nx=True)
        value = store.client.get(key)
    except redis.RedisError as error:
        if known is not None:
            return known
        rule = "the quiz's shared secret is kept in Redis, which cannot be reached just now; try again in a moment"
        raise InputError("question", rule, kind="unavailable") from error
    return bytes(value) if value else (known or b"")


def _file_secret(path: Path) -> bytes:
    """The secret in ``path``, made (readable by this user only) by the first worker that needs it."""
    try:
        return _read_secret(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker made it first
        return _read_secret(path)
    with os.fdopen(descriptor, "w") as file:
        file.write(secrets.token_hex(SECRET_BYTES))
    return _read_secret(path)


def _read_secret(path: Path) -> bytes:
    for _ in range(50):  # a worker that made the file may still be writing it
        text = path.read_text().strip()
        if len(text) == 2 * SECRET_BYTES:
            return text.encode()
        time.sleep(0.01)
    raise RuntimeError(f"{path} does not hold a secret of {2 * SECRET_BYTES} hex digits; delete it to make a new one")
