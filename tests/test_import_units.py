"""The small rules of `kimsite import`: author names, picture hosts and sizes, old addresses."""

from __future__ import annotations

import pytest

from kimsite.schema.aliases import alias_path, is_valid_alias
from kimsite.importer.names import clean_author
from kimsite.importer.pictures import is_old_blog_picture, largest_version, picture_kind
from kimsite.importer.shortcodes import expand
from kimsite.importer.entries import Attachments
from kimsite.importer.sitefile import own_domain
from kimsite.pages.redirects import redirect_location


@pytest.mark.parametrize("raw, name", [
    ("noreply@blogger.com (Sri Wahyuni)", "Sri Wahyuni"),
    ("  noreply@blogger.com  ( Agus  Salim )", "Agus Salim"),
    ("Dedi Kurniawan <dedi@desa.id>", "Dedi Kurniawan"),
    ("noreply@blogger.com", ""),
    ("kim@desa.id", ""),
    ("Unknown", ""),
    ("Anonymous", ""),
    ("Rina", "Rina"),
])
def test_clean_author(raw, name):
    assert clean_author(raw) == name


@pytest.mark.parametrize("url, expected", [
    ("https://blogger.googleusercontent.com/img/b/R29v/s320/a.jpg", True),
    ("https://1.bp.blogspot.com/-x/y/s1600/a.JPG", True),
    ("https://lh3.googleusercontent.com/abc=s400", True),
    ("https://kimdesa.files.wordpress.com/2019/05/a.jpg", True),
    ("https://i0.wp.com/kim.desa.id/wp-content/uploads/a.jpg", True),
    ("https://kim.desa.id/wp-content/uploads/2019/05/a.jpg", True),
    ("https://upload.wikimedia.org/a.jpg", False),
    ("http://127.0.0.1:8000/img/a.jpg", False),
    ("javascript:alert(1)", False),
    ("data:image/png;base64,AAAA", False),
])
def test_old_blog_pictures(url, expected):
    assert is_old_blog_picture(url) is expected
    assert is_old_blog_picture("http://127.0.0.1:8000/img/a.jpg", ("127.0.0.1",))


def test_largest_version_asks_blogger_for_1600_pixels():
    assert largest_version("https://blogger.googleusercontent.com/img/b/R29v/s320/a.jpg") == \
        "https://blogger.googleusercontent.com/img/b/R29v/s1600/a.jpg"
    assert largest_version("https://1.bp.blogspot.com/-x/y/w400-h300/a.jpg") == \
        "https://1.bp.blogspot.com/-x/y/s1600/a.jpg"
    assert largest_version("https://lh3.googleusercontent.com/abc=w400-h300-c") == \
        "https://lh3.googleusercontent.com/abc=s1600"
    assert largest_version("https://kim.desa.id/wp-content/uploads/s320/a.jpg") == \
        "https://kim.desa.id/wp-content/uploads/s320/a.jpg"
    assert largest_version("https://kim.desa.id/wp-content/uploads/2019/05/a-b-300x200.JPG") == \
        "https://kim.desa.id/wp-content/uploads/2019/05/a-b.JPG"
    assert largest_version("https://kim.desa.id/blog/a-300x200.jpg") == "https://kim.desa.id/blog/a-300x200.jpg"


def test_picture_kind_sniffs_content():
    assert picture_kind(b"\xff\xd8\xff\xe0") == ".jpg"
    assert picture_kind(b"\x89PNG\r\n\x1a\nxxxx") == ".png"
    assert picture_kind(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == ".webp"
    assert picture_kind(b"<html>404</html>") is None


def test_own_domain():
    assert own_domain("https://kimsukamaju.desa.id") == "kimsukamaju.desa.id"
    assert own_domain("https://kimmaju.blogspot.com/") == ""
    assert own_domain("https://kimmaju.wordpress.com/") == ""
    assert own_domain("http://127.0.0.1:8000/") == ""


@pytest.mark.parametrize("alias, valid", [
    ("https://kim.desa.id/2019/05/21/x/", True),
    ("/2019/05/x.html", True),
    ("//evil.example/x", False),
    ("javascript:alert(1)", False),
    ("ftp://kim.desa.id/x", False),
    ("/a b", False),
    ("/a\\b", False),
    ("", False),
    ("https://" + "a" * 600 + ".id/", False),
])
def test_alias_validity(alias, valid):
    assert is_valid_alias(alias) is valid


def test_alias_paths_only_on_the_kims_own_domain():
    assert alias_path("https://kim.desa.id/2019/05/21/x/", "kim.desa.id") == "/2019/05/21/x/"
    assert alias_path("https://www.kim.desa.id/a.html", "kim.desa.id") == "/a.html"
    assert alias_path("https://kim.blogspot.com/a.html", "kim.desa.id") is None
    assert alias_path("https://kim.desa.id/a.html", "") is None
    assert alias_path("/?p=12", "") is None
    assert alias_path("/berita/kabar%20baru/", "") == "/berita/kabar baru/"


@pytest.mark.parametrize("prefix, path, location", [
    ("", "/2019/05/21/x/", "2019/05/21/x/"),
    ("kim/", "/2019/05/x.html", "kim/2019/05/x.html"),
    ("", "/tentang", "tentang/"),
    ("", "/", None),
    ("", "/404.html", None),
    ("", "/index.html", None),
    ("", "/../x/", None),
    ("", "/a/./b/", None),
    ("", "/.git/config/", None),
    ("", "/wp-content/uploads/a.jpg", None),
    ("", "/feed.xml", None),
])
def test_redirect_locations(prefix, path, location):
    assert redirect_location(prefix, path) == location


def test_shortcodes():
    attachments = Attachments({"5": "https://k.id/wp-content/uploads/a.jpg"}, {"9": ["https://k.id/wp-content/uploads/c.jpg"]})
    text, kept = expand('[gallery ids="5"] [gallery] [gallery ids="77"] [audio src="https://k.id/a.mp3"] '
                        '[Foto: Humas] [1] [foo bar="1"] [box]isi[/box]', "9", attachments)
    assert '<img src="https://k.id/wp-content/uploads/a.jpg"' in text
    assert '<img src="https://k.id/wp-content/uploads/c.jpg"' in text
    assert '[gallery ids="77"]' in text  # nothing known to show: kept
    assert "<p>https://k.id/a.mp3</p>" in text
    assert "[Foto: Humas]" in text and "[1]" in text
    assert kept == ["box", "foo", "gallery"]  # the gallery that could not be shown is reported too
