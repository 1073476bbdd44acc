"""A missing or wrong-case picture is an error in check, build and serve, naming the file that
exists; check and build report the same file problems (one rule: the build's own)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from test_serve import ServeProcess
from test_written_elsewhere import agree, check, found, workspace

FILE = "content/uji/rapat.md"


def jpeg(width: int = 64, height: int = 48) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "green").save(out, "JPEG")
    return out.getvalue()


def article(front: str = "", body: str = "Isi.\n") -> str:
    return f"---\ntitle: Rapat\ndate: 2026-12-03\nimage_alt: foto\n{front}---\n{body}"


@pytest.mark.parametrize("front, body, line", [
    ("image: media/jalan-rusak.jpg\n", "Isi.\n", 5),
    ("", "Isi.\n\n![Jalan](media/jalan-rusak.jpg)\n", 8),
])
def test_wrong_case_picture_is_an_error_naming_the_file(make_workspace, front, body, line):
    root = workspace(make_workspace, {FILE: article(front, body), "content/uji/media/Jalan-Rusak.JPG": jpeg()})
    code, problems, output = agree(root)
    assert code == 1
    assert found(problems) == {("error", FILE, line, "picture_missing")}
    assert 'gambar "media/jalan-rusak.jpg" tidak ada (maksud Anda media/Jalan-Rusak.JPG?)' in output
    assert "tautan" not in output
    _, english = check(root, "en")
    assert 'the picture "media/jalan-rusak.jpg" does not exist (did you mean media/Jalan-Rusak.JPG?)' \
        in english[0]["message"]
    assert not (root / "_site").exists()  # nothing published with a broken picture


def test_missing_picture_without_a_close_name(make_workspace):
    root = workspace(make_workspace, {FILE: article("", "![a](media/tidak-ada.png)\n\n[berkas](media/x.pdf)\n"),
                                      "content/uji/media/lain.jpg": jpeg()})
    code, problems, output = agree(root)
    assert code == 1
    assert found(problems) == {("error", FILE, 6, "picture_missing"), ("warning", FILE, 8, "link_missing")}
    assert "maksud Anda" not in output.split("tidak-ada.png")[1].split("\n")[0]


def test_product_photo_missing(make_workspace):
    text = ("---\ntitle: Keripik\ndate: 2026-12-03\ntype: produk\nprodusen: Bu Ani\nharga: 15000\n"
            "foto:\n  - media/keripik.JPG\n---\nRenyah.\n")
    root = workspace(make_workspace, {FILE: text, "content/uji/media/keripik.jpg": jpeg()})
    code, problems, output = agree(root)
    assert (code, found(problems)) == (1, {("error", FILE, 7, "picture_missing")})
    assert "maksud Anda media/keripik.jpg?" in output


def test_check_and_build_report_the_same_file_problems(make_workspace):
    good = jpeg(800, 600)
    root = workspace(make_workspace, {
        FILE: article("image: media/potong.jpg\n"),
        "content/uji/media/potong.jpg": good[: len(good) // 2],  # truncated: passes a quick verify()
        "content/uji/media/foto.txt": good,  # a picture under another name
        "content/uji/media/rusak.svg": "<svg xmlns='http://www.w3.org/2000/svg'><g>",  # not well-formed
        "content/uji/media/foto.jpg": good,
        "content/uji/media/foto.480.jpg": good,  # the name of a version kimsite makes of foto.jpg
    })
    code, problems, _ = agree(root)
    assert code == 1
    codes = {(p["file"], p["code"]) for p in problems}
    assert codes == {(FILE, "image_corrupt"), ("content/uji/media/foto.txt", "picture_misnamed"),
                     ("content/uji/media/rusak.svg", "svg_invalid"),
                     ("content/uji/media/foto.480.jpg", "image_name_taken")}


def test_file_problems_reported_with_other_errors(make_workspace):
    """A build failing for a date still names the broken picture (check and build alike)."""
    good = jpeg(800, 600)
    root = workspace(make_workspace, {FILE: article("image: media/potong.jpg\n").replace("2026-12-03", "31/02/2026"),
                                      "content/uji/media/potong.jpg": good[: len(good) // 2]})
    code, problems, _ = agree(root)
    assert code == 1
    assert found(problems) == {("error", FILE, 3, "date_invalid"),
                               ("error", "content/uji/media/potong.jpg", None, "image_corrupt")}


def test_serve_shows_the_missing_picture_as_an_error(make_workspace):
    root = workspace(make_workspace, {FILE: article("image: media/jalan-rusak.jpg\n"),
                                      "content/uji/media/Jalan-Rusak.JPG": jpeg()})
    server = ServeProcess(root)
    try:
        server.wait_for_output("galat")
        status, _, page = server.get("/repo/uji/")
        assert status == 500
        assert f"{FILE}:5" in page and "maksud Anda media/Jalan-Rusak.JPG?" in page
    finally:
        server.stop()


def test_file_on_a_generated_address_is_reported_by_build_too(make_workspace):
    root = workspace(make_workspace, {FILE: article(), "content/uji/agenda.ics": "BEGIN:VCALENDAR\n",
                                      "content/uji/arsip/feed.xml.txt": "boleh\n"})
    code, problems, output = agree(root)
    assert code == 0
    assert found(problems) == {("warning", "content/uji/agenda.ics", None, "file_url_conflict")}
    assert "content/uji/agenda.ics: peringatan:" in output
