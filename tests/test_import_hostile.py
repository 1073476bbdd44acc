"""Malformed and hostile exports end in a message naming the file, never a traceback; hostile
content inside a good export never reaches the Markdown or the built pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kimsite.importer import ImportOptions, run_import
from kimsite.base.problems import KimsiteError
from import_helpers import LoopbackServer, body_of, front_matter, kimsite, workspace

ATOM_HEAD = ("<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>"
             "<id>tag:blogger.com,1999:blog-1</id><title>KIM Uji</title>"
             "<link rel='alternate' type='text/html' href='https://kimuji.blogspot.com/'/>"
             "<generator version='7.00' uri='https://www.blogger.com'>Blogger</generator>")


def blogger_post(title: str, html: str, published: str = "2023-04-05T10:00:00.000+07:00", extra: str = "",
                 number: int = 1) -> str:
    from xml.sax.saxutils import escape

    return (f"<entry><id>tag:blogger.com,1999:blog-1.post-{number}</id><blogger:type>POST</blogger:type>"
            f"<blogger:status>LIVE</blogger:status><author><name>Uji</name></author>"
            f"<title>{escape(title)}</title><content type='html'>{escape(html)}</content>"
            f"<published>{published}</published>{extra}</entry>")


def refused(tmp_path: Path, data: bytes, name: str = "blog.xml") -> str:
    root = workspace(tmp_path / "ws")
    export = tmp_path / name
    export.write_bytes(data)
    result = kimsite("import", str(export), "--kim", "kim-uji", "--kecamatan", "Uji", "-C", str(root))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert str(export) in result.output or export.as_posix() in result.output  # the file is named
    assert not (root / "content").exists() and not (root / "sites").exists()
    return result.output


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE feed [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>&lol4;</title></feed>
"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>x</title>
<item><title>&secret;</title><wp:post_type>post</wp:post_type></item></channel></rss>
"""


@pytest.mark.parametrize("data, expected", [
    (BILLION_LAUGHS, "mendeklarasikan entitas XML"),
    (XXE, "mendeklarasikan entitas XML"),
    (b"", "berkas ekspor kosong"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 100, "bukan ekspor XML"),
    (b"PK\x03\x04 a zip file", "bukan ekspor XML"),
    (b"<!DOCTYPE html><html><head><title>Login</title></head><body><p>Masuk<br></body></html>", "XML ekspor rusak"),
    (b"<html xmlns='http://www.w3.org/1999/xhtml'><body/></html>", "elemen akarnya <html>"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "elemen akarnya <svg>"),
    (("<?xml version='1.0'?>" + ATOM_HEAD + blogger_post("Terpotong", "isi")[:-30]).encode(), "XML ekspor rusak di baris"),
    (b"<rss version='2.0'><channel><item><title>a</title></item></channel>", "XML ekspor rusak"),
])
def test_bad_exports_are_refused_with_a_message(tmp_path, data, expected):
    assert expected in refused(tmp_path, data)


def test_external_dtd_is_never_fetched(tmp_path):
    with LoopbackServer() as server:
        data = (f"<?xml version='1.0'?><!DOCTYPE feed SYSTEM '{server.base}/evil.dtd'>" + ATOM_HEAD
                + blogger_post("Aman", "<p>isi</p>") + "</feed>").encode()
        root = workspace(tmp_path / "ws")
        export = tmp_path / "blog.xml"
        export.write_bytes(data)
        result = kimsite("import", str(export), "--kim", "kim-uji", "--kecamatan", "Uji", "-C", str(root))
        assert result.exit_code == 0, result.output
        assert server.requests == []


def test_huge_export_is_refused_before_reading(tmp_path):
    root = workspace(tmp_path / "ws")
    export = tmp_path / "blog.xml"
    with export.open("wb") as handle:  # sparse: 201 MB that take no disk space
        handle.write(b"<feed>")
        handle.truncate(201 * 1024 * 1024)
    result = kimsite("import", str(export), "--kim", "kim-uji", "--kecamatan", "Uji", "-C", str(root))
    assert result.exit_code == 1 and "berkas ekspor terlalu besar (201 MB; batasnya 200 MB)" in result.output
    small = tmp_path / "small.xml"
    small.write_bytes(b"<feed>" * 50)
    with pytest.raises(KimsiteError) as caught:  # the cap holds whatever its size
        run_import(root, ImportOptions(source=str(small), kim="kim-uji", kecamatan="Uji", max_bytes=100))
    assert caught.value.problems[0].code == "import_too_large"


def test_deeply_nested_export_and_body(tmp_path):
    nested_xml = ("<?xml version='1.0'?>" + ATOM_HEAD + "<x>" * 50000 + "</x>" * 50000 + "</feed>").encode()
    root = workspace(tmp_path / "ws")
    export = tmp_path / "blog.xml"
    export.write_bytes(nested_xml)
    result = kimsite("import", str(export), "--kim", "kim-uji", "--kecamatan", "Uji", "-C", str(root))
    assert "Traceback" not in result.output and result.exit_code in (0, 1)

    body = "<div>" * 20000 + "Kabar dari dalam" + "</div>" * 20000
    export.write_text("<?xml version='1.0'?>" + ATOM_HEAD + blogger_post("Bersarang", body) + "</feed>",
                      encoding="utf-8")
    result = kimsite("import", str(export), "--kim", "kim-dalam", "--kecamatan", "Uji", "-C", str(root))
    assert result.exit_code == 0, result.output
    assert "Kabar dari dalam" in body_of(root / "content/kim-dalam/2023-04-05-bersarang.md")


def test_missing_file_workspace_and_bad_command_lines(tmp_path):
    root = workspace(tmp_path / "ws")
    missing = kimsite("import", str(tmp_path / "tidak-ada.xml"), "--kim", "kim-uji", "--kecamatan", "U", "-C", str(root))
    assert missing.exit_code == 1 and "berkas ekspor tidak ditemukan" in missing.output
    export = tmp_path / "blog.xml"
    export.write_text("<?xml version='1.0'?>" + ATOM_HEAD + blogger_post("A", "b") + "</feed>", encoding="utf-8")
    no_workspace = kimsite("import", str(export), "--kim", "kim-uji", "-C", str(tmp_path / "kosong"))
    assert no_workspace.exit_code == 1 and "Traceback" not in no_workspace.output
    for slug in ("../luar", "KIM Besar", "a/b", ""):
        bad = kimsite("import", str(export), "--kim", slug, "--kecamatan", "U", "-C", str(root))
        assert bad.exit_code == 2, (slug, bad.output)
    no_kecamatan = kimsite("import", str(export), "--kim", "kim-baru", "-C", str(root))
    assert no_kecamatan.exit_code == 2 and "--kecamatan" in no_kecamatan.output
    assert not (root / "sites").exists() and not (root / "content").exists()

    (root / "sites").mkdir()
    (root / "sites" / "portal.yaml").write_text("kind: portal\nname: Portal\nregion: Kab\nmembers: all\n")
    (root / "sites" / "jauh.yaml").write_text("name: KIM Jauh\nkecamatan: X\nfeed: https://jauh.example/feed\n"
                                               "url: https://jauh.example/\n")
    assert "adalah portal" in kimsite("import", str(export), "--kim", "portal", "-C", str(root)).output
    remote = kimsite("import", str(export), "--kim", "jauh", "-C", str(root))
    assert remote.exit_code == 1 and "feed:" in remote.output
    assert not (root / "content").exists()


LONG = "x" * 200


def test_hostile_content_stays_out(tmp_path):
    with LoopbackServer() as server:
        hostile = (
            '<p onclick="alert(1)">Halo <script>alert("x")</script><style>p{}</style>'
            '<a href="javascript:alert(1)">klik</a> <a href="data:text/html,<script>">data</a> '
            f'<img src="x" onerror="alert(1)"><iframe src="https://iklan.example/"></iframe>'
            f'<img src="{server.base}/wp-content/uploads/not-a-picture.jpg" alt="palsu">'
            f'<img src="{server.base}/wp-content/uploads/raksasa.jpg" alt="besar"></p>'
            '<p>{{< youtube AAAAAAAAAAA >}} &lt;script&gt;teks&lt;/script&gt; ---</p>')
        posts = [
            blogger_post('Judul "aneh": --- \n # bukan komentar [x]', hostile,
                         extra="<blogger:filename>/../../../etc/passwd.html</blogger:filename>", number=1),
            blogger_post("Tanggal purba", "<p>x</p>", published="0001-01-01T00:00:00Z", number=2),
            blogger_post("Label banyak", "<p>y</p>", number=3,
                         extra="".join(f"<category term='label {i} {LONG}'/>" for i in range(60))),
        ]
        export = tmp_path / "blog.xml"
        export.write_text("<?xml version='1.0'?>" + ATOM_HEAD + "".join(posts) + "</feed>", encoding="utf-8")
        root = workspace(tmp_path / "ws")
        result = kimsite("import", str(export), "--kim", "kim-uji", "--kecamatan", "Uji", "--images-from",
                         "127.0.0.1", "-C", str(root))
    assert result.exit_code == 0, result.output
    assert "isinya bukan gambar JPEG, PNG, GIF atau WebP" in result.output
    assert "raksasa.jpg (gambar lebih besar dari 20 MB" in result.output
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert all(name.startswith(("content/kim-uji/", "sites/", "kimsite.yaml")) for name in files), files
    article = root / "content/kim-uji/2023-04-05-passwd.md"
    meta = front_matter(article)
    assert meta["title"] == 'Judul "aneh": --- # bukan komentar [x]'
    body = body_of(article)
    for bad in ("javascript:", "onclick", "onerror", "data:text", "iklan.example/\"", "{{<"):
        assert bad not in body, bad
    assert not re.search(r"(?<!\\)<script", body)  # "<script>teks</script>" written by the author stays text
    assert "\\<script\\>teks" in body
    assert "klik" in body and "Tanpa" not in body
    assert "1 tanpa tanggal" in result.output
    labels = front_matter(root / "content/kim-uji/2023-04-05-label-banyak.md")
    assert len(labels["tags"]) == 30 and all(len(tag) <= 120 for tag in labels["tags"])
    assert len(labels["category"]) <= 80
    check = kimsite("check", "-C", str(root))
    assert check.exit_code == 0 and ": galat:" not in check.output, check.output
    out = tmp_path / "out"
    assert kimsite("build", "-C", str(root), "-o", str(out)).exit_code == 0
    page = next((out / "kim-uji" / "2023" / "04").glob("passwd/index.html")).read_text(encoding="utf-8")
    main_part = page[page.find("<main"):page.find("</main>")]
    assert not re.search(r"<script|javascript:|onerror|onclick", main_part, re.IGNORECASE)


def test_never_writes_through_a_link_leaving_the_workspace(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = workspace(tmp_path / "ws", {"sites/kim-uji.yaml": "name: KIM Uji\nkecamatan: Uji\n"})
    (root / "content").mkdir()
    (root / "content" / "kim-uji").symlink_to(outside, target_is_directory=True)
    export = tmp_path / "blog.xml"
    export.write_text("<?xml version='1.0'?>" + ATOM_HEAD + blogger_post("A", "b") + "</feed>", encoding="utf-8")
    result = kimsite("import", str(export), "--kim", "kim-uji", "-C", str(root))
    assert result.exit_code == 1 and "content/kim-uji" in result.output
    assert list(outside.iterdir()) == []


def test_bad_aliases_are_reported_by_check(tmp_path):
    root = workspace(tmp_path / "ws", {
        "sites/kim-uji.yaml": "name: KIM Uji\nkecamatan: Uji\ndomain: kimuji.desa.id\n",
        "content/kim-uji/2023-01-01-baik.md":
            '---\ntitle: Baik\ndate: 2023-01-01\naliases: ["/2023/01/01/baik/", "https://kimuji.desa.id/lama.html",'
            ' "https://lain.example/x/", "/?p=3", "/feed.xml", "/../rahasia/"]\n---\nIsi.\n',
        "content/kim-uji/2023-01-02-buruk.md":
            '---\ntitle: Buruk\ndate: 2023-01-02\naliases: ["javascript:alert(1)"]\n---\nIsi.\n',
    })
    result = kimsite("check", "-C", str(root))
    assert result.exit_code == 1
    assert 'content/kim-uji/2023-01-02-buruk.md:4: galat: "javascript:alert(1)" bukan alamat lama yang sah' \
        in result.output
    (root / "content/kim-uji/2023-01-02-buruk.md").unlink()
    out = tmp_path / "out"
    built = kimsite("build", "-C", str(root), "--site", "kim-uji", "--base-url", "https://akun.github.io/repo/",
                    "-o", str(out))
    assert built.exit_code == 0, built.output
    assert (out / "2023" / "01" / "01" / "baik" / "index.html").is_file()
    assert (out / "lama.html").is_file()
    assert "/repo/2023/01/baik/" in (out / "lama.html").read_text(encoding="utf-8")
    redirects = [p for p in out.rglob("*.html") if "http-equiv" in p.read_text(encoding="utf-8")]
    assert sorted(p.relative_to(out).as_posix() for p in redirects) == ["2023/01/01/baik/index.html", "lama.html"]
    assert not (out.parent / "rahasia").exists()
