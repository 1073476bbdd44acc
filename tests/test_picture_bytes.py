"""kimsite.media.picture_bytes: the few bytes that tell a whole picture file from a damaged one."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from kimsite.media.picture_bytes import looks_whole

FORMATS = [("JPEG", ".jpg", {"quality": 80, "optimize": True, "progressive": True}),
           ("PNG", ".png", {"optimize": True}), ("WEBP", ".webp", {"quality": 80, "method": 4}),
           ("GIF", ".gif", {}), ("BMP", ".bmp", {})]


def _encoded(fmt: str, options: dict, frames: int = 1) -> bytes:
    pictures = [Image.new("RGB", (40, 30), (40 * number, 120, 60)) for number in range(frames)]
    buffer = io.BytesIO()
    if frames > 1:
        options = {**options, "save_all": True, "append_images": pictures[1:], "duration": 100, "loop": 0}
    pictures[0].save(buffer, fmt, **options)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt,suffix,options", FORMATS)
def test_whole_files_pass_and_damaged_ones_do_not(fmt: str, suffix: str, options: dict):
    data = _encoded(fmt, options)
    assert looks_whole(data, "picture" + suffix)
    assert looks_whole(data, "PICTURE" + suffix.upper())
    for damaged in (data[:-3], data[:len(data) // 2], b"", b"<script>alert(1)</script>", data[1:]):
        assert not looks_whole(damaged, "picture" + suffix)


@pytest.mark.parametrize("fmt,suffix", [("WEBP", ".webp"), ("GIF", ".gif"), ("PNG", ".apng")])
def test_animated_pictures_are_whole(fmt: str, suffix: str):
    assert looks_whole(_encoded(fmt, {}, frames=3), "animation" + suffix)


def test_formats_without_marks_need_only_bytes():
    assert looks_whole(_encoded("TIFF", {"compression": "tiff_deflate"}), "scan.tiff")
    assert not looks_whole(b"", "scan.tiff")
