"""ImageStore: content-hash ids, files on disk, restarts, eviction, strict ids, concurrency."""

from __future__ import annotations

import hashlib
import io
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from imaging.store import ID_LENGTH, ImageStore, image_id_for, is_image_id
from kernels.errors import InputError


def png_bytes(seed: int, size: tuple[int, int] = (6, 4)) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    return buffer.getvalue()


def pixels_of(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def age(store: ImageStore, image_id: str, seconds_ago: float) -> None:
    """Pretend an image was stored ``seconds_ago`` (eviction goes by the file's modification time)."""
    stamp = time.time() - seconds_ago
    os.utime(store.folder / f"{image_id}.upload", (stamp, stamp))


def test_put_returns_the_content_hash_and_the_pixels(tmp_path: Path):
    store = ImageStore(tmp_path / "uploads")
    data = png_bytes(1)
    image_id, pixels = store.put(data)
    assert image_id == hashlib.sha256(data).hexdigest()[:32] == image_id_for(data)
    assert len(image_id) == ID_LENGTH and is_image_id(image_id)
    assert np.array_equal(pixels, pixels_of(data))
    assert not pixels.flags.writeable
    assert (tmp_path / "uploads" / f"{image_id}.upload").read_bytes() == data  # the upload itself: compact
    assert image_id in store
    assert np.array_equal(store.get(image_id), pixels)


def test_the_pixels_read_back_are_the_normalised_rgb(tmp_path: Path):
    store = ImageStore(tmp_path)
    rgba = Image.new("RGBA", (3, 2), (10, 20, 30, 0))
    buffer = io.BytesIO()
    rgba.save(buffer, "PNG")
    image_id, _ = store.put(buffer.getvalue())
    stored = ImageStore(tmp_path).get(image_id)  # a fresh store: read from the disk
    assert stored.shape == (2, 3, 3) and (stored == 255).all()


def test_an_earlier_versions_png_is_still_read(tmp_path: Path):
    pixels = pixels_of(png_bytes(5))
    image_id = "0123456789abcdef0123456789abcdef"
    Image.fromarray(pixels).save(tmp_path / f"{image_id}.png")
    store = ImageStore(tmp_path)
    assert image_id in store and store.ids() == [image_id]
    assert np.array_equal(store.get(image_id), pixels)


def test_the_same_bytes_twice_give_one_id_and_one_file(tmp_path: Path):
    store = ImageStore(tmp_path)
    first, _ = store.put(png_bytes(2))
    second, _ = store.put(png_bytes(2))
    assert first == second
    assert len(store) == 1


def test_ids_survive_a_restart(tmp_path: Path):
    data = png_bytes(3)
    image_id, pixels = ImageStore(tmp_path).put(data)
    reopened = ImageStore(tmp_path)
    assert image_id in reopened
    restored = reopened.get(image_id)
    assert np.array_equal(restored, pixels)
    assert not restored.flags.writeable
    assert reopened.get(image_id) is restored  # kept in memory after the first read


def test_the_oldest_is_evicted_beyond_max_items(tmp_path: Path):
    store = ImageStore(tmp_path, max_items=3)
    ids = []
    for seed in range(3):
        image_id, _ = store.put(png_bytes(10 + seed))
        age(store, image_id, 100 - seed)
        ids.append(image_id)
    newest, _ = store.put(png_bytes(20))
    assert len(store) == 3
    assert ids[0] not in store
    assert ids[1] in store and ids[2] in store and newest in store
    with pytest.raises(InputError) as refused:
        store.get(ids[0])
    assert refused.value.field == "image"
    assert store.ids() == [ids[1], ids[2], newest]


def test_uploading_again_makes_an_image_the_newest(tmp_path: Path):
    store = ImageStore(tmp_path, max_items=2)
    old, _ = store.put(png_bytes(30))
    age(store, old, 100)
    other, _ = store.put(png_bytes(31))
    age(store, other, 50)
    store.put(png_bytes(30))  # refreshed: now newer than `other`
    store.put(png_bytes(32))
    assert old in store
    assert other not in store


def test_eviction_is_seen_by_another_store_on_the_same_folder(tmp_path: Path):
    writer, reader = ImageStore(tmp_path, max_items=1), ImageStore(tmp_path, max_items=1)
    first, _ = writer.put(png_bytes(40))
    age(writer, first, 10)
    assert first in reader
    second, _ = writer.put(png_bytes(41))
    assert first not in reader
    assert np.array_equal(reader.get(second), pixels_of(png_bytes(41)))


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "../../etc/passwd",
        "..%2F..%2Fetc",
        "0" * 31,
        "0" * 33,
        "A" * 32,
        "g" * 32,
        "0" * 31 + "/",
        "0" * 30 + "\0a",
        " " + "0" * 31,
        "astronaut",
    ],
)
def test_malformed_ids_are_refused_without_touching_the_disk(tmp_path: Path, bad: str):
    store = ImageStore(tmp_path)
    assert bad not in store
    with pytest.raises(InputError) as refused:
        store.get(bad)
    assert refused.value.field == "image"
    assert "32 lowercase hex digits" in str(refused.value)


def test_an_unknown_well_formed_id_is_refused(tmp_path: Path):
    store = ImageStore(tmp_path)
    with pytest.raises(InputError) as refused:
        store.get("0123456789abcdef0123456789abcdef")
    assert refused.value.field == "image"
    assert "upload it again" in str(refused.value)
    assert 123 not in store  # type: ignore[operator]


def test_a_refused_upload_stores_nothing(tmp_path: Path):
    store = ImageStore(tmp_path)
    with pytest.raises(InputError) as refused:
        store.put(b"not an image at all")
    assert refused.value.field == "file"
    assert refused.value.kind == "unsupported"
    assert list(tmp_path.iterdir()) == []


def test_no_temporary_files_are_left_and_stale_ones_are_cleaned(tmp_path: Path):
    store = ImageStore(tmp_path)
    store.put(png_bytes(50))
    assert [p.suffix for p in tmp_path.iterdir()] == [".upload"]
    stale = tmp_path / ".abandoned.tmp"
    stale.write_bytes(b"half a file")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    fresh = tmp_path / ".in-progress.tmp"
    fresh.write_bytes(b"being written right now")
    ImageStore(tmp_path)
    assert not stale.exists()
    assert fresh.exists()
    os.utime(fresh, (time.time() - 120, time.time() - 120))  # its writer died a while ago
    store.put(png_bytes(51))
    assert not fresh.exists()  # every save cleans up what a dead writer left


def test_a_damaged_stored_file_is_dropped_with_a_clear_error(tmp_path: Path):
    image_id, _ = ImageStore(tmp_path).put(png_bytes(60))
    (tmp_path / f"{image_id}.upload").write_bytes(b"\x89PNG\r\n\x1a\n garbage")
    store = ImageStore(tmp_path)
    with pytest.raises(InputError) as refused:
        store.get(image_id)
    assert "damaged" in str(refused.value)
    assert image_id not in store
    assert store.put(png_bytes(60))[0] == image_id  # can be uploaded again


def test_memory_budget_bounds_the_cache_but_not_the_store(tmp_path: Path):
    store = ImageStore(tmp_path, memory_bytes=100)  # each 6×4 RGB image is 72 bytes: one fits
    first, _ = store.put(png_bytes(70))
    second, _ = store.put(png_bytes(71))
    assert store._memory_used <= 100
    assert np.array_equal(store.get(first), pixels_of(png_bytes(70)))
    assert np.array_equal(store.get(second), pixels_of(png_bytes(71)))


def test_concurrent_puts_and_gets(tmp_path: Path):
    store = ImageStore(tmp_path, max_items=50)
    uploads = [png_bytes(100 + i % 8) for i in range(32)]

    def put_then_get(data: bytes) -> bool:
        image_id, pixels = store.put(data)
        return np.array_equal(store.get(image_id), pixels)

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(put_then_get, uploads))
    assert len(store) == 8
    assert not list(tmp_path.glob("*.tmp"))


def test_max_items_must_be_positive(tmp_path: Path):
    with pytest.raises(ValueError):
        ImageStore(tmp_path, max_items=0)


def test_the_store_is_bounded_by_bytes_temporary_files_included(tmp_path: Path):
    sizes = {seed: len(png_bytes(seed, (40, 40))) for seed in range(80, 86)}
    store = ImageStore(tmp_path, max_items=100, max_bytes=3 * max(sizes.values()) + 10)
    ids = []
    for seed in range(80, 86):
        image_id, _ = store.put(png_bytes(seed, (40, 40)))
        age(store, image_id, 100 - seed)
        ids.append(image_id)
        assert store.bytes_used() <= store.max_bytes
    assert store.ids() == ids[-3:]
    (tmp_path / ".writing.tmp").write_bytes(b"x" * max(sizes.values()))  # a save in progress counts too
    newest, _ = store.put(png_bytes(90, (40, 40)))
    assert store.bytes_used() <= store.max_bytes and newest in store and len(store) <= 2


def test_an_id_evicted_by_another_worker_is_never_served_from_memory(tmp_path: Path):
    reader, writer = ImageStore(tmp_path), ImageStore(tmp_path, max_items=1)
    first, _ = writer.put(png_bytes(95))
    assert np.array_equal(reader.get(first), pixels_of(png_bytes(95)))  # now in the reader's memory
    age(writer, first, 10)
    writer.put(png_bytes(96))  # evicts `first` in the writer's process
    with pytest.raises(InputError) as refused:
        reader.get(first)
    assert "removed to make room; upload it again" in str(refused.value)
    assert first not in reader
