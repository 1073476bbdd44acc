"""The picture pipeline: sizes, formats, EXIF/GPS removal, cache, errors, incremental == clean."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import ExifTags, Image

from kimsite.media import images
from kimsite.build import BuildOptions, build
from kimsite.base.problems import KimsiteError

SITE = "sites/kim-uji.yaml"
ARTICLE = "content/kim-uji/2025-01-10-foto-sawah.md"


def jpeg(width: int, height: int, orientation: int | None = None, gps: bool = False,
         color=(40, 140, 60)) -> bytes:
    image = Image.new("RGB", (width, height), color)
    for x in range(0, width, 40):  # some detail, so encoders have work to do
        image.paste((200, 180, 60), (x, 0, x + 10, height // 3))
    exif = Image.Exif()
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        exif[ExifTags.Base.Make] = "samsung"
        exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "S", ExifTags.GPS.GPSLatitude: (6.0, 37.0, 41.2),
                                      ExifTags.GPS.GPSLongitudeRef: "E",
                                      ExifTags.GPS.GPSLongitude: (107.0, 24.0, 13.8)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, exif=exif)
    return buffer.getvalue()


def png(width: int, height: int) -> bytes:
    image = Image.new("RGBA", (width, height), (200, 30, 30, 128))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def workspace(make_workspace, photo: bytes, extra: dict | None = None, name: str = "ws") -> Path:
    files: dict[str, str | bytes] = {
        SITE: "name: KIM Uji\nkecamatan: Maniis\ndesa: Citamiang\n",
        ARTICLE: """\
            ---
            title: Panen di Sawah Citamiang
            date: 2025-01-10 08:00
            image: media/sawah.jpg
            image_alt: Sawah hijau di Citamiang
            ---

            Petani memanen padi.

            ![Stempel merah](media/stempel.png)

            Selesai.
            """,
        "content/kim-uji/media/sawah.jpg": photo,
        "content/kim-uji/media/stempel.png": png(300, 200),
    }
    files.update(extra or {})
    return make_workspace(files, name)


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(path: Path, name: str | None = None) -> list[dict]:
    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return [attrs for tag, attrs in parser.tags if name is None or tag == name]


def assert_no_metadata(path: Path) -> None:
    data = path.read_bytes()
    with Image.open(path) as image:
        assert not image.getexif(), f"{path.name} still carries EXIF"
        assert "exif" not in image.info, f"{path.name} still carries EXIF"
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo), f"{path.name} still carries GPS"
    assert b"Exif\x00\x00" not in data and b"samsung" not in data, f"{path.name} still carries EXIF bytes"


def test_sizes_formats_and_exif_removed(make_workspace):
    root = workspace(make_workspace, jpeg(1000, 2000, orientation=6, gps=True))
    result = build(root, BuildOptions(now=None))
    media = root / "_site" / "kim-uji" / "media"
    # Orientation 6: stored 1000×2000 sideways, shown 2000×1000 (then capped at 1600 wide).
    with Image.open(media / "sawah.jpg") as full:
        assert full.size == (images.FULL_WIDTH, 800)
        assert full.format == "JPEG"
    for width in images.WIDTHS:
        with Image.open(media / f"sawah.{width}.webp") as webp:
            assert webp.format == "WEBP" and webp.size == (width, width // 2)
        with Image.open(media / f"sawah.{width}.jpg") as fallback:
            assert fallback.format == "JPEG" and fallback.size == (width, width // 2)
    with Image.open(media / "sawah.og.jpg") as og:
        assert og.size == images.OG_SIZE
    assert (media / "sawah.og.jpg").stat().st_size < images.OG_MAX_BYTES
    # A small PNG with transparency is never upscaled and keeps a PNG fallback.
    assert not (media / "stempel.480.webp").exists()
    with Image.open(media / "stempel.300.png") as small:
        assert small.size == (300, 200) and small.mode == "RGBA"
    for path in media.iterdir():
        if path.suffix in (".jpg", ".webp", ".png"):
            assert_no_metadata(path)
    assert result.view.images.processed == 2

    page = root / "_site" / "kim-uji" / "2025" / "01" / "foto-sawah" / "index.html"
    pictures = tags(page, "img")
    hero, inline = [attrs for attrs in pictures if "/media/" in (attrs.get("src") or "")]
    assert hero["alt"] == "Sawah hijau di Citamiang"
    assert hero["src"] == "/repo/kim-uji/media/sawah.800.jpg"
    assert (hero["width"], hero["height"]) == ("1200", "600")
    assert "loading" not in hero, "the first picture of an article must not be lazy"
    assert hero["decoding"] == "async"
    assert inline["alt"] == "Stempel merah" and inline["loading"] == "lazy"
    assert (inline["width"], inline["height"]) == ("300", "200")
    sources = tags(page, "source")
    assert sources[0]["type"] == "image/webp"
    assert sources[0]["srcset"].split(", ") == [f"/repo/kim-uji/media/sawah.{w}.webp {w}w" for w in images.WIDTHS]
    assert sources[0]["sizes"]


def test_second_build_processes_nothing(make_workspace):
    root = workspace(make_workspace, jpeg(1600, 900))
    first = build(root, BuildOptions())
    assert (first.view.images.processed, first.view.images.cached) == (2, 0)
    cached = sorted(p.name for p in (root / ".kimsite" / "images").iterdir())
    assert len(cached) == 2 and all(images.SETTINGS in name for name in cached)
    article = root / ARTICLE
    article.write_text(article.read_text(encoding="utf-8") + "\nTambahan.\n", encoding="utf-8")
    second = build(root, BuildOptions())
    assert (second.view.images.processed, second.view.images.cached) == (0, 2)
    # even a clean output folder reuses the processed pictures
    import shutil

    shutil.rmtree(root / "_site")
    third = build(root, BuildOptions())
    assert third.view.images.processed == 0
    assert (root / "_site" / "kim-uji" / "media" / "sawah.800.webp").is_file()


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_incremental_equals_clean_after_changing_a_picture(make_workspace):
    incremental = workspace(make_workspace, jpeg(1600, 900), name="inc")
    build(incremental, BuildOptions())
    changed = jpeg(900, 1200, color=(20, 60, 160))
    (incremental / "content/kim-uji/media/sawah.jpg").write_bytes(changed)
    build(incremental, BuildOptions())
    clean = workspace(make_workspace, changed, name="clean")
    build(clean, BuildOptions())
    first, second = _tree(incremental / "_site"), _tree(clean / "_site")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
    # the 1200 variant is gone: the new picture is only 900 wide
    assert "kim-uji/media/sawah.1200.webp" not in first
    assert "kim-uji/media/sawah.900.webp" in first


def test_many_pictures_are_processed_in_parallel(make_workspace, monkeypatch):
    monkeypatch.setenv("KIMSITE_JOBS", "2")
    extra = {f"content/kim-uji/media/foto-{n}.jpg": jpeg(700 + n * 10, 500) for n in range(5)}
    root = workspace(make_workspace, jpeg(1600, 900), extra)
    result = build(root, BuildOptions())
    assert result.view.images.processed == 7
    for n in range(5):
        with Image.open(root / "_site" / "kim-uji" / "media" / f"foto-{n}.480.webp") as picture:
            assert picture.width == 480
        assert_no_metadata(root / "_site" / "kim-uji" / "media" / f"foto-{n}.jpg")


def _failure(root: Path) -> list:
    from kimsite.write.writer import MARKER

    (root / "_site" / MARKER).mkdir(parents=True, exist_ok=True)  # a site an earlier build made
    (root / "_site" / "marker.txt").write_text("previous site", encoding="utf-8")
    with pytest.raises(KimsiteError) as caught:
        build(root, BuildOptions())
    assert (root / "_site" / "marker.txt").read_text(encoding="utf-8") == "previous site"
    return caught.value.problems


def test_corrupt_picture_names_file_and_article(make_workspace):
    root = workspace(make_workspace, b"\xff\xd8\xff\xe0 this is not really a JPEG")
    problems = _failure(root)
    assert [p.code for p in problems] == ["image_corrupt"]
    problem = problems[0]
    assert problem.file == ARTICLE and problem.line == 4  # the image: line
    text = problem.text("id")
    assert "content/kim-uji/media/sawah.jpg" in text and "rusak" in text


def test_truncated_picture_is_an_error(make_workspace):
    root = workspace(make_workspace, jpeg(1600, 900)[:2000])
    assert [p.code for p in _failure(root)] == ["image_corrupt"]


def test_oversized_file_is_an_error(make_workspace, monkeypatch):
    monkeypatch.setattr(images, "MAX_BYTES", 10_000)
    root = workspace(make_workspace, jpeg(1600, 900))
    problems = _failure(root)
    assert {p.code for p in problems} == {"image_too_large"}
    assert "content/kim-uji/media/sawah.jpg" in problems[0].text("en")
    assert "limit" in problems[0].text("en")


def test_too_many_pixels_is_an_error(make_workspace, monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 1_000_000)
    root = workspace(make_workspace, png(1600, 900))  # only JPEG can be decoded at a smaller size
    problems = _failure(root)
    assert [p.code for p in problems] == ["image_too_many_pixels"]
    assert "1600×900" in problems[0].text("id")


def test_too_many_pixels_in_a_jpeg_decodes_it_smaller(make_workspace, monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 1_000_000)
    root = workspace(make_workspace, jpeg(1600, 900))
    build(root, BuildOptions())
    assert Image.open(root / "_site/kim-uji/media/sawah.jpg").size == (800, 450)


def test_decompression_bomb_is_an_error(make_workspace, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 200_000)  # Pillow refuses over twice this
    root = workspace(make_workspace, jpeg(1600, 900))
    problems = _failure(root)
    assert [p.code for p in problems] == ["image_too_many_pixels"]


def test_unused_picture_is_still_stripped(make_workspace):
    extra = {"content/kim-uji/media/lain.jpg": jpeg(800, 600, gps=True)}
    root = workspace(make_workspace, jpeg(1600, 900), extra)
    build(root, BuildOptions())
    assert_no_metadata(root / "_site" / "kim-uji" / "media" / "lain.jpg")



def _gif(frames: int, gps_comment: bytes = b"") -> bytes:
    pictures = [Image.new("RGB", (120, 80), (index * 60, 120, 200 - index * 50)) for index in range(frames)]
    buffer = io.BytesIO()
    pictures[0].save(buffer, "GIF", save_all=True, append_images=pictures[1:], duration=70, loop=0,
                     comment=gps_comment)
    return buffer.getvalue()


def test_plain_pictures_are_kept_in_the_cache_and_equal_a_clean_build(make_workspace):
    """GIF/TIFF/BMP/AVIF are re-encoded once: the cache keeps them (pruning included) and an
    edit build publishes the same bytes as a clean one."""
    extra = {"content/kim-uji/media/gerak.gif": _gif(3, b"GPS 6.6S 107.4E"),
             "content/kim-uji/media/peta.tif": jpeg(200, 100)}  # a JPEG named .tif: re-encoded as TIFF
    root = workspace(make_workspace, jpeg(1600, 900), extra, name="inc")
    first = build(root, BuildOptions())
    assert (first.view.images.processed, first.view.images.cached) == (4, 0)
    article = root / ARTICLE
    article.write_text(article.read_text(encoding="utf-8") + "\nTambahan.\n", encoding="utf-8")
    second = build(root, BuildOptions())
    assert (second.view.images.processed, second.view.images.cached) == (0, 4)
    media = root / "_site" / "kim-uji" / "media"
    with Image.open(media / "gerak.gif") as gif:
        assert gif.n_frames == 3 and "comment" not in gif.info
    with Image.open(media / "peta.tif") as tif:
        assert tif.format == "TIFF" and not tif.getexif().get(ExifTags.Base.Make)
    assert not (media / "gerak.480.webp").exists()  # no responsive set for plain pictures
    clean = workspace(make_workspace, jpeg(1600, 900), extra, name="clean")
    (clean / ARTICLE).write_text(article.read_text(encoding="utf-8"), encoding="utf-8")
    build(clean, BuildOptions())
    assert _tree(root / "_site") == _tree(clean / "_site")
