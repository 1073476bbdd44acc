"""A damaged row of the cache's state is never used (kimsite.workspace.cache._checksum): every
flipped bit and every damaged run of up to 32 bits is found when the row is read, and a build
that meets one starts again with a fresh cache."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from kimsite.build import BuildOptions, build
from kimsite.workspace.cache import BuildCache, CacheCorrupt

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))
from regen_golden import NOW  # noqa: E402
from safety import files  # noqa: E402

VALUE = {"quick": "abc", "when": datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc), "items": (1, 2.5, "tiga")}


def _stored(tmp_path: Path) -> tuple[BuildCache, bytes]:
    cache, _ = BuildCache.open(tmp_path / "state")
    cache.set_state("k", VALUE)
    cache.commit()
    blob = cache.db.execute("SELECT value FROM state WHERE key = 'k'").fetchone()[0]
    return cache, blob


def _replace(cache: BuildCache, blob: bytes) -> None:
    cache.db.execute("UPDATE state SET value = ? WHERE key = 'k'", (blob,))


def test_every_flipped_bit_of_a_row_is_found(tmp_path: Path):
    cache, blob = _stored(tmp_path)
    assert cache.get_state("k") == VALUE
    for bit in range(len(blob) * 8):
        damaged = bytearray(blob)
        damaged[bit // 8] ^= 1 << (bit % 8)
        _replace(cache, bytes(damaged))
        with pytest.raises(CacheCorrupt):
            cache.get_state("k")
    _replace(cache, blob)
    assert cache.get_state("k") == VALUE
    cache.close()


@pytest.mark.parametrize("length", [2, 3, 4])
def test_every_damaged_run_of_up_to_32_bits_is_found(tmp_path: Path, length: int):
    cache, blob = _stored(tmp_path)
    for start in range(len(blob) - length + 1):
        for pattern in (b"\xff" * length, bytes(range(1, length + 1)), b"\x80" + b"\x00" * (length - 2) + b"\x01"):
            damaged = bytearray(blob)
            for offset, flip in enumerate(pattern):
                damaged[start + offset] ^= flip
            _replace(cache, bytes(damaged))
            with pytest.raises(CacheCorrupt):
                cache.get_state("k")
    cache.close()


def test_a_build_meeting_a_damaged_row_builds_again_with_a_fresh_cache(tmp_path: Path):
    workspace = tmp_path / "ws"
    shutil.copytree(TESTS / "fixtures" / "basic", workspace)
    options = BuildOptions(now=NOW)
    first = files(build(workspace, options).output_dir)
    (workspace / "content" / "kim-a").joinpath("baru.md").write_text(
        "---\ntitle: Berita baru\ndate: 2024-03-01\n---\nIsi berita baru.\n", encoding="utf-8")
    with sqlite3.connect(workspace / ".kimsite" / "cache.sqlite") as connection:
        key, blob = connection.execute("SELECT key, value FROM state WHERE key LIKE 'kept-kim:%'").fetchone()
        damaged = bytearray(blob)
        damaged[len(damaged) // 2] ^= 0x04
        connection.execute("UPDATE state SET value = ? WHERE key = ?", (bytes(damaged), key))
    result = build(workspace, options)
    assert any(p.code == "cache_invalid" for p in result.problems)
    fresh = tmp_path / "fresh"
    # (not the folder of a replaced output, which a background process may be deleting)
    shutil.copytree(workspace, fresh, ignore=shutil.ignore_patterns(".kimsite", "_site", ".*kimsite-*"))
    expected = files(build(fresh, BuildOptions(now=NOW, use_cache=False)).output_dir)
    assert files(result.output_dir) == expected != first
