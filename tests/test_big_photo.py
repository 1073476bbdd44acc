"""A 48-megapixel phone photo is published (downscaled while it is decoded), not rejected; the
decompression-bomb limits still refuse what they refused."""

from __future__ import annotations

import io

from PIL import Image

from hostile_cases import png_header
from test_written_elsewhere import agree, found, workspace

FILE = "content/uji/rapat.md"
ARTICLE = "---\ntitle: Rapat\ndate: 2026-12-03\nimage: media/foto.jpg\nimage_alt: Warga rapat\n---\nIsi.\n"


def phone_photo(width: int = 8000, height: int = 6000) -> bytes:
    """A 48-megapixel JPEG (grey: a quarter of the memory of colour, the same decoding path)."""
    out = io.BytesIO()
    Image.new("L", (width, height), 120).save(out, "JPEG", quality=40)
    return out.getvalue()


def with_declared_size(jpeg: bytes, width: int, height: int) -> bytes:
    """`jpeg` whose frame header declares another size."""
    data = bytearray(jpeg)
    start = data.find(b"\xff\xc0")
    data[start + 5:start + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return bytes(data)


def test_48_megapixel_photo_is_downscaled(make_workspace):
    root = workspace(make_workspace, {FILE: ARTICLE, "content/uji/media/foto.jpg": phone_photo()})
    code, problems, _ = agree(root)
    assert (code, problems) == (0, [])
    published = root / "_site/uji/media"
    full = Image.open(published / "foto.jpg")
    assert full.size == (1600, 1200)
    assert (published / "foto.480.webp").exists() and (published / "foto.1200.jpg").exists()
    page = (root / "_site/uji/2026/12/rapat/index.html").read_text(encoding="utf-8")
    assert "media/foto.800.webp" in page


def test_bomb_sized_jpeg_is_still_refused(make_workspace):
    small = io.BytesIO()
    Image.new("L", (64, 48), 120).save(small, "JPEG")
    root = workspace(make_workspace, {FILE: ARTICLE,
                                      "content/uji/media/foto.jpg": with_declared_size(small.getvalue(), 20000, 20000)})
    code, problems, _ = agree(root)
    assert code == 1 and found(problems) == {("error", FILE, 4, "image_too_many_pixels")}


def test_huge_png_is_still_refused(make_workspace):
    root = workspace(make_workspace, {FILE: ARTICLE.replace("foto.jpg", "foto.png"),
                                      "content/uji/media/foto.png": png_header(8000, 6000)})
    code, problems, output = agree(root)
    assert code == 1 and found(problems) == {("error", FILE, 4, "image_too_many_pixels")}
    assert "8000×6000" in output
