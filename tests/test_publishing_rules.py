"""Only what is meant is published, and no location leaves the machine.

Real workspaces are built and their whole output is read back: secrets behind
symbolic links, theme names that are paths, links out of a theme, files a browser
would run, hostile SVG, pictures with GPS in every format kimsite reads, and user
files that take the name of a picture's generated versions.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import etree
from PIL import ExifTags, Image, PngImagePlugin, TiffImagePlugin

from conftest import write_workspace
from kimsite.build import BuildOptions, build
from kimsite.base.problems import KimsiteError, Problem
from kimsite.media.svg_clean import SVG_NS, SvgRefused, clean_svg

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
SITE = {"sites/uji.yaml": "name: KIM Uji\nkecamatan: Maniis\n"}
ARTICLE = {"content/uji/2025-01-02-rapat.md": "---\ntitle: Rapat\ndate: 2025-01-02\n---\nIsi rapat.\n"}
SECRET = b"token-rahasia-8c1f"  # stands for what a .git/config or the cache may hold
MARKER = "MerekRahasia"  # EXIF Make and XMP text written into every test picture


def make(tmp_path: Path, files: dict[str, str | bytes], name: str = "ws") -> Path:
    return write_workspace(tmp_path / name, {**SITE, **ARTICLE, **files})


def run(root: Path) -> tuple[bool, list[Problem]]:
    try:
        result = build(root, BuildOptions(now=NOW, jobs=1))
        return True, list(result.problems)
    except KimsiteError as exc:
        return False, list(exc.problems)


def codes(problems: list[Problem], severity: str | None = None) -> set[tuple[str, int | None, str]]:
    return {(p.file, p.line, p.code) for p in problems if severity is None or p.severity == severity}


def published(root: Path) -> list[Path]:
    site = root / "_site"
    return sorted(p for p in site.rglob("*") if p.is_file()) if site.is_dir() else []


def assert_nowhere(root: Path, *needles: bytes) -> None:
    for path in published(root):
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, f"{path.relative_to(root)} contains {needle!r}"


# --- symbolic links and dotfiles in content ---------------------------------------------------

def _secrets(root: Path) -> None:
    (root / ".git").mkdir()
    (root / ".git/config").write_bytes(b"[http]\n\textraheader = AUTHORIZATION: basic " + SECRET + b"\n")
    (root / ".kimsite").mkdir(exist_ok=True)
    (root / ".kimsite/cache.sqlite").write_bytes(b"SQLite format 3\x00" + SECRET)


@pytest.mark.parametrize("name, target", [
    ("media/x.txt", "../../../.git/config"),
    ("media/cache.txt", "../../../.kimsite/cache.sqlite"),
    ("media/yaml.txt", "../../../kimsite.yaml"),
    ("media/lain.txt", "../../lain/media/berkas.txt"),  # another KIM's folder
    ("media/tersembunyi.txt", "../.rahasia"),  # a dotfile inside the KIM's own folder
])
def test_symlink_leaving_the_kim_folder_is_skipped_with_a_warning(tmp_path, name, target):
    root = make(tmp_path, {"content/uji/.rahasia": SECRET.decode(), "sites/lain.yaml": "name: Lain\nkecamatan: X\n",
                           "content/lain/media/berkas.txt": SECRET.decode(), "kimsite.yaml": (
                               "base_url: https://example.github.io/repo/\n# " + SECRET.decode() + "\n")})
    _secrets(root)
    link = root / "content/uji" / name
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, link)
    ok, problems = run(root)
    assert ok, problems
    assert (f"content/uji/{name}", None, "symlink_outside") in codes(problems, "warning")
    assert not (root / "_site/uji" / name).exists()
    # The other KIM publishes its own file; nothing else holds the secret.
    for path in published(root):
        if path != root / "_site/lain/media/berkas.txt":
            assert SECRET not in path.read_bytes(), path


def test_symlink_inside_the_kim_folder_is_published(tmp_path):
    root = make(tmp_path, {"content/uji/media/asli.txt": "isi\n"})
    os.symlink("asli.txt", root / "content/uji/media/salinan.txt")
    ok, problems = run(root)
    assert ok and not codes(problems, "warning"), problems
    assert (root / "_site/uji/media/salinan.txt").read_text() == "isi\n"


def test_symlinked_folders_are_never_followed(tmp_path):
    root = make(tmp_path, {"content/uji/media/dalam/a.txt": "a\n"})
    _secrets(root)
    os.symlink("../../../.git", root / "content/uji/media/git")
    os.symlink("dalam", root / "content/uji/media/cermin")
    ok, problems = run(root)
    assert ok, problems
    assert ("content/uji/media/git", None, "symlink_outside") in codes(problems, "warning")
    assert ("content/uji/media/cermin", None, "symlink_folder") in codes(problems, "warning")
    assert not (root / "_site/uji/media/git").exists() and not (root / "_site/uji/media/cermin").exists()
    assert_nowhere(root, SECRET)


def test_dotfiles_and_dot_folders_are_never_published(tmp_path):
    root = make(tmp_path, {"content/uji/media/.env": SECRET.decode(), "content/uji/.git/config": SECRET.decode(),
                           "content/uji/media/.cache/x.txt": SECRET.decode(), "content/uji/media/ok.txt": "ok\n"})
    ok, problems = run(root)
    assert ok, problems
    assert (root / "_site/uji/media/ok.txt").is_file()
    assert_nowhere(root, SECRET)


# --- theme: names a folder of themes/, links never lead out ---------------------------------------

@pytest.mark.parametrize("value", ["/usr", "/proc/self/cwd", "../luar", "themes/../../luar", "a/b", "'C:\\Windows'",
                                   "'..\\luar'", ".git", ".."])
@pytest.mark.parametrize("where", ["kimsite.yaml", "sites/uji.yaml"])
def test_theme_that_is_not_a_folder_name_is_an_error(tmp_path, value, where):
    (tmp_path / "luar/static").mkdir(parents=True)
    (tmp_path / "luar/static/bocor.txt").write_bytes(SECRET)
    files = {"kimsite.yaml": "base_url: https://example.github.io/repo/\nlanguage: id\n",
             "sites/uji.yaml": "name: KIM Uji\nkecamatan: Maniis\n"}
    files[where] += f"theme: {value}\n"
    root = make(tmp_path, files)
    line = files[where].count("\n")
    ok, problems = run(root)
    assert not ok
    assert (where, line, "theme_bad_name") in codes(problems, "error")
    assert_nowhere(root, SECRET)


def test_theme_name_is_never_read_as_a_path(tmp_path, monkeypatch):
    """`theme: /proc/...` or `/usr` must not be walked: every folder the build lists stays in the workspace."""
    root = make(tmp_path, {"kimsite.yaml": "base_url: https://example.github.io/repo/\ntheme: /usr\n",
                           "sites/uji.yaml": "name: KIM Uji\nkecamatan: Maniis\ntheme: /proc/self/root\n"})
    walked: list[str] = []
    real_walk = os.walk

    def spy(top, *args, **kwargs):
        walked.append(str(top))
        return real_walk(top, *args, **kwargs)

    monkeypatch.setattr(os, "walk", spy)
    ok, _ = run(root)
    assert not ok
    assert not any(path.startswith(("/usr", "/proc")) for path in walked), walked


def _theme(root: Path, name: str = "hijau") -> Path:
    folder = root / "themes" / name
    (folder / "static").mkdir(parents=True)
    (folder / "templates").mkdir()
    (folder / "static/hijau.css").write_text("body{color:green}\n")
    return folder


def _themed(tmp_path: Path, secret_name: str) -> tuple[Path, Path, Path]:
    """A workspace using the theme hijau, its folder, and a file outside holding SECRET."""
    root = make(tmp_path, {"kimsite.yaml": "base_url: https://example.github.io/repo/\ntheme: hijau\n"})
    outside = tmp_path / secret_name
    outside.write_bytes(SECRET)
    return root, _theme(root), outside


def test_theme_static_links_out_are_skipped(tmp_path):
    root, folder, outside = _themed(tmp_path, "rahasia.txt")
    os.symlink(str(outside), folder / "static/bocor.txt")
    os.symlink("/dev/zero", folder / "static/nol.bin")  # would never end if read
    os.symlink(str(tmp_path), folder / "static/semua")
    (folder / "static/.env").write_bytes(SECRET)
    (folder / "static/.git").mkdir()
    (folder / "static/.git/config").write_bytes(SECRET)
    os.symlink("hijau.css", folder / "static/alias.css")  # inside the theme: fine
    ok, problems = run(root)
    assert ok, problems
    warned = codes(problems, "warning")
    for name in ("bocor.txt", "nol.bin", "semua"):
        assert (f"themes/hijau/static/{name}", None, "theme_link_outside") in warned
    assets = [p.name for p in (root / "_site/assets").iterdir()]
    assert any(name.startswith("hijau.") for name in assets) and any(n.startswith("alias.") for n in assets)
    assert not any(name.startswith(("bocor", "nol", "semua", ".env")) for name in assets), assets
    assert_nowhere(root, SECRET)


def test_theme_template_link_out_means_the_theme_is_not_used(tmp_path):
    root, folder, outside = _themed(tmp_path, "rahasia.html")
    os.symlink(str(outside), folder / "templates/base.html")
    ok, problems = run(root)
    assert ok, problems
    assert ("themes/hijau/templates/base.html", None, "theme_link_outside") in codes(problems, "warning")
    assert ("kimsite.yaml", None, "theme_missing") in codes(problems, "warning")
    assert (root / "_site/uji/index.html").is_file()
    assert_nowhere(root, SECRET)


def test_theme_folder_that_is_a_link_is_not_used(tmp_path):
    root = make(tmp_path, {"kimsite.yaml": "base_url: https://example.github.io/repo/\ntheme: hijau\n"})
    elsewhere = _theme(tmp_path, "di-luar")
    (elsewhere / "static/bocor.txt").write_bytes(SECRET)
    (root / "themes").mkdir()
    os.symlink(str(elsewhere), root / "themes/hijau")
    ok, problems = run(root)
    assert ok, problems
    assert ("themes/hijau", None, "theme_symlink") in codes(problems, "warning")
    assert_nowhere(root, SECRET)


# --- files a browser would run ----------------------------------------------------------------------

ACTIVE = ["content/uji/404.html", "content/uji/media/brosur.htm", "content/uji/halaman/x.xhtml",
          "content/uji/media/data.xml", "content/uji/media/app.js", "content/uji/media/m.mjs",
          "content/uji/media/s.shtml", "content/uji/media/logo.svgz", "content/uji/media/i.php",
          "content/uji/media/t.xsl", "content/uji/media/t.xslt", "content/uji/media/BESAR.HTML",
          "content/uji/media/titik.html.", "content/uji/media/feed.rss", "content/uji/media/w.wasm"]


@pytest.mark.parametrize("name", ACTIVE)
def test_html_like_files_are_an_error_naming_the_file(tmp_path, name):
    root = make(tmp_path, {name: "<script>alert(document.domain)</script>\n"})
    ok, problems = run(root)
    assert not ok
    assert codes(problems, "error") == {(name, None, "file_active_content")}
    text = next(p for p in problems if p.code == "file_active_content").text("en")
    assert "PDF" in text and "halaman/" in text
    assert not (root / "_site").exists()


def test_html_file_fails_the_command_line_with_exit_1(tmp_path):
    root = make(tmp_path, {"content/uji/404.html": "<script>alert(1)</script>\n"})
    done = subprocess.run([sys.executable, "-m", "kimsite", "build", "-C", str(root)], capture_output=True,
                          text=True, env={**os.environ, "KIMSITE_LANG": "en"}, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "content/uji/404.html" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    check = subprocess.run([sys.executable, "-m", "kimsite", "check", "-C", str(root)], capture_output=True,
                           text=True, env={**os.environ, "KIMSITE_LANG": "en"}, timeout=120)
    assert check.returncode == 1 and "content/uji/404.html" in check.stdout + check.stderr


# --- SVG ------------------------------------------------------------------------------------------------

NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
LAUGHS = ('<!DOCTYPE lolz [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
          + "".join(f'<!ENTITY {n} "{("&" + p + ";") * 10}">' for p, n in zip("bcdefgh", "cdefghi")) + ']>')
SAFE_SVG = {  # cleaned and published
    "script": f"<svg {NS}><script>alert(1)</script><rect width='9' height='9'/></svg>",
    "onload": f"<svg {NS} onload='alert(1)'><rect onclick='alert(2)' OnMouseOver='alert(3)' width='9'/></svg>",
    "xlink-javascript": f"<svg {NS}><a xlink:href='javascript:alert(1)'><text>x</text></a></svg>",
    "href-javascript-entities": f"<svg {NS}><a href='&#106;avascript:alert(1)'><text>x</text></a></svg>",
    "foreignobject-iframe": (f"<svg {NS}><foreignObject width='9' height='9'><iframe "
                             "xmlns='http://www.w3.org/1999/xhtml' src='javascript:alert(1)'/></foreignObject></svg>"),
    "external-image": f"<svg {NS}><image href='http://evil.example/t.png' width='9' height='9'/></svg>",
    "use-other-file": f"<svg {NS}><use href='other.svg#x'/><use xlink:href='https://evil.example/s.svg#y'/></svg>",
    "cdata-script": f"<svg {NS}><script><![CDATA[alert(1)]]></script></svg>",
    "set-onload": f"<svg {NS}><set attributeName='onload' to='alert(1)'/></svg>",
    "animate-javascript": (f"<svg {NS}><a><animate attributeName='href' values='javascript:alert(1)'/>"
                           "<text>x</text></a></svg>"),
    "style-url": (f"<svg {NS}><rect style='fill:url(http://evil.example/x)' width='9'/>"
                  "<style>rect{background:url('https://evil.example/y')}</style></svg>"),
    "style-import": f"<svg {NS}><style>@import 'https://evil.example/z.css';</style></svg>",
    "style-escape": f"<svg {NS}><rect style='fill:\\75 rl(https://evil.example/e)' width='9'/></svg>",
    "stylesheet-pi": f"<?xml-stylesheet href='https://evil.example/x.css'?><svg {NS}/>",
    "fill-url-external": f"<svg {NS}><rect fill='url(https://evil.example/f#g)' width='9'/></svg>",
    "xhtml-script": f"<svg {NS}><h:script xmlns:h='http://www.w3.org/1999/xhtml'>alert(1)</h:script></svg>",
    "svg-prefix-script": f"<s:svg xmlns:s='{SVG_NS}'><s:script>alert(1)</s:script></s:svg>",
    "xml-base": f"<svg {NS} xml:base='javascript:alert(1)//'><a href='#x'><text>x</text></a></svg>",
    "feimage-external": f"<svg {NS}><filter id='f'><feImage href='https://evil.example/i.png'/></filter></svg>",
    "data-uri-picture": f"<svg {NS}><image href='data:image/jpeg;base64,/9j/4AAQ' width='9' height='9'/></svg>",
    "xinclude": (f"<svg {NS}><xi:include xmlns:xi='http://www.w3.org/2001/XInclude' href='/etc/passwd' "
                 "parse='text'/></svg>"),
    "public-doctype": ('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
                       f'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg {NS}><script>alert(1)</script></svg>'),
}
REFUSED_SVG = {  # not published: (code)
    "billion-laughs": (LAUGHS + f"<svg {NS}><text>&i;</text></svg>", "svg_doctype"),
    "external-entity": ('<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                        f"<svg {NS}><text>&x;</text></svg>", "svg_doctype"),
    "parameter-entity": ('<!DOCTYPE svg [<!ENTITY % p SYSTEM "http://evil.example/x.dtd"> %p;]>'
                         f"<svg {NS}/>", "svg_doctype"),
    "not-xml": ("<svg onload=alert(1)>", "svg_invalid"),
    "html-root": ("<html xmlns='http://www.w3.org/1999/xhtml'><script>alert(1)</script></html>", "svg_not_svg"),
    "svg-without-namespace": ("<svg><script>alert(1)</script></svg>", "svg_not_svg"),
    "undefined-entity": (f"<svg {NS}><text>&nbsp;</text></svg>", "svg_invalid"),
}
_ALLOWED_HREF = ("href", "{http://www.w3.org/1999/xlink}href")


def assert_svg_inert(data: bytes) -> None:
    """What a browser could run or fetch, looked for in a published SVG (parsed again)."""
    assert b"DOCTYPE" not in data and b"<?xml-stylesheet" not in data and b"<!ENTITY" not in data
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    for element in root.iter():
        assert isinstance(element.tag, str), element
        qname = etree.QName(element)
        assert qname.namespace == SVG_NS, qname
        assert qname.localname not in ("script", "foreignObject", "set", "animate", "iframe", "handler"), qname
        for name, value in element.attrib.items():
            assert not etree.QName(name).localname.lower().startswith("on"), name
            if name in _ALLOWED_HREF:
                assert value.strip().startswith("#"), value
            assert "javascript" not in value.lower() and "evil.example" not in value, value
            if "url(" in value.lower():
                assert value.replace(" ", "").lower().count("url(#") == value.lower().count("url("), value
    for text in root.itertext():
        assert "evil.example" not in text and "alert(" not in text
    assert b"evil.example" not in data and b"alert(" not in data


@pytest.mark.parametrize("name", sorted(SAFE_SVG))
def test_hostile_svg_is_cleaned(name):
    assert_svg_inert(clean_svg(SAFE_SVG[name].encode()))


@pytest.mark.parametrize("name", sorted(REFUSED_SVG))
def test_hostile_svg_is_refused(name):
    text, code = REFUSED_SVG[name]
    with pytest.raises(SvgRefused) as refused:
        clean_svg(text.encode())
    assert refused.value.code == code


def test_svg_encodings_and_depth():
    utf16 = (f'<?xml version="1.0" encoding="UTF-16"?><svg {NS}><script>alert(1)</script><circle r="1"/></svg>')
    assert_svg_inert(clean_svg(utf16.encode("utf-16")))
    assert clean_svg(utf16.encode("utf-16")).startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    for data, code in ((f'<?xml version="1.0" encoding="cp037"?><svg {NS}/>'.encode("cp037"), "svg_invalid"),
                       ((f"<svg {NS}>" + "<g>" * 10_000 + "</g>" * 10_000 + "</svg>").encode(), "svg_invalid"),
                       (f"<svg {NS}>".encode() + b" " * (6 << 20) + b"</svg>", "svg_too_large")):
        with pytest.raises(SvgRefused) as refused:
            clean_svg(data)
        assert refused.value.code == code


def test_ordinary_svg_keeps_its_drawing():
    drawing = (f"<svg {NS} viewBox='0 0 10 10'><defs><linearGradient id='g'><stop offset='0' stop-color='red'/>"
               "</linearGradient></defs><title>Logo</title><rect id='r' fill='url(#g)' style='stroke:url(#g);"
               "opacity:.5' width='10' height='10'/><use xlink:href='#r' x='2'/><text>KIM</text></svg>")
    cleaned = etree.fromstring(clean_svg(drawing.encode()))
    assert [etree.QName(e).localname for e in cleaned.iter()] == ["svg", "defs", "linearGradient", "stop", "title",
                                                                  "rect", "use", "text"]
    assert cleaned.find(f"{{{SVG_NS}}}rect").get("style") == "stroke:url(#g);opacity:.5"
    assert clean_svg(drawing.encode()) == clean_svg(clean_svg(drawing.encode()))  # stable


def test_hostile_svgs_in_a_build_are_published_inert(tmp_path):
    files = {f"content/uji/media/{name}.svg": text for name, text in SAFE_SVG.items()}
    root = make(tmp_path, files)
    ok, problems = run(root)
    assert ok, problems
    for name in SAFE_SVG:
        assert_svg_inert((root / f"_site/uji/media/{name}.svg").read_bytes())
    assert_nowhere(root, b"alert(", b"evil.example")


def test_refused_svg_is_an_error_naming_the_file(tmp_path):
    files = {f"content/uji/media/{name}.svg": text for name, (text, _code) in REFUSED_SVG.items()}
    root = make(tmp_path, files)
    ok, problems = run(root)
    assert not ok
    assert codes(problems, "error") == {(f"content/uji/media/{name}.svg", None, code)
                                        for name, (_text, code) in REFUSED_SVG.items()}
    assert not (root / "_site").exists()


# --- no location leaves the machine ------------------------------------------------------------------

def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = MARKER
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "S", ExifTags.GPS.GPSLatitude: (6.0, 37.0, 41.2),
                                  ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (107.0, 24.0, 13.8)}
    return exif


XMP = (f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       f'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="6,37.7S" '
       f'exif:Make="{MARKER}"/></rdf:RDF></x:xmpmeta>').encode()


def _frames(count: int, size=(64, 48)) -> list[Image.Image]:
    frames = []
    for index in range(count):
        frame = Image.new("RGB", size, (40 + 60 * index, 140, 60))
        frame.paste((200, 180, 60), (0, 0, size[0] // 2, size[1] // 3))
        frames.append(frame)
    return frames


def picture_with_location(fmt: str) -> bytes:
    """A picture in `fmt` that carries GPS EXIF, the MARKER and (where Pillow writes it) XMP."""
    buffer = io.BytesIO()
    first = _frames(1)[0]
    if fmt == "JPEG":
        first.save(buffer, "JPEG", exif=_exif(), xmp=XMP)
    elif fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_itxt("XML:com.adobe.xmp", XMP.decode())
        info.add_text("Comment", MARKER)
        first.save(buffer, "PNG", exif=_exif(), pnginfo=info)
    elif fmt == "APNG":
        frames = _frames(3)
        frames[0].save(buffer, "PNG", save_all=True, append_images=frames[1:], exif=_exif(), duration=100)
    elif fmt == "WEBP":
        first.save(buffer, "WEBP", exif=_exif(), xmp=XMP)
    elif fmt == "TIFF":
        info = TiffImagePlugin.ImageFileDirectory_v2()
        info[271], info[700] = MARKER, XMP  # Make, XMP
        info[34853] = {1: "S", 2: (6.0, 37.0, 41.2), 3: "E", 4: (107.0, 24.0, 13.8)}  # GPS IFD
        frames = _frames(2)  # two pages, both carrying the tags
        frames[0].save(buffer, "TIFF", tiffinfo=info, save_all=True, append_images=frames[1:])
    elif fmt == "AVIF":
        first.save(buffer, "AVIF", exif=_exif(), xmp=XMP)
    elif fmt == "GIF":
        frames = _frames(3)
        frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], comment=MARKER.encode(),
                       duration=[80, 120, 160], loop=0)
        data = buffer.getvalue()
        # An XMP application extension (what cameras' GIF exports carry), before the trailer.
        blocks = b"".join(bytes([len(XMP[i:i + 255])]) + XMP[i:i + 255] for i in range(0, len(XMP), 255))
        return data[:-1] + b"\x21\xff\x0bXMP DataXMP" + blocks + b"\x00" + data[-1:]
    elif fmt == "BMP":
        first.save(buffer, "BMP")
        return buffer.getvalue() + MARKER.encode()  # trailing data after the pixels
    else:
        raise AssertionError(fmt)
    return buffer.getvalue()


PICTURES = {  # file name -> format written
    "a.jpg": "JPEG", "b.jpeg": "JPEG", "c.jpe": "JPEG", "d.jfif": "JPEG", "e.JPG": "JPEG", "f.png": "PNG",
    "g.webp": "WEBP", "h.gif": "GIF", "i.bmp": "BMP", "j.tif": "TIFF", "k.tiff": "TIFF", "l.avif": "AVIF",
    "m.apng": "APNG",
}


def assert_no_location(path: Path) -> None:
    data = path.read_bytes()
    assert MARKER.encode() not in data, f"{path.name} still carries the EXIF/XMP marker"
    assert b"GPSLatitude" not in data and b"xmpmeta" not in data and b"Exif\x00\x00" not in data, path.name
    with Image.open(path) as picture:
        for index in range(getattr(picture, "n_frames", 1)):
            picture.seek(index)
            exif = picture.getexif()
            assert not exif.get_ifd(ExifTags.IFD.GPSInfo), f"{path.name} frame {index} carries GPS"
            assert ExifTags.Base.Make not in exif, f"{path.name} frame {index} carries EXIF"
            for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment", "Comment"):
                assert key not in picture.info, f"{path.name} frame {index}: {key}"
            # A GIF's only application extension is the loop count (NETSCAPE2.0), never XMP.
            assert picture.info.get("extension", (b"NETSCAPE2.0",))[0] == b"NETSCAPE2.0", path.name
            if hasattr(picture, "tag_v2"):
                assert 700 not in picture.tag_v2 and 34853 not in picture.tag_v2, path.name


def test_no_picture_in_the_output_carries_a_location(tmp_path):
    refs = "\n\n".join(f"![foto {name}](media/{name})" for name in PICTURES)
    files: dict[str, str | bytes] = {f"content/uji/media/{name}": picture_with_location(fmt)
                                     for name, fmt in PICTURES.items()}
    files["content/uji/2025-01-02-rapat.md"] = f"---\ntitle: Rapat\ndate: 2025-01-02\nimage: media/a.jpg\n---\n{refs}\n"
    root = make(tmp_path, files)
    for name, fmt in PICTURES.items():  # the inputs really carry what must not leave
        source = root / "content/uji/media" / name
        assert MARKER.encode() in source.read_bytes(), name
        if fmt not in ("GIF", "BMP"):  # formats with no EXIF carry the marker as a comment, XMP or trailer
            with Image.open(source) as picture:
                assert picture.getexif().get_ifd(ExifTags.IFD.GPSInfo), name
    ok, problems = run(root)
    assert ok, problems
    pictures = [p for p in published(root) if p.suffix.lower() not in (".html", ".xml", ".txt", ".css", ".json",
                                                                     ".opml", ".ics", ".csv", "")]
    for name in PICTURES:
        assert root / "_site/uji/media" / name in pictures, name
    for path in pictures:
        assert_no_location(path)
    assert_nowhere(root, MARKER.encode())
    with Image.open(root / "_site/uji/media/h.gif") as gif:  # the animation is kept
        assert gif.n_frames == 3 and gif.info.get("loop") == 0
    with Image.open(root / "_site/uji/media/j.tif") as tif:
        assert tif.n_frames == 2


@pytest.mark.parametrize("name", ["foto.heic", "foto.HEIF", "foto.jxl", "foto.dng", "foto.jp2", "foto.psd"])
def test_pictures_kimsite_cannot_clean_are_refused(tmp_path, name):
    root = make(tmp_path, {f"content/uji/media/{name}": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00" + SECRET})
    ok, problems = run(root)
    assert not ok
    assert codes(problems, "error") == {(f"content/uji/media/{name}", None, "picture_format_refused")}


@pytest.mark.parametrize("name, fmt", [("foto.txt", "JPEG"), ("foto.pdf", "JPEG"), ("foto", "PNG"),
                                       ("foto.bin", "TIFF"), ("foto.dat", "WEBP"), ("foto.mp4", "AVIF")])
def test_picture_under_another_name_is_refused(tmp_path, name, fmt):
    root = make(tmp_path, {f"content/uji/media/{name}": picture_with_location(fmt)})
    ok, problems = run(root)
    assert not ok
    assert codes(problems, "error") == {(f"content/uji/media/{name}", None, "picture_misnamed")}


def test_svg_embedding_a_located_photo_loses_it(tmp_path):
    import base64

    photo = base64.b64encode(picture_with_location("JPEG")).decode()
    root = make(tmp_path, {"content/uji/media/peta.svg": f"<svg {NS}><image href='data:image/jpeg;base64,{photo}'"
                                                           " width='9' height='9'/><circle r='3'/></svg>"})
    ok, problems = run(root)
    assert ok, problems
    published_svg = (root / "_site/uji/media/peta.svg").read_bytes()
    assert b"base64" not in published_svg and b"<circle" in published_svg


def test_animation_too_large_is_an_error(tmp_path, monkeypatch):
    from kimsite.media import images

    monkeypatch.setattr(images, "MAX_FRAME_PIXELS", 64 * 48 * 2)
    root = make(tmp_path, {"content/uji/media/gerak.gif": picture_with_location("GIF")})
    ok, problems = run(root)
    assert not ok
    assert codes(problems, "error") == {("content/uji/media/gerak.gif", None, "image_too_many_frames")}


# --- generated picture names ------------------------------------------------------------------------

def _jpeg(width: int, height: int = 300) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 70)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_user_file_with_a_generated_name_is_an_error_naming_both(tmp_path):
    root = make(tmp_path, {"content/uji/media/foto.jpg": _jpeg(1000), "content/uji/media/foto.480.jpg": _jpeg(50),
                           "content/uji/media/foto.og.jpg": _jpeg(60)})
    ok, problems = run(root)
    assert not ok
    errors = [p for p in problems if p.severity == "error"]
    assert codes(errors) == {("content/uji/media/foto.480.jpg", None, "image_name_taken"),
                             ("content/uji/media/foto.og.jpg", None, "image_name_taken")}
    for problem in errors:
        assert dict(problem.args)["image"] == "content/uji/media/foto.jpg"
        assert "foto.jpg" in problem.text("id") and problem.file.rsplit("/", 1)[1] in problem.format("id")


def test_two_pictures_with_one_stem_are_an_error(tmp_path):
    png = io.BytesIO()
    Image.new("RGB", (900, 300), (200, 0, 0)).save(png, "PNG")
    root = make(tmp_path, {"content/uji/media/logo.jpg": _jpeg(900), "content/uji/media/logo.png": png.getvalue()})
    ok, problems = run(root)
    assert not ok
    [problem] = [p for p in problems if p.severity == "error"]
    assert (problem.file, problem.code) == ("content/uji/media/logo.png", "image_name_taken")
    assert dict(problem.args)["image"] == "content/uji/media/logo.jpg"


def test_names_that_do_not_collide_build_as_before(tmp_path):
    # foto.jpg is 300 px wide: its versions are foto.300.*; a user's foto.480.jpg takes no name of them.
    root = make(tmp_path, {"content/uji/media/foto.jpg": _jpeg(300), "content/uji/media/foto.480.jpg": _jpeg(480),
                           "content/uji/media/foto-2.jpg": _jpeg(300)})
    ok, problems = run(root)
    assert ok, problems
    with Image.open(root / "_site/uji/media/foto.480.jpg") as own:
        assert own.width == 480
    with Image.open(root / "_site/uji/media/foto.300.jpg") as made:
        assert made.width == 300


# --- more hostile inputs ----------------------------------------------------------------------------

def test_kim_folder_that_is_a_link_is_not_followed(tmp_path):
    elsewhere = tmp_path / "di-luar"
    elsewhere.mkdir()
    (elsewhere / "bocor.txt").write_bytes(SECRET)
    root = make(tmp_path, {"sites/lain.yaml": "name: Lain\nkecamatan: X\n"})
    os.symlink(str(elsewhere), root / "content/lain")
    ok, problems = run(root)
    assert ok, problems
    assert ("content/lain", None, "symlink_folder") in codes(problems, "warning")
    assert_nowhere(root, SECRET)


def test_motion_photo_trailer_does_not_travel(tmp_path):
    """Phones append a second picture or a video (with its own GPS) after a JPEG's end."""
    photo = picture_with_location("JPEG")
    plain = io.BytesIO()
    _frames(1)[0].save(plain, "JPEG")
    root = make(tmp_path, {"content/uji/media/gerak.jpg": plain.getvalue() + photo + b"ftypmp42" + MARKER.encode()})
    ok, problems = run(root)
    assert ok, problems
    for path in (root / "_site/uji/media").iterdir():
        assert_no_location(path)


def test_upper_case_svg_and_odd_html_names(tmp_path):
    root = make(tmp_path, {"content/uji/media/LOGO.SVG": SAFE_SVG["onload"]})
    ok, problems = run(root)
    assert ok, problems
    assert_svg_inert((root / "_site/uji/media/LOGO.SVG").read_bytes())
    for name in ("spasi.html ", "Index.HtMl", "a.b.XHTML"):
        root = make(tmp_path, {f"content/uji/media/{name}": "<script>alert(1)</script>"}, name=f"ws-{len(name)}")
        ok, problems = run(root)
        assert not ok and codes(problems, "error") == {(f"content/uji/media/{name}", None, "file_active_content")}


def test_svg_that_is_really_a_picture_or_a_picture_that_is_really_svg(tmp_path):
    root = make(tmp_path, {"content/uji/media/foto.svg": picture_with_location("JPEG"),
                           "content/uji/media/logo.png": SAFE_SVG["script"]})
    ok, problems = run(root)
    assert not ok
    assert codes(problems, "error") == {("content/uji/media/foto.svg", None, "svg_invalid"),
                                        ("content/uji/media/logo.png", None, "image_corrupt")}


def test_clean_svg_is_published_incrementally_like_a_clean_build(tmp_path):
    root = make(tmp_path, {"content/uji/media/logo.svg": SAFE_SVG["script"]})
    assert run(root)[0]
    (root / "content/uji/media/logo.svg").write_text(SAFE_SVG["style-url"])
    assert run(root)[0]
    again = make(tmp_path, {"content/uji/media/logo.svg": SAFE_SVG["style-url"]}, name="bersih")
    assert run(again)[0]
    assert (root / "_site/uji/media/logo.svg").read_bytes() == (again / "_site/uji/media/logo.svg").read_bytes()


def test_theme_pictures_are_published_without_location(tmp_path):
    root = make(tmp_path, {"kimsite.yaml": "base_url: https://example.github.io/repo/\ntheme: hijau\n"})
    folder = _theme(root)
    for name, fmt in (("latar.jpg", "JPEG"), ("ikon.png", "PNG"), ("gerak.gif", "GIF"), ("peta.tiff", "TIFF")):
        (folder / "static" / name).write_bytes(picture_with_location(fmt))
    ok, problems = run(root)
    assert ok, problems
    assets = sorted((root / "_site/assets").iterdir())
    assert len([p for p in assets if p.suffix in (".jpg", ".png", ".gif", ".tiff")]) == 4, assets
    for path in assets:
        if path.suffix != ".css":
            assert_no_location(path)
    assert_nowhere(root, MARKER.encode())


def test_grey_and_transparent_plain_pictures(tmp_path):
    pictures = {}
    for mode, fmt, name in (("LA", "TIFF", "a.tif"), ("L", "BMP", "b.bmp"), ("LA", "PNG", "c.apng"),
                            ("L", "AVIF", "d.avif"), ("P", "GIF", "e.gif"), ("1", "TIFF", "f.tiff")):
        buffer = io.BytesIO()
        Image.new(mode, (40, 30)).save(buffer, "PNG" if fmt == "PNG" else fmt)
        pictures[f"content/uji/media/{name}"] = buffer.getvalue()
    root = make(tmp_path, pictures)
    ok, problems = run(root)
    assert ok, problems
    for name in pictures:
        with Image.open(root / "_site/uji" / name.removeprefix("content/uji/")) as published_picture:
            assert published_picture.size == (40, 30)


# --- videos from phones -------------------------------------------------------------------------------

def _box(kind: bytes, payload: bytes) -> bytes:
    return (8 + len(payload)).to_bytes(4, "big") + kind + payload


def _video(*moov_children: bytes, moov_last: bool = False, top: bytes = b"", large_mdat: bool = False) -> bytes:
    ftyp = _box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41")
    moov = _box(b"moov", _box(b"mvhd", bytes(100)) + b"".join(moov_children))
    media = b"\x00" * 64
    mdat = ((1).to_bytes(4, "big") + b"mdat" + (16 + len(media)).to_bytes(8, "big") + media if large_mdat
            else _box(b"mdat", media))
    return ftyp + top + (mdat + moov if moov_last else moov + mdat)


ISO6709 = "+06.6277-107.4024/".encode()
VIDEOS_WITH_LOCATION = {
    "android.mp4": _video(_box(b"udta", _box(b"\xa9xyz", b"\x00\x12\x15\xc7" + ISO6709))),
    "tiga-gp.3gp": _video(_box(b"udta", _box(b"loci", bytes(6) + b"Sawah\x00" + bytes(20)))),
    "iphone.mov": _video(_box(b"meta", _box(b"hdlr", bytes(24) + b"mdta") + _box(
        b"keys", bytes(8) + _box(b"mdta", b"com.apple.quicktime.location.ISO6709")) + _box(
        b"ilst", _box(b"\x00\x00\x00\x01", _box(b"data", bytes(8) + ISO6709))))),
    "iso-meta.mp4": _video(_box(b"udta", _box(b"meta", bytes(4) + _box(b"\xa9xyz", ISO6709)))),
    "di-akhir.mp4": _video(_box(b"udta", _box(b"\xa9xyz", ISO6709)), moov_last=True, large_mdat=True),
    "dalam-trak.m4v": _video(_box(b"trak", _box(b"udta", _box(b"\xa9xyz", ISO6709)))),
    "xmp.mp4": _video(top=_box(b"uuid", bytes(16) + b'<x:xmpmeta exif:GPSLatitude="6,37S"/>')),
    "tanpa-akhiran": _video(_box(b"udta", _box(b"\xa9xyz", ISO6709))),
}


@pytest.mark.parametrize("name", sorted(VIDEOS_WITH_LOCATION))
def test_video_with_a_location_is_refused(tmp_path, name):
    root = make(tmp_path, {f"content/uji/media/{name}": VIDEOS_WITH_LOCATION[name]})
    ok, problems = run(root)
    assert not ok
    assert codes(problems, "error") == {(f"content/uji/media/{name}", None, "video_has_location")}


def test_video_without_a_location_is_published(tmp_path):
    video = _video(_box(b"udta", _box(b"\xa9nam", b"Rapat warga")), moov_last=True)
    root = make(tmp_path, {"content/uji/media/rapat.mp4": video, "content/uji/media/rusak.mp4": b"\x00\x00\x00\x02xx",
                           "content/uji/media/suara.m4a": _video()})
    ok, problems = run(root)
    assert ok, problems
    assert (root / "_site/uji/media/rapat.mp4").read_bytes() == video


def test_one_picture_under_two_names_and_formats(tmp_path):
    """The same bytes as foto.jpg and foto-salinan.jpeg (and as a .png) used to share one cache
    folder, and the build failed looking for a file another name had not made."""
    photo = _jpeg(900)
    root = make(tmp_path, {"content/uji/media/foto.jpg": photo, "content/uji/media/salinan.jpeg": photo,
                           "content/uji/media/lain.JFIF": photo, "content/uji/media/png-palsu.png": photo})
    ok, problems = run(root)
    assert ok, problems
    media = root / "_site/uji/media"
    for name, fmt in (("foto.jpg", "JPEG"), ("salinan.jpeg", "JPEG"), ("lain.JFIF", "JPEG"), ("png-palsu.png", "PNG")):
        with Image.open(media / name) as picture:
            assert picture.format == fmt and picture.width == 900
