"""A province portal of portals: members read from OPML lists in sites/ (a province's own list,
or the kim.opml a regency portal publishes), fetched over loopback, shown as regions with their
own KIM counts and activity. Hostile OPML is a message naming file and line, never a traceback.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime, timezone
from html import unescape
from pathlib import Path

import pytest

from conftest import write_workspace
from safety import invoke
from test_fetch import FeedServer, rss, send
from kimsite.fetch import remote
from kimsite.commands.fetch import FetchOptions, fetch_all
from kimsite.workspace import opml
from kimsite.workspace.opml import parse_opml

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
ENV = {"KIMSITE_NOW": NOW.isoformat()}

REGENCY = {
    "sites/portal.yaml": "kind: portal\nname: Portal KIM Kabupaten Hulu\nregion: Kabupaten Hulu\n"
                         "kecamatan: [Maniis, Plered]\nmembers: all\n",
    "sites/kim-a.yaml": "name: KIM Alpha\nkecamatan: Maniis\n",
    "sites/kim-b.yaml": "name: KIM Beta\nkecamatan: Plered\n",
    "content/kim-a/kabar.md": "---\ntitle: Kabar Alpha\ndate: 2026-11-10\n---\nIsi.\n",
    "content/kim-b/kabar.md": "---\ntitle: Kabar Beta\ndate: 2026-01-10\n---\nIsi.\n",
}

PROVINCE_CONFIG = ("base_url: https://prov.example/\nlanguage: id\ntimezone: Asia/Jakarta\n"
                   "fetch:\n  timeout: 3\n  allow_hosts: [\"127.0.0.1\"]\n")


def regency_opml(tmp_path: Path) -> str:
    """The kim.opml a real regency build publishes."""
    root = write_workspace(tmp_path / "regency", REGENCY)
    result = invoke("build", "-C", str(root), env=ENV)
    assert result.exit_code == 0, result.output
    return (root / "_site/kim.opml").read_text(encoding="utf-8")


def province(tmp_path: Path, lists: dict[str, str], members: str) -> Path:
    files = {"kimsite.yaml": PROVINCE_CONFIG,
             "sites/provinsi.yaml": f"kind: portal\nname: Portal KIM Provinsi\nregion: Provinsi Contoh\n"
                                    f"members:\n{members}"}
    files.update({f"sites/{name}": text for name, text in lists.items()})
    return write_workspace(tmp_path / "province", files)


def test_a_regency_kim_opml_gives_each_kim_its_kecamatan_and_the_regency_as_region(tmp_path):
    feeds, problems = parse_opml(regency_opml(tmp_path).encode(), "sites/hulu.opml")
    assert problems == []
    assert [(f.name, f.kecamatan, f.region, f.portal) for f in feeds] == [
        ("KIM Alpha", "Maniis", "Kabupaten Hulu", False), ("KIM Beta", "Plered", "Kabupaten Hulu", False)]
    assert feeds[0].url == "https://example.github.io/repo/kim-a/feed.xml"
    assert feeds[0].site_url == "https://example.github.io/repo/kim-a/"
    assert feeds[0].line is not None and feeds[0].line > 1


def test_groups_give_regions_and_category_portal_marks_a_region_feed():
    text = """<?xml version="1.0"?>
<opml version="2.0"><head><title>Provinsi</title></head><body>
  <outline text="Kabupaten Hilir">
    <outline text="Kecamatan Sukamaju">
      <outline type="rss" text="KIM Gamma" xmlUrl="https://gamma.example/feed.xml"/>
    </outline>
    <outline type="rss" text="KIM Delta" xmlURL="https://delta.example/feed" htmlUrl="https://delta.example/"/>
  </outline>
  <outline type="rss" text="Portal Kota Tengah" category="/portal" xmlUrl="https://tengah.example/feed.xml"/>
  <outline type="rss" text="KIM Gamma again" xmlUrl="https://gamma.example/feed.xml"/>
</body></opml>"""
    feeds, problems = parse_opml(text.encode(), "sites/p.opml")
    assert problems == []
    assert [(f.name, f.kecamatan, f.region, f.portal, f.line) for f in feeds] == [
        ("KIM Gamma", "Sukamaju", "Kabupaten Hilir", False, 5),
        ("KIM Delta", "", "Kabupaten Hilir", False, 7),
        ("Portal Kota Tengah", "", "", True, 9)]


@pytest.mark.parametrize("text, code, line", [
    ('<?xml version="1.0"?>\n<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
     '<opml><body><outline text="&b;" xmlUrl="https://x.example/f"/></body></opml>', "opml_entities", None),
    ('<?xml version="1.0"?>\n<opml><body>\n<outline text="a" xmlUrl="https://x.example/f">\n</body></opml>',
     "opml_bad_xml", 4),
    ('<?xml version="1.0"?>\n<rss><channel/></rss>', "opml_not_opml", 2),
    ('<?xml version="1.0"?>\n<!DOCTYPE opml SYSTEM "file:///etc/passwd">\n<opml><body/></opml>',
     "opml_entities", None),
    ("", "opml_bad_xml", 1),
    ("\x00\x01binary", "opml_bad_xml", 1),
    ('<opml>' + '<outline text="x">' * 40 + '</outline>' * 40 + '</opml>', "opml_too_deep", 1),
])
def test_hostile_opml_is_one_error_naming_file_and_line(text, code, line):
    feeds, problems = parse_opml(text.encode(), "sites/jahat.opml")
    assert feeds == []
    assert [(p.severity, p.file, p.code) for p in problems] == [("error", "sites/jahat.opml", code)]
    if line is not None:
        assert problems[0].line == line
    for lang in ("id", "en"):
        assert problems[0].text(lang)


def test_bad_feed_addresses_are_skipped_with_a_warning_on_their_line(monkeypatch):
    text = ('<opml><body>\n<outline text="a" xmlUrl="javascript:alert(1)"/>\n'
            '<outline text="b" xmlUrl="file:///etc/passwd"/>\n'
            f'<outline text="c" xmlUrl="https://{"x" * 3000}.example/"/>\n'
            '<outline text="ok" xmlUrl="https://ok.example/feed"/>\n</body></opml>')
    feeds, problems = parse_opml(text.encode(), "sites/l.opml")
    assert [f.name for f in feeds] == ["ok"]
    assert [(p.severity, p.line, p.code) for p in problems] == [("warning", 2, "opml_feed_bad_url"),
                                                               ("warning", 3, "opml_feed_bad_url"),
                                                               ("warning", 4, "opml_feed_bad_url")]
    monkeypatch.setattr(opml, "MAX_FEEDS", 2)
    many = "".join(f'<outline xmlUrl="https://k{n}.example/f"/>\n' for n in range(3))
    feeds, problems = parse_opml(f"<opml><body>\n{many}</body></opml>".encode(), "sites/l.opml")
    assert [(p.severity, p.line, p.code) for p in problems] == [("error", 4, "opml_too_many")]
    assert parse_opml(b"<opml/>", "sites/l.opml")[1][0].code == "opml_no_feeds"
    assert parse_opml(b" " * (opml.MAX_BYTES + 1), "sites/l.opml")[1][0].code == "opml_too_large"


@pytest.mark.parametrize("value, code", [
    ("../rahasia.opml", "opml_path_bad"), ("/etc/passwd", "opml_path_bad"), ("sites/a.xml", "opml_path_bad"),
    ("sites/sub/a.opml", "opml_path_bad"), ("sites/tidak-ada.opml", "opml_missing"),
    ("sites/link.opml", "opml_missing"), ("[1, 2]", "field_not_text"),
])
def test_a_bad_member_list_fails_the_build_and_keeps_the_output(tmp_path, value, code):
    root = province(tmp_path, {"baik.opml": '<opml><body><outline xmlUrl="https://a.example/f"/></body></opml>'},
                    "  - opml: sites/baik.opml\n")
    (root / "outside.opml").write_text("<opml/>", encoding="utf-8")
    (root / "sites/link.opml").symlink_to(root / "outside.opml")
    assert invoke("build", "-C", str(root), env=ENV).exit_code == 0
    before = {p: p.read_bytes() for p in (root / "_site").rglob("*") if p.is_file()}
    site_file = root / "sites/provinsi.yaml"
    site_file.write_text(site_file.read_text() + f"  - opml: {value}\n", encoding="utf-8")
    result = invoke("build", "-C", str(root), "--lang", "en", env=ENV)
    assert result.exit_code == 1
    assert "sites/provinsi.yaml:6: error: " in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert {p: p.read_bytes() for p in (root / "_site").rglob("*") if p.is_file()} == before
    check = invoke("check", "-C", str(root), "--format", "json", env=ENV)
    assert f'"{code}"' in check.stdout


def test_hostile_list_content_names_the_opml_file_and_line_in_build(tmp_path):
    root = province(tmp_path, {"p.opml": '<opml><body>\n<outline xmlUrl="https://a.example/f">\n</body></opml>'},
                    "  - opml: sites/p.opml\n")
    result = invoke("build", "-C", str(root), "--lang", "en", env=ENV)
    assert result.exit_code == 1
    assert "sites/p.opml:3: error: the member list is not well-formed XML" in result.stderr


def region_rows(html: str) -> list[list[str]]:
    section = html.split('id="wilayah"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", section, re.S)[1:]
    return [[unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in rows]


def test_province_fetches_opml_members_and_shows_regions_with_their_counts(tmp_path):
    hulu = regency_opml(tmp_path)
    with FeedServer({}) as server:
        kim_feed = rss([{"title": "Kabar Alpha", "link": "https://alpha.example/1", "guid": "a1",
                         "pubDate": "Tue, 10 Nov 2026 09:00:00 +0700"}], title="KIM Alpha Jauh")
        old_feed = rss([{"title": "Kabar Beta", "link": "https://beta.example/1", "guid": "b1",
                         "pubDate": "Sat, 10 Jan 2026 09:00:00 +0700"}], title="KIM Beta Jauh")
        portal_items = [{"title": f"Kabar {n}", "link": f"https://tengah.example/{n}", "guid": f"t{n}",
                         "pubDate": f"Mon, {n:02d} Nov 2026 09:00:00 +0700", "category": kim}
                        for n, kim in ((2, "KIM Satu"), (3, "KIM Dua"), (4, "KIM Satu"))]
        portal_items.append({"title": "Lama", "link": "https://tengah.example/old", "guid": "t0",
                             "pubDate": "Mon, 05 Jan 2026 09:00:00 +0700", "category": "KIM Tiga"})
        server.routes.update({
            "/alpha.xml": lambda h: send(h, kim_feed), "/beta.xml": lambda h: send(h, old_feed),
            "/tengah.xml": lambda h: send(h, rss(portal_items, title="Portal Kota Tengah")),
        })
        local = hulu.replace("https://example.github.io/repo/kim-a/feed.xml", server.url("/alpha.xml")) \
                    .replace("https://example.github.io/repo/kim-b/feed.xml", server.url("/beta.xml"))
        province_list = (f'<opml version="2.0"><body>\n<outline text="Kota Tengah" type="rss" category="portal" '
                         f'xmlUrl="{server.url("/tengah.xml")}" htmlUrl="https://tengah.example/"/>\n</body></opml>')
        root = province(tmp_path, {"hulu.opml": local, "provinsi.opml": province_list},
                        "  - opml: sites/provinsi.opml\n  - opml: sites/hulu.opml\n")
        result = fetch_all(root, FetchOptions(now=NOW))
    assert sorted((r.target.file, r.outcome, r.count) for r in result.reports) == [
        ("sites/hulu.opml", "ok", 1), ("sites/hulu.opml", "ok", 1), ("sites/provinsi.opml", "ok", 4)]
    assert remote.load(root, server.url("/tengah.xml")).items[0].categories == ("KIM Satu",)
    build = invoke("build", "-C", str(root), env=ENV)
    assert build.exit_code == 0, build.output
    data = (root / "_site/data/index.html").read_text(encoding="utf-8")
    # region, KIMs, active KIMs, articles in 90 days, latest
    assert region_rows(data) == [["Kabupaten Hulu", "2", "1", "1", "10 November 2026"],
                                 ["Kota Tengah", "3", "2", "3", "4 November 2026"]]
    assert 'href="https://tengah.example/">Kota Tengah</a>' in data
    directory = (root / "_site/direktori/index.html").read_text(encoding="utf-8")
    assert region_rows(directory) == region_rows(data)
    exported = json.loads((root / "_site/data/data-angka.json").read_text(encoding="utf-8"))
    assert exported["wilayah_anggota"] == [
        {"nama": "Kabupaten Hulu", "situs": "", "jumlah_kim": 2, "kim_aktif": 1, "artikel_90_hari": 1,
         "artikel_terakhir": "2026-11-10"},
        {"nama": "Kota Tengah", "situs": "https://tengah.example/", "jumlah_kim": 3, "kim_aktif": 2,
         "artikel_90_hari": 3, "artikel_terakhir": "2026-11-04"}]
    # KIMs of a region are listed under their region's kecamatan, on a page of its own
    kecamatan_page = (root / "_site/kecamatan/kabupaten-hulu-maniis/index.html").read_text(encoding="utf-8")
    assert "Maniis (Kabupaten Hulu)" in kecamatan_page and "KIM Alpha" in kecamatan_page
    # the directory links a region's kecamatan pages instead of listing every KIM of the province
    assert 'href="/kecamatan/kabupaten-hulu-maniis/">Kecamatan Maniis</a>' in directory
    assert 'href="/kecamatan/kabupaten-hulu-plered/">Kecamatan Plered</a>' in directory
    assert "KIM Alpha" not in directory and "KIM Alpha" not in data
    assert "Kota Tengah" in data.rsplit("<table class=\"data\">", 1)[1]  # the activity table keeps portals
    # the province's kim.opml lists every member feed
    published = (root / "_site/kim.opml").read_text(encoding="utf-8")
    assert server.url("/alpha.xml") in published and server.url("/tengah.xml") in published
    # ...grouped so that a national portal reading it gets the same regions back
    again_read, problems = parse_opml(published.encode(), "sites/prov.opml")
    assert problems == []
    assert sorted((f.name, f.kecamatan, f.region, f.portal) for f in again_read) == [
        ("KIM Alpha", "Maniis", "Kabupaten Hulu", False), ("KIM Beta", "Plered", "Kabupaten Hulu", False),
        ("Kota Tengah", "", "", True)]
    # a changed list is seen by the next build (no stale no-change shortcut)
    (root / "sites/hulu.opml").write_text(local.replace("KIM Beta", "KIM Beta Baru"), encoding="utf-8")
    again = invoke("build", "-C", str(root), env=ENV)
    assert again.exit_code == 0
    assert "KIM Beta Baru" in (root / "_site/kecamatan/kabupaten-hulu-plered/index.html").read_text(encoding="utf-8")


def test_a_regency_portal_without_member_lists_shows_no_regions(tmp_path):
    root = write_workspace(tmp_path / "regency", REGENCY)
    assert invoke("build", "-C", str(root), env=ENV).exit_code == 0
    assert 'id="wilayah"' not in (root / "_site/data/index.html").read_text(encoding="utf-8")
    assert "wilayah_anggota" not in json.loads((root / "_site/data/data-angka.json").read_text(encoding="utf-8"))


def test_the_workflow_fetches_for_a_portal_with_member_lists():
    template = (Path(__file__).resolve().parent.parent / "kimsite/workflow_template.yml").read_text()
    command = re.search(r"grep -qsE '([^']+)' sites/\*\.yaml", template).group(1)
    assert re.search(command.replace("[[:space:]]", r"\s"), "members:\n  - opml: sites/provinsi.opml", re.M)
    assert shutil.which("grep")


def test_hostile_names_and_links_in_a_member_list_reach_no_page_as_markup(tmp_path):
    evil = ('<opml><head><ownerName>&lt;img src=x onerror=alert(1)&gt;</ownerName></head><body>\n'
            '<outline text="Kecamatan &lt;script&gt;alert(2)&lt;/script&gt;">\n'
            '<outline text="&lt;script&gt;alert(3)&lt;/script&gt;" xmlUrl="https://jahat.example/feed" '
            'htmlUrl="javascript:alert(4)"/>\n'
            '<outline text="KIM &#x9;&#xA;Kontrol" xmlUrl="https://kontrol.example/feed" htmlUrl="data:text/html,x"/>\n'
            '</outline>\n<outline text="Portal" category="portal" xmlUrl="https://portal.example/feed.xml" '
            'htmlUrl="vbscript:msgbox"/>\n</body></opml>')
    feeds, problems = parse_opml(evil.encode(), "sites/jahat.opml")
    assert [p.code for p in problems] == [] and [f.site_url for f in feeds] == ["", "", ""]
    root = province(tmp_path, {"jahat.opml": evil}, "  - opml: sites/jahat.opml\n")
    result = invoke("build", "-C", str(root), env=ENV)
    assert result.exit_code == 0, result.output
    for page in (root / "_site").rglob("*"):
        if page.suffix in (".html", ".xml", ".opml", ".json", ".csv"):
            text = page.read_text(encoding="utf-8")
            markup = ("<script>alert", "<img src=x") if page.suffix in (".html", ".xml", ".opml") else ()
            for needle in (*markup, "javascript:", "vbscript:", "data:text/html", "\t", "Kontrol\n"):
                assert needle not in text, (page, needle)  # (JSON and CSV hold names as data, escaped there)
    directory = (root / "_site/kecamatan").iterdir()
    assert any("script" in path.name for path in directory)  # slugified, as a folder name
